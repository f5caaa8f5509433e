// The verifier under test: the repository's binary, built once, started on
// 127.0.0.1:0 with the shipped config.yaml (or a variant of it written to a
// temp directory), driven through the contract only.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'liota-interop-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

let binary = process.env.VERIFIER_BIN || '';

// build compiles cmd/verifier once per test process.
function build() {
  if (binary && existsSync(binary)) return binary;
  binary = join(work, 'verifier');
  const go = existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
  execFileSync(go, ['build', '-o', binary, './cmd/verifier'], { cwd: repo, stdio: 'inherit' });
  return binary;
}

// shippedConfig is the repository's config.yaml, as it is.
export const shippedConfig = () => readFileSync(join(repo, 'config.yaml'), 'utf8');

// withDefinitions appends definition items (YAML text indented as list
// items of presentation_definitions) to a config, as operators add them.
export const withDefinitions = (cfg, items) => cfg.replace(/\n*$/, '\n') + items.replace(/^\n+/, '');

// edit replaces one exact line fragment of a config, failing if absent.
export function edit(cfg, from, to) {
  if (!cfg.includes(from)) throw new Error(`config has no ${JSON.stringify(from)}`);
  return cfg.replace(from, to);
}

// start runs the verifier on cfg and resolves when it listens.
export async function start(cfg = shippedConfig(), { files = {}, publicURL } = {}) {
  const bin = build();
  const dir = mkdtempSync(join(work, 'run-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  const path = join(dir, 'config.yaml');
  writeFileSync(path, cfg);
  const args = ['--config', path, '--listen', '127.0.0.1:0'];
  if (publicURL) args.push('--public-url', publicURL);
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const addr = await new Promise((ok, fail) => {
    const onData = (b) => {
      log += b;
      const m = /msg=listening addr=(\S+)/.exec(log);
      if (m) ok(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => fail(new Error(`verifier exited ${code}: ${log}`)));
  });
  const base = `http://${addr}`;
  return {
    base,
    addr,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const done = new Promise((ok) => child.on('exit', ok));
      child.kill('SIGTERM');
      await done;
    },
  };
}

// Website is a relying party with its user's browser: it starts logins
// through the API and reads them back with the status token.
export class Website {
  constructor(base) { this.base = base; }

  async startLogin(definition, flow = 'cross-device', protocol) {
    const body = { definition, flow };
    if (protocol) body.protocol = protocol;
    const r = await fetch(this.base + '/api/v1/sessions', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const json = await r.json();
    if (r.status !== 201) throw Object.assign(new Error(`start: ${r.status} ${JSON.stringify(json)}`), { status: r.status, body: json });
    this.cookie = (r.headers.get('set-cookie') || '').split(';')[0];
    return json;
  }

  async status(login) {
    const r = await fetch(this.base + login.status_url, { headers: { authorization: 'Bearer ' + login.status_token } });
    return r.json();
  }

  // redeem follows a same-device direct_post redirect_uri in the browser
  // that started the login (its cookie), as the result page does.
  async follow(redirectURI) {
    const r = await fetch(redirectURI, { headers: { cookie: this.cookie }, redirect: 'manual' });
    return { status: r.status, body: await r.text() };
  }
}
