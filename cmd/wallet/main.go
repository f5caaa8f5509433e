// Command wallet is a small holder wallet for Login with IOTA: it receives
// credentials from an OpenID4VCI issuer and presents them to an OpenID4VP
// verifier.
//
//	wallet [--home DIR] receive OFFER [--tx-code CODE] [--qr FILE]
//	wallet [--home DIR] list
//	wallet [--home DIR] show N
//	wallet [--home DIR] present REQUEST [--yes] [--qr FILE] [--draft-20] [--trust-anchor FILE]
//	wallet [--home DIR] did
//
// OFFER is an openid-credential-offer:// URI, REQUEST an openid4vp:// (or
// openid://) URI; --qr reads either from a QR code image (PNG or JPEG)
// instead. present answers every dialect of OID4VP the verifier speaks:
// 1.0 (DCQL, signed request objects by request_uri, POSTed with the
// wallet's metadata; direct_post and direct_post.jwt), draft 20 and the
// Login-with-IOTA profile (Presentation Exchange); --draft-20 GETs a
// request_uri instead, which a one-QR (1.0+draft-20) login answers with
// its draft-20 request; --trust-anchor names roots for verifiers signing
// under x509_san_dns / x509_hash (also: trust-anchors.pem in the home). The holder's key and credentials live in --home (default: the
// user's config directory, login-with-iota-wallet), every file 0600; the
// private key is never printed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/loginwithiota/verifier/wallet"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage:
  wallet [--home DIR] receive OFFER [--tx-code CODE] [--qr FILE]
  wallet [--home DIR] list
  wallet [--home DIR] show N
  wallet [--home DIR] present REQUEST [--yes] [--qr FILE] [--draft-20] [--trust-anchor FILE]
  wallet [--home DIR] did`

// env is what a command works with.
type env struct {
	ctx    context.Context
	home   wallet.Home
	http   *wallet.HTTP
	stdin  io.Reader
	stdout io.Writer
}

// run is main without the process: tests call it. Exit codes: 0 done, 1
// failed, 2 usage.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	global := flag.NewFlagSet("wallet", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	home := global.String("home", "", "wallet directory")
	if err := global.Parse(args); err != nil || global.NArg() == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	cmd, rest := global.Arg(0), global.Args()[1:]
	commands := map[string]func(*env, []string, *string) error{
		"receive": receive, "list": list, "show": show, "present": present, "did": showDID,
	}
	f, ok := commands[cmd]
	if !ok {
		fmt.Fprintf(stderr, "wallet: unknown command %q\n%s\n", cmd, usage)
		return 2
	}
	e := &env{ctx: ctx, http: wallet.NewHTTP(), stdin: stdin, stdout: stdout}
	err := f(e, rest, home)
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "wallet %s: %v\n%s\n", cmd, err, usage)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "wallet %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// usageError is a mistake in the command line.
type usageError struct{ error }

// parse parses a command's flags, which may stand before or after its
// positional arguments ("receive OFFER --tx-code 123456"), and sets up
// the home directory.
func (e *env) parse(fs *flag.FlagSet, args []string, home *string) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.StringVar(home, "home", *home, "wallet directory")
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError{err}
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	dir := *home
	if dir == "" {
		var err error
		if dir, err = wallet.DefaultDir(); err != nil {
			return nil, err
		}
	}
	e.home = wallet.Home{Dir: dir}
	return positional, nil
}
