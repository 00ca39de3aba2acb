package mcpserver

import (
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Handler serves the MCP server over streamable HTTP for /mcp on the admin listener, whose guard
// (loopback Host, loopback Origin, admin token) runs before it. It is stateless — every request
// stands alone, so nothing is kept between calls and no stream outlives the admin API's answer
// deadline — and answers with plain JSON.
func Handler(d Deps) http.Handler {
	srv := New(d)
	return mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv },
		&mcp.StreamableHTTPOptions{Stateless: true, JSONResponse: true, Logger: d.Logger})
}
