package bodyview

import (
	"strings"

	"github.com/hooktap/hooktap/tui/pager"
)

// HexDump lays bytes out as a hex dump as wide as the pane allows: offset, the bytes in groups of
// eight, and their printable characters. Rows are formatted when drawn, so a dump of any size
// costs nothing until it is on screen.
type HexDump struct {
	body    []byte
	perRow  int
	group   int
	rowSize int
}

// NewHexDump returns the dump of body for lines of width cells.
func NewHexDump(body []byte, width int) *HexDump {
	h := &HexDump{body: body, perRow: 1, group: 4}
	for n := 2; n <= 4 && hexWidth(n, 4) <= width; n++ {
		h.perRow = n
	}
	for n := 8; hexWidth(n, 8) <= width; n += 8 {
		h.perRow, h.group = n, 8
	}
	h.rowSize = hexWidth(h.perRow, h.group)
	return h
}

// hexWidth is the cells one row of n bytes in groups of g takes:
// "00000000  xx xx … xx  xx … xx  |ascii|".
func hexWidth(n, g int) int { return 8 + 1 + 3*n + (n+g-1)/g + 2 + n + 1 }

// PerRow is how many bytes one row shows.
func (h *HexDump) PerRow() int { return h.perRow }

// Len is the number of rows.
func (h *HexDump) Len() int { return (len(h.body) + h.perRow - 1) / h.perRow }

// Line formats row i.
func (h *HexDump) Line(i int) string {
	const digits = "0123456789abcdef"
	start := i * h.perRow
	row := h.body[start:min(start+h.perRow, len(h.body))]
	var b strings.Builder
	b.Grow(h.rowSize)
	off := start
	for s := 28; s >= 0; s -= 4 {
		b.WriteByte(digits[(off>>s)&0xf])
	}
	b.WriteByte(' ')
	for j := range h.perRow {
		if j%h.group == 0 {
			b.WriteByte(' ')
		}
		if j < len(row) {
			b.WriteByte(digits[row[j]>>4])
			b.WriteByte(digits[row[j]&0xf])
			b.WriteByte(' ')
		} else {
			b.WriteString("   ")
		}
	}
	b.WriteString(" |")
	for _, c := range row {
		if c < 0x20 || c >= 0x7f {
			c = '.'
		}
		b.WriteByte(c)
	}
	b.WriteString("|")
	return b.String()
}

var _ pager.Lines = (*HexDump)(nil)
