package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Options are the command line, with the environment where a flag is absent.
type Options struct {
	ConfigPath string
	Listen     string
	PublicURL  string
	RedisURL   string
	// APIKey is ISSUER_API_KEY (there is no flag for it).
	APIKey string
}

const usage = "usage: issuer [--config FILE] [--listen HOST:PORT] [--public-url URL] [--redis URL]"

func parseFlags(args []string, getenv func(string) string) (Options, error) {
	var o Options
	fs := flag.NewFlagSet("issuer", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.ConfigPath, "config", "issuer.yaml", "configuration file")
	fs.StringVar(&o.Listen, "listen", "", "listen address HOST:PORT (overrides the config)")
	fs.StringVar(&o.PublicURL, "public-url", "", "the credential issuer identifier: the base URL wallets reach the issuer at")
	fs.StringVar(&o.RedisURL, "redis", "", "Redis store URL redis://host:port/db (default: in memory)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, errors.New(usage)
		}
		return o, fmt.Errorf("%v (%s)", err, usage)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (%s)", fs.Arg(0), usage)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["listen"] {
		o.Listen = getenv("ISSUER_LISTEN")
	}
	if !set["public-url"] {
		o.PublicURL = getenv("ISSUER_PUBLIC_URL")
	}
	if !set["redis"] {
		o.RedisURL = getenv("ISSUER_REDIS_URL")
	}
	o.APIKey = getenv("ISSUER_API_KEY")
	return o, nil
}
