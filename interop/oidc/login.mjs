// login.mjs drives the verifier's OpenID Provider with openid-client 6, as
// a website's backend would: discovery, the authorization URL (PKCE S256,
// state, nonce), the callback, the code grant with the ID token checked
// against the provider's key set, and userinfo. The browser and the wallet
// between the authorization URL and the callback are the Go test's (the
// BROWSER endpoint): a test wallet logs in there.
//
// Environment: ISSUER, CLIENT_ID, CLIENT_SECRET (empty: a public client),
// REDIRECT_URI, SCOPE, BROWSER. Prints one JSON line:
// {"claims": {…ID token…}, "userinfo": {…}, "discovered": {…}}.
import * as client from 'openid-client';

const env = (name) => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};

const issuer = new URL(env('ISSUER'));
const secret = env('CLIENT_SECRET');
// The test server is http on 127.0.0.1; in production the issuer is https.
const insecure = issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {};
const config = await client.discovery(
  issuer,
  env('CLIENT_ID'),
  secret ? { client_secret: secret } : undefined,
  secret ? client.ClientSecretPost(secret) : client.None(),
  insecure,
);

const codeVerifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const authorizationURL = client.buildAuthorizationUrl(config, {
  redirect_uri: env('REDIRECT_URI'),
  scope: env('SCOPE'),
  code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
  code_challenge_method: 'S256',
  state,
  nonce,
});

// The browser: the login page, the button, the wallet, back to the callback.
const browsed = await fetch(env('BROWSER'), {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ url: authorizationURL.href }),
});
if (!browsed.ok) throw new Error(`browser: ${browsed.status} ${await browsed.text()}`);
const { callback } = await browsed.json();

const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
  pkceCodeVerifier: codeVerifier,
  expectedState: state,
  expectedNonce: nonce,
  idTokenExpected: true,
});
const claims = tokens.claims();
const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
const meta = config.serverMetadata();
console.log(JSON.stringify({
  claims,
  userinfo,
  discovered: { issuer: meta.issuer, algs: meta.id_token_signing_alg_values_supported },
}));
