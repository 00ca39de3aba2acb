package gateway

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// The gateway's fixed answers (docs/pipeline.md lists each), built once.
var (
	bodyHealth           = []byte(`{"status":"ok","platform":"webhook"}`)
	bodyNotFound         = []byte(`{"error":"not found"}`)
	bodyUnknownRoute     = []byte(`{"error":"unknown route"}`)
	bodyMethodNotAllowed = []byte(`{"error":"method not allowed"}`)
	bodyTooLarge         = []byte(`{"error":"body too large"}`)
	bodyIncomplete       = []byte(`{"error":"incomplete body"}`)
	bodyForbidden        = []byte(`{"error":"forbidden"}`)
	bodyRateLimited      = []byte(`{"error":"rate limit exceeded"}`)
	bodyIgnored          = []byte(`{"status":"ignored"}`)
	bodyDuplicate        = []byte(`{"status":"duplicate"}`)
	bodyTooManyRejected  = []byte(`{"error":"too many rejected requests from this address","hint":"fix the signature or route, then retry later"}`)
	bodyInFlight         = []byte(`{"error":"a delivery with this id is being processed","hint":"retry later"}`)
	bodyStoreDown        = []byte(`{"error":"capture store unavailable"}`)
	bodyStateDown        = []byte(`{"error":"shared gateway state unavailable","hint":"retry later"}`)
)

func invalidSignatureBody(reason signature.Reason) []byte {
	return []byte(`{"error":"invalid signature","reason":` + strconv.Quote(string(reason)) + `}`)
}

func acceptedBody(id string) []byte {
	return []byte(`{"status":"accepted","id":"` + id + `"}`)
}

func statusBody(status, id string) []byte {
	return []byte(`{"status":"` + status + `","id":"` + id + `"}`)
}

func deliveryFailedBody(id, detail string) []byte {
	b, _ := json.Marshal(map[string]string{"error": "delivery failed", "detail": detail, "id": id})
	return b
}

// unknownRouteBody hints at the inspect route in zero-config mode, where a wrong name is most
// likely a first try; with configured routes it says nothing about which routes exist.
func (s *Server) unknownRouteBody() []byte {
	if !s.cfg.ZeroConfig {
		return bodyUnknownRoute
	}
	b, _ := json.Marshal(map[string]string{"error": "unknown route",
		"hint": "send to /webhooks/inspect, or add routes to config.yaml (see `hooktap --help`)"})
	return b
}

// answerHeaders records the headers of the gateway's answer, sorted by name, for the inspector.
func answerHeaders(h http.Header) []capture.Header {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make([]capture.Header, 0, len(names))
	for _, name := range names {
		for _, v := range h[name] {
			out = append(out, capture.Header{Name: name, Value: v})
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
