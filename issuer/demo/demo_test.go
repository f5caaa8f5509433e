package demo_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/issuer/demo"
	"github.com/loginwithiota/verifier/issuer/handler"
	"github.com/loginwithiota/verifier/issuer/store/memory"
	"github.com/loginwithiota/verifier/wallet"
	"github.com/loginwithiota/verifier/wallet/vci"
)

// TestMountedInAHost: the demo issuer mounted under /issuer of another
// service's Echo router (as the verifier's demo mounts it) serves the
// whole flow, the well-known documents at the host's root, and leaves the
// host's own routes alone.
func TestMountedInAHost(t *testing.T) {
	host := echo.New()
	host.GET("/", func(c echo.Context) error { return c.String(200, "the host's page") })
	srv := httptest.NewServer(host)
	defer srv.Close()
	iss, err := demo.New(srv.URL+"/issuer", memory.New(memory.Options{}), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	routes := handler.Mount(host, iss, handler.Options{Demo: true})
	if len(routes) == 0 {
		t.Fatal("nothing mounted")
	}

	resp, err := http.Post(srv.URL+"/issuer/demo/offers", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		OfferURI string `json:"offer_uri"`
		TxCode   string `json:"tx_code"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&o)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("demo offer: %d", resp.StatusCode)
	}

	ctx := context.Background()
	h := wallet.NewHTTP()
	offer, err := vci.ParseOffer(ctx, h, o.OfferURI)
	if err != nil {
		t.Fatal(err)
	}
	md, err := vci.FetchMetadata(ctx, h, offer.CredentialIssuer, "")
	if err != nil {
		t.Fatal(err)
	}
	key, err := wallet.Home{Dir: t.TempDir()}.Key("")
	if err != nil {
		t.Fatal(err)
	}
	got, err := (&vci.Client{HTTP: h, Key: key}).Receive(ctx, offer, md, o.TxCode)
	// The demo offers the profile's ldp_vc and the SD-JWT VC, both
	// verified by the wallet (the issuer's did:key resolves offline).
	if err != nil || len(got) != 2 || got[0].Format != "ldp_vc" || got[1].Format != "dc+sd-jwt" || !got[0].Verified || !got[1].Verified {
		t.Fatalf("%v %+v", err, got)
	}
	// Its JWT VC Issuer Metadata is at the host's root, before the path.
	if r, _ := http.Get(srv.URL + "/.well-known/jwt-vc-issuer/issuer"); r == nil || r.StatusCode != 200 {
		t.Fatal("no JWT VC issuer metadata")
	}
	if r, _ := http.Get(srv.URL + "/"); r == nil || r.StatusCode != 200 {
		t.Fatal("the host's own route is gone")
	}
}
