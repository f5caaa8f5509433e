package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file with its validator.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assets are the files under /static/, read once.
var assets = func() map[string]asset {
	out := map[string]asset{}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		body, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(e.Name()))
		if ct == "" {
			ct = "application/octet-stream"
		}
		out[e.Name()] = asset{body: body, contentType: ct, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
	}
	return out
}()

// pageCSP is the policy of our HTML pages: scripts, styles, images and
// fetches from our own origin only; no inline code, no framing.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// staticFile serves the button script, its stylesheet and the pages'
// assets. Other sites load the script and stylesheet, so they may be
// fetched cross-origin; they are public and revalidated by ETag.
func (h *Handler) staticFile(c echo.Context) error {
	a, ok := assets[c.Param("name")]
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	hdr := c.Response().Header()
	hdr.Set("Cross-Origin-Resource-Policy", "cross-origin")
	hdr.Set("Access-Control-Allow-Origin", "*") // a shadow-root <link> may be CORS-mode on some sites
	hdr.Set("Cache-Control", "public, max-age=300, must-revalidate")
	hdr.Set("ETag", a.etag)
	if c.Request().Header.Get("If-None-Match") == a.etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, a.contentType, a.body)
}

// demoPage is the demo relying party: a page with the button that shows the
// holder and claims once verified.
func (h *Handler) demoPage(c echo.Context) error {
	var buf bytes.Buffer
	data := struct{ Definition, Lang string }{h.demoDefinition, pageLanguage(c.Request().Header.Get("Accept-Language"))}
	if err := demoTemplate.Execute(&buf, data); err != nil {
		return err
	}
	c.Response().Header().Set("Vary", "Accept-Language")
	return h.page(c, buf.Bytes())
}

// pageLanguage picks the first of our languages (en, de, fr) the browser
// lists in Accept-Language; the page's lang then sets the button's texts.
// Quality values are not weighed: browsers list languages in preference
// order already.
func pageLanguage(acceptLanguage string) string {
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		switch primary {
		case "en", "de", "fr":
			return primary
		}
	}
	return "en"
}

// page writes an HTML page with the pages' security headers.
func (h *Handler) page(c echo.Context, body []byte) error {
	hdr := c.Response().Header()
	hdr.Set("Content-Security-Policy", pageCSP)
	hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
	hdr.Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, body)
}
