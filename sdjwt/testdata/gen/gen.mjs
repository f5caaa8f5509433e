// Generates the interop fixtures of package sdjwt: SD-JWT VCs issued and
// presented by @sd-jwt/sd-jwt-vc (OpenWallet Foundation) and by
// @iota/identity-wasm 1.9 (IOTA's identity.rs), each with the processed
// claims the library itself reads back, so the Go tests compare our
// verifier with theirs. Run once (npm ci && npm run gen); the outputs under
// ../interop are committed and the Go tests never run Node.
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs'
import * as nodeCrypto from 'node:crypto'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs'

const out = new URL('../interop/', import.meta.url)
mkdirSync(out, { recursive: true })
const version = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url))).version

// Fixed times, so the fixtures verify forever at verify_at.
const VERIFY_AT = 1790000000
const NONCE = 'n-0S6_WzA2Mj-fixture'
const AUD = 'decentralized_identifier:did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5IiwieCI6ImZpeHR1cmUifQ'

const b64u = (b) => Buffer.from(b).toString('base64url')
const pub = ({ d, ...rest }) => rest

function write(name, fixture) {
  writeFileSync(new URL(`${name}.json`, out), JSON.stringify(fixture, null, 2) + '\n')
  console.log('wrote', name)
}

// An EdDSA signer over node:crypto (the library ships ES256/384/512 only).
function edSigner(privateJwk) {
  const key = nodeCrypto.createPrivateKey({ key: privateJwk, format: 'jwk' })
  return async (data) => b64u(nodeCrypto.sign(null, Buffer.from(data), key))
}
function edKeyPair() {
  const { publicKey, privateKey } = nodeCrypto.generateKeyPairSync('ed25519')
  return { publicKey: publicKey.export({ format: 'jwk' }), privateKey: privateKey.export({ format: 'jwk' }) }
}

const claims = {
  iss: 'https://issuer.example.org',
  vct: 'https://credentials.example.org/identity_credential',
  iat: VERIFY_AT - 3600,
  exp: VERIFY_AT + 10 * 365 * 86400,
  given_name: 'Erika',
  family_name: 'Mustermann',
  birthdate: '1964-08-12',
  address: { street_address: 'Heidestraße 17', locality: 'Köln', postal_code: '51147', country: 'DE' },
  nationalities: ['DE', 'FR'],
  status: { status_list: { idx: 7, uri: 'https://issuer.example.org/status/1' } },
}
const frame = {
  _sd: ['given_name', 'family_name', 'birthdate', 'nationalities'],
  _sd_decoy: 2,
  address: { _sd: ['street_address', 'locality', 'postal_code'] },
  nationalities: { _sd: [0, 1] },
}

async function sdJwtJs(name, { issuerAlg, holderAlg, presentFrame, kb, nonce = NONCE, aud = AUD, expectError }) {
  const issuerKeys = issuerAlg === 'EdDSA' ? edKeyPair() : await ES256.generateKeyPair()
  const holderKeys = holderAlg === 'EdDSA' ? edKeyPair() : await ES256.generateKeyPair()
  const sign = async (alg, keys) => (alg === 'EdDSA' ? edSigner(keys.privateKey) : ES256.getSigner(keys.privateKey))
  const sd = new SDJwtVcInstance({
    signer: await sign(issuerAlg, issuerKeys),
    signAlg: issuerAlg,
    kbSigner: await sign(holderAlg, holderKeys),
    kbSignAlg: holderAlg,
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    verifier: async () => true, // the library reads back the claims; Go checks signatures
    kbVerifier: async () => true,
  })
  const issued = await sd.issue({ ...claims, cnf: { jwk: pub(holderKeys.publicKey) } }, frame)
  const presentation = await sd.present(issued, presentFrame,
    kb ? { kb: { payload: { iat: VERIFY_AT - 10, aud, nonce } } } : undefined)
  const fixture = {
    name, generator: `@sd-jwt/sd-jwt-vc ${version('@sd-jwt/sd-jwt-vc')}, @sd-jwt/core ${version('@sd-jwt/core')}`,
    issuer_jwk: pub(issuerKeys.publicKey), holder_jwk: pub(holderKeys.publicKey),
    issued, presentation, nonce: NONCE, audience: AUD, verify_at: VERIFY_AT, require_key_binding: kb,
  }
  if (expectError) {
    fixture.expect = { error: expectError }
  } else {
    // The library's own processing of the presentation (its verify would
    // fetch the status list; signatures are Go's to check).
    fixture.expect = { claims: await sd.getClaims(presentation) }
  }
  write(name, fixture)
}

