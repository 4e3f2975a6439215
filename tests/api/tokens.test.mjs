// Tokens over real HTTP: refresh rotation and reuse detection, logout, and access tokens an
// attacker might forge (alg none, wrong key, RS256 header, expired, garbage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { api, assertProblem, newOwner, uniquePhone } from './lib.mjs';

const REFRESH = '/api/v1/auth/refresh';
const LOGOUT = '/api/v1/auth/logout';
const SECRET = process.env.PITSTOP_JWT_SECRET || '';
// A lone secret signs with kid = first 8 hex chars of SHA-256(secret); a rotation list
// ("kid:secret,...") cannot be reproduced here simply, so those tests skip then.
const LONE_SECRET = SECRET.length >= 32 && !/^[A-Za-z0-9_.-]{1,16}:/.test(SECRET);
const KID = createHash('sha256').update(SECRET).digest('hex').slice(0, 8);

const b64 = (obj) => Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj)).toString('base64url');

function sign(header, payload, key = SECRET) {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
}

function claims(sub, { roles = ['owner'], iat, exp } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { sub, jti: randomUUID(), roles, iat: iat ?? now, exp: exp ?? now + 600 };
}

const me = (token) => api('GET', '/api/v1/me', { token });
const refresh = (refresh_token) => api('POST', REFRESH, { body: { refresh_token } });

test('access token: HS256 with kid, sub, roles, jti, 15 minutes', async () => {
  const s = await newOwner();
  const [h, p] = s.token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  assert.equal(h.alg, 'HS256');
  assert.equal(typeof h.kid, 'string');
  if (LONE_SECRET) assert.equal(h.kid, KID);
  assert.equal(p.sub, s.user.id);
  assert.deepEqual(p.roles, ['owner']);
  assert.equal(p.exp - p.iat, 900);
  assert.ok(p.jti);
  assert.equal(s.refresh.length, 43);
});

test('refresh rotates: a new pair, and the new access token works', async () => {
  const s = await newOwner();
  const r1 = await refresh(s.refresh);
  assert.equal(r1.status, 200, JSON.stringify(r1.body));
  assert.equal(r1.body.token_type, 'Bearer');
  assert.equal(r1.body.expires_in, 900);
  assert.notEqual(r1.body.refresh_token, s.refresh);
  assert.equal(r1.body.user.id, s.user.id);
  assert.equal((await me(r1.body.access_token)).status, 200);
  const r2 = await refresh(r1.body.refresh_token);
  assert.equal(r2.status, 200, JSON.stringify(r2.body));
  assert.notEqual(r2.body.refresh_token, r1.body.refresh_token);
});

test('reusing a used refresh token revokes the whole family', async () => {
  const s = await newOwner();
  const r1 = await refresh(s.refresh);
  assert.equal(r1.status, 200);
  // the stolen copy of the first token comes back: refused ...
  assertProblem(await refresh(s.refresh), 401);
  // ... and the rightful, newer token stops working too
  assertProblem(await refresh(r1.body.refresh_token), 401);
});

test('families are independent: reuse in one session leaves another login alone', async () => {
  const s = await newOwner();
  const other = await api('POST', '/api/v1/auth/login', { body: { login: s.login, password: s.password } });
  assert.equal(other.status, 200);
  assert.equal((await refresh(s.refresh)).status, 200);
  assertProblem(await refresh(s.refresh), 401);
  assert.equal((await refresh(other.body.refresh_token)).status, 200);
});

test('logout is 204, then the refresh token is refused; logging out twice is fine', async () => {
  const s = await newOwner();
  const r1 = await refresh(s.refresh);
  assert.equal(r1.status, 200);
  const out = await api('POST', LOGOUT, { body: { refresh_token: r1.body.refresh_token } });
  assert.equal(out.status, 204);
  assertProblem(await refresh(r1.body.refresh_token), 401);
  assert.equal((await api('POST', LOGOUT, { body: { refresh_token: r1.body.refresh_token } })).status, 204);
  assert.equal((await api('POST', LOGOUT, { body: { refresh_token: 'never-issued' } })).status, 204);
});

test('bad refresh requests', async () => {
  assertProblem(await refresh('x'.repeat(43)), 401);
  assertProblem(await api('POST', REFRESH, { body: {} }), 422, 'refresh_token');
  assertProblem(await api('POST', REFRESH, { body: { refresh_token: 42 } }), 422, 'refresh_token');
  assertProblem(await api('POST', REFRESH, { body: { refresh_token: 'a', extra: 1 } }), 422, 'extra');
  assertProblem(await api('POST', LOGOUT, { body: {} }), 422, 'refresh_token');
});

