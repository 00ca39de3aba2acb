package admin

import (
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// List limits: a page holds defaultLimit captures unless ?limit= asks for more, up to maxLimit.
const (
	defaultLimit = 50
	maxLimit     = 1000
	// maxBodyLimit bounds a page that carries bodies (body=1), which can be megabytes each.
	maxBodyLimit = 50
	// maxParamLen bounds free-text parameters so a giant query string cannot become a giant LIKE.
	maxParamLen = 1024
)

// listParams are the query parameters GET /api/v1/captures understands.
var listParams = map[string]bool{
	"route": true, "event": true, "method": true, "verified": true, "status": true, "source": true,
	"q": true, "limit": true, "before": true, "reveal": true,
	"after": true, "oldest": true, "since": true, "body": true,
}

// countParams are the filter parameters alone: what GET /api/v1/captures/count understands.
var countParams = map[string]bool{
	"route": true, "event": true, "method": true, "verified": true, "status": true, "source": true,
	"q": true, "since": true, "before": true, "after": true,
}

// ParseListQuery turns list parameters (the filter keys of capture.Filter.Set, and limit, before,
// after, oldest, since, body, reveal) into a store filter and the reveal flag; the CLI's filter flags use it too. A bad value is a
// *ParamError naming the parameter.
func ParseListQuery(q url.Values) (capture.Filter, bool, error) {
	f, reveal, perr := parseListQuery(q)
	if perr != nil {
		return f, false, perr
	}
	return f, reveal, nil
}

// parseListQuery refuses unknown parameters so a typo ("verfied=true") does not silently list
// everything.
func parseListQuery(q url.Values) (capture.Filter, bool, *ParamError) {
	if err := checkKnown(q, listParams); err != nil {
		return capture.Filter{}, false, err
	}
	f, perr := filterParams(q)
	if perr != nil {
		return f, false, perr
	}
	if f.Before, perr = idParam(q, "before"); perr != nil {
		return f, false, perr
	}
	if f.After, perr = idParam(q, "after"); perr != nil {
		return f, false, perr
	}
	if f.Oldest, perr = boolParam(q, "oldest"); perr != nil {
		return f, false, perr
	}
	if f.WithBody, perr = boolParam(q, "body"); perr != nil {
		return f, false, perr
	}
	if f.Limit, perr = limitParam(q); perr != nil {
		return f, false, perr
	}
	if f.WithBody && f.Limit > maxBodyLimit {
		return f, false, badParam("limit", strconv.Itoa(f.Limit), "at most "+strconv.Itoa(maxBodyLimit)+" with body=1")
	}
	reveal, perr := revealParam(q)
	return f, reveal, perr
}

// filterParams reads the filter keys and since: what a list and a count share.
func filterParams(q url.Values) (capture.Filter, *ParamError) {
	f := capture.Filter{Limit: defaultLimit}
	for _, key := range capture.FilterKeys {
		if perr := filterParam(q, &f, key); perr != nil {
			return f, perr
		}
	}
	v, perr := single(q, "since")
	if perr != nil || v == "" {
		return f, perr
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return f, badParam("since", v, "an RFC 3339 time such as 2026-01-02T15:04:05Z")
	}
	f.Since = t
	return f, nil
}

// checkKnown refuses the first unknown parameter, in sorted order so the answer is stable.
func checkKnown(q url.Values, known map[string]bool) *ParamError {
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !known[k] {
			return &ParamError{Param: k, Msg: "unknown parameter " + strconv.Quote(k)}
		}
	}
	return nil
}

// single returns the one value of a parameter; giving it twice is ambiguous and refused.
func single(q url.Values, name string) (string, *ParamError) {
	vs := q[name]
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", &ParamError{Param: name, Msg: "parameter " + name + " given more than once"}
}

func textParam(q url.Values, name string) (string, *ParamError) {
	v, err := single(q, name)
	if err != nil {
		return "", err
	}
	if len(v) > maxParamLen {
		return "", &ParamError{Param: name, Msg: "value for " + name + " is longer than " + strconv.Itoa(maxParamLen) + " bytes"}
	}
	return v, nil
}

// idParam accepts an id or id prefix: ULIDs are Crockford base32, lowercased by the store.
func idParam(q url.Values, name string) (string, *ParamError) {
	v, err := single(q, name)
	if err != nil || v == "" {
		return "", err
	}
	if len(v) > 26 || strings.Trim(strings.ToLower(v), "0123456789abcdefghjkmnpqrstvwxyz") != "" {
		return "", badParam(name, v, "a capture id")
	}
	return strings.ToLower(v), nil
}

// filterParam applies one filter key through the store's own parser, so a value means the same
// here as in the TUI's filter field (status=4xx, verified=false, method=post).
func filterParam(q url.Values, f *capture.Filter, key string) *ParamError {
	v, perr := textParam(q, key)
	if perr != nil || v == "" {
		return perr
	}
	var fe *capture.FilterError
	if err := f.Set(key, v); errors.As(err, &fe) && fe.Want != "" {
		return badParam(key, v, fe.Want)
	} else if err != nil {
		return &ParamError{Param: key, Msg: err.Error()}
	}
	return nil
}

func limitParam(q url.Values) (int, *ParamError) {
	v, err := single(q, "limit")
	if err != nil || v == "" {
		return defaultLimit, err
	}
	n, convErr := strconv.Atoi(v)
	if convErr != nil || n < 1 || n > maxLimit {
		return 0, badParam("limit", v, "a number from 1 to "+strconv.Itoa(maxLimit))
	}
	return n, nil
}

// revealParam reads ?reveal=1 (also true/0/false); without it, credentials stay masked.
func revealParam(q url.Values) (bool, *ParamError) { return boolParam(q, "reveal") }

// boolParam reads a flag parameter: 1, true, yes or 0, false, no; absent is false.
func boolParam(q url.Values, name string) (bool, *ParamError) {
	v, err := single(q, name)
	if err != nil || v == "" {
		return false, err
	}
	switch strings.ToLower(v) {
	case "1", "true", "yes":
		return true, nil
	case "0", "false", "no":
		return false, nil
	}
	return false, badParam(name, v, "1 or 0")
}
