package signature

import (
	"bytes"
	"mime"
	"net/url"
	"slices"
	"strings"
)

// bodyVariant is a body the provider may have signed instead of the one that arrived.
type bodyVariant struct {
	code string
	msg  string
	body []byte
}

// treeLimit caps the bodies re-serialised through a decoded tree: decoding is far slower than
// hashing, and webhook bodies this large are rare.
const treeLimit = 64 << 10

// bodyCandidates tries each variant until one explains the mismatch or the work budget is spent.
// JSON nested past doctorMaxDepth is not re-serialised at all (see doctor_budget.go).
func (d *doctor) bodyCandidates() {
	if d.scheme == SchemeGitLab || d.scheme == SchemeHeader {
		return
	}
	gens := []func([]byte) []bodyVariant{newlineVariants, crlfVariants, d.formVariants}
	if d.tooDeep = jsonDeeperThan(d.req.Body, doctorMaxDepth); !d.tooDeep {
		gens = append(gens, jsonTextVariants, jsonTreeVariants)
	}
	tried := [][]byte{d.req.Body}
	for _, gen := range gens {
		if !d.canAfford() {
			return
		}
		for _, v := range gen(d.req.Body) {
			if !d.canAfford() {
				return
			}
			if slices.ContainsFunc(tried, func(b []byte) bool { return bytes.Equal(b, v.body) }) {
				continue
			}
			tried = append(tried, v.body)
			req := d.req
			req.Body = v.body
			if d.verifies(req, d.p, keyAsScheme) {
				d.add(v.code, v.msg)
				return
			}
		}
	}
}

func newlineVariants(body []byte) []bodyVariant {
	out := []bodyVariant{{FindTrailingNewline, "the signature matches the body with a trailing newline: " +
		"the provider signed it with one and it was removed on the way (or the sender signs text it does not send)",
		append(slices.Clip(body), '\n')}}
	trimmed := bytes.TrimSuffix(bytes.TrimSuffix(body, []byte("\n")), []byte("\r"))
	if len(trimmed) < len(body) {
		out = append(out, bodyVariant{FindTrailingNewline, "the signature matches the body without its trailing newline: " +
			"a newline was added on the way (an editor, a shell heredoc, a proxy)", trimmed})
	}
	return out
}

func crlfVariants(body []byte) []bodyVariant {
	if bytes.Contains(body, []byte("\r\n")) {
		return []bodyVariant{{FindCRLF, "the signature matches the body with LF line endings: " +
			"it arrived with CRLF, so something converted the line endings on the way", bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))}}
	}
	if bytes.Contains(body, []byte("\n")) {
		return []bodyVariant{{FindCRLF, "the signature matches the body with CRLF line endings: " +
			"it arrived with LF, so something converted the line endings on the way", bytes.ReplaceAll(body, []byte("\n"), []byte("\r\n"))}}
	}
	return nil
}

// formVariants re-encode a form body the ways relays and frameworks do.
func (d *doctor) formVariants(body []byte) []bodyVariant {
	mt, _, _ := mime.ParseMediaType(d.req.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return nil
	}
	msg := func(what string) string {
		return "the signature matches the form body " + what + ": the form was re-encoded on the way " +
			"(spaces as %20 vs +, or parameter order); verify the raw bytes before any form parsing"
	}
	s := string(body)
	out := []bodyVariant{
		{FindFormReencoded, msg("with %20 where + arrived"), []byte(strings.ReplaceAll(s, "+", "%20"))},
		{FindFormReencoded, msg("with + where %20 arrived"), []byte(strings.ReplaceAll(s, "%20", "+"))},
	}
	pairs := strings.Split(s, "&")
	slices.Sort(pairs)
	out = append(out, bodyVariant{FindFormReencoded, msg("with its parameters in another order"), []byte(strings.Join(pairs, "&"))})
	if form, err := url.ParseQuery(s); err == nil {
		enc := form.Encode()
		out = append(out,
			bodyVariant{FindFormReencoded, msg("re-encoded in canonical form"), []byte(enc)},
			bodyVariant{FindFormReencoded, msg("re-encoded with %20 for spaces"), []byte(strings.ReplaceAll(enc, "+", "%20"))})
	}
	return out
}

func reserialized(what string) string {
	return "the signature matches this body as " + what + ": the provider signed that serialisation and something " +
		"between it and hooktap (a relay, proxy or framework) parsed and re-encoded the JSON; verify the raw bytes the provider sent"
}
