package oidcbridge

import (
	"context"
	"errors"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// Errors handed to zitadel/oidc carry no parent: on some paths the library
// writes err.Error() to the client, and a parent's text (a Redis address, a
// library's message) must never reach it. The cause goes to our log here.

// errInvalidToken is RFC 6750's code for a missing, expired or revoked
// access token; zitadel/oidc has no constructor for it.
func errInvalidToken(desc string) *oidc.Error {
	return &oidc.Error{ErrorType: "invalid_token", Description: desc}
}

// errTypeUnavailable is RFC 6749 §4.1.2.1's code for a store that is down.
const errTypeUnavailable = "temporarily_unavailable"

func temporarilyUnavailable() *oidc.Error {
	return &oidc.Error{ErrorType: errTypeUnavailable, Description: "the login service is temporarily unavailable; try again"}
}

// storeFault maps a store error on op to what a client may see, logging the
// cause: a missing record becomes notFound, anything else a server fault.
func (p *Provider) storeFault(ctx context.Context, op string, err error, notFound *oidc.Error) *oidc.Error {
	if errors.Is(err, ErrNotFound) {
		return notFound
	}
	if e := new(oidc.Error); errors.As(err, &e) {
		return e // refused by our own update function
	}
	p.log.ErrorContext(ctx, "oidc store", "op", op, "err", err)
	if errors.Is(err, ErrUnavailable) {
		return temporarilyUnavailable()
	}
	return oidc.ErrServerError().WithDescription("the login service failed; try again")
}
