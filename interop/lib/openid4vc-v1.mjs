// A wallet made of @openid4vc/openid4vp 0.4.6 in OID4VP 1.0 mode (request
// parsing, JAR fetch by request_uri — POST with the wallet's metadata when
// request_uri_method=post —, client identifier prefix checks, response
// building, direct_post.jwt encryption, submission) and dcql 3.0.0
// (credential selection against the request's DCQL query). The test
// supplies keys, credentials, the JOSE operations the libraries ask for
// through their callbacks, and the presentation signing.
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { DcqlQuery } from 'dcql';
import * as jose from 'jose';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { jwtPresent } from './keys.mjs';
import { claimsOf, presentSDJWT } from './sdjwt.mjs';

// didJwk reads the public JWK of a did:jwk (the verifier's own DID).
function didJwk(did) {
  return JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString());
}

// verifyJwt checks a signed request object: by the kid's did:jwk for
// decentralized_identifier, by the leaf of x5c for the x509 prefixes (the
// chain's trust is the test's: it made the CA).
async function verifyJwt(signer, { compact }) {
  let jwk;
  if (signer.method === 'did') {
    if (!signer.didUrl.startsWith('did:jwk:')) return { verified: false };
    jwk = didJwk(signer.didUrl.split('#')[0]);
  } else if (signer.method === 'x5c') {
    const pem = `-----BEGIN CERTIFICATE-----\n${signer.x5c[0]}\n-----END CERTIFICATE-----`;
    jwk = await jose.exportJWK(await jose.importX509(pem, signer.alg));
  } else {
    return { verified: false };
  }
  try {
    await jose.compactVerify(compact, await jose.importJWK(jwk, signer.alg));
    return { verified: true, signerJwk: jwk };
  } catch {
    return { verified: false };
  }
}

// encryptJwe makes the direct_post.jwt JWE: ECDH-ES to the request's key,
// its kid in the header, apu / apv as the library gives them.
async function encryptJwe(enc, data) {
  const key = await jose.importJWK(enc.publicJwk, enc.alg);
  const e = new jose.CompactEncrypt(new TextEncoder().encode(data)).setProtectedHeader({ alg: enc.alg, enc: enc.enc, kid: enc.publicJwk.kid });
  const kmp = {};
  if (enc.apu) kmp.apu = Buffer.from(enc.apu, 'base64url');
  if (enc.apv) kmp.apv = Buffer.from(enc.apv, 'base64url');
  e.setKeyManagementParameters(kmp);
  return { jwe: await e.encrypt(key), encryptionJwk: enc.publicJwk };
}

export const client = new Openid4vpClient({
  callbacks: {
    fetch,
    hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    generateRandom: (n) => randomBytes(n),
    verifyJwt,
    signJwt: async () => { throw new Error('the response is not signed'); },
    encryptJwe,
    decryptJwe: async () => { throw new Error('the request is not encrypted'); },
    getX509CertificateMetadata: (der) => {
      const c = new X509Certificate(Buffer.from(der, 'base64'));
      const names = (c.subjectAltName ?? '').split(', ');
      return { sanDnsNames: names.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)), sanUriNames: names.filter((n) => n.startsWith('URI:')).map((n) => n.slice(4)) };
    },
  },
});

// Wallet metadata posted to a request_uri (request_uri_method=post): the
// formats, and with encrypt the response encryption it does.
export function walletMetadata({ encrypt = false, enc = ['A128GCM', 'A256GCM'] } = {}) {
  const m = {
    vp_formats_supported: { jwt_vc_json: { alg_values: ['EdDSA', 'ES256'] }, 'dc+sd-jwt': { 'sd-jwt_alg_values': ['EdDSA', 'ES256'], 'kb-jwt_alg_values': ['EdDSA', 'ES256'] } },
    client_id_prefixes_supported: ['decentralized_identifier', 'x509_san_dns', 'x509_hash'],
  };
  if (encrypt) {
    m.authorization_encryption_alg_values_supported = ['ECDH-ES'];
    m.authorization_encryption_enc_values_supported = enc;
  }
  return m;
}

