package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/wallet"
	"github.com/loginwithiota/verifier/wallet/vp"
)

// present answers an OID4VP request: parse, choose, show, ask, sign, post.
func present(e *env, args []string, home *string) error {
	fs := flag.NewFlagSet("present", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "share without asking")
	qrFile := fs.String("qr", "", "read the request from a QR code image")
	draft20 := fs.Bool("draft-20", false, "fetch a request_uri with GET (a one-QR login then serves its draft-20 request)")
	var anchors files
	fs.Var(&anchors, "trust-anchor", "a PEM file of roots for x509_san_dns / x509_hash verifiers (repeatable)")
	pos, err := e.parse(fs, args, home)
	if err != nil {
		return err
	}
	uri, err := oneInput(pos, *qrFile, "REQUEST")
	if err != nil {
		return err
	}
	key, err := e.home.Key("")
	if err != nil {
		return err
	}
	roots, err := e.home.TrustAnchors(anchors)
	if err != nil {
		return err
	}
	req, err := vp.Parse(e.ctx, e.http, uri, vp.Options{TrustAnchors: roots, Draft20: *draft20, KeyAlg: key.Alg})
	if err != nil {
		return err
	}
	creds, err := e.home.List()
	if err != nil {
		return err
	}
	choice, err := vp.Choose(req, creds, key)
	if err != nil {
		return refuse(e, req, err)
	}
	describe(e, req, choice, key)
	if !*yes && !confirm(e) {
		out, err := vp.Decline(e.ctx, e.http, req)
		if err != nil {
			return fmt.Errorf("telling the verifier you declined: %w", err)
		}
		fmt.Fprintln(e.stdout, "Declined; the verifier was told.")
		next(e, out)
		return nil
	}
	ans, err := vp.Present(req, choice, key, time.Now())
	if err != nil {
		return err
	}
	out, err := vp.Respond(e.ctx, e.http, req, ans)
	if err != nil {
		return fmt.Errorf("the verifier refused the presentation: %w", err)
	}
	fmt.Fprintln(e.stdout, "The verifier accepted the presentation.")
	next(e, out)
	return nil
}

// refuse tells a 1.0 verifier (whose request was authenticated) that the
// wallet cannot answer (§8.5: access_denied, "The Wallet did not have the
// requested Credentials"; vp_formats_not_supported), then fails with why.
func refuse(e *env, r *vp.Request, why error) error {
	if r.DCQL == nil {
		return why
	}
	code := vp.ErrorAccessDenied
	if errors.Is(why, vp.ErrNoFormat) {
		code = vp.ErrorVPFormatsNotSupported
	}
	if _, err := vp.Refuse(e.ctx, e.http, r, code, "the wallet holds no credential that answers the request"); err != nil {
		return fmt.Errorf("%w (telling the verifier failed too: %v)", why, err)
	}
	fmt.Fprintf(e.stdout, "The verifier was told %s.\n", code)
	return why
}

// describe shows what will be shared, with whom.
func describe(e *env, r *vp.Request, c *vp.Choice, key *wallet.Key) {
	w := e.stdout
	fmt.Fprintf(w, "Verifier: %s\n", wallet.Clip(r.ClientID))
	if r.Signer != "" {
		fmt.Fprintf(w, "          (its request is signed by %s)\n", wallet.Clip(r.Signer))
	}
	mode := r.ResponseMode
	if r.Encryption != nil {
		mode += ", encrypted to the verifier (" + r.Encryption.Enc + ")"
	}
	fmt.Fprintf(w, "Request:  %s, response mode %s, answer to %s\n", r.Dialect, mode, wallet.Clip(r.ResponseURI))
	if c.Queries != nil {
		describeDCQL(e, c, key)
		return
	}
	var def struct {
		Name    string `json:"name"`
		Purpose string `json:"purpose"`
	}
	_ = json.Unmarshal(r.Definition, &def)
	if def.Purpose != "" || def.Name != "" {
		fmt.Fprintf(w, "Purpose:  %s\n", wallet.Clip(strings.TrimSpace(def.Name+" — "+def.Purpose)))
	}
	fmt.Fprintln(w, "It will receive:")
	for i, s := range c.Credentials {
		v := view(s.Credential)
		fmt.Fprintf(w, "  credential %d: %s from %s (%s), for %s\n", s.N, strings.Join(types(v), ", "), wallet.Clip(issuerOf(v)),
			s.Format, strings.Join(c.Descriptors[i], ", "))
		cs, _ := v["credentialSubject"].(map[string]any)
		printClaims(e, cs, "    ")
	}
	fmt.Fprintf(w, "as a %s signed by %s (%s)\n", c.Format, key.DID, c.ProofType)
}

// describeDCQL lists, per credential query, the credential and exactly
// what of it the verifier receives.
func describeDCQL(e *env, c *vp.Choice, key *wallet.Key) {
	w := e.stdout
	fmt.Fprintln(w, "It will receive:")
	for _, q := range c.Queries {
		s := q.Credential
		v := view(s.Credential)
		fmt.Fprintf(w, "  credential %d for %s: %s from %s (%s)\n", s.N, wallet.Clip(q.QueryID), strings.Join(types(v), ", "),
			wallet.Clip(issuerOf(v)), s.Format)
		switch s.Format {
		case vp.FormatSDJWT:
			shared := map[string]any{}
			for k, val := range q.Shared {
				if !registered[k] {
					shared[k] = val
				}
			}
			printClaims(e, shared, "    ")
			if len(q.Withheld) > 0 {
				fmt.Fprintf(w, "    not shared: %s\n", strings.Join(q.Withheld, ", "))
			}
			fmt.Fprintf(w, "    presented as the SD-JWT VC with those disclosures and a KB-JWT signed by the wallet's key (%s)\n", key.Alg)
		case "jwt_vc_json":
			printClaims(e, q.Shared, "    ")
			fmt.Fprintf(w, "    (the whole credential: a VC-JWT has no selective disclosure), in a jwt_vp_json signed by %s (%s)\n", key.DID, key.Alg)
		default:
			printClaims(e, q.Shared, "    ")
			fmt.Fprintf(w, "    (the whole credential), in an ldp_vp signed by %s (%s)\n", key.DID, q.ProofType)
		}
	}
}

// registered are the SD-JWT VC claims about the credential itself, not
// its subject: always sent, not listed.
var registered = map[string]bool{"iss": true, "vct": true, "cnf": true, "iat": true, "exp": true, "nbf": true, "status": true, "vct#integrity": true}

// files is a repeatable flag of file names.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

// confirm asks on stdin; anything but yes declines.
func confirm(e *env) bool {
	fmt.Fprint(e.stdout, "Share? [y/N] ")
	line, _ := bufio.NewReader(e.stdin).ReadString('\n')
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes"
}

// next says where the browser goes.
func next(e *env, o *vp.Outcome) {
	if o.RedirectTo != "" {
		fmt.Fprintf(e.stdout, "Open this in the browser that started the login:\n%s\n", o.RedirectTo)
		return
	}
	fmt.Fprintln(e.stdout, "The page that showed the QR code goes on by itself.")
}
