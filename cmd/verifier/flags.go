package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Options are the command line, with the environment filled in where a flag
// is absent (flags win over the environment, the environment over the file).
type Options struct {
	ConfigPath string
	Listen     string
	PublicURL  string
	RedisURL   string
}

func parseFlags(args []string, getenv func(string) string) (Options, error) {
	var o Options
	fs := flag.NewFlagSet("verifier", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.ConfigPath, "config", "config.yaml", "configuration file")
	fs.StringVar(&o.Listen, "listen", "", "listen address HOST:PORT (overrides the config)")
	fs.StringVar(&o.PublicURL, "public-url", "", "base URL wallets and browsers use to reach the service")
	fs.StringVar(&o.RedisURL, "redis", "", "Redis session store URL redis://host:port/db (default: embedded store)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, errors.New("usage: verifier [--config FILE] [--listen HOST:PORT] [--public-url URL] [--redis URL]")
		}
		return o, fmt.Errorf("%v (usage: verifier [--config FILE] [--listen HOST:PORT] [--public-url URL] [--redis URL])", err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (usage: verifier [--config FILE] [--listen HOST:PORT] [--public-url URL] [--redis URL])", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["listen"] {
		o.Listen = getenv("VERIFIER_LISTEN")
	}
	if !set["public-url"] {
		o.PublicURL = getenv("VERIFIER_PUBLIC_URL")
	}
	if !set["redis"] {
		o.RedisURL = getenv("VERIFIER_REDIS_URL")
	}
	return o, nil
}
