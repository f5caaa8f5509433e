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

// adapterOf picks the adapter of a presentation: SD-JWT VC, none for a
// credential presented bare, JWT or linked data.
func (v *Verifier) adapterOf(p *presented) formatAdapter {
	switch {
	case p.sd != nil:
		return sdjwtAdapter{v}
	case p.bare:
		return bareAdapter{}
	case p.jwt != nil:
		return jwtAdapter{v}
	}
	return ldpAdapter{v}
}

// credentialAdapter picks the adapter of a credential.
func (v *Verifier) credentialAdapter(cr *credentialCheck) formatAdapter {
	switch {
	case cr.sd != nil || cr.pres != nil && cr.pres.sd != nil:
		return sdjwtAdapter{v}
	case cr.jwt != nil:
		return jwtAdapter{v}
	}
	return ldpAdapter{v}
}

// bareAdapter is the presentation side of a credential presented without
// a presentation (DCQL, require_cryptographic_holder_binding false): no
// proof of a holder to check, and none is claimed.
type bareAdapter struct{}

func (bareAdapter) presentation(_ context.Context, c *checker, _ *checkParams, pc *presentationCheck) bool {
	pc.unbound = true
	c.skip(StepVPProof, pc.target, "signature", "a credential presented without a presentation")
	return false
}

func (bareAdapter) credential(context.Context, *checker, *checkParams, *credentialCheck) bool {
	return false
}
