package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is the JSON body of every error answer: a message a person can act on, the query
// parameter at fault for a 400, and the matching ids for an ambiguous prefix.
type apiError struct {
	Message    string   `json:"error"`
	Param      string   `json:"param,omitempty"`
	Candidates []string `json:"candidates,omitempty"`
}

// ParamError is a query parameter (or CLI filter flag) with a bad value; handlers turn it into a
// 400 naming the parameter.
type ParamError struct {
	Param string
	Msg   string
}

// Error is the message, which already names the parameter.
func (e *ParamError) Error() string { return e.Msg }

// badParam builds a ParamError whose message quotes the value and says what was expected.
func badParam(param, value, want string) *ParamError {
	return &ParamError{Param: param, Msg: fmt.Sprintf("invalid value for %s: %q (want %s)", param, value, want)}
}

// writeJSON answers with v as JSON; an encoding failure can only be a programming error, and the
// status line is already out by then, so it is left to the connection to end.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeError answers with an apiError.
func writeError(w http.ResponseWriter, status int, e apiError) {
	writeJSON(w, status, e)
}

// writeParamError answers 400 naming the parameter.
func writeParamError(w http.ResponseWriter, e *ParamError) {
	writeError(w, http.StatusBadRequest, apiError{Message: e.Msg, Param: e.Param})
}
