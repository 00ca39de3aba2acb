package common

import (
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// NewTextInput returns a text field styled for the theme. The cursor does not blink: a blink
// is a redraw twice a second for nothing, and it keeps goldens stable.
func (c *Common) NewTextInput(prompt, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	s := textinput.DefaultStyles(c.Styles.Theme.Dark)
	s.Cursor.Blink = false
	s.Focused.Prompt = c.Styles.Prompt
	if c.Styles.Theme.Mono {
		plain := lipgloss.NewStyle()
		s.Focused.Text, s.Blurred.Text = plain, plain
		s.Focused.Placeholder, s.Blurred.Placeholder = plain.Faint(true), plain.Faint(true)
	}
	in.SetStyles(s)
	return in
}

// NewTextArea returns a multi-line editor styled for the theme, with a steady cursor.
func (c *Common) NewTextArea() textarea.Model {
	ta := textarea.New()
	ta.ShowLineNumbers = true
	ta.CharLimit = 0
	ta.MaxHeight = 0
	s := textarea.DefaultStyles(c.Styles.Theme.Dark)
	s.Cursor.Blink = false
	ta.SetStyles(s)
	return ta
}
