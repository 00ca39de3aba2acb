package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandlerChecksTheSignature(t *testing.T) {
	const body = "Hello, World!"
	// GitHub's documented example signature for this body and secret.
	const good = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	tests := []struct {
		name, sig string
		want      int
	}{
		{"valid", good, http.StatusOK},
		{"one digit off", good[:len(good)-1] + "f", http.StatusUnauthorized},
		{"missing", "", http.StatusUnauthorized},
		{"no prefix", strings.TrimPrefix(good, "sha256="), http.StatusUnauthorized},
		{"not hex", "sha256=zz", http.StatusUnauthorized},
	}
	h := handler([]byte("It's a Secret to Everybody"))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/webhooks/github", strings.NewReader(body))
			if tt.sig != "" {
				req.Header.Set("X-Hub-Signature-256", tt.sig)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("status %d, want %d", rec.Code, tt.want)
			}
		})
	}
}

func TestHandlerRefusesOversizedBody(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("a", maxBody+1)))
	rec := httptest.NewRecorder()
	handler([]byte("s")).ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("status %d, want 400", rec.Code)
	}
}

func TestPromptRouteRendersTheRef(t *testing.T) {
	const body = `{"ref":"refs/heads/main","after":"abc"}`
	h := handler([]byte("s"))
	for _, tc := range []struct{ body, want string }{{body, "push to refs/heads/main"}, {"not json", ""}} {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/github-prompt", strings.NewReader(tc.body))
		req.Header.Set("X-Hub-Signature-256", sign("s", tc.body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if tc.want != "" && (rec.Code != http.StatusOK || rec.Body.String() != tc.want) {
			t.Errorf("%q: %d %q, want 200 %q", tc.body, rec.Code, rec.Body, tc.want)
		}
		if tc.want == "" && rec.Code != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400", tc.body, rec.Code)
		}
	}
}

func sign(secret, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
