// A wallet made of @openid4vc/openid4vp 0.4.6 (Openid4vpClient: request
// parsing, client identifier checks, request object fetch, response
// building and submission; the engine of Credo 0.6) and @animo-id/pex 6.1.1
// (credential selection and presentation building). The test supplies
// keys, credentials and the presentation signing.
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { PEX } from '@animo-id/pex';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { ldSign, jwtPresent } from './keys.mjs';

const EXTERNAL = 1;
const { EvaluationClientWrapper } = createRequire(import.meta.url)('@animo-id/pex/dist/main/lib/evaluation/evaluationClientWrapper.js'); // PresentationSubmissionLocation.EXTERNAL

const client = new Openid4vpClient({
  callbacks: {
    fetch,
    hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    generateRandom: (n) => randomBytes(n),
    verifyJwt: async () => ({ verified: false }),
    signJwt: async () => { throw new Error('the response is not signed') },
    encryptJwe: async () => { throw new Error('the response is not encrypted') },
    decryptJwe: async () => { throw new Error('the request is not encrypted') },
  },
});

export async function openid4vcLogin(uri, holder, credentials, { ldProofType, decline } = {}) {
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri });
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
  const request = resolved.authorizationRequestPayload;
  let payload;
  if (decline) {
    payload = { error: decline, error_description: 'the holder declined' };
  } else {
    const pd = resolved.pex.presentation_definition;
    const pex = new PEX();
    const selected = pex.selectFrom(pd, credentials, { holderDIDs: [holder.did] });
    if (!selected.verifiableCredential?.length) throw new Error('@animo-id/pex selected no credential: ' + JSON.stringify(selected.errors?.slice(0, 3)));
    // verifiablePresentationFrom is what Credo calls: it builds the
    // presentations, the OID4VP submission (path "$" + path_nested) and asks
    // the callback to sign each presentation.
    const built = await pex.verifiablePresentationFrom(pd, selected.verifiableCredential, async ({ presentation }) =>
      ldProofType ? ldSign(holder, presentation, ldProofType, request.nonce, request.client_id)
        : jwtPresent(holder, presentation, request.nonce, request.client_id),
    { holderDID: holder.did, presentationSubmissionLocation: EXTERNAL, proofOptions: { nonce: request.nonce, domain: request.client_id } });
    const signed = built.verifiablePresentations;
    // Credo then turns the engine's descriptor map into the OID4VP one (path
    // "$", the credential in path_nested) with the engine's own helper,
    // EvaluationClientWrapper.updatePresentationSubmissionToExternal.
    built.presentationSubmission = new EvaluationClientWrapper().updatePresentationSubmissionToExternal(built.presentationSubmission);
    if (process.env.DEBUG_INTEROP) console.error(JSON.stringify(built.presentationSubmission));
    payload = { vp_token: signed.length === 1 ? signed[0] : signed, presentation_submission: built.presentationSubmission };
  }
  const created = await client.createOpenid4vpAuthorizationResponse({ authorizationRequestPayload: request, authorizationResponsePayload: payload });
  const submitted = await client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request, authorizationResponsePayload: created.authorizationResponsePayload,
  });
  const r = submitted.response;
  return { status: r.status, body: await r.text(), client: resolved.client, version: resolved.version };
}
