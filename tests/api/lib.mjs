// Shared helpers for the black-box API tests (node:test + fetch over loopback).
// tests/run.sh starts a server and exports:
//   PITSTOP_URL                 base URL of the server under test
//   PITSTOP_BIN                 the pitstop binary (for CLI tests)
//   PITSTOP_DATABASE_URL        the database the server uses (sqlite:… or postgres://…)
//   PITSTOP_TEST_OPERATOR_LOGIN / PITSTOP_TEST_OPERATOR_PASSWORD  an operator made by the CLI
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';

export const BASE = process.env.PITSTOP_URL || 'http://127.0.0.1:8080';
export const BACKEND = (process.env.PITSTOP_DATABASE_URL || 'sqlite:').startsWith('postgres') ? 'postgres' : 'sqlite';

// One HTTP call. body: an object (sent as JSON) or a string/Buffer (sent as is).
// Returns { status, headers, body } where body is parsed JSON when the answer is JSON.
export async function api(method, path, { token, body, headers = {}, contentType } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array) payload = body;
    else payload = JSON.stringify(body);
    h['content-type'] = contentType || 'application/json';
  }
  const res = await fetch(BASE + path, { method, headers: h, body: payload });
  const text = await res.text();
  let parsed = text;
  const type = res.headers.get('content-type') || '';
  if (type.includes('json') && text.length) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed };
}

// Assert a problem document with the given status; returns it.
export function assertProblem(res, status, field) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') || '', /application\/problem\+json/);
  assert.equal(res.body.status, status);
  assert.ok(res.body.type && res.body.title, 'problem has type and title');
  if (field) {
    const fields = (res.body.errors || []).map((e) => e.field);
    assert.ok(fields.includes(field), `errors should name ${field}: ${JSON.stringify(res.body.errors)}`);
  }
  return res.body;
}

export function uniquePhone() {
  return '1' + String(randomInt(3, 10)) + String(randomInt(0, 1e9)).padStart(9, '0');
}
export function uniqueEmail(prefix = 'user') {
  return `${prefix}.${randomUUID().slice(0, 12)}@example.com`;
}

// Register and log in a new owner. Returns { token, refresh, user, login, password }.
export async function newOwner({ phone = true, name = '张伟' } = {}) {
  const login = phone ? uniquePhone() : uniqueEmail();
  const password = 'secret123' + randomInt(1000);
  const reg = await api('POST', '/api/v1/auth/register', {
    body: { [phone ? 'phone' : 'email']: login, password, name },
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  return login_(login, password);
}

export async function login_(login, password) {
  const res = await api('POST', '/api/v1/auth/login', { body: { login, password } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { token: res.body.access_token, refresh: res.body.refresh_token, user: res.body.user, login, password };
}

// The operator created by tests/run.sh through `pitstop user create --role operator`.
let operatorSession;
export async function operator() {
  if (!operatorSession) {
    operatorSession = await login_(process.env.PITSTOP_TEST_OPERATOR_LOGIN, process.env.PITSTOP_TEST_OPERATOR_PASSWORD);
  }
  return operatorSession;
}
