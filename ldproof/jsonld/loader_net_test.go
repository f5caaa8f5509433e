package jsonld_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/loginwithiota/verifier/internal/safehttp"
	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// Remote contexts are fetched through the guarded client: by default an
// allow-listed host on an internal address is refused, and no client the
// loader builds follows a redirect, which would leave the allow-list.
func TestRemoteContextFetchIsGuarded(t *testing.T) {
	var hits, redirected atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/ctx/moved":
			http.Redirect(w, r, "/ctx/v1", http.StatusFound)
		case "/ctx/v1":
			redirected.Add(1)
			w.Write([]byte(`{"@context": {"nickname": "https://example.org/vocab#nickname"}}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	for _, tt := range []struct {
		name   string
		client *http.Client
		path   string
		kind   error
	}{
		{"default client, loopback host", nil, "/ctx/v1", safehttp.ErrAddressNotAllowed},
		{"redirect", safehttp.New(safehttp.Options{AllowPrivateAddresses: true, AllowHTTP: true}).HTTPClient(), "/ctx/moved",
			safehttp.ErrRedirect},
	} {
		p, err := jsonld.New(jsonld.Config{AllowRemote: []string{srv.URL + "/ctx/"}, Client: tt.client})
		if err != nil {
			t.Fatal(err)
		}
		err = p.LoadContext(srv.URL + tt.path)
		if !errors.Is(err, jsonld.ErrContextFetch) || safehttp.Kind(err) != tt.kind {
			t.Errorf("%s: %v, want ErrContextFetch of kind %v", tt.name, err, tt.kind)
		}
	}
	if n := redirected.Load(); n != 0 {
		t.Errorf("a refused fetch reached the server (%d of %d requests)", n, hits.Load())
	}
}
