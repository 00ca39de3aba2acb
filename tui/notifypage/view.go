package notifypage

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/notifyview"
)

// View draws the choosers and the data editor on the left, the preview and the exact body on
// the right, and the last answers under them.
func (m *Model) View() string {
	if m.width < 20 || m.height < 6 {
		return ""
	}
	leftW, _, _, _ := m.leftLayout()
	right := m.rightColumn(m.width-leftW, m.height)
	left := m.leftColumn()
	return lipgloss.JoinHorizontal(lipgloss.Top, left, right)
}

// leftLayout is the left column's width and its three panes' heights.
func (m *Model) leftLayout() (width, eventH, targetH, dataH int) {
	width = min(max(m.width/3, 26), 44)
	eventH = min(len(m.events)+2, max(m.height/2, 4))
	targetH = min(len(m.targets())+2+boolInt(m.loadErr != nil), max(m.height/4, 4))
	return width, eventH, targetH, max(m.height-eventH-targetH, 3)
}

// sizeData gives the editor the top half of the Data pane; the defaults take the rest.
func (m *Model) sizeData() {
	width, _, _, dataH := m.leftLayout()
	m.data.SetWidth(max(width-2, 10))
	m.data.SetHeight(max((dataH-2)/2, 1))
}

func (m *Model) leftColumn() string {
	targets := m.targets()
	width, eventH, targetH, dataH := m.leftLayout()
	labels := make([]string, len(targets))
	for i, t := range targets {
		labels[i] = t.label()
	}
	targetBody := m.column(labels, m.target, width-2, targetH-2)
	if m.loadErr != nil {
		targetBody = m.common.Styles.StatusError.Render(common.Cut("webhooks: "+m.loadErr.Error(), width-2)) + "\n" + targetBody
	}
	source := m.common.Pane("Event", m.column(m.events, m.event, width-2, eventH-2), width, eventH, m.focus == fieldEvent)
	if m.capture != nil {
		source = m.common.Pane("Captured request", m.captureView(width-2), width, eventH, m.focus == fieldEvent)
	}
	return lipgloss.JoinVertical(lipgloss.Left,
		source,
		m.common.Pane("Format / webhook", targetBody, width, targetH, m.focus == fieldTarget),
		m.common.Pane("Data", m.dataView(width-2), width, dataH, m.focus == fieldData),
	)
}

// captureView names the captured request and its template, wrapped to the pane.
func (m *Model) captureView(width int) string {
	lines := m.capture.lines()
	const indent = 10 // the labels' width: a wrapped value stays under its first line
	for i, l := range lines[1:] {
		lines[i+1] = strings.ReplaceAll(ansi.Wrap(l, max(width-indent, 10), ""), "\n", "\n"+strings.Repeat(" ", indent))
	}
	lines[0] = common.Cut(lines[0], width)
	hint := m.common.Styles.Dim.Render(ansi.Wrap(" c: back to the event catalogue", width, ""))
	return strings.Join(append(lines, "", hint), "\n")
}

// column lists items with the selection highlighted, scrolled so the selection is visible.
func (m *Model) column(items []string, selected, width, height int) string {
	start := max(selected-height+1, 0)
	lines := make([]string, 0, height)
	for i := start; i < len(items) && len(lines) < height; i++ {
		line := common.Fit(" "+items[i], width)
		if i == selected {
			line = m.common.Styles.RowSelected.Render(line)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// dataView is the editor over dim lines naming the example values a field takes when left out.
func (m *Model) dataView(width int) string {
	if m.capture != nil {
		d := m.capture.message.Data
		text := fmt.Sprintf("route=%v\ntext=%v", d["route"], d["text"])
		return m.common.Styles.Dim.Render(ansi.Hardwrap("the route's message, not edited here:", width, false)) +
			"\n" + ansi.Hardwrap(text, width, false)
	}
	hint := "defaults: " + defaults(m.selectedEvent(), m.common.Now())
	return m.data.View() + "\n" + m.common.Styles.Dim.Render(ansi.Wrap(hint, width, ""))
}

func (m *Model) rightColumn(width, height int) string {
	answersH := 0
	if len(m.results) > 0 {
		answersH = len(m.results) + 2
	}
	previewH := max((height-answersH)*3/5, 4)
	bodyH := max(height-answersH-previewH, 3)
	t := m.selectedTarget()
	msg, err := m.message()
	preview, body, bodyTitle := "", "", "Body"
	if err != nil {
		preview = m.common.Styles.StatusError.Render(ansi.Wordwrap(err.Error(), width-2, ""))
	} else {
		preview = notifyview.Render(msg, t.format, width-2, m.common.Styles.Theme.Mono)
		raw, _ := notify.Body(t.format, msg)
		body = ansi.Hardwrap(string(raw), width-2, false)
		bodyTitle = fmt.Sprintf("Body · %s · %s", t.format, common.HumanSize(len(raw)))
	}
	panes := []string{
		m.common.Pane(m.previewTitle(msg.Event, t), preview, width, previewH, false),
		m.common.Pane(bodyTitle, body, width, bodyH, false),
	}
	if answersH > 0 {
		panes = append(panes, m.common.Pane("Answers", m.answersView(width-2), width, answersH, false))
	}
	return lipgloss.JoinVertical(lipgloss.Left, panes...)
}

// previewTitle names what is previewed: the event, or the capture and its event, and the target.
func (m *Model) previewTitle(event string, t target) string {
	if m.capture == nil {
		return "Preview · " + m.selectedEvent() + " · " + t.label()
	}
	if event == "" {
		event = "no event"
	}
	return fmt.Sprintf("Preview · capture #%s · %s · %s", common.ShortID(m.capture.c.ID), event, t.label())
}

func (m *Model) answersView(width int) string {
	lines := make([]string, len(m.results))
	for i, r := range m.results {
		text := common.Cut(r.summary(), width)
		if !r.res.Delivered {
			text = m.common.Styles.StatusError.Render(text)
		}
		lines[i] = text
	}
	return strings.Join(lines, "\n")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
