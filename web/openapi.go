package web

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// PathOpenAPI serves the website API's OpenAPI 3.1 document.
const PathOpenAPI = "/api/v1/openapi.json"

// OpenAPI is the document: the website API, its answers and its errors
// (web/openapi.json). A test checks real answers against its schemas.
//
//go:embed openapi.json
var OpenAPI []byte

func (h *Handler) openAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, OpenAPI)
}
