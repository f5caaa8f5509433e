package handler

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

//go:embed templates/demo.html
var templates embed.FS

var demoTemplate = template.Must(template.ParseFS(templates, "templates/demo.html"))

type demoData struct {
	Credential, Action string
	// Offer is the offer URI as a link (an openid-credential-offer: URL,
	// which html/template would otherwise refuse in href).
	Offer                    template.URL
	OfferText, TxCode, QRSVG string
	ExpiresAt                string
}

// demoPage offers a button that makes an offer.
func (s *server) demoPage(c echo.Context) error {
	return s.page(c, demoData{Credential: strings.Join(s.iss.DemoConfigurations(), ", "), Action: s.base + "/demo/offer"})
}

// demoOfferPage makes a demo offer and shows it: QR code, link, tx_code.
func (s *server) demoOfferPage(c echo.Context) error {
	o, err := s.iss.DemoOffer(c.Request().Context())
	if err != nil {
		return err
	}
	a := s.answer(o)
	return s.page(c, demoData{Offer: template.URL(o.URI), OfferText: o.URI, TxCode: o.TxCode, QRSVG: a.QRSVG,
		ExpiresAt: o.ExpiresAt.UTC().Format(time.RFC1123)})
}

// demoOfferJSON makes a demo offer for a script (the verifier's demo page).
func (s *server) demoOfferJSON(c echo.Context) error {
	o, err := s.iss.DemoOffer(c.Request().Context())
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusCreated, s.answer(o))
}

func (s *server) page(c echo.Context, d demoData) error {
	var buf bytes.Buffer
	if err := demoTemplate.Execute(&buf, d); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}
