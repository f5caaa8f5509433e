package handler

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// issuerMetadata: "The Credential Issuer MUST support returning metadata
// in an unsigned form 'application/json'".
func (s *server) issuerMetadata(c echo.Context) error {
	return c.JSON(http.StatusOK, s.iss.CredentialIssuerMetadata())
}

func (s *server) authorizationServerMetadata(c echo.Context) error {
	return c.JSON(http.StatusOK, s.iss.AuthorizationServerMetadata())
}

// jwtVCIssuerMetadata is SD-JWT VC §5.1: "A successful response MUST use
// the 200 OK HTTP and return the JWT VC Issuer Metadata as a JSON object
// using the application/json content type."
func (s *server) jwtVCIssuerMetadata(c echo.Context) error {
	md, err := s.iss.JWTVCIssuerMetadata()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, md)
}

// didDocument serves a did:web issuer's document (did:web §3.2: GET
// https://host/path/did.json).
func (s *server) didDocument(c echo.Context) error {
	c.Response().Header().Set("Content-Type", "application/did+json")
	return c.JSON(http.StatusOK, s.opts.DIDDocument)
}
