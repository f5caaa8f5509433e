package verifier

import (
	"fmt"
	"slices"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/ldproof"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/session"
)

// Report is every check of a verification, passed or failed, with why.
// The service and `verifier verify` run the same checks; the service stops
// at the first failure and answers with its reason, a report goes on.
type Report struct {
	// Valid is true when no check failed.
	Valid bool `json:"valid"`
	// Kind is what was checked: "presentation", "presentations" (an array,
	// as vp_token may be), "credential", or "document" (signed, but neither).
	Kind string `json:"kind"`
	// Reason is the service's reason for the first failure ("" if valid).
	Reason string `json:"reason,omitempty"`
	// Pinned lists the DIDs whose operator-pinned documents supplied keys.
	Pinned []string `json:"pinned_documents,omitempty"`
	// Formats are the presentation formats checked (ldp_vp, jwt_vp_json).
	Formats []string `json:"formats,omitempty"`
	// DIDMethods are the DID methods of the holder and issuers met.
	DIDMethods []string `json:"did_methods,omitempty"`
	Checks     []Check  `json:"checks"`
	// Result is what a website would learn, when valid.
	Result *session.Result `json:"result,omitempty"`
}

// Check is one check of a report.
type Check struct {
	// Step is the pipeline step (README "What it does"): "input", "pex",
	// "vp_proof", "vc_proof", "issuer", "holder_binding", "validity",
	// "trusted_issuer", "status".
	Step string `json:"step"`
	// Target names the object: "presentation 0", "presentation 0 proof 1",
	// "presentation 0 credential 2 proof 0", "credential 0".
	Target string `json:"target"`
	// Check names the check within the step (for proofs, ldproof's check
	// names: signature, challenge, domain, …).
	Check string `json:"check"`
	// Status is StatusPassed, StatusFailed or StatusSkipped (not made: an
	// earlier check it needs failed, or nothing asked for it).
	Status string `json:"status"`
	// Reason is the service's reason code for this failure; Code the proof
	// library's, when it has one.
	Reason string `json:"reason,omitempty"`
	Code   string `json:"code,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Check statuses.
const (
	StatusPassed  = "passed"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// Report steps.
const (
	StepInput         = "input"
	StepPEX           = "pex"
	StepVPProof       = "vp_proof"
	StepVCProof       = "vc_proof"
	StepIssuer        = "issuer"
	StepHolderBinding = "holder_binding"
	StepValidity      = "validity"
	StepTrustedIssuer = "trusted_issuer"
	StepStatus        = "status"
)

// checker collects checks. failFast (the service) makes the pipeline stop
// at the first failure, whose error is then the answer.
type checker struct {
	failFast bool
	checks   []Check
	first    *oauth.Error
	pinned   []string
	// formats and didMethods are what the result and report list.
	formats, didMethods []string
}

func (c *checker) noteFormat(f string) {
	if !slices.Contains(c.formats, f) {
		c.formats = append(c.formats, f)
	}
}

// noteDID records the method of a DID met (holder, issuer), kept sorted.
func (c *checker) noteDID(id string) {
	m, err := did.Method(id)
	if err != nil || slices.Contains(c.didMethods, m) {
		return
	}
	c.didMethods = append(c.didMethods, m)
	slices.Sort(c.didMethods)
}

// pass records a passed check. The service (failFast) keeps no record of
// what passed: only a report shows it.
func (c *checker) pass(step, target, check, detail string) {
	if c.failFast {
		return
	}
	c.checks = append(c.checks, Check{Step: step, Target: target, Check: check, Status: StatusPassed, Detail: detail})
}

// skip records a check that was not made, and why.
func (c *checker) skip(step, target, check, why string) {
	if c.failFast {
		return
	}
	c.checks = append(c.checks, Check{Step: step, Target: target, Check: check, Status: StatusSkipped, Detail: why})
}

// fail records a failed check; it reports whether the pipeline must stop.
func (c *checker) fail(step, target, check string, e *oauth.Error) bool {
	if !c.failFast {
		c.checks = append(c.checks, Check{Step: step, Target: target, Check: check, Status: StatusFailed, Reason: e.Reason(), Detail: e.Description()})
	}
	return c.failed(e)
}

// failed notes e as the first failure (if none yet) without recording a
// check: for failures whose checks were recorded one by one.
func (c *checker) failed(e *oauth.Error) bool {
	if c.first == nil {
		c.first = e
	}
	return c.failFast
}

func (c *checker) notePinned(id string) {
	if id != "" && !slices.Contains(c.pinned, id) {
		c.pinned = append(c.pinned, id)
	}
}

// proofChecks records every check of every proof of one document and
// returns the results; err (the first failure, as ldproof reports it) is
// turned into the service's error by the caller.
func (c *checker) proofChecks(step, target string, results []ldproof.ProofResult, err error, reasonOf func(code string) string) {
	if c.failFast {
		return
	}
	if len(results) == 0 && err != nil { // no proof to speak of
		c.checks = append(c.checks, Check{Step: step, Target: target, Check: "proof", Status: StatusFailed,
			Reason: reasonOf(ldproof.Code(err)), Code: ldproof.Code(err), Detail: err.Error()})
		return
	}
	for _, r := range results {
		pt := fmt.Sprintf("%s proof %d", target, r.Index)
		for _, ch := range r.Checks {
			out := Check{Step: step, Target: pt, Check: ch.Name, Code: ch.Code, Detail: ch.Detail}
			switch {
			case ch.Passed:
				out.Status, out.Detail = StatusPassed, passDetail(ch.Name, r)
			case ch.Skipped:
				out.Status = StatusSkipped
			default:
				out.Status, out.Reason = StatusFailed, reasonOf(ch.Code)
			}
			c.checks = append(c.checks, out)
		}
		if r.Pinned && r.Err == nil {
			c.notePinned(r.Controller)
		}
	}
}

// passDetail says what a passed proof check established.
func passDetail(name string, r ldproof.ProofResult) string {
	typ := r.Type
	if r.Cryptosuite != "" {
		typ += "/" + r.Cryptosuite
	}
	switch name {
	case ldproof.CheckProofType:
		return typ
	case ldproof.CheckVerificationMethod:
		d := fmt.Sprintf("key %s of %s", r.VerificationMethod, r.Controller)
		if r.Pinned {
			d += ", from an operator-pinned DID document"
		}
		return d
	case ldproof.CheckSignature:
		return "valid " + typ + " signature"
	}
	return ""
}

// report turns the collected checks into a Report.
func (c *checker) report(kind string, result *session.Result) *Report {
	r := &Report{Kind: kind, Checks: c.checks, Pinned: c.pinned, Valid: c.first == nil, Formats: c.formats, DIDMethods: c.didMethods}
	if c.first != nil {
		r.Reason = c.first.Reason()
	} else {
		r.Result = result
	}
	if r.Checks == nil {
		r.Checks = []Check{}
	}
	return r
}
