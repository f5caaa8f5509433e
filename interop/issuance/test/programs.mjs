// The built Go programs, run as processes: built once into a temporary
// directory, started on free ports, stopped when the test ends. Nothing
// here is a mock: the issuer and the verifier are the repository's
// commands with the repository's issuer.yaml.
import { spawn, execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, copyFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const run = promisify(execFile)

export const repo = resolve(import.meta.dirname, '..', '..', '..')

let bins
export function build() {
  if (bins) return bins
  const dir = mkdtempSync(join(tmpdir(), 'liota-interop-issuance-'))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  bins = { dir }
  for (const name of ['issuer', 'verifier', 'wallet']) {
    bins[name] = join(dir, name)
    execFileSync('go', ['build', '-o', bins[name], `./cmd/${name}`], { cwd: repo, stdio: 'inherit' })
  }
  return bins
}

// start runs a built program in a fresh directory holding files
// ({name: contents}, or repository files by name) and resolves with its
// URL once it logs that it listens.
export async function start(t, name, { files = {}, repoFiles = [], env = {}, args = [] } = {}) {
  const { [name]: bin } = build()
  const dir = mkdtempSync(join(tmpdir(), `liota-${name}-`))
  for (const f of repoFiles) copyFileSync(join(repo, f), join(dir, f))
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text)
  const child = spawn(bin, ['--listen', '127.0.0.1:0', ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let logs = ''
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start:\n${logs}`)), 60_000)
    child.stderr.on('data', (chunk) => {
      logs += chunk
      const m = /msg=listening .*(?:public_url|credential_issuer)=(\S+)/.exec(logs)
      if (m) { clearTimeout(timer); ok(m[1]) }
    })
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`${name} exited ${code}:\n${logs}`)) })
  })
  t.after(async () => {
    const exited = new Promise((ok) => child.once('exit', ok))
    child.kill('SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  })
  return { url, logs: () => logs }
}

// A verifier definition (the contract's one key, every other default)
// that takes a VerifiableId as each format the issuer makes.
export const anyFormatConfig = `presentation_definitions:
  - id: any-verifiable-id
    input_descriptors:
      - id: vid
        format:
          ldp_vc: {proof_type: [JcsEd25519Signature2020, DataIntegrityProof]}
          jwt_vc_json: {alg: [EdDSA, ES256]}
        constraints:
          fields:
            - path: ["$.type", "$.vc.type"]
              filter: {type: array, contains: {const: VerifiableId}}
`

// wallet runs the built cmd/wallet with a home directory, without
// blocking the event loop (a relying party in this process answers it).
export async function wallet(home, ...args) {
  const { wallet: bin } = build()
  const { stdout } = await run(bin, ['--home', home, ...args], { encoding: 'utf8' })
  return stdout
}

export function tempHome(t) {
  const home = mkdtempSync(join(tmpdir(), 'liota-wallet-home-'))
  t.after(() => rmSync(home, { recursive: true, force: true }))
  return home
}
