// Command bare is the load harness's baseline: a plain net/http server that checks a GitHub
// X-Hub-Signature-256 HMAC over the body and answers 200, nothing else. hooktap's gateway is
// measured against it, so it does the least work a correct GitHub receiver can do.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// maxBody matches hooktap's default max_body_bytes so both servers read the same way.
const maxBody = 1 << 20

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	flag.Parse()
	secret := os.Getenv("BARE_SECRET")
	if secret == "" {
		log.Fatal("bare: set BARE_SECRET to the webhook secret")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("bare: listen %s: %v", *addr, err)
	}
	// The harness parses this line to find the port.
	fmt.Fprintf(os.Stderr, "bare listening addr=http://%s\n", ln.Addr())
	srv := &http.Server{Handler: handler([]byte(secret)), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("bare: %v", err)
	}
}

// handler answers 200 to a POST whose X-Hub-Signature-256 matches the body, 401 otherwise. On
// /webhooks/github-prompt it also renders "push to {ref}" the way a plain Go receiver would
// (encoding/json into a struct) and answers it as the body, so the harness's template route has
// a baseline doing the same work; a body without a string "ref" is 400.
func handler(secret []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		if !validSignature(secret, body, r.Header.Get("X-Hub-Signature-256")) {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/webhooks/github-prompt" {
			var push struct {
				Ref string `json:"ref"`
			}
			if err := json.Unmarshal(body, &push); err != nil {
				http.Error(w, "body is not a push", http.StatusBadRequest)
				return
			}
			_, _ = io.WriteString(w, "push to "+push.Ref)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

func validSignature(secret, body []byte, header string) bool {
	got, err := hex.DecodeString(strings.TrimPrefix(header, "sha256="))
	if err != nil || !strings.HasPrefix(header, "sha256=") {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}
