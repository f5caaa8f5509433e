package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Options are the command line, with the environment filled in where a flag
// is absent (flags win over the environment, the environment over the file).
type Options struct {
	ConfigPath string
	Listen     string
	PublicURL  string
	RedisURL   string
}

// errHelp and errVersion are asked-for exits (0), not usage errors.
var (
	errHelp    = errors.New("help")
	errVersion = errors.New("version")
)

// serviceFlag is one flag of the service: its environment variable and
// its default are listed in the help beside it.
type serviceFlag struct {
	name, arg, env, def, usage string
	value                      func(*Options) *string
}

var serviceFlags = []serviceFlag{
	{"config", "FILE", "VERIFIER_CONFIG", "config.yaml", "the configuration file",
		func(o *Options) *string { return &o.ConfigPath }},
	{"listen", "HOST:PORT", "VERIFIER_LISTEN", "the file's listen, else 127.0.0.1:8080", "the address to listen on",
		func(o *Options) *string { return &o.Listen }},
	{"public-url", "URL", "VERIFIER_PUBLIC_URL", "the file's public_url, else http:// + the listen address",
		"the base URL wallets and browsers reach the service at (client_id, response_uri, every URL handed out)",
		func(o *Options) *string { return &o.PublicURL }},
	{"redis", "URL", "VERIFIER_REDIS_URL", "the file's redis.url, else the embedded store",
		"the Redis session store, redis://[user:password@]host:port/db",
		func(o *Options) *string { return &o.RedisURL }},
}

// usage is `verifier --help`.
func usage() string {
	var b strings.Builder
	b.WriteString(`usage: verifier [flags]                 run the service
       verifier verify FILE [flags]     verify a presentation or credential offline
       verifier healthcheck [flags]     ask a running instance whether it is healthy
       verifier webhooks secret         print a new webhook signing secret
       verifier version                 print the version and build information

Login with IOTA: an OpenID for Verifiable Presentations verifier that
websites ask to log their users in with a wallet's credentials.

Flags (a flag wins over its environment variable, which wins over the
config file):
`)
	for _, f := range serviceFlags {
		fmt.Fprintf(&b, "  --%s %s\n      %s.\n      env %s; default %s.\n", f.name, f.arg, f.usage, f.env, f.def)
	}
	b.WriteString(`  --version
      print the version and exit.
  --help
      print this text and exit.

Subcommands (each has its own --help):
  verify       check a presentation, credential or wallet answer offline with
               the service's checks and config; --now sets the time.
  healthcheck  GET /healthz of a running instance (for a container's
               HEALTHCHECK); exit 0 when healthy, 1 when not.
  webhooks     "webhooks secret": a new signing secret for the webhooks
               section (whsec_…, 32 bytes from crypto/rand).
  version      the version, VCS revision and Go version of this build.

Every other setting is in the config file; the repository's config.yaml
documents each key and its default. Exit status: 0 after a clean
shutdown, 1 when the service cannot start, 2 for a usage error.
`)
	return b.String()
}

func parseFlags(args []string, getenv func(string) string) (Options, error) {
	var o Options
	fs := flag.NewFlagSet("verifier", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, f := range serviceFlags {
		def := ""
		if f.name == "config" {
			def = f.def
		}
		fs.StringVar(f.value(&o), f.name, def, f.usage)
	}
	showVersion := fs.Bool("version", false, "print the version")
	const short = "(verifier --help lists the flags)"
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, errHelp
		}
		return o, fmt.Errorf("%v %s", err, short)
	}
	if *showVersion {
		return o, errVersion
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q %s", fs.Arg(0), short)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, f := range serviceFlags {
		if !set[f.name] {
			if v := getenv(f.env); v != "" {
				*f.value(&o) = v
			}
		}
	}
	return o, nil
}