await sdJwtJs('sd-jwt-js-es256-kb', { issuerAlg: 'ES256', holderAlg: 'ES256', kb: true,
  presentFrame: { given_name: true, address: { locality: true }, nationalities: { 1: true } } })
await sdJwtJs('sd-jwt-js-eddsa-kb', { issuerAlg: 'EdDSA', holderAlg: 'EdDSA', kb: true,
  presentFrame: { family_name: true, birthdate: true, address: { street_address: true, postal_code: true } } })
await sdJwtJs('sd-jwt-js-es256-all-no-kb', { issuerAlg: 'ES256', holderAlg: 'ES256', kb: false,
  presentFrame: { given_name: true, family_name: true, birthdate: true, nationalities: { 0: true, 1: true },
    address: { street_address: true, locality: true, postal_code: true } } })
await sdJwtJs('sd-jwt-js-wrong-nonce', { issuerAlg: 'ES256', holderAlg: 'ES256', kb: true, nonce: 'another-nonce',
  presentFrame: { given_name: true }, expectError: 'kb_nonce' })
await sdJwtJs('sd-jwt-js-wrong-aud', { issuerAlg: 'EdDSA', holderAlg: 'ES256', kb: true, aud: 'https://client.example.org',
  presentFrame: { given_name: true }, expectError: 'kb_audience' })

// IOTA identity.rs 1.9 (identity-wasm): SdJwtVcBuilder, its own KB-JWT
// builder, keys in its JwkMemStore.
async function identityWasm() {
  const id = await import('identity-wasm-1.9/node/index.js')
  const hasher = new id.Sha256Hasher()
  const ts = (unix) => id.Timestamp.parse(new Date(unix * 1000).toISOString().replace('.000Z', 'Z'))
  const storage = new id.Storage(new id.JwkMemStore(), new id.KeyIdMemStore())
  const newSigner = async () => {
    const gen = await storage.keyStorage().generate(id.JwkMemStore.ed25519KeyType(), id.JwsAlgorithm.EdDSA)
    const jwk = gen.jwk()
    const json = pub(jwk.toJSON()) // before the signer takes the Jwk (wasm ownership)
    return { signer: new id.StorageSigner(storage, gen.keyId(), jwk), jwk: json }
  }
  const issuer = await newSigner()
  const holder = await newSigner()
  const { iss, vct, iat, exp, status, ...subject } = claims
  const token = await new id.SdJwtVcBuilder(subject, hasher)
    .header('typ', 'dc+sd-jwt')
    .iss(iss).vct(vct).iat(ts(iat))
    .exp(ts(exp))
    .status(status)
    .makeConcealable('/given_name').makeConcealable('/family_name').makeConcealable('/birthdate')
    .makeConcealable('/address/street_address').makeConcealable('/address/locality')
    .makeConcealable('/nationalities/1')
    .addDecoys('', 2)
    .requireKeyBinding({ jwk: holder.jwk })
    .finish(issuer.signer.asJwsSigner(), 'EdDSA')
  const issued = token.toString()
  const { sdJwtVc } = token.intoPresentation(hasher).conceal('/family_name').conceal('/address/street_address')
    .conceal('/birthdate').finish()
  const kb = await new id.KeyBindingJwtBuilder().iat(ts(VERIFY_AT - 10))
    .aud(AUD).nonce(NONCE).header('typ', 'kb+jwt').finish(sdJwtVc.asSdJwt(), 'EdDSA', holder.signer.asJwsSigner())
  sdJwtVc.attachKeyBindingJwt(kb)
  const presentation = sdJwtVc.toString()
  // intoDisclosedObject answers nested Maps.
  const plain = (v) => v instanceof Map ? Object.fromEntries([...v].map(([k, e]) => [k, plain(e)]))
    : Array.isArray(v) ? v.map(plain) : v
  const processed = plain(id.SdJwtVc.parse(presentation).intoDisclosedObject(hasher))
  write('identity-wasm-1.9-eddsa-kb', {
    name: 'identity-wasm-1.9-eddsa-kb', generator: `@iota/identity-wasm ${version('identity-wasm-1.9')}`,
    issuer_jwk: issuer.jwk, holder_jwk: holder.jwk, issued, presentation, nonce: NONCE, audience: AUD,
    verify_at: VERIFY_AT, require_key_binding: true, expect: { claims: processed },
  })
}
try {
  await identityWasm()
} catch (e) {
  console.error('identity-wasm fixture skipped:', e)
  process.exitCode = 1
}
