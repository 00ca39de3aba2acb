// Package mask owns hooktap's one rule for hiding credentials: which header names and query
// parameters carry one, and how a credential is shown. Every surface that prints a request (the
// TUI, the CLI, the admin API, the ngrok-compatible API, logs and every export) goes through it;
// the store itself keeps the exact bytes so replays still verify.
package mask

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Prefix replaces the hidden part of a credential.
const Prefix = "••••"

// minTailLen is the shortest value whose last 4 characters may be shown: below it, those
// characters would be too large a share of the secret.
const minTailLen = 16

// exactHeaders are credential headers whose names hold none of the credential words.
var exactHeaders = []string{"authorization", "proxy-authorization", "cookie", "set-cookie"}

// credentialWords mark a header or parameter name as a credential wherever they appear as a
// word of it (X-Gitlab-Token, X-Webhook-Secret, access_token, apiKey, X-Amz-Security-Token).
var credentialWords = map[string]bool{
	"token": true, "secret": true, "password": true, "passwd": true, "apikey": true,
	"credential": true, "credentials": true, "auth": true, "session": true, "sessionid": true,
}

// keyQualifiers make the word "key" a credential in a header name (X-Api-Key, X-Access-Key);
// alone it is not one there (Idempotency-Key is a delivery id).
var keyQualifiers = map[string]bool{"api": true, "access": true, "private": true, "secret": true, "client": true}

// paramWords are credential words only in a query string: there a signature or a key is a
// capability (a presigned URL works for whoever holds it), while a signature header only
// proves one body and stays visible for the signature doctor.
var paramWords = map[string]bool{"key": true, "signature": true, "sig": true}

// Value is how every surface shows a credential: Prefix plus the last 4 characters (not bytes)
// of a long value, so two secrets can be told apart, and Prefix alone for a short one.
func Value(v string) string {
	if utf8.RuneCountInString(v) < minTailLen {
		return Prefix
	}
	r := []rune(v)
	return Prefix + string(r[len(r)-4:])
}

// IsMasked reports whether v is a value Value produced, so an API client that sends a masked
// value back (a PUT of what a GET returned) keeps the stored secret instead of replacing it.
func IsMasked(v string) bool { return strings.HasPrefix(v, Prefix) }

// IsCredentialHeader reports whether header name (any case) carries a credential: a well-known
// one, a name with a credential word, or one of extra (a route's own token header).
func IsCredentialHeader(name string, extra []string) bool {
	lower := strings.ToLower(name)
	for _, n := range exactHeaders {
		if lower == n {
			return true
		}
	}
	for _, n := range extra {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	ws := words(name)
	for i, w := range ws {
		if credentialWords[w] || (w == "key" && i > 0 && keyQualifiers[ws[i-1]]) {
			return true
		}
	}
	return false
}

// IsCredentialParam reports whether a query parameter name carries a credential: the header
// rule's words plus key, signature and sig (?token=, ?key=, ?secret=, ?signature=,
// ?access_token=, ?X-Amz-Signature=).
func IsCredentialParam(name string) bool {
	for _, w := range words(name) {
		if credentialWords[w] || paramWords[w] {
			return true
		}
	}
	return false
}

// Header returns value as it may be shown under header name.
func Header(name, value string, extra []string) string {
	if IsCredentialHeader(name, extra) {
		return Value(value)
	}
	return value
}

// Query returns a raw query string with the value of every credential parameter masked. The
// rest is kept byte for byte (order, repeats, encoding), so what is shown is what was sent.
func Query(raw string) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	changed := false
	for i, p := range parts {
		name, value, ok := strings.Cut(p, "=")
		if !ok || value == "" {
			continue
		}
		if decoded, err := url.QueryUnescape(name); err == nil {
			name = decoded
		}
		if !IsCredentialParam(name) {
			continue
		}
		if decoded, err := url.QueryUnescape(value); err == nil {
			value = decoded
		}
		parts[i] = p[:strings.IndexByte(p, '=')+1] + Value(value)
		changed = true
	}
	if !changed {
		return raw
	}
	return strings.Join(parts, "&")
}

// URL returns rawURL with its credential query parameters masked, and the password of its user
// info (https://user:pass@host/); anything that is not a URL comes back as it is.
func URL(rawURL string) string {
	before, query, hasQuery := strings.Cut(rawURL, "?")
	before = maskUserinfo(before)
	if !hasQuery {
		return before
	}
	fragment := ""
	if q, f, ok := strings.Cut(query, "#"); ok {
		query, fragment = q, "#"+f
	}
	return before + "?" + Query(query) + fragment
}

// ConnString masks a database connection string in either form: a URL (as URL does) or
// libpq's key=value fields, whose credential fields (password=…) are masked like any value.
func ConnString(s string) string {
	if strings.Contains(s, "://") {
		return URL(s)
	}
	fields := strings.Fields(s)
	changed := false
	for i, f := range fields {
		name, value, ok := strings.Cut(f, "=")
		if ok && value != "" && IsCredentialParam(name) {
			fields[i] = name + "=" + Value(strings.Trim(value, "'"))
			changed = true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(fields, " ")
}

// maskUserinfo hides the password in "scheme://user:password@host/path".
func maskUserinfo(s string) string {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		return s
	}
	authority, _, _ := strings.Cut(rest, "/")
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return s
	}
	colon := strings.IndexByte(authority[:at], ':')
	if colon < 0 {
		return s
	}
	start := len(s) - len(rest) + colon + 1
	return s[:start] + Prefix + s[len(s)-len(rest)+at:]
}

// words splits a name into lower-case words at '-', '_', '.', '[', ']' and lower-to-upper case
// changes (X-Gitlab-Token, access_token, hub.verify_token, apiKey).
func words(name string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	prevLower := false
	for _, r := range name {
		switch {
		case r == '-' || r == '_' || r == '.' || r == '[' || r == ']' || unicode.IsSpace(r):
			flush()
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			flush()
		}
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		cur.WriteRune(unicode.ToLower(r))
	}
	flush()
	return out
}
