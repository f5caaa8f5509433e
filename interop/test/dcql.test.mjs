// dcql 3.0.0 (the DCQL engine of @openid4vc/openid4vp and Credo) reads
// and validates every DCQL query the verifier sends: the shipped
// verifiable-id's and one derived from a presentation definition
// (dcql: derive), as they arrive in signed request objects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { DcqlQuery } from 'dcql';
import { start, Website, shippedConfig, withDefinitions } from '../lib/verifier.mjs';
import { queryOf } from '../lib/assert.mjs';

const derived = `
  - id: derived-degree
    dcql: derive
    input_descriptors:
      - id: degree
        format:
          jwt_vc_json: {alg: [EdDSA, ES256]}
          ldp_vc: {proof_type: [Ed25519Signature2020]}
        constraints:
          fields:
            - path: ["$.type", "$.vc.type"]
              filter: {type: array, contains: {const: UniversityDegree}}
            - path: ["$.credentialSubject.degree", "$.vc.credentialSubject.degree"]
              filter: {type: string, enum: [BSc, MSc]}
            - path: ["$.credentialSubject.nickname"]
              optional: true
`;

let v, site;
before(async () => { v = await start(withDefinitions(shippedConfig(), derived)); site = new Website(v.base); });
after(async () => { await v?.stop(); });

async function queryOfLogin(definition) {
  const login = await site.startLogin(definition, 'cross-device', '1.0');
  const r = await fetch(queryOf(login.authorization_request).request_uri, { method: 'POST' });
  assert.equal(r.status, 200);
  return jose.decodeJwt(await r.text()).dcql_query;
}

test('dcql 3.0.0 validates the shipped verifiable-id DCQL query', async () => {
  const q = DcqlQuery.parse(await queryOfLogin('verifiable-id'));
  DcqlQuery.validate(q);
  assert.deepEqual(q.credentials.map((c) => c.format), ['jwt_vc_json', 'dc+sd-jwt']);
  assert.deepEqual(q.credential_sets[0].options, [['verifiable-id-jwt'], ['verifiable-id-sd-jwt']]);
});

test('dcql 3.0.0 validates a DCQL query derived from a presentation definition', async () => {
  const raw = await queryOfLogin('derived-degree');
  const q = DcqlQuery.parse(raw);
  DcqlQuery.validate(q);
  assert.deepEqual(raw.credentials.map((c) => [c.id, c.format]), [['degree-jwt', 'jwt_vc_json'], ['degree-ldp', 'ldp_vc']]);
  assert.deepEqual(raw.credentials[0].meta, { type_values: [['UniversityDegree']] });
  assert.deepEqual(raw.credentials[0].claims, [{ path: ['credentialSubject', 'degree'], values: ['BSc', 'MSc'] }]);
  assert.deepEqual(raw.credential_sets, [{ options: [['degree-jwt'], ['degree-ldp']] }]);
  // The engine selects with it what the presentation definition selects.
  const res = DcqlQuery.query(q, [{ credential_format: 'jwt_vc_json', type: ['VerifiableCredential', 'UniversityDegree'], claims: { credentialSubject: { degree: 'MSc' } }, cryptographic_holder_binding: true }]);
  assert.equal(res.can_be_satisfied, true);
  const none = DcqlQuery.query(q, [{ credential_format: 'jwt_vc_json', type: ['VerifiableCredential', 'UniversityDegree'], claims: { credentialSubject: { degree: 'PhD' } }, cryptographic_holder_binding: true }]);
  assert.equal(none.can_be_satisfied, false);
});
