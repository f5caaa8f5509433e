// An issuer's IETF Token Status List (draft-ietf-oauth-status-list) served
// over HTTPS on 127.0.0.1 with a throwaway certificate: a statuslist+jwt
// signed by the issuer (jose), one bit per credential, index revoked
// entries set. The verifier under test trusts the certificate through
// status.ca_file and reaches the loopback host through
// status.allow_private_addresses.
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import * as jose from 'jose';

export async function statusListServer(issuer, revoked = []) {
  const dir = mkdtempSync(join(tmpdir(), 'liota-status-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  let token = '';
  const server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/statuslist+jwt' });
    res.end(token);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const uri = `https://127.0.0.1:${server.address().port}/statuslists/1`;
  const bits = Buffer.alloc(16);
  for (const i of revoked) bits[i >> 3] |= 1 << (i & 7);
  const now = Math.floor(Date.now() / 1000);
  token = await new jose.SignJWT({ sub: uri, iat: now - 10, exp: now + 600, ttl: 300, status_list: { bits: 1, lst: deflateSync(bits).toString('base64url') } })
    .setProtectedHeader({ alg: issuer.alg, kid: issuer.kid, typ: 'statuslist+jwt' }).setIssuer(issuer.did).sign(issuer.privateKey);
  return { uri, cert, close: () => new Promise((ok) => server.close(ok)) };
}

// withStatusTrust is a config that fetches status lists from the test's
// loopback HTTPS host, trusting its certificate (status-ca.pem).
export function withStatusTrust(cfg) {
  if (!cfg.includes('# status:')) throw new Error('config has no "# status:" line');
  return cfg.replace('# status:', 'status:\n  allow_private_addresses: true\n  ca_file: status-ca.pem\n# status (the defaults):');
}
