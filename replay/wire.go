package replay

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// wireRequest is a request whose headers go out exactly in this order and spelling.
type wireRequest struct {
	Method  string
	URL     string
	Headers []capture.Header
	Body    []byte
}

// wireResponse is what the target answered.
type wireResponse struct {
	Status int
	Body   []byte
}

// maxResponseBody bounds how much of a target's answer is kept.
const maxResponseBody = 1 << 20

// sendWire writes the request on its own connection. net/http sorts header keys and
// canonicalises their spelling, which would make a replay differ from the capture; writing the
// request ourselves keeps order, case and repeats.
func sendWire(ctx context.Context, req wireRequest, timeout time.Duration, tlsConf *tls.Config) (*wireResponse, error) {
	if err := CheckURL(req.URL); err != nil {
		return nil, err
	}
	u, _ := url.Parse(req.URL)
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	conn, err := dialTarget(ctx, u, tlsConf)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	// The request is written while the answer is read: a server may refuse a large body early
	// (413) and close the connection before it has read it all; that answer is what counts.
	written := make(chan error, 1)
	go func() {
		_, err := conn.Write(encodeRequest(req, u))
		written <- err
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: req.Method})
	if err != nil {
		if werr := <-written; werr != nil {
			return nil, ctxErr(ctx, fmt.Errorf("send to %s: %w", u.Host, werr))
		}
		return nil, ctxErr(ctx, fmt.Errorf("read answer from %s: %w", u.Host, err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	if err != nil {
		return nil, ctxErr(ctx, fmt.Errorf("read answer from %s: %w", u.Host, err))
	}
	return &wireResponse{Status: resp.StatusCode, Body: body}, nil
}

// ctxErr names a timeout as one, rather than as the closed connection it caused.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Errorf("timed out: %w", err)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func dialTarget(ctx context.Context, u *url.URL, tlsConf *tls.Config) (net.Conn, error) {
	addr := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		addr = net.JoinHostPort(u.Hostname(), port)
	}
	var d net.Dialer
	if u.Scheme == "http" {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, ctxErr(ctx, fmt.Errorf("connect to %s: %w", addr, err))
		}
		return conn, nil
	}
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if tlsConf != nil {
		conf = tlsConf.Clone()
	}
	if conf.ServerName == "" {
		conf.ServerName = u.Hostname()
	}
	td := tls.Dialer{NetDialer: &d, Config: conf}
	conn, err := td.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, ctxErr(ctx, fmt.Errorf("connect to %s: %w", addr, err))
	}
	return conn, nil
}

// encodeRequest renders the HTTP/1.1 request: the given headers in order, then Host,
// Content-Length and Connection: close for this one-shot connection.
func encodeRequest(req wireRequest, u *url.URL) []byte {
	var b bytes.Buffer
	b.WriteString(req.Method + " " + u.RequestURI() + " HTTP/1.1\r\n")
	b.WriteString("Host: " + u.Host + "\r\n")
	for _, h := range req.Headers {
		b.WriteString(cleanHeader(h.Name) + ": " + cleanHeader(h.Value) + "\r\n")
	}
	b.WriteString("Content-Length: " + strconv.Itoa(len(req.Body)) + "\r\n")
	b.WriteString("Connection: close\r\n\r\n")
	b.Write(req.Body)
	return b.Bytes()
}

// cleanHeader drops CR and LF so an edited or stored header can never split the request.
func cleanHeader(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r", "", "\n", " ").Replace(s)
}
