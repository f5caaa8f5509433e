// A 1.0 wallet made of @sphereon/did-auth-siop 0.20.1 (OP: request
// parsing and verification — it GETs the request_uri —, DCQL presentation
// validation against the query, response building and submission), with
// dcql 3.0.0 choosing the credential and @sd-jwt/sd-jwt-vc presenting it.
// 0.20.1 speaks only 1.0; it refuses a redirect_uri: client id and cannot
// answer a jwt_vc_json query (it finds no holder binding in a VC-JWT), so
// it is given SD-JWT VCs.
import { OP, SupportedVersion } from 'sphereon-020';
import { hasher, presentSDJWT } from './sdjwt.mjs';
import { selectDCQL } from './openid4vc-v1.mjs';
import { verifySignedRequest } from './sphereon.mjs';


export async function sphereon020Login(uri, holder, credentials) {
  const op = OP.builder()
    .withSupportedVersions([SupportedVersion.OID4VP_v1])
    .withHasher(hasher)
    .withCreateJwtCallback(async () => { throw new Error('no id_token is asked for'); })
    .withVerifyJwtCallback(async (verifier, jwt) => {
      if (verifier?.method === 'did' && verifier.didUrl?.startsWith('did:jwk:')) return verifySignedRequest(verifier.didUrl, jwt.raw);
      throw new Error('a request object signed by the verifier\'s did:jwk is expected');
    })
    .build();
  const correlationId = crypto.randomUUID();
  const verified = await op.verifyAuthorizationRequest(uri, { correlationId });
  const get = (k) => verified.authorizationRequest.getMergedProperty(k);
  const [nonce, clientID, dcqlQuery] = await Promise.all([get('nonce'), get('client_id'), get('dcql_query')]);
  const chosen = await selectDCQL(dcqlQuery, credentials);
  const dcqlPresentation = {};
  for (const c of chosen) {
    const frame = {};
    for (const cl of c.query.claims ?? []) if (cl.path.length === 1) frame[cl.path[0]] = true;
    dcqlPresentation[c.queryId] = await presentSDJWT(holder, c.credential, frame, { nonce, aud: clientID });
  }
  const response = await op.createAuthorizationResponse(verified, { issuer: clientID, dcqlResponse: { dcqlPresentation }, correlationId });
  let r;
  try {
    r = await op.submitAuthorizationResponse(response);
  } catch (e) {
    return { status: 'rejected', body: e.message, clientID, request: verified };
  }
  return { status: r.status, body: await r.text(), clientID, request: verified };
}