test('missing or malformed Authorization is 401', async () => {
  assertProblem(await me(), 401);
  assertProblem(await api('GET', '/api/v1/me', { headers: { authorization: 'Bearer' } }), 401);
  assertProblem(await api('GET', '/api/v1/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401);
  for (const garbage of ['garbage', 'a.b.c', '...', 'eyJhbGciOiJIUzI1NiJ9.e30.', 'x'.repeat(5000)]) {
    assertProblem(await me(garbage), 401);
  }
});

test('a token signed here with the server key is accepted (the forgeries below are meaningful)', async (t) => {
  if (!LONE_SECRET) return t.skip('PITSTOP_JWT_SECRET not given as one secret');
  const s = await newOwner();
  const tok = sign({ alg: 'HS256', typ: 'JWT', kid: KID }, claims(s.user.id));
  const res = await me(tok);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.id, s.user.id);
});

test('forged tokens are 401: alg none, wrong key, RS256 header, unknown kid, expired, tampered', async (t) => {
  const s = await newOwner();
  const sub = s.user.id;
  const body = claims(sub, { roles: ['owner', 'operator'] });
  const forged = {
    'alg none': `${b64({ alg: 'none', typ: 'JWT', kid: KID })}.${b64(body)}.`,
    'alg none, signed anyway': sign({ alg: 'none', kid: KID }, body),
    'HS256 with a wrong key': sign({ alg: 'HS256', typ: 'JWT', kid: KID }, body, 'not-the-server-key-but-long-enough-1234'),
    'RS256 header': sign({ alg: 'RS256', typ: 'JWT', kid: KID }, body),
    'HS512': sign({ alg: 'HS512', typ: 'JWT', kid: KID }, body),
    'unknown kid': sign({ alg: 'HS256', typ: 'JWT', kid: 'deadbeef' }, body),
    'no kid': sign({ alg: 'HS256', typ: 'JWT' }, body),
    'tampered payload': (() => {
      const [h, , sig] = s.token.split('.');
      const p = JSON.parse(Buffer.from(s.token.split('.')[1], 'base64url').toString());
      p.roles = ['owner', 'operator'];
      return `${h}.${b64(p)}.${sig}`;
    })(),
    'tampered signature': s.token.slice(0, -2) + (s.token.endsWith('AA') ? 'BB' : 'AA'),
  };
  if (LONE_SECRET) {
    const now = Math.floor(Date.now() / 1000);
    forged['expired, right key'] = sign({ alg: 'HS256', typ: 'JWT', kid: KID }, claims(sub, { iat: now - 2000, exp: now - 1000 }));
    forged['issued in the future'] = sign({ alg: 'HS256', typ: 'JWT', kid: KID }, claims(sub, { iat: now + 3600, exp: now + 4000 }));
    forged['roles not an array'] = sign({ alg: 'HS256', typ: 'JWT', kid: KID }, { ...body, roles: 'operator' });
    forged['unknown user'] = sign({ alg: 'HS256', typ: 'JWT', kid: KID }, claims('01aaaaaaaaaaaaaaaaaaaaaaaa'));
  } else {
    t.diagnostic('PITSTOP_JWT_SECRET not given as one secret: expired-token case skipped');
  }
  for (const [name, tok] of Object.entries(forged)) {
    const res = await me(tok);
    assert.equal(res.status, 401, `${name}: expected 401, got ${res.status} ${JSON.stringify(res.body)}`);
    assertProblem(res, 401);
  }
});

test('a new sign-up gets exactly the owner role in its token', async () => {
  const res = await api('POST', '/api/v1/auth/register', {
    body: { phone: uniquePhone(), password: 'secret123', name: 'Role check' },
  });
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.user.roles, ['owner']);
});

test('the same refresh token sent many times at once: at most one new session', async () => {
  const s = await newOwner();
  const results = await Promise.all(Array.from({ length: 6 }, () => refresh(s.refresh)));
  const ok = results.filter((r) => r.status === 200);
  assert.ok(ok.length <= 1, `${ok.length} refreshes succeeded`);
  for (const r of results) assert.ok(r.status === 200 || r.status === 401, `status ${r.status}`);
  // the losers were reuses: the family is gone, the winner's token included
  for (const r of ok) assertProblem(await refresh(r.body.refresh_token), 401);
});
