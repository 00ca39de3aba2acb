package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// maxAPIBody bounds REST request bodies.
const maxAPIBody = 1 << 20

// webhookView is a webhook as the API returns it: secrets masked, warnings when there are any.
type webhookView struct {
	Webhook
	Warnings []string `json:"warnings,omitempty"`
}

// Handler serves the REST API (docs/admin-api.md): GET|POST /api/v1/webhooks, PUT|DELETE
// /api/v1/webhooks/{id}, POST /api/v1/webhooks/{id}/test and POST /api/v1/events. The admin
// server mounts it and has already checked Host and the bearer token.
func (d *Dispatcher) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/webhooks", d.handleList)
	mux.HandleFunc("POST /api/v1/webhooks", d.handleCreate)
	mux.HandleFunc("GET /api/v1/webhooks/{id}", d.handleGet)
	mux.HandleFunc("PUT /api/v1/webhooks/{id}", d.handleUpdate)
	mux.HandleFunc("DELETE /api/v1/webhooks/{id}", d.handleDelete)
	mux.HandleFunc("POST /api/v1/webhooks/{id}/test", d.handleTest)
	mux.HandleFunc("POST /api/v1/events", d.handleEvent)
	return mux
}

func (d *Dispatcher) handleList(w http.ResponseWriter, r *http.Request) {
	hooks, err := d.Webhooks(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	views := make([]webhookView, len(hooks))
	for i, h := range hooks {
		views[i] = webhookView{Webhook: h.Masked()}
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": views})
}

func (d *Dispatcher) handleGet(w http.ResponseWriter, r *http.Request) {
	hook, err := d.Webhook(r.Context(), r.PathValue("id"))
	if err != nil {
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, webhookView{Webhook: hook.Masked()})
}

func (d *Dispatcher) handleCreate(w http.ResponseWriter, r *http.Request) {
	var in Webhook
	in.Enabled = true
	raw, ok := readBody(w, r)
	if !ok {
		return
	}
	if err := decodeStrict(raw, &in); err != nil {
		writeError(w, http.StatusBadRequest, jsonProblem(err))
		return
	}
	hook, warnings, err := d.CreateWebhook(r.Context(), in)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	w.Header().Set("Location", "/api/v1/webhooks/"+hook.ID)
	writeJSON(w, http.StatusCreated, webhookView{Webhook: hook.Masked(), Warnings: warnings})
}

func (d *Dispatcher) handleUpdate(w http.ResponseWriter, r *http.Request) {
	raw, ok := readBody(w, r)
	if !ok {
		return
	}
	var probe Webhook
	if err := decodeStrict(raw, &probe); err != nil {
		writeError(w, http.StatusBadRequest, jsonProblem(err))
		return
	}
	hook, warnings, err := d.UpdateWebhook(r.Context(), r.PathValue("id"), raw)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, webhookView{Webhook: hook.Masked(), Warnings: warnings})
}

func (d *Dispatcher) handleDelete(w http.ResponseWriter, r *http.Request) {
	if err := d.DeleteWebhook(r.Context(), r.PathValue("id")); err != nil {
		writeStoreError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (d *Dispatcher) handleTest(w http.ResponseWriter, r *http.Request) {
	res, err := d.TestWebhook(r.Context(), r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		writeStoreError(w, err)
		return
	}
	status := http.StatusOK
	if !res.Delivered {
		status = http.StatusBadGateway
	}
	writeJSON(w, status, res)
}

// handleEvent queues {"event","data"} for dispatch and answers at once: no delivery is awaited.
func (d *Dispatcher) handleEvent(w http.ResponseWriter, r *http.Request) {
	raw, ok := readBody(w, r)
	if !ok {
		return
	}
	var in struct {
		Event string         `json:"event"`
		Data  map[string]any `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, jsonProblem(err))
		return
	}
	if strings.TrimSpace(in.Event) == "" {
		writeError(w, http.StatusBadRequest, "event: required (e.g. \"budget_warning\")")
		return
	}
	d.Dispatch(in.Event, in.Data)
	writeJSON(w, http.StatusAccepted, map[string]any{"status": "queued", "event": in.Event, "known": KnownEvent(in.Event)})
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAPIBody))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "body too large (1 MiB at most)")
		return nil, false
	}
	return raw, true
}

// decodeStrict rejects unknown fields so a typo ("event" for "events") is an error, not ignored.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func writeStoreError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, ErrInvalidWebhook):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, ErrReadOnly):
		writeError(w, http.StatusConflict, err.Error())
	default:
		writeError(w, http.StatusInternalServerError, err.Error())
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(encode(v), '\n'))
}
