// Outcomes the tests check, read through the contract only.
import assert from 'node:assert/strict';

// loggedIn checks a wallet's answer and the session: cross-device 200 and
// verified; same-device 200 with a redirect_uri that, followed in the
// browser that started the login, shows it verified.
export async function loggedIn(site, login, answer, holder, flow = 'cross-device') {
  assert.equal(answer.status, 200, `wallet answer ${answer.status}: ${answer.body}`);
  if (flow === 'same-device') {
    const { redirect_uri: back } = JSON.parse(answer.body);
    assert.match(back ?? '', /response_code=/, 'same-device direct_post answers a redirect_uri with a response_code');
    const page = await site.follow(back);
    assert.equal(page.status, 200);
    assert.match(page.body, /data-status="verified"/);
  }
  const st = await site.status(login);
  assert.equal(st.status, 'verified', JSON.stringify(st.error ?? st));
  assert.equal(st.result.holder, holder.did);
  assert.equal(st.result.credentials.length, 1);
  assert.ok(st.result.credentials[0].type.includes('VerifiableId'));
  assert.equal(st.result.credentials[0].credentialSubject.givenName, 'Jane');
  return st;
}

// failed checks a refused answer: 400 with reason, the session failed.
export async function refused(site, login, answer, reason) {
  // 400; a library that throws on an error status gives the body only.
  assert.ok(answer.status === 400 || answer.status === 'rejected', `${answer.status} ${answer.body}`);
  assert.equal(JSON.parse(answer.body).reason, reason, answer.body);
  const st = await site.status(login);
  assert.equal(st.status, 'failed');
  assert.equal(st.error.reason, reason);
}

// declined checks a processed decline: 200, the session failed with the
// wallet's own code.
export async function declined(site, login, answer, code = 'access_denied') {
  assert.equal(answer.status, 200, answer.body);
  const st = await site.status(login);
  assert.equal(st.status, 'failed');
  assert.equal(st.error.error, code);
}

// queryOf reads an authorization request URI's parameters.
export const queryOf = (uri) => Object.fromEntries(new URL(uri.replace(/^[a-z0-9]+:\/\/\?/, 'http://wallet/?')).searchParams);
