package bodyview

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"

	"github.com/hooktap/hooktap/tui/pager"
)

// palette is the SGR sequence of each JSON token kind; all "" means no colour.
type palette struct {
	punct, key, str, number, keyword string
}

var palettes sync.Map // chroma style name → palette

// paletteFor takes the JSON colours from a chroma style, so JSON looks as chroma would draw it.
func paletteFor(chromaStyle string) palette {
	if chromaStyle == "" {
		return palette{}
	}
	if p, ok := palettes.Load(chromaStyle); ok {
		return p.(palette)
	}
	st := styles.Get(chromaStyle)
	p := palette{
		punct: sgr(st.Get(chroma.Punctuation)), key: sgr(st.Get(chroma.NameTag)),
		str: sgr(st.Get(chroma.LiteralStringDouble)), number: sgr(st.Get(chroma.LiteralNumber)),
		keyword: sgr(st.Get(chroma.KeywordConstant)),
	}
	palettes.Store(chromaStyle, p)
	return p
}

// sgr is the escape sequence that draws text in e's colour and weight (24-bit colour; the
// terminal renderer lowers it to what the terminal supports).
func sgr(e chroma.StyleEntry) string {
	var parts []string
	if e.Bold == chroma.Yes {
		parts = append(parts, "1")
	}
	if e.Italic == chroma.Yes {
		parts = append(parts, "3")
	}
	if e.Underline == chroma.Yes {
		parts = append(parts, "4")
	}
	if e.Colour.IsSet() {
		parts = append(parts, fmt.Sprintf("38;2;%d;%d;%d", e.Colour.Red(), e.Colour.Green(), e.Colour.Blue()))
	}
	if len(parts) == 0 {
		return ""
	}
	return "\x1b[" + strings.Join(parts, ";") + "m"
}

// highlighted lays out markup with chroma's lexer for lang; without a style it is plain text.
func highlighted(ctx context.Context, text, lang string, width int, chromaStyle string) (pager.Lines, error) {
	lexer := lexers.Get(lang)
	if chromaStyle == "" || lexer == nil {
		return plainText(ctx, text, width, 0)
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, text)
	if err != nil {
		return plainText(ctx, text, width, 0)
	}
	st := styles.Get(chromaStyle)
	seqs := map[chroma.TokenType]string{}
	w := pager.NewWriter(width, len(text)*2)
	done := 0
	for tok := it(); tok != chroma.EOF; tok = it() {
		if done += len(tok.Value); done >= checkEvery {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			done = 0
		}
		seq, ok := seqs[tok.Type]
		if !ok {
			seq = sgr(st.Get(tok.Type))
			seqs[tok.Type] = seq
		}
		w.Write(tok.Value, seq)
	}
	return w.Text(), nil
}
