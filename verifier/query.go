package verifier

import (
	"context"

	"github.com/loginwithiota/verifier/dcql"
	"github.com/loginwithiota/verifier/oauth"
)

// query selects, in a wallet's answer, the credentials a login asks for:
// Presentation Exchange (query_pex.go) or DCQL (query_dcql.go). What a
// query returns is all the pipeline verifies and all the website is told
// about.
type query interface {
	match(ctx context.Context, a *answer, in queryInput) ([]match, *oauth.Error)
}

// queryInput is what a query needs beside the answer's vp_token.
type queryInput struct {
	// submission is presentation_submission as posted (PEX).
	submission string
	// status reports credential status for PEX statuses constraints.
	status *statusMemo
}

// match is one credential a query selected, by where it is in the answer.
type match struct {
	// queryID is the input descriptor (or credential query) it answers.
	queryID string
	// presentation indexes answer.presentations; credential that
	// presentation's creds.
	presentation, credential int
	// format is the credential format the wallet declared.
	format string
	// cq is the DCQL credential query answered (nil for PEX) and
	// claimSet the claim set it satisfied (-1: none): what the website is
	// told of the credential is what they ask for (dcql.SelectClaims).
	cq       *dcql.CredentialQuery
	claimSet int
}
