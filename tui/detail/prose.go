package detail

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/tui/pager"
	"github.com/hooktap/hooktap/tui/styles"
)

// labelWidth is the label column of the summary's fields.
const labelWidth = 12

// prose collects the lines of a text tab; each keeps a hanging indent, so a wrapped doctor
// finding or field value continues under its own text rather than at the margin.
type prose struct {
	st   *styles.Styles
	rows []row
}

// row is one logical line: hang is drawn once, and its width indents every continuation.
type row struct{ hang, text string }

// field adds "label  value"; an empty value adds nothing.
func (p *prose) field(label, value string) {
	if value == "" {
		return
	}
	p.rows = append(p.rows, row{p.st.Label.Render(fmt.Sprintf("%-*s", labelWidth, label)) + " ", p.st.Value.Render(value)})
}

// item adds text after hang ("  • "), continuing under the text when it wraps.
func (p *prose) item(hang, text string) { p.rows = append(p.rows, row{hang, text}) }

// line adds s; its leading spaces are its hanging indent.
func (p *prose) line(s string) {
	text := strings.TrimLeft(s, " ")
	p.rows = append(p.rows, row{s[:len(s)-len(text)], text})
}

// layout wraps every row at width cells.
func (p *prose) layout(width int) string {
	var b strings.Builder
	for i, r := range p.rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		writeHanging(&b, r, width)
	}
	return b.String()
}

func writeHanging(b *strings.Builder, r row, width int) {
	hang := ansi.StringWidth(r.hang)
	if hang > width/2 {
		b.WriteString(ansi.Wrap(r.hang+r.text, width, " "))
		return
	}
	for i, l := range strings.Split(ansi.Wrap(r.text, width-hang, " "), "\n") {
		if i == 0 {
			b.WriteString(r.hang + l)
			continue
		}
		b.WriteString("\n" + pager.Blanks(hang) + l)
	}
}
