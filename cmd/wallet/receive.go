package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/wallet"
	"github.com/loginwithiota/verifier/wallet/vci"
)

// receive takes an offer: metadata, token, nonce, proof, credential.
func receive(e *env, args []string, home *string) error {
	fs := flag.NewFlagSet("receive", flag.ContinueOnError)
	tx := fs.String("tx-code", "", "the transaction code the issuer sent by another channel")
	qrFile := fs.String("qr", "", "read the offer from a QR code image")
	pos, err := e.parse(fs, args, home)
	if err != nil {
		return err
	}
	uri, err := oneInput(pos, *qrFile, "OFFER")
	if err != nil {
		return err
	}
	offer, err := vci.ParseOffer(e.ctx, e.http, uri)
	if err != nil {
		return err
	}
	md, err := vci.FetchMetadata(e.ctx, e.http, offer.CredentialIssuer, offer.AuthorizationServer)
	if err != nil {
		return err
	}
	name := offer.CredentialIssuer
	if md.Name != "" {
		name = md.Name + " (" + offer.CredentialIssuer + ")"
	}
	fmt.Fprintf(e.stdout, "Issuer: %s\n", name)
	if offer.TxCode != nil && *tx == "" {
		if *tx, err = askTxCode(e, offer.TxCode); err != nil {
			return err
		}
	}
	key, err := e.home.Key("")
	if err != nil {
		return err
	}
	c := &vci.Client{HTTP: e.http, Key: key}
	got, err := c.Receive(e.ctx, offer, md, *tx)
	for _, r := range got {
		n, serr := e.home.Add(wallet.Credential{Format: r.Format, Credential: r.Credential, Issuer: offer.CredentialIssuer,
			Configuration: r.ConfigurationID, ReceivedAt: time.Now().UTC().Truncate(time.Second), Verified: r.Verified})
		if serr != nil {
			return serr
		}
		note := "issuer signature verified"
		if !r.Verified {
			note = "issuer signature not checked (its key does not resolve offline)"
		}
		fmt.Fprintf(e.stdout, "Stored credential %d: %s (%s), %s\n", n, r.ConfigurationID, r.Format, note)
	}
	return err
}

// askTxCode reads the transaction code from a terminal.
func askTxCode(e *env, t *vci.TxCode) (string, error) {
	if f, ok := e.stdin.(*os.File); !ok || !isTerminal(f) {
		return "", errors.New("this offer needs a transaction code: pass --tx-code")
	}
	if t.Description != "" {
		fmt.Fprintf(e.stdout, "%s\n", wallet.Clip(t.Description))
	}
	fmt.Fprint(e.stdout, "Transaction code: ")
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil {
		return "", errors.New("no transaction code was typed")
	}
	return strings.TrimSpace(line), nil
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// oneInput is the URI from the command line or from a QR code, one of them.
func oneInput(pos []string, qrFile, what string) (string, error) {
	switch {
	case qrFile != "" && len(pos) == 0:
		return readQR(qrFile)
	case qrFile == "" && len(pos) == 1:
		return pos[0], nil
	}
	return "", usageError{fmt.Errorf("give %s or --qr FILE (one of them)", what)}
}
