// The HTTP core: ops endpoints, problem documents, caps, request ids, content types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, BASE } from './lib.mjs';

test('GET /healthz answers ok with a request id', async () => {
  const res = await api('GET', '/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { status: 'ok' });
  assert.match(res.headers.get('x-request-id'), /^[0-9a-z]{26}$/);
});

test('a sane X-Request-Id from the client is echoed, a hostile one replaced', async () => {
  const mine = await api('GET', '/healthz', { headers: { 'x-request-id': 'trace-abc_123' } });
  assert.equal(mine.headers.get('x-request-id'), 'trace-abc_123');
  const bad = await api('GET', '/healthz', { headers: { 'x-request-id': 'a b"c<script>' } });
  assert.notEqual(bad.headers.get('x-request-id'), 'a b"c<script>');
});

test('GET /readyz: database reachable and migrations current', async () => {
  const res = await api('GET', '/readyz');
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'ready');
});

test('GET /metrics exposes request counts and latency histograms by route and status', async () => {
  await api('GET', '/healthz');
  await api('GET', '/api/v1/definitely-missing');
  const res = await api('GET', '/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/plain/);
  const text = res.body;
  assert.match(text, /pitstop_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  assert.match(text, /pitstop_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",status="200",le="\+Inf"\} \d+/);
  assert.match(text, /route="unmatched",status="404"/);
  assert.match(text, /pitstop_db_pool_connections\{state="total"\} \d+/);
  assert.match(text, /pitstop_http_requests_in_flight \d+/);
});

test('unknown API path: 404 problem document', async () => {
  const res = await api('GET', '/api/v1/no/such/thing');
  const p = assertProblem(res, 404);
  assert.equal(p.type, '/errors/not-found');
});

test('wrong method on a known path: 405 with Allow', async () => {
  const res = await api('DELETE', '/healthz');
  assertProblem(res, 405);
  assert.match(res.headers.get('allow'), /GET/);
});

test('a URL longer than 4096 bytes: 414', async () => {
  const res = await api('GET', '/api/v1/me?x=' + 'a'.repeat(5000));
  assertProblem(res, 414);
});

test('huge headers are refused, and the server keeps serving', async () => {
  const res = await fetch(BASE + '/healthz', { headers: { 'x-big': 'h'.repeat(60 * 1024) } }).catch((e) => e);
  if (!(res instanceof Error)) assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
  assert.equal((await api('GET', '/healthz')).status, 200);
});

// The router's body checks, exercised on a public JSON route (login).
const JSON_ROUTE = '/api/v1/auth/login';

test('malformed JSON: 400 problem naming the position', async () => {
  const res = await api('POST', JSON_ROUTE, { body: '{"login": "x", ' });
  const p = assertProblem(res, 400);
  assert.equal(p.type, '/errors/malformed-json');
  assert.match(p.detail, /line 1/);
});

test('a JSON body that is not an object: 400', async () => {
  assertProblem(await api('POST', JSON_ROUTE, { body: '[1,2,3]' }), 400);
  assertProblem(await api('POST', JSON_ROUTE, { body: '"text"' }), 400);
});

test('duplicate keys in JSON are refused', async () => {
  assertProblem(await api('POST', JSON_ROUTE, { body: '{"login":"a","login":"b","password":"x"}' }), 400);
});

test('deeply nested JSON: 400, not a crash', async () => {
  const deep = '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
  const res = await api('POST', JSON_ROUTE, { body: deep });
  assert.ok(res.status === 400 || res.status === 422, `status ${res.status}`);
});

test('wrong content type: 415', async () => {
  const res = await api('POST', JSON_ROUTE, { body: 'login=a&password=b', contentType: 'application/x-www-form-urlencoded' });
  assertProblem(res, 415);
});

test('JSON body over 1 MiB: 413, and nothing is read into a record', async () => {
  const big = JSON.stringify({ login: 'x'.repeat(1024 * 1024 + 10), password: 'y' });
  const res = await api('POST', JSON_ROUTE, { body: big });
  assertProblem(res, 413);
});

test('wrong types, missing and unknown fields: one 422 naming every field', async () => {
  const res = await api('POST', JSON_ROUTE, { body: { login: 42, surprise: true } });
  const p = assertProblem(res, 422);
  const fields = p.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['login', 'password', 'surprise']);
  for (const e of p.errors) assert.ok(e.message.length > 0);
});

test('invalid UTF-8 in a JSON string: 400', async () => {
  const bytes = Buffer.concat([Buffer.from('{"login":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","password":"x"}')]);
  assertProblem(await api('POST', JSON_ROUTE, { body: bytes }), 400);
});

test('the server still answers after all of that', async () => {
  assert.equal((await api('GET', '/healthz')).status, 200);
});

test('GET /api/v1/admin/audit-log: operators only, newest first, the CLI-created operator is there', async () => {
  const { operator, newOwner } = await import('./lib.mjs');
  const owner = await newOwner();
  assertProblem(await api('GET', '/api/v1/admin/audit-log', { token: owner.token }), 403);
  assertProblem(await api('GET', '/api/v1/admin/audit-log'), 401);
  const op = await operator();
  const res = await api('GET', '/api/v1/admin/audit-log?limit=100', { token: op.token });
  assert.equal(res.status, 200);
  assert.ok(Array.isArray(res.body.items));
  assert.ok(res.body.items.some((e) => e.actor_id === 'cli'), 'user create by the CLI is audited');
  const ids = res.body.items.map((e) => e.id);
  assert.deepEqual([...ids].sort().reverse(), ids, 'newest first');
  assertProblem(await api('GET', '/api/v1/admin/audit-log?limit=0', { token: op.token }), 422, 'limit');
});

test('an escaped NUL in the path never cuts it short onto another route', async () => {
  assertProblem(await api('POST', '/api/v1/auth/login%00', { body: {} }), 404);
  assertProblem(await api('GET', '/api/v1/me%00/extra'), 404);
  const res = await api('DELETE', '/api/v1/vehicles/01abcdefghjkmnpqrstvwxyz01%00/devices/x');
  assert.ok([401, 404].includes(res.status), `status ${res.status}`);
});

test('an integer beyond 64 bits is a 422 naming its field, not a 400 for the body', async () => {
  const res = await api('POST', JSON_ROUTE, { body: '{"login": 9223372036854775808, "password": "x"}' });
  assertProblem(res, 422, 'login');
});

test('a cursor that is not one of ours is a 422, not a silent restart', async () => {
  const { operator } = await import('./lib.mjs');
  const op = await operator();
  assertProblem(await api('GET', '/api/v1/admin/audit-log?cursor=garbage', { token: op.token }), 422, 'cursor');
});

// The built front end (web/dist), when there is one: caching, precompression, SPA fallback.
import { existsSync, readdirSync } from 'node:fs';
const DIST = new URL('../../web/dist/', import.meta.url);
const built = existsSync(new URL('index.html', DIST));

test('the web app: index.html not cached, hashed assets cached for a year, gzip when asked', { skip: !built && 'web/dist not built' }, async () => {
  const index = await fetch(BASE + '/');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /text\/html/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const html = await index.text();
  const asset = html.match(/\/assets\/[^"]+\.js/)[0];
  const res = await fetch(BASE + asset, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('cache-control'), /max-age=31536000, immutable/);
  assert.match(res.headers.get('content-type'), /javascript/);
  if (readdirSync(new URL('assets/', DIST)).some((f) => f.endsWith('.js.gz'))) {
    assert.equal(res.headers.get('content-encoding'), 'gzip');
  }
  await res.arrayBuffer();
});

test('the web app: pages fall back to index.html, missing files and traversal are 404', { skip: !built && 'web/dist not built' }, async () => {
  const page = await fetch(BASE + '/cars/some-car-id');
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<div id="app">/);
  assert.equal((await fetch(BASE + '/assets/missing-file.js')).status, 404);
  // fetch() would normalise the dots away: send the request line as a hostile client would.
  for (const path of ['/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd', '/../../etc/passwd']) {
    const head = await rawRequest(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.match(head, /^HTTP\/1\.1 (404|400)/, `${path}: ${head.slice(0, 40)}`);
    assert.doesNotMatch(head, /root:/);
  }
});

import { connect } from 'node:net';
function rawRequest(text) {
  const { hostname, port } = new URL(BASE);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), hostname, () => sock.end(text));
    let data = '';
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => resolve(data));
    sock.on('error', reject);
  });
}
