// A wallet made of @sphereon/did-auth-siop 0.19.0 (OP: request parsing and
// verification, response building and submission) and its @sphereon/pex
// (credential selection, presentation and submission). The test supplies
// keys, credentials and the signing callback.
import { OP, PresentationExchange, SupportedVersion } from '@sphereon/did-auth-siop';
import * as jose from 'jose';
import { ldSign } from './keys.mjs';

// PresentationSubmissionLocation.EXTERNAL of @sphereon/pex: the submission
// goes beside vp_token, as OID4VP asks.
const EXTERNAL = 1;

export async function sphereonLogin(uri, holder, credentials, { ldProofType, decline } = {}) {
  const sign = async (args) => {
    const nonce = args.options.proofOptions?.nonce, domain = args.options.proofOptions?.domain;
    if (ldProofType) return ldSign(holder, args.presentation, ldProofType, nonce, domain);
    return new jose.SignJWT({ vp: args.presentation, nonce }).setProtectedHeader({ alg: holder.alg, kid: holder.kid, typ: 'JWT' })
      .setIssuer(holder.did).setAudience(domain).setIssuedAt().setExpirationTime('5m').sign(holder.privateKey);
  };
  const op = OP.builder()
    .withPresentationSignCallback(sign)
    .withSupportedVersions([SupportedVersion.SIOPv2_D12_OID4VP_D18, SupportedVersion.SIOPv2_D12_OID4VP_D20, SupportedVersion.SIOPv2_ID1])
    .withCreateJwtCallback(async () => { throw new Error('no id_token is asked for') })
    .withVerifyJwtCallback(async (verifier, jwt) => {
      // The library hands every request object to this callback. Under the
      // redirect_uri scheme it is unsigned ("MUST NOT be signed"): there is
      // no key to check, only that nothing claims a signature. A signed one
      // (the one-QR login's draft-20 request) names its key by a did:jwk
      // kid, which the library passes as didUrl.
      if (jwt.header?.alg === 'none' && (jwt.payload?.client_id_scheme === 'redirect_uri')) return true;
      if (verifier?.method === 'did' && verifier.didUrl?.startsWith('did:jwk:')) return verifySignedRequest(verifier.didUrl, jwt.raw);
      throw new Error('only unsigned redirect_uri request objects or did:jwk-signed ones are expected here');
    })
    .build();
  const correlationId = crypto.randomUUID();
  const verified = await op.verifyAuthorizationRequest(uri, { correlationId });
  const payload = verified.authorizationRequestPayload;
  const clientId = await verified.authorizationRequest.getMergedProperty('client_id');
  if (decline) {
    return submitError(await verified.authorizationRequest.getMergedProperty('response_uri') ?? await verified.authorizationRequest.getMergedProperty('redirect_uri'),
      await verified.authorizationRequest.getMergedProperty('state'), decline);
  }
  const pex = new PresentationExchange({ allDIDs: [holder.did], allVerifiableCredentials: credentials });
  // The library's own reading of the request (by value, or the request
  // object fetched by request_uri).
  const pd = verified.presentationDefinitions[0].definition;
  const nonce = await verified.authorizationRequest.getMergedProperty('nonce');
  const selected = await pex.selectVerifiableCredentialsForSubmission(pd);
  const chosen = (selected.verifiableCredential ?? credentials);
  const result = await pex.createVerifiablePresentation(pd, chosen, sign, {
    presentationSubmissionLocation: EXTERNAL,
    proofOptions: { nonce, domain: clientId },
    holderDID: holder.did,
  });
  const response = await op.createAuthorizationResponse(verified, {
    issuer: holder.did,
    presentationExchange: {
      verifiablePresentations: result.verifiablePresentations,
      presentationSubmission: result.presentationSubmission,
    },
    correlationId,
  });
  let r;
  try {
    r = await op.submitAuthorizationResponse(response);
  } catch (e) {
    // The library throws on an HTTP error status, with the body as message.
    return { status: 'rejected', body: e.message, selected: chosen.length };
  }
  return { status: r.status, body: await r.text(), selected: chosen.length };
}

// verifySignedRequest checks a request object signed by the key of a
// did:jwk verification method.
export async function verifySignedRequest(didUrl, compact) {
  const jwk = JSON.parse(Buffer.from(didUrl.split('#')[0].slice('did:jwk:'.length), 'base64url').toString());
  const { protectedHeader } = await jose.compactVerify(compact, await jose.importJWK(jwk, jose.decodeProtectedHeader(compact).alg));
  return protectedHeader.typ === 'oauth-authz-req+jwt';
}

// submitError posts a holder's decline the way Sphereon's OP posts an
// error response: form-encoded error, error_description and state.
async function submitError(responseURI, state, error) {
  const r = await fetch(responseURI, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ error, error_description: 'the holder declined', state }),
  });
  return { status: r.status, body: await r.text() };
}
