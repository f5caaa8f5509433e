package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"syscall"
	"time"

	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/did"
	didiota "github.com/loginwithiota/verifier/did/iota"
	didweb "github.com/loginwithiota/verifier/did/web"
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
	timeout := c.FetchTimeout.Std()
	dialer := &net.Dialer{Timeout: timeout, Control: publicOnly(c.AllowPrivateAddresses)}
	client := &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil, // a proxy would dial for us, past the address check
			DialContext:           dialer.DialContext,
			TLSClientConfig:       tlsConfig,
			TLSHandshakeTimeout:   timeout,
			ResponseHeaderTimeout: timeout,
			MaxIdleConns:          16,
			IdleConnTimeout:       30 * time.Second,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return fmt.Errorf("too many redirects")
			}
			if req.URL.Scheme != "https" && !c.AllowHTTP {
				return fmt.Errorf("redirect to %s leaves HTTPS", req.URL.Scheme)
			}
			return nil
		},
	}
	return verifier.StatusOptions{
		Fetcher:                &credstatus.HTTPFetcher{Client: client, Timeout: timeout, MaxBytes: c.MaxListBytes, AllowHTTP: c.AllowHTTP},
		FailOpen:               c.FailOpen,
		AllowForeignListIssuer: c.AllowForeignListIssuer,
		CacheTTL:               c.CacheTTL.Std(),
	}, nil
}

// publicOnly is the dialer's Control hook: it sees the address actually
// dialled, so DNS rebinding cannot get round it (as for did:web).
func publicOnly(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !didweb.Public(ap.Addr()) {
			return fmt.Errorf("status list host %s is not a public address (status.allow_private_addresses is off)", address)
		}
		return nil
	}
}
