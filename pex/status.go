package pex

import "fmt"

// Credential Status Constraint Feature (constraints.statuses). Whether a
// credential is active, suspended or revoked is not in the credential: it
// takes a status list or registry that pex does not read. The caller feeds
// the status through a StatusFunc (the verifier, from its status checks).
// Without one, a directive that needs the status ("required" or
// "disallowed") fails closed: a definition that refuses revoked credentials
// never accepts one whose status nobody checked.

// Status is a credential's status as the caller established it.
type Status uint8

const (
	// StatusUnknown: not established (no status check, or it could not tell).
	StatusUnknown Status = iota
	StatusActive
	StatusSuspended
	StatusRevoked
)

var statusNames = [...]string{"unknown", "active", "suspended", "revoked"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// StatusFunc reports the status of credential (decoded JSON, as it is in the
// vp_token). types is the union of the "type" lists of the descriptor's
// status directives (the status mechanisms the definition names; empty: any).
// A credential without any status mechanism is StatusActive if the caller
// says so; pex does not decide it.
type StatusFunc func(credential map[string]any, types []string) (Status, error)

// statusRule is a compiled statuses object.
type statusRule struct {
	directives [3]string // for StatusActive, StatusSuspended, StatusRevoked: "", "allowed", "required" or "disallowed"
	types      []string
	enforced   bool // some directive is "required" or "disallowed"
}

func compileStatuses(s *statusesJSON) (statusRule, error) {
	var r statusRule
	if s == nil {
		return r, nil
	}
	for k, d := range []*statusDirectiveJSON{s.Active, s.Suspended, s.Revoked} {
		if d == nil {
			continue
		}
		switch d.Directive {
		case "required", "disallowed":
			r.enforced = true
		case "allowed", "":
		default:
			return r, fmt.Errorf("constraints.statuses.%s.directive must be \"required\", \"allowed\" or \"disallowed\", not %s", Status(k+1), quote(d.Directive))
		}
		r.directives[k] = d.Directive
		for _, t := range d.Type {
			if !containsString(r.types, t) {
				r.types = append(r.types, t)
			}
		}
	}
	return r, nil
}

// check returns "" when the credential's status satisfies the rule, else
// why not.
func (r *statusRule) check(cred map[string]any, fn StatusFunc) string {
	if !r.enforced {
		return ""
	}
	if fn == nil {
		k := r.firstEnforced()
		return fmt.Sprintf("constraints.statuses.%s is %q, but no credential status check is configured, so the credential's status is unknown", Status(k+1), r.directives[k])
	}
	st, err := fn(cred, r.types)
	if err != nil {
		return fmt.Sprintf("constraints.statuses: the credential's status could not be checked: %v", err)
	}
	for k, d := range r.directives {
		want := Status(k + 1)
		switch {
		case d == "required" && st != want:
			return fmt.Sprintf("constraints.statuses.%s is \"required\", but the credential's status is %s", want, st)
		case d == "disallowed" && st == StatusUnknown:
			return fmt.Sprintf("constraints.statuses.%s is \"disallowed\", but the credential's status is unknown", want)
		case d == "disallowed" && st == want:
			return fmt.Sprintf("constraints.statuses.%s is \"disallowed\", and the credential is %s", want, st)
		}
	}
	return ""
}

func (r *statusRule) firstEnforced() int {
	for k, d := range r.directives {
		if d == "required" || d == "disallowed" {
			return k
		}
	}
	return 0
}
