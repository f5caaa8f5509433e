package issuer

// Protocol words, in one place, with the spec sentence beside each MUST we
// enforce. "The spec" is OpenID for Verifiable Credential Issuance 1.0.

const (
	// GrantPreAuthorizedCode is the pre-authorized code grant type (§3.5).
	GrantPreAuthorizedCode = "urn:ietf:params:oauth:grant-type:pre-authorized_code"

	// ProofTypeJWT is the jwt proof type (§F.1): "typ: REQUIRED. MUST be
	// openid4vci-proof+jwt".
	ProofTypeJWT = "jwt"
	// ProofJWTType is the typ of a jwt key proof.
	ProofJWTType = "openid4vci-proof+jwt"

	// OfferScheme is the wallet's default Credential Offer Endpoint: "If
	// the Credential Issuer is unable to perform discovery of the Wallet's
	// Credential Offer Endpoint, the following custom URL scheme is used:
	// openid-credential-offer://".
	OfferScheme = "openid-credential-offer://"

	// AuthorizationDetailsType is the RFC 9396 type of a credential
	// request in authorization_details (§5.1.1).
	AuthorizationDetailsType = "openid_credential"
)

// Paths, relative to the Credential Issuer Identifier's own path, except
// the well-known ones, which go between host and path (§12.2.2: "inserting
// the string /.well-known/openid-credential-issuer into the Credential
// Issuer Identifier between the host component and the path component").
const (
	WellKnownIssuer = "/.well-known/openid-credential-issuer"
	// WellKnownAuthorizationServer is RFC 8414 §3's: "If the Credential
	// Issuer metadata omits authorization_servers, the entity providing
	// the Credential Issuer is also acting as the Authorization Server".
	WellKnownAuthorizationServer = "/.well-known/oauth-authorization-server"

	PathToken      = "/token"
	PathNonce      = "/nonce"
	PathCredential = "/credential"
	PathOffers     = "/offers/"
)

// Formats this issuer issues.
const (
	FormatJWTVC = "jwt_vc_json"
	FormatLDPVC = "ldp_vc"
	// FormatSDJWT is the IETF SD-JWT VC (§A.3).
	FormatSDJWT = "dc+sd-jwt"
)

// WellKnownJWTVCIssuer is the JWT VC Issuer Metadata of SD-JWT VC §5:
// "inserting the well-known string /.well-known/jwt-vc-issuer between the
// host component and the path component (if any) of the iss claim value".
const WellKnownJWTVCIssuer = "/.well-known/jwt-vc-issuer"

// How an SD-JWT VC names its issuer (Config.SDJWTIssuer).
const (
	// SDJWTIssuerDID: iss is the issuer's DID, the kid header its key's
	// DID URL; verifiers resolve the DID (SD-JWT VC §3.5 leaves the
	// mechanism open; ours: sd_jwt.did_issuers with dids).
	SDJWTIssuerDID = "did"
	// SDJWTIssuerURL: iss is the Credential Issuer Identifier, the kid
	// header the key's JWK thumbprint, the key in the JWT VC Issuer
	// Metadata; verifiers fetch it over https only.
	SDJWTIssuerURL = "url"
)

// Binding methods (cryptographic_binding_methods_supported): the key a
// credential is bound to arrives as a did:key or did:jwk kid, or a jwk.
var bindingMethods = []string{"did:key", "did:jwk", "jwk"}

// Reasons name which check refused a request; they go to the log, not to
// the client, whose answer is the code and a description.
const (
	reasonCodeUnknown       = "code_unknown"
	reasonCodeUsed          = "code_used"
	reasonCodeDead          = "code_dead"
	reasonTxCodeMissing     = "tx_code_missing"
	reasonTxCodeUnwanted    = "tx_code_unwanted"
	reasonTxCodeWrong       = "tx_code_wrong"
	reasonDetailsNotOffered = "authorization_details_not_offered"
	reasonTokenUnknown      = "token_unknown"
	reasonTokenScope        = "token_scope"
	reasonProofMalformed    = "proof_malformed"
	reasonProofHeader       = "proof_header"
	reasonProofKey          = "proof_key"
	reasonProofSignature    = "proof_signature"
	reasonProofClaims       = "proof_claims"
	reasonNonceUnknown      = "nonce_unknown"
	reasonRequestBody       = "request_body"
	reasonOfferInvalid      = "offer_invalid"
	reasonConfigUnknown     = "configuration_unknown"
	reasonIdentUnknown      = "identifier_unknown"
)
