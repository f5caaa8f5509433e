package web

import (
	"encoding/json"

	"github.com/labstack/echo/v4"
)

// jsonSerializer writes JSON without HTML escaping: authorization requests
// are URIs full of "&", and "\u0026" in every answer only confuses people
// reading them with curl. Every response is application/json with nosniff,
// so nothing is rendered as HTML.
type jsonSerializer struct{ echo.DefaultJSONSerializer }

func (jsonSerializer) Serialize(c echo.Context, i any, indent string) error {
	enc := json.NewEncoder(c.Response())
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	return enc.Encode(i)
}
