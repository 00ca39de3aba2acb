package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
)

// listCapturesIn are list_captures' filters, the same as `hooktap captures list`'s flags.
type listCapturesIn struct {
	Route    string `json:"route,omitempty" jsonschema:"only captures of this route"`
	Event    string `json:"event,omitempty" jsonschema:"only this event type (e.g. push, payment_intent.succeeded)"`
	Method   string `json:"method,omitempty" jsonschema:"only this request method"`
	Source   string `json:"source,omitempty" jsonschema:"only captures that arrived this way: local, tunnel, replay, craft or audit"`
	Verified *bool  `json:"verified,omitempty" jsonschema:"true: verified signatures only; false: failed verification only"`
	Status   int    `json:"status,omitempty" jsonschema:"only captures answered with this HTTP status"`
	Q        string `json:"q,omitempty" jsonschema:"text to find in path, query, headers or body"`
	Limit    int    `json:"limit,omitempty" jsonschema:"how many, newest first (1-1000, default 50)"`
	Before   string `json:"before,omitempty" jsonschema:"page: captures older than this id (the next value of the previous page)"`
}

// captureRow is one capture in a list: what tells it apart at a glance.
type captureRow struct {
	ID       string `json:"id"`
	ShortID  string `json:"short_id" jsonschema:"the short form the TUI and captures list show; any form is accepted as an id"`
	Time     string `json:"time" jsonschema:"when it was received, RFC 3339 UTC"`
	Method   string `json:"method"`
	Route    string `json:"route"`
	Event    string `json:"event"`
	Verdict  string `json:"verdict" jsonschema:"verified, failed or skipped"`
	Reason   string `json:"reason" jsonschema:"why the verdict, a stable code (mismatch, timestamp_out_of_tolerance, ...)"`
	Status   int    `json:"status" jsonschema:"the HTTP status hooktap answered"`
	Size     int    `json:"size" jsonschema:"body size in bytes"`
	Source   string `json:"source" jsonschema:"local, tunnel, replay, craft or audit"`
	ReplayOf string `json:"replay_of,omitempty"`
}

type listCapturesOut struct {
	Captures []captureRow `json:"captures"`
	// Next is the cursor for the following page, empty at the end.
	Next string `json:"next,omitempty" jsonschema:"pass as before for the next page; empty at the end"`
}

func (s *server) addCaptureTools(srv *mcp.Server) {
	mcp.AddTool(srv, &mcp.Tool{Name: "list_captures", Title: "List captured webhook requests", Annotations: readOnly,
		Description: "Lists captured webhook requests, newest first, with their route, event, signature verdict, status and size. " +
			"Filters as `hooktap captures list` (route, event, method, verified, status, source, q). Read-only."}, s.listCaptures)
	mcp.AddTool(srv, &mcp.Tool{Name: "get_capture", Title: "Show one capture", Annotations: readOnly,
		Description: "Shows one captured request by any id form: headers (credentials masked), body (text, or base64 when not UTF-8, " +
			"cut at max_body_bytes with body_cut set), signature verdict with the doctor's findings, hooktap's answer, deliveries made and still owed, and replay_of. Read-only."},
		s.getCapture)
}

func (s *server) listCaptures(ctx context.Context, _ *mcp.CallToolRequest, in listCapturesIn) (*mcp.CallToolResult, listCapturesOut, error) {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("route", in.Route)
	set("event", in.Event)
	set("method", in.Method)
	set("source", in.Source)
	set("q", in.Q)
	set("before", in.Before)
	if in.Verified != nil {
		q.Set("verified", strconv.FormatBool(*in.Verified))
	}
	if in.Status != 0 {
		q.Set("status", strconv.Itoa(in.Status))
	}
	if in.Limit != 0 {
		q.Set("limit", strconv.Itoa(in.Limit))
	}
	filter, _, err := admin.ParseListQuery(q)
	var perr *admin.ParamError
	if errors.As(err, &perr) {
		return nil, listCapturesOut{}, fmt.Errorf("%s: %w", perr.Param, err)
	}
	if err != nil {
		return nil, listCapturesOut{}, err
	}
	var out listCapturesOut
	err = s.withStore(func(st capture.Store) error {
		page, err := st.List(ctx, filter)
		if err != nil {
			return err
		}
		out.Captures = make([]captureRow, 0, len(page.Captures))
		for _, c := range page.Captures {
			out.Captures = append(out.Captures, rowOf(c))
		}
		out.Next = page.Next
		return nil
	})
	if err != nil {
		return nil, listCapturesOut{}, err
	}
	return summary("%s", listText(out)), out, nil
}

func rowOf(c *capture.Capture) captureRow {
	return captureRow{ID: c.ID, ShortID: capture.ShortID(c.ID), Time: c.ReceivedAt.UTC().Format("2006-01-02T15:04:05.000Z"), Method: c.Method,
		Route: c.Route, Event: c.Event, Verdict: string(c.Verification.Result), Reason: string(c.Verification.Reason),
		Status: c.Status, Size: c.BodySize, Source: string(c.Source), ReplayOf: c.ReplayOf}
}

// listText is one line per capture, as an agent would quote them.
func listText(out listCapturesOut) string {
	if len(out.Captures) == 0 {
		return "no captures match"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s, newest first:\n", len(out.Captures), plural(len(out.Captures), "capture"))
	for _, r := range out.Captures {
		fmt.Fprintf(&b, "%s %s %s %s %s %s %d %d B\n", r.ID, r.Time, r.Method, dash(r.Route), dash(r.Event),
			verdictText(r.Verdict, r.Reason), r.Status, r.Size)
	}
	if out.Next != "" {
		fmt.Fprintf(&b, "more: before=%s\n", out.Next)
	}
	return b.String()
}

func verdictText(result, reason string) string {
	switch {
	case result == "":
		return "unverified"
	case reason == "" || reason == "ok" || reason == result:
		return result
	}
	return result + " (" + reason + ")"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
