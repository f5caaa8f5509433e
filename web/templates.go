package web

import (
	"embed"
	"html/template"
)

//go:embed templates
var templateFS embed.FS

var (
	resultTemplate = template.Must(template.ParseFS(templateFS, "templates/result.html"))
	demoTemplate   = template.Must(template.ParseFS(templateFS, "templates/demo.html"))
)
