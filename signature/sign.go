package signature

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Errors Sign returns, wrapped with the detail a user needs.
var (
	ErrUnknownScheme = errors.New("unknown signature scheme")
	ErrNoSecret      = errors.New("no secret to sign with")
	ErrBadSecret     = errors.New("the secret cannot be used for this scheme")
)

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// SignInput describes a delivery to sign.
type SignInput struct {
	Method string
	URL    string
	// Header holds the request's existing headers (read-only: Content-Type for twilio, svix-*
	// presence for standard).
	Header http.Header
	Body   []byte
	// Secret signs; for discord it is the hex Ed25519 private key seed (64 hex chars).
	Secret string
	// Timestamp is the signing time; zero means now.
	Timestamp time.Time
	// ID is the Standard Webhooks message id; "" generates "msg_…".
	ID string
	// SignatureHeader and TimestampHeader override header names for hmac, timestamped and header.
	SignatureHeader, TimestampHeader string
}

// Sign returns the headers to Set on the request so it verifies under scheme. Linear's body
// timestamp (webhookTimestamp) lives in the body and is left as it is.
func Sign(scheme string, in SignInput) (http.Header, error) {
	if scheme == SchemeNone {
		return http.Header{}, nil
	}
	if !Known(scheme) {
		return nil, fmt.Errorf("%w %q (known: %v)", ErrUnknownScheme, scheme, schemeNames)
	}
	if in.Secret == "" {
		return nil, fmt.Errorf("%w: scheme %s needs the route's secret", ErrNoSecret, scheme)
	}
	now := in.Timestamp
	if now.IsZero() {
		now = time.Now()
	}
	switch scheme {
	case SchemeTwilio:
		return signTwilio(&in, now)
	case SchemeDiscord:
		return signDiscord(&in, now)
	case SchemeGitLab, SchemeHeader:
		h := http.Header{}
		name := headerName(in.SignatureHeader, tokenDefaults[scheme])
		if scheme == SchemeGitLab {
			name = hGitLabToken
		}
		h.Set(name, in.Secret)
		return h, nil
	}
	return signMAC(macSpecs[scheme], &in, now, keyAsScheme)
}

// signMAC computes an HMAC scheme's signature and lays it out in the scheme's headers; km lets
// tests reproduce senders that encode a whsec_ key the wrong way.
func signMAC(spec *macSpec, in *SignInput, now time.Time, km keyMode) (http.Header, error) {
	sh := sigHeader{alg: spec.alg, ts: strconv.FormatInt(now.Unix(), 10)}
	sh.header, sh.tsHeader = spec.headerNames(in.SignatureHeader, in.TimestampHeader)
	idHdr := hWebhookID
	if spec.name == SchemeStandard {
		sh.id = in.ID
		if sh.id == "" {
			sh.id = newMessageID()
		}
		if len(in.Header.Values(hSvixID)) > 0 || len(in.Header.Values(hSvixSig)) > 0 {
			sh.header, sh.tsHeader, idHdr = hSvixSig, hSvixTS, hSvixID
		}
	}
	m := getMAC(spec.alg)
	defer putMAC(m)
	key, err := m.keyBytes(in.Secret, decodeKey(spec, km))
	if err != nil {
		return nil, fmt.Errorf("%w: a %s secret is whsec_ followed by base64 (%v)", ErrBadSecret, spec.name, err)
	}
	m.prefix = signedPrefix(spec.name, m.prefix[:0], &sh)
	sig := string(m.encode(spec.enc, m.mac(key, m.prefix, in.Body)))
	h := http.Header{}
	h.Set(sh.header, formatSignature(spec.name, &sh, sig))
	if sh.tsHeader != "" {
		h.Set(sh.tsHeader, sh.ts)
	}
	switch spec.name {
	case SchemeStandard:
		h.Set(idHdr, sh.id)
	case SchemeGitHub:
		h.Set(hHubSignature, "sha1="+githubSHA1(key, in.Body))
	}
	return h, nil
}

func githubSHA1(key, body []byte) string {
	m := getMAC(algSHA1)
	defer putMAC(m)
	return string(m.encode(encHex, m.mac(key, nil, body)))
}

// formatSignature writes sig in the scheme's header syntax.
func formatSignature(scheme string, sh *sigHeader, sig string) string {
	if scheme == SchemeGitHub && sh.alg == algSHA1 {
		return "sha1=" + sig
	}
	switch scheme {
	case SchemeGitHub, SchemeBitbucket, SchemeTimestamped:
		return "sha256=" + sig
	case SchemeStripe:
		return "t=" + sh.ts + ",v1=" + sig
	case SchemeSlack, SchemeZoom:
		return "v0=" + sig
	case SchemePaddle:
		return "ts=" + sh.ts + ";h1=" + sig
	case SchemeStandard:
		return "v1," + sig
	}
	return sig
}

// newMessageID makes a Standard Webhooks id in the msg_ style providers use.
func newMessageID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "msg_" + hex.EncodeToString(b[:])
}
