package signature

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Scheme names accepted in a route's `verify:` key.
const (
	SchemeGitHub      = "github"
	SchemeGitLab      = "gitlab"
	SchemeStripe      = "stripe"
	SchemeSlack       = "slack"
	SchemeShopify     = "shopify"
	SchemeStandard    = "standard"
	SchemeTwilio      = "twilio"
	SchemeDiscord     = "discord"
	SchemePaddle      = "paddle"
	SchemeLinear      = "linear"
	SchemeBitbucket   = "bitbucket"
	SchemeZoom        = "zoom"
	SchemeHMAC        = "hmac"
	SchemeTimestamped = "timestamped"
	SchemeHeader      = "header"
	SchemeNone        = "none"
)

// Canonical header names (http.Header keys as a Go server stores them).
const (
	hGitHub256     = "X-Hub-Signature-256"
	hHubSignature  = "X-Hub-Signature"
	hGitHubEvent   = "X-Github-Event"
	hBitbucketKey  = "X-Event-Key"
	hGitLabToken   = "X-Gitlab-Token"
	hStripe        = "Stripe-Signature"
	hSlackSig      = "X-Slack-Signature"
	hSlackTS       = "X-Slack-Request-Timestamp"
	hShopify       = "X-Shopify-Hmac-Sha256"
	hWebhookID     = "Webhook-Id"
	hWebhookTS     = "Webhook-Timestamp"
	hWebhookSig    = "Webhook-Signature"
	hSvixID        = "Svix-Id"
	hSvixTS        = "Svix-Timestamp"
	hSvixSig       = "Svix-Signature"
	hTwilio        = "X-Twilio-Signature"
	hDiscordSig    = "X-Signature-Ed25519"
	hDiscordTS     = "X-Signature-Timestamp"
	hPaddle        = "Paddle-Signature"
	hLinear        = "Linear-Signature"
	hZoomSig       = "X-Zm-Signature"
	hZoomTS        = "X-Zm-Request-Timestamp"
	hGenericSig    = "X-Webhook-Signature"
	hGenericTS     = "X-Webhook-Timestamp"
	hHooktapSig    = "X-Hooktap-Signature"
	hHooktapTS     = "X-Hooktap-Timestamp"
	hGenericSecret = "X-Webhook-Secret"
)

// tsPolicy says which side of the clock a scheme's timestamp check rejects.
type tsPolicy int

const (
	tsNone    tsPolicy = iota
	tsBoth             // too old or too far in the future
	tsOldOnly          // only too old (the provider's SDK ignores future timestamps)
)

// macSpec describes an HMAC scheme; the per-scheme parts (header parsing, signed prefix,
// header formatting) are switch statements on name so calls stay static and allocation-free.
type macSpec struct {
	name   string
	alg    algo
	enc    encoding
	whsec  bool // key is the base64-decoded whsec_ secret
	ts     tsPolicy
	tol    time.Duration // default tolerance when Params.Tolerance is zero
	sigHdr string
	tsHdr  string
}

var macSpecs = map[string]*macSpec{
	SchemeGitHub:      {name: SchemeGitHub, enc: encHex, sigHdr: hGitHub256},
	SchemeBitbucket:   {name: SchemeBitbucket, enc: encHex, sigHdr: hHubSignature},
	SchemeShopify:     {name: SchemeShopify, enc: encBase64, sigHdr: hShopify},
	SchemeLinear:      {name: SchemeLinear, enc: encHex, ts: tsBoth, tol: 60 * time.Second, sigHdr: hLinear},
	SchemeHMAC:        {name: SchemeHMAC, enc: encHexAnyCase, sigHdr: hGenericSig},
	SchemeStripe:      {name: SchemeStripe, enc: encHex, ts: tsOldOnly, sigHdr: hStripe},
	SchemeSlack:       {name: SchemeSlack, enc: encHex, ts: tsBoth, sigHdr: hSlackSig, tsHdr: hSlackTS},
	SchemeZoom:        {name: SchemeZoom, enc: encHex, ts: tsBoth, sigHdr: hZoomSig, tsHdr: hZoomTS},
	SchemePaddle:      {name: SchemePaddle, enc: encHex, ts: tsOldOnly, sigHdr: hPaddle},
	SchemeStandard:    {name: SchemeStandard, enc: encBase64, whsec: true, ts: tsBoth, sigHdr: hWebhookSig, tsHdr: hWebhookTS},
	SchemeTimestamped: {name: SchemeTimestamped, enc: encHex, ts: tsBoth, sigHdr: hGenericSig, tsHdr: hGenericTS},
}