// resolveV1 reads a 1.0 authorization request as the library does:
// parse, fetch the request object (POST when the request says so, with
// metadata), verify its signature and client identifier.
export async function resolveV1(uri, { metadata, nonce } = {}) {
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri });
  const wallet = metadata ? { metadata, nonce } : undefined;
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params, wallet });
  return { resolved, request: resolved.authorizationRequestPayload };
}

// dcqlView is what dcql 3.0.0 reads of a credential: a VC-JWT's vc claim
// (type, claims from its root), or an SD-JWT VC's claims.
export async function dcqlView(credential) {
  if (credential.includes('~')) {
    const claims = await claimsOf(credential);
    return { credential_format: 'dc+sd-jwt', vct: claims.vct, claims, cryptographic_holder_binding: true };
  }
  const { vc } = jose.decodeJwt(credential);
  return { credential_format: 'jwt_vc_json', type: vc.type, claims: vc, cryptographic_holder_binding: true };
}

// selectDCQL chooses, with dcql 3.0.0, a credential for the first
// satisfiable credential set option: it returns [{queryId, credential,
// query}]. The query is validated by the library first.
export async function selectDCQL(dcqlQuery, credentials) {
  const q = DcqlQuery.parse(dcqlQuery);
  DcqlQuery.validate(q);
  const views = await Promise.all(credentials.map(dcqlView));
  const result = DcqlQuery.query(q, views);
  if (!result.can_be_satisfied) throw new Error('dcql: the query cannot be satisfied by these credentials');
  const ids = result.credential_sets ? result.credential_sets.map((s) => s.matching_options?.[0] ?? []).flat() : q.credentials.map((c) => c.id);
  return ids.map((id) => {
    const m = result.credential_matches[id];
    const i = m.valid_credentials[0].input_credential_index;
    return { queryId: id, credential: credentials[i], query: q.credentials.find((c) => c.id === id) };
  });
}

// present makes one presentation for a chosen credential: a VP-JWT
// holding a VC-JWT, or an SD-JWT VC disclosing the requested claims
// with a KB-JWT; nonce and audience are the request's (aud the full
// client identifier), unless the test overrides them.
export async function present(holder, choice, request, { nonce = request.nonce, aud = request.client_id, iat } = {}) {
  if (choice.credential.includes('~')) {
    const frame = {};
    for (const c of choice.query.claims ?? []) if (c.path.length === 1) frame[c.path[0]] = true;
    return presentSDJWT(holder, choice.credential, frame, { nonce, aud, iat });
  }
  const vp = { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: [choice.credential] };
  return jwtPresent(holder, vp, nonce, aud);
}

// respondV1 builds and submits the response: direct_post, or for
// direct_post.jwt the JWE the library makes through encryptJwe.
export async function respondV1(request, payload) {
  const jarm = request.response_mode === 'direct_post.jwt'
    ? { encryption: {}, serverMetadata: { authorization_encryption_alg_values_supported: ['ECDH-ES'], authorization_encryption_enc_values_supported: ['A128GCM', 'A256GCM'] } }
    : undefined;
  const created = await client.createOpenid4vpAuthorizationResponse({ authorizationRequestPayload: request, authorizationResponsePayload: payload, jarm });
  const submitted = await client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request, authorizationResponsePayload: created.authorizationResponsePayload,
    jarm: created.jarm ? { responseJwt: created.jarm.responseJwt } : undefined,
  });
  const r = submitted.response;
  return { status: r.status, body: await r.text(), mode: submitted.responseMode, jwe: created.jarm?.responseJwt };
}

// owfV1Login is the whole wallet: resolve, select, present, respond.
export async function owfV1Login(uri, holder, credentials, { metadata, presentOptions } = {}) {
  const { resolved, request } = await resolveV1(uri, { metadata });
  const chosen = await selectDCQL(request.dcql_query, credentials);
  const vp_token = {};
  for (const c of chosen) vp_token[c.queryId] = [await present(holder, c, request, presentOptions)];
  const answer = await respondV1(request, { vp_token });
  return { ...answer, request, resolved, chosen };
}
