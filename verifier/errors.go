package verifier

import (
	"time"

	"github.com/loginwithiota/verifier/oauth"
)

// The verifier answers with *oauth.Error only; these build the ones it
// uses most. Descriptions are fixed texts naming what the caller can act
// on; causes go in WithCause, to the log.

func invalidRequest(reason, format string, args ...any) *oauth.Error {
	return oauth.Invalid(reason, format, args...)
}

func notFound(format string, args ...any) *oauth.Error {
	return oauth.Newf(oauth.NotFound, "", format, args...)
}

// storeRetryAfter is what a client is asked to wait when the store is down.
const storeRetryAfter = 5 * time.Second

func unavailable(cause error) *oauth.Error {
	return oauth.Unavailable("the session store is unavailable, try again shortly", storeRetryAfter, cause)
}

func serverError(cause error) *oauth.Error { return oauth.Server(cause) }

// errUnauthorized is answered for a status read without a valid token; it
// is the same for an unknown session so nothing is revealed.
func errUnauthorized() *oauth.Error {
	return oauth.New(oauth.Unauthorized, "", "a valid status token or session cookie is required")
}
