package main

import (
	"fmt"
	"io"

	"github.com/loginwithiota/verifier/webhook"
)

// runWebhooks is "verifier webhooks …": the operator's tools for the
// webhooks section (docs/webhooks.md).
func runWebhooks(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && args[0] == "secret" {
		// A signing secret for webhooks.secrets or an endpoint's secrets,
		// from crypto/rand, in Standard Webhooks' form.
		fmt.Fprintln(stdout, webhook.NewSecret())
		return 0
	}
	fmt.Fprintln(stderr, "usage: verifier webhooks secret    print a new signing secret (whsec_…)")
	return 2
}
