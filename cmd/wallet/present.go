package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
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
	pos, err := e.parse(fs, args, home)
	if err != nil {
		return err
	}
	uri, err := oneInput(pos, *qrFile, "REQUEST")
	if err != nil {
		return err
	}
	req, err := vp.Parse(e.ctx, e.http, uri)
	if err != nil {
		return err
	}
	creds, err := e.home.List()
	if err != nil {
		return err
	}
	key, err := e.home.Key("")
	if err != nil {
		return err
	}
	choice, err := vp.Choose(req, creds, key)
	if err != nil {
		return err
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

// describe shows what will be shared, with whom.
func describe(e *env, r *vp.Request, c *vp.Choice, key *wallet.Key) {
	w := e.stdout
	fmt.Fprintf(w, "Verifier: %s\n", wallet.Clip(r.ClientID))
	fmt.Fprintf(w, "Request:  %s, response mode %s, answer to %s\n", r.Dialect, r.ResponseMode, wallet.Clip(r.ResponseURI))
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
		names := make([]string, 0, len(cs))
		for k := range cs {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			val, _ := json.Marshal(cs[k])
			fmt.Fprintf(w, "    %s: %s\n", wallet.Clip(k), wallet.Clip(string(val)))
		}
	}
	fmt.Fprintf(w, "as a %s signed by %s (%s)\n", c.Format, key.DID, c.ProofType)
}

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
