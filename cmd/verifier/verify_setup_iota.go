package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"

	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/did"
	didiota "github.com/loginwithiota/verifier/did/iota"
	credstatus "github.com/loginwithiota/verifier/status"
	"github.com/loginwithiota/verifier/verifier"
)

// iotaResolver builds the did:iota resolver of dids.iota, cached there.
// Its endpoints are the operator's choice, so they may be anywhere
// (a node on localhost included); no other address is ever asked.
func iotaResolver(c config.DIDIOTA) (did.Resolver, error) {
	networks := make([]didiota.Network, 0, len(c.Networks))
	for _, n := range c.Networks {
		networks = append(networks, didiota.Network{Name: n.Name, ChainID: n.ChainID, Endpoint: n.Endpoint,
			MigrationRegistry: n.MigrationRegistry, IdentityPackages: n.IdentityPackages})
	}
	client := &http.Client{
		Timeout: c.Timeout.Std(),
		// A node does not redirect JSON-RPC; following one would leave the
		// endpoint the operator named.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	r, err := didiota.New(didiota.Options{Networks: networks, HTTPClient: client, Timeout: c.Timeout.Std(),
		MaxResponseBytes: c.MaxBytes, CacheTTL: c.CacheTTL.Std()})
	if err != nil {
		return nil, fmt.Errorf("dids.iota: %w", err)
	}
	return r, nil
}

// statusSetup builds the status options of the status section: status
// lists fetched over HTTPS (http only if allowed), from public addresses
// only unless allowed, trusting the system roots plus ca_file.
func statusSetup(c config.Status, dir string) (verifier.StatusOptions, error) {
	var tlsConfig *tls.Config
	if c.CAFile != "" {
		pem, err := os.ReadFile(resolvePath(dir, c.CAFile))
		if err != nil {
			return verifier.StatusOptions{}, fmt.Errorf("status.ca_file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return verifier.StatusOptions{}, fmt.Errorf("status.ca_file %s: no PEM certificate in it", c.CAFile)
		}
		tlsConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	// The guarded client (internal/safehttp): public addresses only unless
	// allowed, no proxy, every redirect hop checked again.
	fetcher := &credstatus.HTTPFetcher{Timeout: c.FetchTimeout.Std(), MaxBytes: c.MaxListBytes, AllowHTTP: c.AllowHTTP,
		AllowPrivateAddresses: c.AllowPrivateAddresses, TLS: tlsConfig}
	return verifier.StatusOptions{
		Fetcher:                fetcher,
		FailOpen:               c.FailOpen,
		AllowForeignListIssuer: c.AllowForeignListIssuer,
		CacheTTL:               c.CacheTTL.Std(),
	}, nil
}

// publicOnly is the dialer's Control hook: it sees the address actually
// dialled, so DNS rebinding cannot get round it (as for did:web).
