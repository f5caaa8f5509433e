package dcql

// Credential format identifiers of OpenID4VP 1.0 Appendix B whose meta
// this package checks.
const (
	FormatSDJWTVC = "dc+sd-jwt" // B.3 IETF SD-JWT VC
	// FormatSDJWTVCLegacy is the SD-JWT VC identifier of OpenID4VP drafts
	// before 1.0; its meta is read as dc+sd-jwt's.
	FormatSDJWTVCLegacy = "vc+sd-jwt"
	FormatJWTVC         = "jwt_vc_json" // B.1.3.1 W3C VC signed as a JWT
	FormatLDPVC         = "ldp_vc"      // B.1.3.2 W3C VC with a Data Integrity proof
	FormatMDoc          = "mso_mdoc"    // B.2 ISO mdoc
)

// Query is a DCQL query (OpenID4VP 1.0 §6), parsed and validated.
type Query struct {
	Credentials    []CredentialQuery
	CredentialSets []CredentialSetQuery // nil when absent
}

// CredentialQuery asks for one (or, with Multiple, several) credentials
// (§6.1).
type CredentialQuery struct {
	ID       string
	Format   string
	Multiple bool
	Meta     Meta
	// TrustedAuthorities is nil when absent.
	TrustedAuthorities []TrustedAuthority
	// RequireCryptographicHolderBinding is true unless the query says
	// false: §6.1 "The default value is true".
	RequireCryptographicHolderBinding bool
	// Claims is nil when absent: then no selectively disclosable claim is
	// asked for (§6.4.1).
	Claims []ClaimsQuery
	// ClaimSets lists alternative combinations of claim ids, preferred
	// first; nil when absent.
	ClaimSets [][]string
}

// Meta is a credential query's meta, the members this package knows
// (others are kept in Other, unread).
type Meta struct {
	VCTValues    []string   // dc+sd-jwt (B.3.5)
	TypeValues   [][]string // jwt_vc_json, ldp_vc (B.1.1)
	DoctypeValue string     // mso_mdoc (B.2.4)
	Other        map[string]any
}

// TrustedAuthority is one entry of trusted_authorities (§6.1.1).
type TrustedAuthority struct {
	Type   string // "aki", "etsi_tl", "openid_federation", …
	Values []string
}

// Trusted authority types of §6.1.1.
const (
	AuthorityAKI        = "aki"
	AuthorityETSITL     = "etsi_tl"
	AuthorityFederation = "openid_federation"
)

// ClaimsQuery asks for one claim (§6.3).
type ClaimsQuery struct {
	ID   string // "" when absent
	Path Path
	// Values lists the accepted values (strings, float64 integers,
	// bools); nil when absent.
	Values []any
	// IntentToRetain is the mdoc member (B.2.5), nil when absent.
	IntentToRetain *bool
}

// CredentialSetQuery lists alternative sets of credential queries (§6.2).
type CredentialSetQuery struct {
	Options [][]string
	// Required is true unless the query says false: §6.2 "If omitted, the
	// default value is true."
	Required bool
	Purpose  any // kept as given (strings, numbers or objects are seen)
}

// ByID returns the credential query with id, or nil.
func (q *Query) ByID(id string) *CredentialQuery {
	for i := range q.Credentials {
		if q.Credentials[i].ID == id {
			return &q.Credentials[i]
		}
	}
	return nil
}

// claimsIn returns the claims queries of claim set i (-1: all claims).
func (cq *CredentialQuery) claimsIn(set int) []*ClaimsQuery {
	var out []*ClaimsQuery
	if set < 0 || set >= len(cq.ClaimSets) {
		for i := range cq.Claims {
			out = append(out, &cq.Claims[i])
		}
		return out
	}
	for _, id := range cq.ClaimSets[set] {
		for i := range cq.Claims {
			if cq.Claims[i].ID == id {
				out = append(out, &cq.Claims[i])
			}
		}
	}
	return out
}
