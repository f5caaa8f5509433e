package verifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/pex"
	"github.com/loginwithiota/verifier/session"
	"github.com/loginwithiota/verifier/status"
)

// statusMemo checks each credential's status once per verification:
// Presentation Exchange's statuses constraints (step 3) and the status
// step (7) ask about the same credentials, and a status list is not
// fetched twice for them.
type statusMemo struct {
	checker *status.Checker
	dids    did.Resolver // the verification's own, each DID resolved once
	mu      sync.Mutex
	done    map[string]statusOutcome
}

type statusOutcome struct {
	report status.Report
	err    error
}

func (v *Verifier) newStatusMemo(keys didKeys) *statusMemo {
	return &statusMemo{checker: v.status, dids: keys.dids, done: map[string]statusOutcome{}}
}

// check returns the status of credential (a JSON credential, or a JWT
// credential decoded: its issuer and credentialStatus are what count).
func (m *statusMemo) check(ctx context.Context, credential map[string]any) (status.Report, error) {
	raw, _ := json.Marshal([]any{credential["issuer"], credential["credentialStatus"]})
	key := string(raw)
	m.mu.Lock()
	out, ok := m.done[key]
	m.mu.Unlock()
	if ok {
		return out.report, out.err
	}
	out.report, out.err = m.checker.CheckWith(ctx, credential, m.dids)
	m.mu.Lock()
	m.done[key] = out
	m.mu.Unlock()
	return out.report, out.err
}

// pexStatus feeds Presentation Exchange's statuses constraints. types,
// when not empty, are the status methods the definition names: entries
// of other types are ignored, and a credential with none of them has an
// unknown status. A credential with no credentialStatus at all cannot be
// revoked or suspended: it is active.
func (m *statusMemo) pexStatus(ctx context.Context) pex.StatusFunc {
	return func(credential map[string]any, types []string) (pex.Status, error) {
		rep, _ := m.check(ctx, credential)
		if len(rep.Results) == 0 {
			if credential["credentialStatus"] == nil {
				return pex.StatusActive, nil
			}
			return pex.StatusUnknown, nil
		}
		worst, matched := status.Active, false
		for _, r := range rep.Results {
			if len(types) > 0 && !slices.ContainsFunc(types, func(t string) bool { return sameStatusType(t, r.Type) }) {
				continue
			}
			matched = true
			if severity(r.State) > severity(worst) {
				worst = r.State
			}
		}
		if !matched {
			return pex.StatusUnknown, nil
		}
		switch worst {
		case status.Active:
			return pex.StatusActive, nil
		case status.Suspended:
			return pex.StatusSuspended, nil
		case status.Revoked:
			return pex.StatusRevoked, nil
		}
		return pex.StatusUnknown, nil
	}
}

// sameStatusType: a definition may name the entry type
// (StatusList2021Entry) or the list type (StatusList2021).
func sameStatusType(named, entry string) bool {
	return named == entry || named == strings.TrimSuffix(entry, "Entry")
}

func severity(s status.State) int {
	switch s {
	case status.Active:
		return 0
	case status.Unknown:
		return 1
	case status.Suspended:
		return 2
	}
	return 3
}

// checkStatus is the status step for one credential: every credentialStatus
// entry (RevocationBitmap2022 through the issuer's DID document,
// StatusList2021 and BitstringStatusList through their list credentials).
// Revoked and suspended credentials fail; so does one whose status cannot
// be established, unless the operator chose to fail open. It returns what
// the result reports (nil: the credential has no credentialStatus) and
// whether to stop.
func (v *Verifier) checkStatus(ctx context.Context, c *checker, memo *statusMemo, cr *credentialCheck) (*session.CredentialStatus, bool) {
	if cr.sdCred != nil {
		return v.checkTokenStatus(ctx, c, cr)
	}
	if cr.vc["credentialStatus"] == nil {
		return nil, false
	}
	rep, err := memo.check(ctx, cr.vc)
	st := &session.CredentialStatus{State: string(rep.State)}
	for _, r := range rep.Results {
		if r.Type != "" && !slices.Contains(st.Methods, r.Type) {
			st.Methods = append(st.Methods, r.Type)
		}
	}
	methods := strings.Join(st.Methods, ", ")
	if err == nil {
		detail := fmt.Sprintf("%s: %s", methods, rep.State)
		if rep.State == status.Unknown {
			detail += " (status.fail_open: accepted without a status)"
		}
		c.pass(StepStatus, cr.target, "credential_status", detail)
		return st, false
	}
	return st, c.fail(StepStatus, cr.target, "credential_status", statusError(err, cr.target, methods))
}

// checkTokenStatus is the status step for an SD-JWT VC: its
// status.status_list entry in an IETF Token Status List, whose token is
// verified with the issuer's own key discovery and must be the
// credential issuer's.
func (v *Verifier) checkTokenStatus(ctx context.Context, c *checker, cr *credentialCheck) (*session.CredentialStatus, bool) {
	ref := cr.sdCred.Status
	if ref == nil {
		return nil, false
	}
	r, err := v.status.CheckTokenStatus(ctx, ref.URI, ref.Index, cr.sdCred.IssuerKey.Issuer)
	st := &session.CredentialStatus{State: string(r.State), Methods: []string{status.TypeTokenStatusList}}
	if err == nil {
		detail := status.TypeTokenStatusList + ": " + string(r.State)
		if r.State == status.Unknown {
			detail += " (status.fail_open: accepted without a status)"
		}
		c.pass(StepStatus, cr.target, "credential_status", detail)
		return st, false
	}
	return st, c.fail(StepStatus, cr.target, "credential_status", statusError(err, cr.target, status.TypeTokenStatusList))
}

// statusError is the refusal of a status check that did not pass.
func statusError(err error, target, methods string) *oauth.Error {
	var e *oauth.Error
	switch {
	case errors.Is(err, status.ErrRevoked):
		e = invalidRequest(ReasonRevoked, "%s: revoked by its issuer (%s)", target, methods)
	case errors.Is(err, status.ErrSuspended):
		e = invalidRequest(ReasonSuspended, "%s: suspended by its issuer (%s)", target, methods)
	case contextError(err) != nil:
		e = contextError(err)
	default:
		// One text whatever the cause (unreachable list, broken signature,
		// unsupported method): a credential must not learn what the
		// verifier's network can reach.
		e = invalidRequest(ReasonStatusUnknown, "%s: its status (%s) cannot be established, and unknown statuses fail closed", target, methods)
	}
	return e.WithCause(err)
}
