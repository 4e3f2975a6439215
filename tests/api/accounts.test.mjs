// Accounts over real HTTP: sign-up, login, lockout, /me, and how personal data is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  api, assertProblem, BACKEND, uniquePhone, uniqueEmail, newOwner, login_, operator,
} from './lib.mjs';

const REGISTER = '/api/v1/auth/register';
const LOGIN = '/api/v1/auth/login';

function register(body) {
  return api('POST', REGISTER, { body });
}

function assertUser(u) {
  assert.equal(typeof u.id, 'string');
  assert.ok(u.id.length > 0);
  assert.equal(typeof u.name, 'string');
  assert.ok(Array.isArray(u.roles));
  assert.ok(u.roles.includes('owner'));
  assert.ok(Array.isArray(u.provider_roles));
  assert.ok(!Number.isNaN(Date.parse(u.created_at)), `created_at is a time: ${u.created_at}`);
  assert.equal(u.password_hash, undefined);
  assert.equal(u.password, undefined);
}

test('register by phone: 201 with the user, phone in full for its owner', async () => {
  const phone = uniquePhone();
  const res = await register({ phone, password: 'secret123', name: '  张伟  ' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const u = res.body.user;
  assertUser(u);
  assert.equal(u.phone, phone);
  assert.equal(u.email, null);
  assert.equal(u.name, '张伟');
  assert.deepEqual(u.roles, ['owner']);
  assert.deepEqual(u.provider_roles, []);
});

test('register by email: lower-cased, and login is case-insensitive', async () => {
  const email = uniqueEmail('Mixed.Case').replace('example.com', 'Example.COM');
  const res = await register({ email, password: 'secret123', name: 'Li Na' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assertUser(res.body.user);
  assert.equal(res.body.user.email, email.toLowerCase());
  assert.equal(res.body.user.phone, null);
  const s = await login_(email.toUpperCase(), 'secret123');
  assert.equal(s.user.id, res.body.user.id);
});

test('duplicates are 409 (phone, and email in another case)', async () => {
  const phone = uniquePhone();
  assert.equal((await register({ phone, password: 'secret123', name: 'A' })).status, 201);
  assertProblem(await register({ phone, password: 'other4567', name: 'B' }), 409);

  const email = uniqueEmail();
  assert.equal((await register({ email, password: 'secret123', name: 'A' })).status, 201);
  assertProblem(await register({ email: email.toUpperCase(), password: 'secret123', name: 'B' }), 409);
});

test('weak passwords are 422 naming password', async () => {
  for (const password of ['short1', 'lettersonly', '1234567890', '']) {
    const res = await register({ phone: uniquePhone(), password, name: 'Weak' });
    assertProblem(res, 422, 'password');
  }
});

test('unknown fields and wrong types are 422 naming each field', async () => {
  assertProblem(await register({ phone: uniquePhone(), password: 'secret123', name: 'X', admin: true }), 422, 'admin');
  const res = await register({ phone: 13812345678, password: 12345678, name: 5 });
  const p = assertProblem(res, 422, 'phone');
  const fields = p.errors.map((e) => e.field);
  assert.ok(fields.includes('password') && fields.includes('name'), JSON.stringify(p.errors));
  assertProblem(await register({ phone: uniquePhone(), name: 'No password' }), 422, 'password');
  assertProblem(await register({ phone: uniquePhone(), password: 'secret123' }), 422, 'name');
  assertProblem(await register({ phone: uniquePhone(), password: 'secret123', name: '   ' }), 422, 'name');
  assertProblem(await register({ phone: uniquePhone(), password: 'secret123', name: 'x'.repeat(65) }), 422, 'name');
});

test('exactly one of phone and email, each well-formed', async () => {
  assertProblem(await register({ password: 'secret123', name: 'None' }), 422, 'phone');
  assertProblem(await register({ phone: uniquePhone(), email: uniqueEmail(), password: 'secret123', name: 'Both' }), 422, 'email');
  for (const phone of ['12812345678', '1381234567', '138123456789', '+8613812345678', 'abcdefghijk']) {
    assertProblem(await register({ phone, password: 'secret123', name: 'P' }), 422, 'phone');
  }
  for (const email of ['plain', 'a@b', '@example.com', 'a b@example.com', 'a@@example.com']) {
    assertProblem(await register({ email, password: 'secret123', name: 'E' }), 422, 'email');
  }
});

test('login: session shape, wrong password and unknown login are 401', async () => {
  const phone = uniquePhone();
  const reg = await register({ phone, password: 'secret123', name: 'Wang' });
  assert.equal(reg.status, 201);
  const res = await api('POST', LOGIN, { body: { login: phone, password: 'secret123' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.token_type, 'Bearer');
  assert.equal(res.body.expires_in, 900);
  assert.equal(typeof res.body.access_token, 'string');
  assert.equal(typeof res.body.refresh_token, 'string');
  assert.equal(res.body.user.id, reg.body.user.id);
  assert.equal(res.body.user.phone, phone);

  assertProblem(await api('POST', LOGIN, { body: { login: phone, password: 'secret124' } }), 401);
  assertProblem(await api('POST', LOGIN, { body: { login: uniquePhone(), password: 'secret123' } }), 401);
  assertProblem(await api('POST', LOGIN, { body: { login: uniqueEmail(), password: 'secret123' } }), 401);
  assertProblem(await api('POST', LOGIN, { body: { login: 'nobody', password: 'secret123' } }), 401);
  assertProblem(await api('POST', LOGIN, { body: { login: phone } }), 422, 'password');
  assertProblem(await api('POST', LOGIN, { body: { login: phone, password: 'secret123', extra: 1 } }), 422, 'extra');
});

test('lockout: after 5 failures every attempt is 429 with Retry-After, even the right password', async () => {
  const { login, password } = await newOwner();
  for (let i = 0; i < 5; i++) {
    assertProblem(await api('POST', LOGIN, { body: { login, password: 'wrong-pass1' } }), 401);
  }
  for (const pw of [password, 'wrong-pass1']) {
    const res = await api('POST', LOGIN, { body: { login, password: pw } });
    assertProblem(res, 429);
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 7 * 86400, `Retry-After: ${retry}`);
  }
});

test('lockout is per login: another account is unaffected', async () => {
  const a = await newOwner();
  const b = await newOwner({ phone: false });
  for (let i = 0; i < 5; i++) await api('POST', LOGIN, { body: { login: a.login, password: 'nope12345' } });
  assertProblem(await api('POST', LOGIN, { body: { login: a.login, password: a.password } }), 429);
  await login_(b.login, b.password);
});

test('GET /me: the caller, with phone in full; 401 without a token', async () => {
  const s = await newOwner();
  const res = await api('GET', '/api/v1/me', { token: s.token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assertUser(res.body);
  assert.equal(res.body.id, s.user.id);
  assert.equal(res.body.phone, s.login);
  assert.deepEqual(res.body.roles, ['owner']);
  assertProblem(await api('GET', '/api/v1/me'), 401);
});

test('PATCH /me: name, and password with the current one', async () => {
  const s = await newOwner({ phone: false });
  let res = await api('PATCH', '/api/v1/me', { token: s.token, body: { name: '新名字' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.name, '新名字');
  assert.equal((await api('GET', '/api/v1/me', { token: s.token })).body.name, '新名字');

  assertProblem(await api('PATCH', '/api/v1/me', { token: s.token, body: { password: 'newpass123' } }), 422, 'current_password');
  assertProblem(await api('PATCH', '/api/v1/me', { token: s.token, body: { password: 'newpass123', current_password: 'wrong1234' } }), 422, 'current_password');
  assertProblem(await api('PATCH', '/api/v1/me', { token: s.token, body: { password: 'weak', current_password: s.password } }), 422, 'password');
  assertProblem(await api('PATCH', '/api/v1/me', { token: s.token, body: { name: '' } }), 422, 'name');
  assertProblem(await api('PATCH', '/api/v1/me', { token: s.token, body: { email: 'x@example.com' } }), 422, 'email');
  assertProblem(await api('PATCH', '/api/v1/me', { body: { name: 'anon' } }), 401);

  res = await api('PATCH', '/api/v1/me', { token: s.token, body: { password: 'newpass123', current_password: s.password } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await login_(s.login, 'newpass123');
  assertProblem(await api('POST', LOGIN, { body: { login: s.login, password: s.password } }), 401);
  // a new password ends the sessions made with the old one
  assertProblem(await api('POST', '/api/v1/auth/refresh', { body: { refresh_token: s.refresh } }), 401);
});

test('the operator made by the CLI logs in with role operator', async () => {
  const op = await operator();
  assert.ok(op.user.roles.includes('operator'), JSON.stringify(op.user));
  assert.ok(op.user.roles.includes('owner'));
  const me = await api('GET', '/api/v1/me', { token: op.token });
  assert.equal(me.status, 200);
  assert.ok(me.body.roles.includes('operator'));
  const payload = JSON.parse(Buffer.from(op.token.split('.')[1], 'base64url').toString());
  assert.ok(payload.roles.includes('operator'));
});

// What the database holds: no phone number and no refresh token in clear.
function dumpTables(tables) {
  const url = process.env.PITSTOP_DATABASE_URL || '';
  if (BACKEND === 'sqlite') {
    const file = resolve(url.replace(/^sqlite:/, ''));
    if (!existsSync(file)) return null;
    return tables.map((t) => execFileSync('sqlite3', [file, `select * from ${t}`], { encoding: 'utf8' })).join('\n');
  }
  try {
    return tables.map((t) => execFileSync('psql', [url, '-At', '-c', `select * from ${t}`], { encoding: 'utf8' })).join('\n');
  } catch {
    return null;
  }
}

test('phones and refresh tokens are never stored in clear', async (t) => {
  const s = await newOwner();
  const dump = dumpTables(['users', 'refresh_tokens', 'login_failures']);
  if (dump === null) {
    t.skip('database not reachable from the test (no sqlite3 file or psql)');
    return;
  }
  assert.ok(dump.includes(s.user.id), 'the dump has the new user');
  assert.ok(!dump.includes(s.login), 'phone digits must not appear in clear');
  assert.ok(!dump.includes(s.login.slice(3)), 'not even the last eight digits');
  assert.ok(!dump.includes(s.refresh), 'refresh token must not appear in clear');
  assert.ok(!dump.includes(s.password), 'password must not appear in clear');
});

test('wrong current passwords in PATCH /me count towards the login lockout', async () => {
  const s = await newOwner();
  for (let i = 0; i < 5; i++) {
    const res = await api('PATCH', '/api/v1/me', { token: s.token, body: { password: 'newpass123', current_password: 'guess1234' } });
    assertProblem(res, 422, 'current_password');
  }
  const res = await api('PATCH', '/api/v1/me', { token: s.token, body: { password: 'newpass123', current_password: s.password } });
  assertProblem(res, 429);
  assert.ok(Number(res.headers.get('retry-after')) >= 1);
  assertProblem(await api('POST', LOGIN, { body: { login: s.login, password: s.password } }), 429);
  // the name can still be changed: only password checks are locked
  assert.equal((await api('PATCH', '/api/v1/me', { token: s.token, body: { name: 'Still me' } })).status, 200);
});
