package verifier

import "context"

// formatAdapter verifies one family of presentation and credential
// formats: the presentation's own proof (holder authentication, nonce,
// audience or domain), and one credential's proof by its issuer. Adding a
// format (SD-JWT VC) is adding an adapter file. Each method records its
// checks on c and reports whether the pipeline must stop.
type formatAdapter interface {
	presentation(ctx context.Context, c *checker, p *checkParams, pc *presentationCheck) (stop bool)
	credential(ctx context.Context, c *checker, p *checkParams, cr *credentialCheck) (stop bool)
}

// adapterOf picks the adapter of a presentation or credential: JWT or
// linked data.
func (v *Verifier) adapterOf(isJWT bool) formatAdapter {
	if isJWT {
		return jwtAdapter{v}
	}
	return ldpAdapter{v}
}
