package admin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hooktap/hooktap/capture"
)

// The JSON shapes of ngrok's local agent API (http://127.0.0.1:4040/api), so scripts written for
// the ngrok agent can read hooktap's public URL and captures unchanged.

// CompatTunnelName is the name hooktap's one tunnel has in the ngrok-shaped API.
const CompatTunnelName = "hooktap"

// CompatTunnelList is the answer to GET /api/tunnels.
type CompatTunnelList struct {
	Tunnels []CompatTunnel `json:"tunnels"`
	URI     string         `json:"uri"`
}

// CompatTunnel is one tunnel in ngrok's shape.
type CompatTunnel struct {
	Name      string              `json:"name"`
	ID        string              `json:"ID"`
	URI       string              `json:"uri"`
	PublicURL string              `json:"public_url"`
	Proto     string              `json:"proto"`
	Config    CompatTunnelConfig  `json:"config"`
	Metrics   CompatTunnelMetrics `json:"metrics"`
}

// CompatTunnelConfig says where the tunnel forwards to.
type CompatTunnelConfig struct {
	Addr    string `json:"addr"`
	Inspect bool   `json:"inspect"`
}

// CompatTunnelMetrics holds ngrok's connection and HTTP counters; hooktap reports the counts.
type CompatTunnelMetrics struct {
	Conns CompatMetric `json:"conns"`
	HTTP  CompatMetric `json:"http"`
}

// CompatMetric is one ngrok counter with its rates and latency percentiles.
type CompatMetric struct {
	Count  int64   `json:"count"`
	Gauge  int64   `json:"gauge"`
	Rate1  float64 `json:"rate1"`
	Rate5  float64 `json:"rate5"`
	Rate15 float64 `json:"rate15"`
	P50    float64 `json:"p50"`
	P90    float64 `json:"p90"`
	P95    float64 `json:"p95"`
	P99    float64 `json:"p99"`
}

// CompatRequestList is the answer to GET /api/requests/http.
type CompatRequestList struct {
	URI      string          `json:"uri"`
	Requests []CompatRequest `json:"requests"`
}

// CompatRequest is one captured exchange in ngrok's shape.
type CompatRequest struct {
	URI        string              `json:"uri"`
	ID         string              `json:"id"`
	TunnelName string              `json:"tunnel_name"`
	RemoteAddr string              `json:"remote_addr"`
	Start      string              `json:"start"`
	Duration   int64               `json:"duration"`
	Request    CompatHTTPRequest   `json:"request"`
	Response   *CompatHTTPResponse `json:"response,omitempty"`
}

// CompatHTTPRequest is the request half; Raw is the exact request bytes (base64 in JSON).
type CompatHTTPRequest struct {
	Method  string              `json:"method"`
	Proto   string              `json:"proto"`
	Headers map[string][]string `json:"headers"`
	URI     string              `json:"uri"`
	Raw     []byte              `json:"raw"`
}

// CompatHTTPResponse is the response half; Raw is the response as HTTP/1.1 bytes (base64 in JSON).
type CompatHTTPResponse struct {
	Status     string              `json:"status"`
	StatusCode int                 `json:"status_code"`
	Proto      string              `json:"proto"`
	Headers    map[string][]string `json:"headers"`
	Raw        []byte              `json:"raw"`
}

// compatTunnels describes the tunnel as ngrok's agent would: no entry until it is online
// (publicURL is "" until then).
func compatTunnels(publicURL, localAddr string) CompatTunnelList {
	list := CompatTunnelList{Tunnels: []CompatTunnel{}, URI: "/api/tunnels"}
	if publicURL == "" {
		return list
	}
	proto := "https"
	if u, err := url.Parse(publicURL); err == nil && u.Scheme != "" {
		proto = u.Scheme
	}
	sum := sha256.Sum256([]byte(publicURL))
	list.Tunnels = append(list.Tunnels, CompatTunnel{
		Name:      CompatTunnelName,
		ID:        hex.EncodeToString(sum[:16]),
		URI:       "/api/tunnels/" + CompatTunnelName,
		PublicURL: publicURL,
		Proto:     proto,
		Config:    CompatTunnelConfig{Addr: "http://" + localAddr, Inspect: true},
	})
	return list
}

// compatRequest converts a capture as o shows it (credentials masked unless revealed, in the
// headers, the URI and the raw bytes alike); the tunnel name is hooktap's for tunnel traffic and
// the capture's source (local, replay, craft) otherwise, so ?tunnel_name= can tell them apart.
func compatRequest(c *capture.Capture, o capture.JSONOptions) CompatRequest {
	raw := capture.ExportRaw(c, o)
	if !o.Reveal {
		c = c.Masked(o.SecretHeaders)
	}
	name := CompatTunnelName
	if c.Source != capture.SourceTunnel && c.Source != "" {
		name = string(c.Source)
	}
	uri := c.Path
	if c.Query != "" {
		uri += "?" + c.Query
	}
	r := CompatRequest{
		URI:        "/api/requests/http/" + c.ID,
		ID:         c.ID,
		TunnelName: name,
		RemoteAddr: peerHost(c.Peer),
		Start:      c.ReceivedAt.Format("2006-01-02T15:04:05.999999999Z07:00"),
		Duration:   c.Latency.Nanoseconds(),
		Request: CompatHTTPRequest{
			Method: c.Method, Proto: "HTTP/1.1", Headers: headerMap(c.Headers), URI: uri, Raw: raw,
		},
	}
	if c.Status != 0 {
		r.Response = compatResponse(c.Status, c.ResponseBody)
	}
	return r
}

// compatResponse rebuilds the response: hooktap keeps its status and body, so the headers are
// the two that follow from them.
func compatResponse(status int, body []byte) *CompatHTTPResponse {
	line := strings.TrimSpace(fmt.Sprintf("%d %s", status, http.StatusText(status)))
	headers := map[string][]string{"Content-Length": {strconv.Itoa(len(body))}}
	if len(body) > 0 {
		ctype := http.DetectContentType(body)
		if json.Valid(body) {
			ctype = "application/json"
		}
		headers["Content-Type"] = []string{ctype}
	}
	var raw strings.Builder
	raw.WriteString("HTTP/1.1 " + line + "\r\n")
	for _, name := range []string{"Content-Type", "Content-Length"} {
		if v, ok := headers[name]; ok {
			raw.WriteString(name + ": " + v[0] + "\r\n")
		}
	}
	raw.WriteString("\r\n")
	raw.Write(body)
	return &CompatHTTPResponse{Status: line, StatusCode: status, Proto: "HTTP/1.1", Headers: headers, Raw: []byte(raw.String())}
}

// headerMap groups repeated headers under their canonical name, keeping their order.
func headerMap(hs []capture.Header) map[string][]string {
	m := make(map[string][]string, len(hs))
	for _, h := range hs {
		k := http.CanonicalHeaderKey(h.Name)
		m[k] = append(m[k], h.Value)
	}
	return m
}

// peerHost is the address part of a capture's peer ("203.0.113.7:51000" → "203.0.113.7").
func peerHost(peer string) string {
	if host, _, err := net.SplitHostPort(peer); err == nil {
		return host
	}
	return peer
}
