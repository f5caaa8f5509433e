package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestV1X509Verifier: a verifier that signs its 1.0 requests under
// x509_san_dns or x509_hash (a chain from a CA of the test's, the leaf
// naming 127.0.0.1, where the verifier answers) is refused by a wallet
// that has no trust anchors, with the way to give one; with the CA by
// --trust-anchor, or in the home's trust-anchors.pem, the wallet verifies
// the chain and the signature and logs in, here in the clear
// (response_encryption: off, direct_post).
func TestV1X509Verifier(t *testing.T) {
	dir := t.TempDir()
	caPEM, chainPEM, keyPEM := verifierChain(t, "127.0.0.1")
	for name, raw := range map[string][]byte{"ca.pem": caPEM, "chain.pem": chainPEM, "key.pem": keyPEM} {
		if err := os.WriteFile(filepath.Join(dir, name), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	shipped, err := os.ReadFile(filepath.Join(repo, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, prefix := range []string{"x509_san_dns", "x509_hash"} {
		t.Run(prefix, func(t *testing.T) {
			cfg := string(shipped)
			for old, repl := range map[string]string{
				"client_id_prefix: decentralized_identifier":       "client_id_prefix: " + prefix,
				"    # key_file: verifier-signing-key.pem":         "    key_file: " + filepath.Join(dir, "key.pem"),
				"    # certificate_chain_file: verifier-chain.pem": "    certificate_chain_file: " + filepath.Join(dir, "chain.pem"),
				"response_encryption: when_supported":              "response_encryption: off",
			} {
				if !strings.Contains(cfg, old) {
					t.Fatalf("config.yaml no longer has %q", old)
				}
				cfg = strings.Replace(cfg, old, repl, 1)
			}
			s := startStack(t, "", cfg)
			home := s.receiveInto(t, "VerifiableId_SD_JWT")

			se := s.loginWith(t, "cross-device", "verifiable-id", "1.0")
			out, err := walletRun(t, home, "", "present", se.Request, "--yes")
			if err == nil || !strings.Contains(out, "signed under "+prefix+":") || !strings.Contains(out, "--trust-anchor") {
				t.Fatalf("no trust anchors: %v\n%s", err, out)
			}
			if st := s.status(t, se); st["status"] != "pending" {
				t.Fatalf("an unauthenticated verifier was told something: %v", st)
			}

			args := []string{"present", se.Request, "--yes", "--trust-anchor", filepath.Join(dir, "ca.pem")}
			if prefix == "x509_hash" {
				// The home's own file instead of the flag.
				if err := os.WriteFile(filepath.Join(home, "trust-anchors.pem"), caPEM, 0o600); err != nil {
					t.Fatal(err)
				}
				args = args[:3]
			}
			out, err = walletRun(t, home, "", args...)
			if err != nil || !strings.Contains(out, "The verifier accepted the presentation.") ||
				!strings.Contains(out, "response mode direct_post, answer to") || !strings.Contains(out, `(certificate "CN=verifier"`) {
				t.Fatalf("with the CA: %v\n%s", err, out)
			}
			if st := s.status(t, se); st["status"] != "verified" {
				t.Fatalf("%v", st)
			}

			// Another CA is no anchor for this chain.
			other, _, _ := verifierChain(t, "127.0.0.1")
			_ = os.WriteFile(filepath.Join(dir, "other.pem"), other, 0o600)
			_ = os.Remove(filepath.Join(home, "trust-anchors.pem"))
			se = s.loginWith(t, "cross-device", "verifiable-id", "1.0")
			out, err = walletRun(t, home, "", "present", se.Request, "--yes", "--trust-anchor", filepath.Join(dir, "other.pem"))
			if err == nil || !strings.Contains(out, "does not lead to a trust anchor") {
				t.Fatalf("another CA: %v\n%s", err, out)
			}
		})
	}
}

// verifierChain makes a CA and a leaf for dnsName signed by it: the CA's
// PEM, the chain (leaf first) and the leaf's PKCS#8 key.
func verifierChain(t *testing.T, dnsName string) (ca, chain, key []byte) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "verifier CA"}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "verifier"}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.Add(time.Hour), DNSNames: []string{dnsName}, KeyUsage: x509.KeyUsageDigitalSignature}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, leafKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(leafKey)
	ca = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	chain = append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}), ca...)
	return ca, chain, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}
