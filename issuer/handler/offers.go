package handler

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/internal/qr"
	"github.com/loginwithiota/verifier/issuer"
	"github.com/loginwithiota/verifier/oauth"
)

// offerRequest is the operator API's body.
type offerRequest struct {
	ConfigurationIDs []string       `json:"credential_configuration_ids"`
	Claims           map[string]any `json:"claims"`
	// TxCode: omitted or true, a 6-digit code; false, none; an object, a
	// code of that length and input mode, with a description.
	TxCode  json.RawMessage `json:"tx_code"`
	ByValue bool            `json:"by_value"`
}

// offerAnswer is what a created offer looks like to its creator.
type offerAnswer struct {
	ID                 string         `json:"id"`
	CredentialOffer    map[string]any `json:"credential_offer"`
	CredentialOfferURI string         `json:"credential_offer_uri,omitempty"`
	OfferURI           string         `json:"offer_uri"`
	TxCode             string         `json:"tx_code,omitempty"`
	QRSVG              string         `json:"qr_svg"`
	QRPNG              string         `json:"qr_png"`
	ExpiresAt          time.Time      `json:"expires_at"`
}

// createOffer is POST /api/v1/offers, for operators holding the API key.
func (s *server) createOffer(c echo.Context) error {
	key, _ := bearer(c)
	if key == "" || !sameSecret(key, s.apiKey) {
		return oauth.New(oauth.Unauthorized, "", "the operator API needs Authorization: Bearer API_KEY")
	}
	var req offerRequest
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
		}
		return oauth.New(oauth.InvalidRequest, "", "the body must be a JSON object with credential_configuration_ids, claims, tx_code and by_value")
	}
	tx, err := txCodeSpec(req.TxCode)
	if err != nil {
		return err
	}
	o, err := s.iss.CreateOffer(c.Request().Context(), issuer.OfferRequest{
		ConfigurationIDs: req.ConfigurationIDs, Claims: req.Claims, TxCode: tx, ByValue: req.ByValue})
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusCreated, s.answer(o))
}

func (s *server) answer(o *issuer.Offer) offerAnswer {
	q := s.base + issuer.PathOffers + o.ID
	return offerAnswer{ID: o.ID, CredentialOffer: o.Object, CredentialOfferURI: o.OfferURI, OfferURI: o.URI,
		TxCode: o.TxCode, QRSVG: q + "/qr.svg", QRPNG: q + "/qr.png", ExpiresAt: o.ExpiresAt}
}

// txCodeSpec reads the operator's tx_code member.
func txCodeSpec(raw json.RawMessage) (*issuer.TxCodeSpec, error) {
	switch string(bytes.TrimSpace(raw)) {
	case "", "null", "true":
		return &issuer.TxCodeSpec{}, nil
	case "false":
		return nil, nil
	}
	var spec struct {
		Length      int    `json:"length"`
		InputMode   string `json:"input_mode"`
		Description string `json:"description"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return nil, oauth.New(oauth.InvalidRequest, "", "tx_code must be true, false or an object with length, input_mode and description")
	}
	return &issuer.TxCodeSpec{Length: spec.Length, InputMode: spec.InputMode, Description: spec.Description}, nil
}

// offer serves credential_offer_uri: "The response ... MUST use the media
// type application/json"; each offer has its own URI, and no-store keeps
// it out of caches ("or otherwise prevent the Credential Issuer from
// caching the credential_offer_uri").
func (s *server) offer(c echo.Context) error {
	raw, _, err := s.iss.OfferObject(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSONBlob(http.StatusOK, raw)
}

func (s *server) offerSVG(c echo.Context) error {
	_, uri, err := s.iss.OfferObject(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	img, err := qr.SVG(uri, "QR code to receive a credential in your wallet")
	if err != nil {
		return oauth.Server(err)
	}
	noStore(c)
	return c.Blob(http.StatusOK, "image/svg+xml", img)
}

func (s *server) offerPNG(c echo.Context) error {
	_, uri, err := s.iss.OfferObject(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	img, err := qr.PNG(uri)
	if err != nil {
		return oauth.Server(err)
	}
	noStore(c)
	return c.Blob(http.StatusOK, "image/png", img)
}
