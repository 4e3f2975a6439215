// The binary's commands: help that tells the truth, misuse that says what is wrong and exits 2,
// configuration errors that name the variable, secrets generated once with mode 0600.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.PITSTOP_BIN;

// Run the binary with a clean Pitstop environment (no secrets, no database) in dir.
function pitstop(args, { env = {}, cwd } = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PITSTOP_')));
  return spawnSync(BIN, args, { cwd, env: { ...clean, ...env }, encoding: 'utf8', timeout: 60000 });
}

test('--help lists every command and exits 0', () => {
  const r = pitstop(['--help']);
  assert.equal(r.status, 0);
  for (const cmd of ['serve', 'migrate', 'user create', 'routes', 'openapi']) assert.match(r.stdout, new RegExp(cmd));
});

test('no command or an unknown command: usage on stderr, exit 2', () => {
  assert.equal(pitstop([]).status, 2);
  const r = pitstop(['frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});

test('an unknown option of serve is named, exit 2', () => {
  const r = pitstop(['serve', '--colour', 'blue']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--colour/);
});

test('a bad configuration value names the variable, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-cli-'));
  try {
    let r = pitstop(['serve'], { cwd: dir, env: { PITSTOP_LISTEN: 'nonsense' } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /PITSTOP_LISTEN/);
    r = pitstop(['migrate'], { cwd: dir, env: { PITSTOP_LOG_LEVEL: 'chatty' } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /PITSTOP_LOG_LEVEL/);
    r = pitstop(['migrate'], { cwd: dir, env: { PITSTOP_DATA_KEY: 'short' } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /PITSTOP_DATA_KEY/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('production mode refuses to generate secrets and names the missing one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-cli-'));
  try {
    const r = pitstop(['migrate'], { cwd: dir, env: { PITSTOP_ENV: 'production' } });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /PITSTOP_JWT_SECRET|PITSTOP_DATA_KEY|PITSTOP_PAYMENT_WEBHOOK_SECRET/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with no configuration, secrets are generated once into ./data/secrets with mode 0600 and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-cli-'));
  try {
    let r = pitstop(['migrate'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const file = join(dir, 'data', 'secrets');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const first = readFileSync(file, 'utf8');
    assert.match(first, /PITSTOP_JWT_SECRET=\S{32,}/);
    assert.match(first, /PITSTOP_DATA_KEY=[0-9a-f]{64}/);
    r = pitstop(['migrate'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(file, 'utf8'), first, 'secrets are reused, not regenerated');
    assert.ok(statSync(join(dir, 'data', 'pitstop.db')).size > 0, 'the default SQLite database exists');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('user create: misuse exits 2 and says why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pitstop-cli-'));
  try {
    let r = pitstop(['user', 'create', '--role', 'operator', '--password', 'secret123'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--email|--phone/);
    r = pitstop(['user', 'create', '--role', 'emperor', '--email', 'a@b.cn', '--password', 'secret123'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /role/);
    r = pitstop(['user', 'create', '--role', 'operator', '--email', 'boss@pitstop.test', '--password', 'secret123'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    r = pitstop(['user', 'create', '--role', 'operator', '--email', 'boss@pitstop.test', '--password', 'secret123'], { cwd: dir });
    assert.equal(r.status, 1, 'a duplicate is a failure, not misuse');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('routes and errors list the tables the server is built from', () => {
  const routes = pitstop(['routes']);
  assert.equal(routes.status, 0);
  assert.match(routes.stdout, /POST\s+\/api\/v1\/auth\/login/);
  const errors = pitstop(['errors', '--markdown']);
  assert.equal(errors.status, 0);
  assert.match(errors.stdout, /\| 422 \| `\/errors\/validation-failed` \|/);
});

test('docs/ERRORS.md is the table the binary prints (kept in step with errors.def)', () => {
  const table = pitstop(['errors', '--markdown']).stdout.trim();
  const doc = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
  assert.ok(doc.includes(table), 'regenerate docs/ERRORS.md with `pitstop errors --markdown`');
});

test('problem documents carry a hint the client can act on', async () => {
  const res = await fetch(`${process.env.PITSTOP_URL}/api/v1/me`);
  const body = await res.json();
  assert.equal(res.status, 401);
  assert.match(body.hint, /Authorization: Bearer/);
});
