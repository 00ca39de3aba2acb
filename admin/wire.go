package admin

import (
	"github.com/hooktap/hooktap/capture"
)

// CaptureAnswer is a capture as the admin API answers it: the JSON form of docs/store.md plus
// what an attached inspector shows that the export form leaves out (the stored body's size when
// the body is not sent, the gateway's answer headers, the route template's output). Response
// headers are masked by the same rule as request headers unless revealed.
type CaptureAnswer struct {
	capture.CaptureJSON
	BodySize        int         `json:"body_size"`
	ResponseHeaders [][2]string `json:"response_headers,omitempty"`
	Rendered        string      `json:"rendered,omitempty"`
}

// answer renders c for an answer with o.
func answer(c *capture.Capture, o capture.JSONOptions) CaptureAnswer {
	a := CaptureAnswer{CaptureJSON: c.JSON(o), BodySize: c.BodySize, Rendered: c.Rendered}
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
	return a
}

// Capture turns an answer back into a capture (what package remote reads).
func (a CaptureAnswer) Capture() (*capture.Capture, error) {
	c, err := capture.FromJSON(a.CaptureJSON)
	if err != nil {
		return nil, err
	}
	c.BodySize, c.Rendered, c.Outbox = a.BodySize, a.Rendered, a.Outbox
	for _, h := range a.ResponseHeaders {
		c.ResponseHeaders = append(c.ResponseHeaders, capture.Header{Name: h[0], Value: h[1]})
	}
	return c, nil
}
