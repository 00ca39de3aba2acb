package capture

import (
	"net/http"

	"github.com/hooktap/hooktap/signature"
)

// SignatureRequest is the capture as a verifier sees it: its method, headers and exact body,
// and the URL it was sent to — baseURL (the gateway's, "http://127.0.0.1:8644") followed by the
// captured path and query, which Twilio's scheme signs.
func (c *Capture) SignatureRequest(baseURL string) signature.Request {
	req := signature.Request{Method: c.Method, Header: make(http.Header, len(c.Headers)), Body: c.Body}
	for _, h := range c.Headers {
		req.Header.Add(h.Name, h.Value)
	}
	req.URL = baseURL + c.Path
	if c.Query != "" {
		req.URL += "?" + c.Query
	}
	return req
}
