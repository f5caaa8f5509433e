package vp_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/loginwithiota/verifier/wallet"
	"github.com/loginwithiota/verifier/wallet/vp"
)

type offline struct{}

func (offline) RoundTrip(*http.Request) (*http.Response, error) { return nil, errors.New("offline") }

// FuzzParse: any request URI (a QR code is anyone's) parses or is refused
// without a panic, and a parsed one has what the wallet needs to answer.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"openid4vp://?response_type=vp_token&client_id=https%3A%2F%2Fv.example%2Fr&response_uri=https%3A%2F%2Fv.example%2Fr&response_mode=direct_post&nonce=n&presentation_definition=%7B%22id%22%3A%22d%22%2C%22input_descriptors%22%3A%5B%5D%7D",
		"openid://?response_type=vp_token&client_id=x&redirect_uri=https%3A%2F%2Fv.example%2Fr&response_mode=post&nonce=n&presentation_definition=%7B%7D",
		"openid4vp://?client_id=x&request=eyJhbGciOiJub25lIn0.eyJyZXNwb25zZV90eXBlIjoidnBfdG9rZW4ifQ.",
		"openid4vp://?client_id=x&request_uri=https%3A%2F%2Fv.example%2Fo",
		"openid4vp://?dcql_query=%7B%7D&client_id=redirect_uri:https://x",
		"openid4vp://?response_type=vp_token&client_id=redirect_uri%3Ahttps%3A%2F%2Fv.example%2Fr&response_uri=https%3A%2F%2Fv.example%2Fr&response_mode=direct_post.jwt&nonce=n&dcql_query=%7B%22credentials%22%3A%5B%7B%22id%22%3A%22a%22%2C%22format%22%3A%22dc%2Bsd-jwt%22%2C%22meta%22%3A%7B%22vct_values%22%3A%5B%22V%22%5D%7D%7D%5D%7D&client_metadata=%7B%22jwks%22%3A%7B%22keys%22%3A%5B%5D%7D%7D",
		"openid4vp://?client_id=decentralized_identifier%3Adid%3Ajwk%3Ax&request=eyJhbGciOiJFUzI1NiIsInR5cCI6Im9hdXRoLWF1dGh6LXJlcStqd3QiLCJraWQiOiJkaWQ6andrOngjMCJ9.e30.AA",
	} {
		f.Add(seed)
	}
	h := &wallet.HTTP{Client: &http.Client{Transport: offline{}}}
	f.Fuzz(func(t *testing.T, uri string) {
		r, err := vp.Parse(context.Background(), h, uri, vp.Options{})
		if err != nil {
			return
		}
		if r.ClientID == "" || r.Nonce == "" || r.ResponseURI == "" || (len(r.Definition) == 0 && r.DCQL == nil) {
			t.Fatalf("parsed without what an answer needs: %+v", r)
		}
	})
}
