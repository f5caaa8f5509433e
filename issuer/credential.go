package issuer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/loginwithiota/verifier/oauth"
)

// CredentialResponse is an immediate credential response (§8.3).
type CredentialResponse struct {
	Credentials []IssuedCredential `json:"credentials"`
}

// IssuedCredential is one entry of credentials: "credential: REQUIRED.
// Contains one issued Credential ... a string or an object".
type IssuedCredential struct {
	Credential any `json:"credential"`
}

// maxProofs is how many key proofs one request may carry: without
// batch_credential_issuance in the metadata, one.
const maxProofs = 1

// Credential serves a credential request (§8.2) made with accessToken.
func (iss *Issuer) Credential(ctx context.Context, accessToken string, body []byte) (*CredentialResponse, error) {
	if accessToken == "" {
		return nil, oauth.New(oauth.InvalidToken, reasonTokenUnknown, "an access token is required (Authorization: Bearer)")
	}
	tk := key(accessToken)
	tok, err := getRecord[tokenRecord](ctx, iss.store, KindToken, tk)
	if errors.Is(err, ErrNotFound) {
		return nil, oauth.New(oauth.InvalidToken, reasonTokenUnknown, "the access token is unknown, used up or expired")
	}
	if err != nil {
		return nil, storeError(err)
	}
	log := iss.log.With("token", ref(tk))
	members, err := objectMembers(body)
	if err != nil {
		return nil, oauth.New(oauth.InvalidCredentialRequest, reasonRequestBody, err.Error())
	}
	configID, err := iss.requestedConfiguration(members, &tok)
	if err != nil {
		return nil, err
	}
	if _, ok := members["credential_response_encryption"]; ok {
		// "If this request element is not present, the corresponding
		// credential response returned is not encrypted": this issuer
		// advertises no credential_response_encryption.
		return nil, oauth.New(oauth.InvalidEncryptionParameters, reasonRequestBody, "credential_response_encryption is not supported by this issuer")
	}
	proofs, err := jwtProofs(members)
	if err != nil {
		return nil, err
	}
	kp, err := iss.verifyJWTProof(ctx, proofs[0])
	if err != nil {
		return nil, err
	}
	if err := iss.useNonce(ctx, kp.nonce); err != nil {
		return nil, err
	}
	// Claim the configuration on the token: each is issued once, and of
	// two parallel requests for it one wins.
	err = updateRecord(ctx, iss.store, KindToken, tk, func(old tokenRecord) (*tokenRecord, error) {
		i := slices.Index(old.Remaining, configID)
		if i < 0 {
			return nil, oauth.New(oauth.InvalidToken, reasonTokenUnknown, "the access token was already used for this credential")
		}
		old.Remaining = slices.Delete(old.Remaining, i, i+1)
		if len(old.Remaining) == 0 {
			return nil, nil // used up
		}
		return &old, nil
	})
	if errors.Is(err, ErrNotFound) {
		return nil, oauth.New(oauth.InvalidToken, reasonTokenUnknown, "the access token is unknown, used up or expired")
	}
	if err != nil {
		if oauth.As(err) != nil {
			return nil, err
		}
		return nil, storeError(err)
	}
	c := iss.configs[configID]
	cred, err := formats[c.Format].issue(ctx, iss.input(c, tok.Claims, kp.holder))
	if err != nil {
		return nil, oauth.Server(fmt.Errorf("issue %s: %w", configID, err))
	}
	log.InfoContext(ctx, "credential issued", "configuration", configID, "format", c.Format, "holder_method", didMethod(kp.holder.DID))
	return &CredentialResponse{Credentials: []IssuedCredential{{Credential: cred}}}, nil
}

