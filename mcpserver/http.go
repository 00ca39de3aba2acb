package mcpserver

import (
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// callDeadline bounds how long one HTTP tool call may take to answer: an audit of a slow
// endpoint waits out each check's timeout, far longer than an ordinary admin answer.
const callDeadline = 10 * time.Minute

// Handler serves the MCP server over streamable HTTP for /mcp on the admin listener, whose guard
// (loopback Host, loopback Origin, admin token) runs before it. It is stateless — every request
// stands alone, so nothing is kept between calls and no stream is held open — and answers with
// plain JSON.
func Handler(d Deps) http.Handler {
	srv := New(d)
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv },
		&mcp.StreamableHTTPOptions{Stateless: true, JSONResponse: true, Logger: warningsOnly(d.Logger)})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(callDeadline))
		h.ServeHTTP(w, r)
	})
}
