package capture

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// harVersion is the HAR format written by ExportHAR.
const harVersion = "1.2"

type harFile struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string     `json:"version"`
	Creator harCreator `json:"creator"`
	Entries []harEntry `json:"entries"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harEntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	Comment         string      `json:"comment,omitempty"`
}

type harNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harRequest struct {
	Method      string         `json:"method"`
	URL         string         `json:"url"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []harNameValue `json:"cookies"`
	Headers     []harNameValue `json:"headers"`
	QueryString []harNameValue `json:"queryString"`
	PostData    *harPostData   `json:"postData,omitempty"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

type harPostData struct {
	MimeType string         `json:"mimeType"`
	Params   []harNameValue `json:"params"`
	Text     string         `json:"text"`
	Encoding string         `json:"encoding,omitempty"`
}

type harResponse struct {
	Status      int            `json:"status"`
	StatusText  string         `json:"statusText"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []harNameValue `json:"cookies"`
	Headers     []harNameValue `json:"headers"`
	Content     harContent     `json:"content"`
	RedirectURL string         `json:"redirectURL"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
	Encoding string `json:"encoding,omitempty"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// ExportHAR returns cs as a HAR 1.2 document; bodies that are not UTF-8 text are base64 encoded.
// Credentials are masked unless o.Reveal.
func ExportHAR(cs []*Capture, o JSONOptions) ([]byte, error) {
	doc := harFile{Log: harLog{Version: harVersion, Creator: harCreator{Name: "hooktap", Version: "1"},
		Entries: make([]harEntry, 0, len(cs))}}
	for _, c := range cs {
		doc.Log.Entries = append(doc.Log.Entries, harEntryFor(c, o))
	}
	return json.MarshalIndent(doc, "", "  ")
}

func harEntryFor(c *Capture, o JSONOptions) harEntry {
	c = o.Shown(c)
	headers := c.Headers
	wait := toMS(c.Latency)
	e := harEntry{
		StartedDateTime: c.ReceivedAt.UTC().Format(time.RFC3339Nano),
		Time:            wait,
		Request: harRequest{
			Method: c.Method, URL: harURL(c), HTTPVersion: "HTTP/1.1",
			Cookies: []harNameValue{}, Headers: harHeaders(headers), QueryString: harQuery(c.Query),
			HeadersSize: -1, BodySize: len(c.Body),
		},
		Response: harResponse{
			Status: c.Status, StatusText: http.StatusText(c.Status), HTTPVersion: "HTTP/1.1",
			Cookies: []harNameValue{}, Headers: []harNameValue{}, HeadersSize: -1,
			BodySize: len(c.ResponseBody), Content: harContentFor(c.ResponseBody),
		},
		Timings: harTimings{Send: 0, Wait: wait, Receive: 0},
		Comment: "hooktap capture " + c.ID,
	}
	if len(c.Body) > 0 {
		text, encoding := harText(c.Body)
		e.Request.PostData = &harPostData{MimeType: c.ContentType, Params: []harNameValue{},
			Text: text, Encoding: encoding}
	}
	return e
}

// harURL rebuilds the absolute URL from the Host header the request arrived with.
func harURL(c *Capture) string {
	host := c.HeaderValue("Host")
	if host == "" {
		host = "localhost"
	}
	return requestURL("http://"+host, c)
}

func harHeaders(hs []Header) []harNameValue {
	out := make([]harNameValue, len(hs))
	for i, h := range hs {
		out[i] = harNameValue(h)
	}
	return out
}

// harQuery keeps the pairs in their original order (url.ParseQuery would sort them into a map).
func harQuery(raw string) []harNameValue {
	out := []harNameValue{}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		out = append(out, harNameValue{Name: name, Value: value})
	}
	return out
}

func harContentFor(body []byte) harContent {
	text, encoding := harText(body)
	return harContent{Size: len(body), MimeType: http.DetectContentType(body), Text: text, Encoding: encoding}
}

func harText(b []byte) (string, string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}
