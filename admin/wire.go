package admin

import (
	"unicode/utf8"

	"github.com/hooktap/hooktap/capture"
)

// CaptureAnswer is a capture as the admin API answers it: the JSON form of docs/store.md plus
// what an attached inspector shows that the export form leaves out (the stored body's size when
// the body is not sent, the gateway's answer headers, the route template's output, the
// doctor's signed string and signatures), and the exact bytes of headers and the answer when
// they are not UTF-8, which a JSON string cannot carry. Everything is masked by the same rule as
// the JSON form unless revealed.
type CaptureAnswer struct {
	capture.CaptureJSON
	BodySize        int         `json:"body_size"`
	ResponseHeaders [][2]string `json:"response_headers,omitempty"`
	Rendered        string      `json:"rendered,omitempty"`
	SignedString    string      `json:"signed_string,omitempty"`
	Expected        string      `json:"expected,omitempty"`
	Received        string      `json:"received,omitempty"`
	// ResponseBodyBase64 is the answer's body when it is not UTF-8 (response_body then is not exact).
	ResponseBodyBase64 []byte `json:"response_body_base64,omitempty"`
	// HeadersBase64 are the request headers, name and value in base64, when one is not UTF-8.
	HeadersBase64 [][2][]byte `json:"headers_base64,omitempty"`
}

// answer renders c for an answer with o.
func answer(c *capture.Capture, o capture.JSONOptions) CaptureAnswer {
	shown := o.Shown(c)
	a := CaptureAnswer{CaptureJSON: c.JSON(o), BodySize: c.BodySize, Rendered: c.Rendered,
		SignedString: shown.Verification.SignedString, Expected: shown.Verification.Expected,
		Received: shown.Verification.Received}
	if a.BodySize == 0 {
		a.BodySize = len(c.Body)
	}
	hs := c.ResponseHeaders
	if !o.Reveal {
		hs = capture.MaskHeaders(hs, o.SecretHeaders)
	}
	for _, h := range hs {
		a.ResponseHeaders = append(a.ResponseHeaders, [2]string{h.Name, h.Value})
	}
	if !utf8.Valid(c.ResponseBody) {
		a.ResponseBodyBase64 = c.ResponseBody
	}
	for _, h := range shown.Headers {
		if !utf8.ValidString(h.Name) || !utf8.ValidString(h.Value) {
			a.HeadersBase64 = make([][2][]byte, len(shown.Headers))
			for i, h := range shown.Headers {
				a.HeadersBase64[i] = [2][]byte{[]byte(h.Name), []byte(h.Value)}
			}
			break
		}
	}
	return a
}

// Capture turns an answer back into a capture (what package remote reads).
func (a CaptureAnswer) Capture() (*capture.Capture, error) {
	c, err := capture.FromJSON(a.CaptureJSON)
	if err != nil {
		return nil, err
	}
	c.BodySize, c.Rendered, c.Outbox = a.BodySize, a.Rendered, a.Outbox
	c.Verification.SignedString, c.Verification.Expected, c.Verification.Received = a.SignedString, a.Expected, a.Received
	for _, h := range a.ResponseHeaders {
		c.ResponseHeaders = append(c.ResponseHeaders, capture.Header{Name: h[0], Value: h[1]})
	}
	if a.ResponseBodyBase64 != nil {
		c.ResponseBody = a.ResponseBodyBase64
	}
	if a.HeadersBase64 != nil {
		c.Headers = make([]capture.Header, len(a.HeadersBase64))
		for i, h := range a.HeadersBase64 {
			c.Headers[i] = capture.Header{Name: string(h[0]), Value: string(h[1])}
		}
	}
	return c, nil
}
