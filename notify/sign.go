package notify

import (
	"fmt"
	"net/http"
	"time"

	"github.com/hooktap/hooktap/signature"
)

// Header names of hooktap's own outgoing signature (the timestamped scheme,
// docs/signatures.md).
const (
	SignatureHeader = "X-Hooktap-Signature"
	TimestampHeader = "X-Hooktap-Timestamp"
)

// signRequest adds the webhook's signature headers: the timestamped scheme with hooktap's
// header names, or Standard Webhooks (webhook-id is the message id, stable across retries, so
// receivers can deduplicate).
func signRequest(h http.Header, w Webhook, msgID string, body []byte, now time.Time) error {
	scheme := signature.SchemeTimestamped
	in := signature.SignInput{Method: http.MethodPost, URL: w.URL, Header: h, Body: body, Secret: w.Secret,
		Timestamp: now, SignatureHeader: SignatureHeader, TimestampHeader: TimestampHeader}
	if w.Signing == "standard" {
		scheme, in.ID = signature.SchemeStandard, msgID
		in.SignatureHeader, in.TimestampHeader = "", ""
	}
	signed, err := signature.Sign(scheme, in)
	if err != nil {
		return fmt.Errorf("sign with %s: %w", scheme, err)
	}
	for k, v := range signed {
		h[k] = v
	}
	return nil
}