// tokenDefaults maps the plain-token schemes to their default header.
var tokenDefaults = map[string]string{SchemeGitLab: hGitLabToken, SchemeHeader: hGenericSecret}

var schemeNames = func() []string {
	names := []string{SchemeTwilio, SchemeDiscord, SchemeNone}
	for n := range macSpecs {
		names = append(names, n)
	}
	for n := range tokenDefaults {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}()

// Schemes returns every scheme name, sorted.
func Schemes() []string { return slices.Clone(schemeNames) }

// Known reports whether scheme names a scheme hooktap implements.
func Known(scheme string) bool {
	_, ok := slices.BinarySearch(schemeNames, scheme)
	return ok
}

// detectOrder pairs a header with the scheme it signals; the first present wins.
var detectOrder = []struct{ header, scheme string }{
	{hGitHub256, SchemeGitHub},
	{hStripe, SchemeStripe},
	{hSlackSig, SchemeSlack},
	{hShopify, SchemeShopify},
	{hWebhookSig, SchemeStandard},
	{hSvixSig, SchemeStandard},
	{hTwilio, SchemeTwilio},
	{hDiscordSig, SchemeDiscord},
	{hPaddle, SchemePaddle},
	{hLinear, SchemeLinear},
	{hZoomSig, SchemeZoom},
	{hGitLabToken, SchemeGitLab},
	{hHubSignature, ""}, // github legacy or bitbucket: decided below
	{hHooktapSig, SchemeTimestamped},
	{hGenericSig, ""}, // hmac or timestamped: decided below
	{hGenericSecret, SchemeHeader},
}

// detectHeaders is the list named in the detail when nothing is detected.
var detectHeaders = func() string {
	names := make([]string, len(detectOrder))
	for i, d := range detectOrder {
		names[i] = d.header
	}
	return strings.Join(names, ", ")
}()

// Detect names the scheme the request's headers signal, or "" when none match.
func Detect(h http.Header) string {
	for _, d := range detectOrder {
		if len(headerValues(h, d.header)) == 0 {
			continue
		}
		switch d.header {
		case hHubSignature:
			return detectHub(h)
		case hGenericSig:
			if len(headerValues(h, hGenericTS)) > 0 {
				return SchemeTimestamped
			}
			return SchemeHMAC
		}
		return d.scheme
	}
	return ""
}

// detectHub separates Bitbucket (sha256 in X-Hub-Signature, X-Event-Key) from GitHub's legacy sha1.
func detectHub(h http.Header) string {
	if len(headerValues(h, hGitHubEvent)) > 0 {
		return SchemeGitHub
	}
	v := headerValues(h, hHubSignature)[0]
	if len(headerValues(h, hBitbucketKey)) > 0 || strings.HasPrefix(v, "sha256=") {
		return SchemeBitbucket
	}
	return SchemeGitHub
}

// headerValues returns the values of a canonical header name. A Go server canonicalises every
// key (so `shopify-hmac-sha256` arrives as X-Shopify-Hmac-Sha256); build headers with Set/Add.
func headerValues(h http.Header, canonical string) []string { return h[canonical] }

// SignatureHeaders lists the header names a scheme's signature occupies (replay strips/re-signs them).
func SignatureHeaders(scheme string, p Params) []string {
	switch scheme {
	case SchemeGitHub:
		return []string{hGitHub256, hHubSignature}
	case SchemeStandard:
		return []string{hWebhookID, hWebhookTS, hWebhookSig, hSvixID, hSvixTS, hSvixSig}
	case SchemeTwilio:
		return []string{hTwilio}
	case SchemeDiscord:
		return []string{hDiscordSig, hDiscordTS}
	}
	if def, ok := tokenDefaults[scheme]; ok {
		return []string{headerName(p.SignatureHeader, def)}
	}
	spec, ok := macSpecs[scheme]
	if !ok {
		return nil
	}
	sig, ts := spec.headerNames(p.SignatureHeader, p.TimestampHeader)
	if ts == "" {
		return []string{sig}
	}
	return []string{sig, ts}
}

// headerNames resolves a scheme's header names; only hmac and timestamped accept overrides.
func (s *macSpec) headerNames(sigOverride, tsOverride string) (sig, ts string) {
	if s.name != SchemeHMAC && s.name != SchemeTimestamped {
		return s.sigHdr, s.tsHdr
	}
	return headerName(sigOverride, s.sigHdr), headerName(tsOverride, s.tsHdr)
}

// headerName canonicalises an override, or returns def when there is none.
func headerName(override, def string) string {
	if override == "" {
		return def
	}
	return http.CanonicalHeaderKey(override)
}