// requestedConfiguration reads credential_configuration_id or
// credential_identifier and checks it against the token.
func (iss *Issuer) requestedConfiguration(m map[string]json.RawMessage, tok *tokenRecord) (string, error) {
	cid, hasCID, err := stringMember(m, "credential_configuration_id")
	if err != nil {
		return "", err
	}
	ident, hasIdent, err := stringMember(m, "credential_identifier")
	if err != nil {
		return "", err
	}
	switch {
	case hasCID && hasIdent:
		// "When this parameter is used, the credential_identifier MUST NOT be present."
		return "", oauth.New(oauth.InvalidCredentialRequest, reasonRequestBody, "send credential_configuration_id or credential_identifier, not both")
	case tok.Identifiers != nil && !hasIdent:
		// "credential_identifier: REQUIRED when an Authorization Details of
		// type openid_credential was returned from the Token Response."
		return "", oauth.New(oauth.InvalidCredentialRequest, reasonRequestBody, "credential_identifier is required: the token response returned credential_identifiers")
	case tok.Identifiers == nil && hasIdent:
		// "It MUST NOT be used otherwise."
		return "", oauth.New(oauth.InvalidCredentialRequest, reasonRequestBody, "credential_identifier must not be used: the token response returned no credential_identifiers; send credential_configuration_id")
	case hasIdent:
		id, ok := tok.Identifiers[ident]
		if !ok {
			return "", oauth.New(oauth.UnknownCredentialIdentifier, reasonIdentUnknown, "credential_identifier is not one the token response returned")
		}
		return id, nil
	case !hasCID:
		if _, draft := m["format"]; draft {
			return "", oauth.New(oauth.InvalidCredentialRequest, reasonRequestBody, "credential_configuration_id is required (format in a credential request is from drafts before OID4VCI 1.0)")
		}
		return "", oauth.New(oauth.InvalidCredentialRequest, reasonRequestBody, "credential_configuration_id is required")
	case iss.configs[cid] == nil:
		return "", oauth.New(oauth.UnknownCredentialConfiguration, reasonConfigUnknown, "credential_configuration_id is not a credential configuration of this issuer")
	case !slices.Contains(tok.Remaining, cid):
		// §8.3.1.1: an Access Token that does not enable "issuance of a
		// requested Credential" gets RFC 6750's error.
		return "", oauth.New(oauth.InsufficientScope, reasonTokenScope, "the access token does not allow this credential configuration (it was not offered, or was already issued)")
	}
	return cid, nil
}

// jwtProofs reads proofs: "exactly one parameter named as the proof type
// ... a non-empty array". invalid_proof "(1) if the field is missing".
func jwtProofs(m map[string]json.RawMessage) ([]string, error) {
	raw, ok := m["proofs"]
	if !ok {
		if _, singular := m["proof"]; singular {
			return nil, invalidProof(reasonProofMalformed, "proofs is required: an object with a jwt array (proof, singular, is from drafts before OID4VCI 1.0)")
		}
		return nil, invalidProof(reasonProofMalformed, "proofs is required: an object with a jwt array of key proofs")
	}
	var byType map[string]json.RawMessage
	if json.Unmarshal(raw, &byType) != nil || len(byType) != 1 {
		return nil, invalidProof(reasonProofMalformed, "proofs must be an object with exactly one proof type")
	}
	list, ok := byType[ProofTypeJWT]
	if !ok {
		return nil, invalidProof(reasonProofMalformed, "the proof type is not supported: this issuer accepts jwt proofs")
	}
	var jwts []string
	if json.Unmarshal(list, &jwts) != nil || len(jwts) == 0 {
		return nil, invalidProof(reasonProofMalformed, "proofs.jwt must be a non-empty array of JWTs")
	}
	if len(jwts) > maxProofs {
		return nil, invalidProof(reasonProofMalformed, "this issuer accepts %d proof per request (no batch issuance)", maxProofs)
	}
	return jwts, nil
}

// objectMembers decodes a JSON object's members, refusing repeated ones
// ("repeats the same parameter") and anything but one object.
func objectMembers(body []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("the credential request must be a JSON object")
	}
	m := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, errors.New("the credential request is not valid JSON")
		}
		name, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, errors.New("the credential request is not valid JSON")
		}
		if _, dup := m[name]; dup {
			return nil, fmt.Errorf("the credential request repeats %s", clip(name))
		}
		m[name] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, errors.New("the credential request is not valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("the credential request must be one JSON object")
	}
	return m, nil
}

func stringMember(m map[string]json.RawMessage, name string) (string, bool, error) {
	raw, ok := m[name]
	if !ok {
		return "", false, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil || s == "" {
		return "", true, oauth.Newf(oauth.InvalidCredentialRequest, reasonRequestBody, "%s must be a non-empty string", name)
	}
	return s, true, nil
}

func didMethod(id string) string {
	parts := bytes.SplitN([]byte(id), []byte(":"), 3)
	if len(parts) < 3 {
		return ""
	}
	return string(parts[1])
}
