package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/loginwithiota/verifier/jwtvc"
	"github.com/loginwithiota/verifier/sdjwt"
	"github.com/loginwithiota/verifier/wallet"
)

func list(e *env, args []string, home *string) error {
	pos, err := e.parse(flag.NewFlagSet("list", flag.ContinueOnError), args, home)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError{fmt.Errorf("list takes no arguments")}
	}
	creds, err := e.home.List()
	if err != nil {
		return err
	}
	if len(creds) == 0 {
		fmt.Fprintln(e.stdout, "No credentials yet: wallet receive OFFER")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "N\tTYPE\tFORMAT\tISSUER\tRECEIVED")
	for _, c := range creds {
		v := view(c.Credential)
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", c.N, strings.Join(types(v), ", "), c.Format, wallet.Clip(issuerOf(v)), c.ReceivedAt.Format("2006-01-02 15:04"))
	}
	return w.Flush()
}

func show(e *env, args []string, home *string) error {
	pos, err := e.parse(flag.NewFlagSet("show", flag.ContinueOnError), args, home)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{fmt.Errorf("show takes one credential number (see wallet list)")}
	}
	n, err := strconv.Atoi(pos[0])
	if err != nil || n <= 0 {
		return usageError{fmt.Errorf("%q is not a credential number", pos[0])}
	}
	c, err := e.home.Get(n)
	if err != nil {
		return err
	}
	out := map[string]any{"format": c.Format, "issuer": c.Issuer, "configuration": c.Configuration,
		"received_at": c.ReceivedAt, "issuer_signature_verified": c.Verified}
	if tok, ok := c.Credential.Credential.(string); ok && c.Format == formatSDJWT {
		if t, err := sdjwt.Parse(tok, sdjwt.Options{}); err == nil {
			out["sd_jwt_claims"] = t.Claims()
			var disclosable []string
			for _, d := range t.Disclosures() {
				disclosable = append(disclosable, d.Name)
			}
			out["selectively_disclosable"] = disclosable
		}
		out["sd_jwt"] = tok
	} else if ok {
		_, claims, _ := jwtvc.Peek(tok)
		out["jwt_payload"] = claims
		out["jwt"] = tok
	} else {
		out["credential"] = c.Credential.Credential
	}
	raw, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, string(raw))
	return nil
}

func showDID(e *env, args []string, home *string) error {
	if _, err := e.parse(flag.NewFlagSet("did", flag.ContinueOnError), args, home); err != nil {
		return err
	}
	key, err := e.home.Key("")
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, key.DID)
	return nil
}

// formatSDJWT is the SD-JWT VC format.
const formatSDJWT = "dc+sd-jwt"

// view is a credential as a JSON object: an ldp_vc itself, a JWT's vc
// claim with iss as issuer, an SD-JWT VC's claims (every disclosure) as
// credentialSubject with its vct as type.
func view(c wallet.Credential) map[string]any {
	if tok, ok := c.Credential.(string); ok && c.Format == formatSDJWT {
		t, err := sdjwt.Parse(tok, sdjwt.Options{})
		if err != nil {
			return nil
		}
		cl := t.Claims()
		subject := map[string]any{}
		for k, v := range cl {
			if !registered[k] {
				subject[k] = v
			}
		}
		return map[string]any{"type": []any{cl["vct"]}, "issuer": cl["iss"], "credentialSubject": subject}
	}
	if tok, ok := c.Credential.(string); ok {
		_, claims, err := jwtvc.Peek(tok)
		if err != nil {
			return nil
		}
		vc, _ := claims["vc"].(map[string]any)
		out := map[string]any{}
		for k, v := range vc {
			out[k] = v
		}
		if out["issuer"] == nil {
			out["issuer"] = claims["iss"]
		}
		return out
	}
	m, _ := c.Credential.(map[string]any)
	return m
}

func types(v map[string]any) []string {
	var out []string
	list, _ := v["type"].([]any)
	for _, t := range list {
		if s, ok := t.(string); ok && s != "VerifiableCredential" {
			out = append(out, wallet.Clip(s))
		}
	}
	return out
}

func issuerOf(v map[string]any) string {
	switch i := v["issuer"].(type) {
	case string:
		return i
	case map[string]any:
		s, _ := i["id"].(string)
		return s
	}
	return ""
}

// printClaims prints an object's members, sorted, safe for a terminal.
func printClaims(e *env, claims map[string]any, indent string) {
	for _, k := range slices.Sorted(maps.Keys(claims)) {
		val, _ := json.Marshal(claims[k])
		fmt.Fprintf(e.stdout, "%s%s: %s\n", indent, wallet.Clip(k), wallet.Clip(string(val)))
	}
}
