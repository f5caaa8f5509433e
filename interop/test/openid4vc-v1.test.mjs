// @openid4vc/openid4vp 0.4.6 in OID4VP 1.0 mode (DCQL, a JAR signed by the
// verifier's did:jwk fetched by request_uri, direct_post and
// direct_post.jwt), with dcql 3.0.0 selecting and @sd-jwt/sd-jwt-vc 0.19
// presenting, against the shipped config.yaml behind an HTTPS front (the
// library requires an https request_uri). And the same QR read by a
// draft-20 wallet (@sphereon/did-auth-siop 0.19.0), which GETs the
// request_uri and gets the draft-20 request.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { start, Website, shippedConfig } from '../lib/verifier.mjs';
import { party, jwtCredential, subjectClaims } from '../lib/keys.mjs';
import { issueSDJWT } from '../lib/sdjwt.mjs';
import { owfV1Login, walletMetadata } from '../lib/openid4vc-v1.mjs';
import { sphereonLogin } from '../lib/sphereon.mjs';
import { tlsFront } from '../lib/tls.mjs';
import { loggedIn, queryOf } from '../lib/assert.mjs';
import { jwkDID } from '../lib/v1.mjs';

let v, site, front, issuer;
before(async () => {
  front = await tlsFront();
  v = await start(shippedConfig(), { publicURL: front.url });
  front.forward(v.base);
  site = new Website(front.url);
  issuer = await party('ES256', 'jwk');
});
after(async () => { await v?.stop(); await front?.close(); });

// The VerifiableId of every case carries a claim more than the query asks
// for: the website is told givenName and familyName only.
const extraClaims = { ...subjectClaims, birthDate: '1990-01-01' };

async function credentialOf(kind, holder) {
  if (kind === 'sd-jwt') return issueSDJWT(issuer, holder, { claims: extraClaims });
  return jwtCredential(issuer, holder);
}

for (const protocol of ['1.0+draft-20', '1.0']) {
  describe(`openid4vc 1.0 protocol ${protocol}`, () => {
    for (const flow of ['cross-device', 'same-device']) {
      for (const mode of ['direct_post', 'direct_post.jwt']) {
        for (const kind of ['jwt_vc_json', 'sd-jwt']) {
          test(`openid4vc 1.0 (${protocol}) ${flow} ${mode} ${kind === 'sd-jwt' ? 'dc+sd-jwt' : 'jwt_vp_json / jwt_vc_json'}`, async () => {
            const holder = await party(kind === 'sd-jwt' ? 'ES256' : 'EdDSA', kind === 'sd-jwt' ? 'jwk' : 'key');
            const login = await site.startLogin('verifiable-id', flow, protocol);
            const q = queryOf(login.authorization_request);
            assert.deepEqual(Object.keys(q).sort(), ['client_id', 'request_uri', 'request_uri_method']);
            assert.match(q.client_id, /^decentralized_identifier:did:jwk:/);
            const answer = await owfV1Login(login.authorization_request, holder, [await credentialOf(kind, holder)],
              { metadata: walletMetadata({ encrypt: mode === 'direct_post.jwt' }) });
            assert.equal(answer.request.response_mode, mode);
            assert.equal(answer.mode, mode);
            assert.equal(answer.resolved.client.prefix, 'decentralized_identifier');
            const st = await loggedIn(site, login, answer, kind === 'sd-jwt' ? { did: jwkDID(holder.pub) } : holder, flow);
            assert.deepEqual(Object.keys(st.result.credentials[0].credentialSubject).sort(), ['familyName', 'givenName']);
            assert.equal(st.result.credentials[0].format, kind === 'sd-jwt' ? 'dc+sd-jwt' : 'jwt_vc_json');
          });
        }
      }
    }
  });
}

test('one QR: the draft-20 wallet (sphereon 0.19.0) GETs the request_uri of a 1.0+draft-20 login and logs in with PEX', async () => {
  const holder = await party('EdDSA');
  const login = await site.startLogin('verifiable-id', 'cross-device', '1.0+draft-20');
  const answer = await sphereonLogin(login.authorization_request, holder, [await jwtCredential(issuer, holder)]);
  const st = await loggedIn(site, login, answer, holder);
  assert.equal(st.result.credentials[0].credentialSubject.givenName, 'Jane');
});

test('one QR: the 1.0 wallet and the draft-20 wallet read the same QR of one login (two logins, the same QR each)', async () => {
  // The QR is client_id + request_uri + request_uri_method: the same for
  // both wallets; which request each gets is the method it fetches with.
  const a = await site.startLogin('verifiable-id', 'cross-device', '1.0+draft-20');
  const b = await site.startLogin('verifiable-id', 'cross-device', '1.0+draft-20');
  assert.equal(queryOf(a.authorization_request).client_id, queryOf(b.authorization_request).client_id);
  const owf = await party('EdDSA');
  await loggedIn(site, a, await owfV1Login(a.authorization_request, owf, [await jwtCredential(issuer, owf)], { metadata: walletMetadata() }), owf);
  const sph = await party('EdDSA');
  await loggedIn(site, b, await sphereonLogin(b.authorization_request, sph, [await jwtCredential(issuer, sph)]), sph);
});
