package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/session/memory"
	"github.com/loginwithiota/verifier/verifier"
)

const verifyUsage = `usage: verifier verify FILE [--challenge N] [--domain D] [--definition ID] [--now TIME] [--config FILE]

Verifies a presentation (JSON-LD, or a JWT), an array of them (a vp_token),
a credential (JSON-LD, or a JWT), or a wallet's whole answer (JSON with
vp_token and presentation_submission, or the form-encoded body it posted)
offline, with the service's checks and config, and prints a JSON report of
every check, the formats, DID methods and credential statuses included.
FILE "-" reads standard input. --now (RFC 3339, e.g. 2026-01-02T15:04:05Z)
verifies as of that time instead of now: validity periods, proof and
status list dates. The config (--config, else VERIFIER_CONFIG, else
./config.yaml if there is one, else the defaults) needs no
presentation_definitions here.

Exit status: 0 valid, 1 invalid, 2 usage error.
`

// runVerify is `verifier verify`.
func runVerify(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runVerifyEnv(ctx, args, os.Getenv, stdin, stdout, stderr)
}

func runVerifyEnv(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var challenge, domain, definition, configPath, now string
	fs.StringVar(&now, "now", "", "the verification time, RFC 3339 (default: now)")
	fs.StringVar(&challenge, "challenge", "", "the challenge (session nonce) VP proofs must carry")
	fs.StringVar(&domain, "domain", "", "the domain (client_id) VP proofs must carry")
	fs.StringVar(&definition, "definition", "", "a configured presentation definition id")
	fs.StringVar(&configPath, "config", "", "the config file (default config.yaml if present)")
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "verifier verify: "+format+"\n%s", append(a, verifyUsage)...)
		return 2
	}
	// Flags may come before or after FILE.
	var files []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, verifyUsage)
				return 0
			}
			return usage("%v", err)
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 1 {
		return usage("want exactly one FILE, got %d", len(files))
	}
	var at time.Time
	if now != "" {
		t, err := time.Parse(time.RFC3339, now)
		if err != nil {
			return usage("--now %q: want an RFC 3339 time like 2026-01-02T15:04:05Z", now)
		}
		at = t
	}
	input, err := readInput(files[0], stdin)
	if err != nil {
		return usage("%v", err)
	}
	if configPath == "" {
		configPath = getenv("VERIFIER_CONFIG")
	}
	v, err := offlineVerifier(configPath, at)
	if err != nil {
		return usage("%s", oneLine(err))
	}
	report, err := v.Check(ctx, verifier.CheckRequest{Input: input, Challenge: challenge, Domain: domain, DefinitionID: definition, Now: at})
	if err != nil {
		return usage("%v", err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(report); err != nil {
		fmt.Fprintf(stderr, "verifier verify: %v\n", err)
		return 2
	}
	if !report.Valid {
		for _, c := range report.Checks {
			if c.Status == verifier.StatusFailed {
				fmt.Fprintf(stderr, "invalid: %s %s %s: %s\n", c.Target, c.Step, c.Check, c.Detail)
				break
			}
		}
		return 1
	}
	fmt.Fprintln(stderr, "valid")
	return 0
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	const limit = 16 << 20
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	raw, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
	}
	return raw, nil
}

// offlineVerifier builds the service's verifier from the config (the named
// file, else ./config.yaml if there is one, else the defaults), on an
// in-memory store it will not use.
func offlineVerifier(configPath string, now time.Time) (*verifier.Verifier, error) {
	var cfg *config.Config
	load := func(path string) (*config.Config, error) {
		return config.LoadWith(path, config.Options{DefinitionsOptional: true})
	}
	switch {
	case configPath != "":
		c, err := load(configPath)
		if err != nil {
			return nil, err
		}
		cfg = c
	default:
		configPath = "config.yaml"
		if _, err := os.Stat(configPath); err == nil {
			c, err := load(configPath)
			if err != nil {
				return nil, err
			}
			cfg = c
		} else {
			cfg = &config.Config{}
			cfg.ApplyDefaults()
		}
	}
	dids, proofs, statusOpts, err := proofSetup(cfg, configPath, nil)
	if err != nil {
		return nil, cfg.Locate(err)
	}
	defs := make([]verifier.Definition, 0, len(cfg.Definitions))
	for _, d := range cfg.Definitions {
		defs = append(defs, verifier.Definition{ID: d.ID, PEX: d.PEX, DCQL: d.DCQL, DCQLJSON: d.DCQLJSON,
			TrustedIssuers: d.TrustedIssuers, AllowWarnings: d.AllowWarnings})
	}
	publicURL := strings.TrimRight(cfg.PublicURL, "/")
	if publicURL == "" {
		publicURL = "http://" + cfg.Listen
	}
	clock := time.Now
	if !now.IsZero() {
		clock = func() time.Time { return now }
	}
	return verifier.New(verifier.Config{
		Now:         clock,
		PublicURL:   publicURL,
		ClockSkew:   cfg.Policy.ClockSkew.Std(),
		Definitions: defs,
		Proofs:      proofs,
		Status:      statusOpts,
		Limits:      limits(cfg.Verification),
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, memory.New(memory.Options{}), dids)
}
