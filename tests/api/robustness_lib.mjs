// Helpers for the bad-input sweep (robustness.test.mjs): a raw HTTP call that never throws,
// the problem-document checks, values derived from the OpenAPI schemas, and best-effort
// fixtures (a car, a shop, orders in several states) so that hostile requests get past
// authentication and object look-up and reach the code that validates them.
import { createHmac, randomBytes, randomInt, randomUUID } from 'node:crypto';
import http from 'node:http';
import { BASE, api, newOwner, operator } from './lib.mjs';
import { freshSlot, makeUscc, makeVin, newProvider, newVehicle, orderIn, placeOrder } from './orders_fixtures.mjs';

export const TIMEOUT_MS = 15000;

// One request with full control over the bytes; a hang or a reset comes back as { error }
// instead of an exception, so one bad route cannot stop the sweep.
export async function send(method, path, { auth, headers = {}, body, contentType } = {}) {
  const h = { ...headers };
  if (auth) h.authorization = auth;
  if (body !== undefined && contentType !== null) h['content-type'] = contentType || 'application/json';
  if (body !== undefined && body.length > 512 * 1024) return sendLarge(method, path, h, body);
  try {
    const res = await fetch(BASE + path, { method, headers: h, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* keep text: the check reports it */ }
    return { status: res.status, type: res.headers.get('content-type') || '', body: parsed };
  } catch (e) {
    return { error: e.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS} ms` : `${e.name}: ${e.cause?.code || e.message}` };
  }
}

// A large body goes with "Expect: 100-continue" (as curl sends it): a server that refuses it
// can answer 413 before the bytes are sent. Without it, a server that answers early and closes
// leaves fetch with EPIPE and no answer, which would blame the server for the client's timing.
// A server that ignores the expectation gets the body after a second, as curl does.
function sendLarge(method, path, headers, body) {
  return new Promise((resolve) => {
    let done = false, sent = false;
    const finish = (r) => { if (!done) { done = true; resolve(r); } };
    const req = http.request(BASE + path, {
      method, headers: { ...headers, expect: '100-continue', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try { parsed = JSON.parse(text); } catch { /* keep text */ }
        finish({ status: res.statusCode, type: res.headers['content-type'] || '', body: parsed });
        if (!sent) req.destroy();
      });
      res.on('error', () => finish({ status: res.statusCode, type: res.headers['content-type'] || '', body: '' }));
    });
    const sendBody = () => { if (!sent && !done) { sent = true; req.end(body); } };
    req.on('continue', sendBody);
    const fallback = setTimeout(sendBody, 1000);
    req.setTimeout(TIMEOUT_MS, () => { req.destroy(); finish({ error: `no answer within ${TIMEOUT_MS} ms` }); });
    req.on('error', (e) => setTimeout(() => finish({ error: `${e.name}: ${e.code || e.message}` }), 200));
    req.on('close', () => clearTimeout(fallback));
    req.flushHeaders();
  });
}

// Does an errors[].field name the property? Exact, or a nested path under it
// ("extra_items[0].price_fen" names extra_items); header names compare case-insensitively.
export function names(field, want) {
  if (typeof field !== 'string') return false;
  const f = field.toLowerCase(), w = want.toLowerCase();
  return f === w || f.startsWith(w + '[') || f.startsWith(w + '.') || f === '/' + w || f.startsWith('/' + w + '/');
}

// Why res is not an acceptable answer (or null when it is): status in `allowed`, an RFC 9457
// problem document, and for a 422 an errors[] whose entries have field and message and one of
// which names `field`.
export function problemIssue(res, allowed, field) {
  if (res.error) return res.error;
  if (!allowed.includes(res.status)) return `got ${res.status}, want ${allowed.join('|')}`;
  if (!/^application\/problem\+json/i.test(res.type)) return `${res.status} with Content-Type "${res.type}", want application/problem+json`;
  const b = res.body;
  if (!b || typeof b !== 'object') return `${res.status} body is not a JSON object`;
  if (typeof b.type !== 'string' || typeof b.title !== 'string' || b.status !== res.status) {
    return `${res.status} problem lacks type/title or its status (${b.status}) differs`;
  }
  if (res.status === 422) {
    if (!Array.isArray(b.errors) || !b.errors.length) return '422 without errors[]';
    if (b.errors.some((e) => typeof e?.field !== 'string' || typeof e?.message !== 'string' || !e.message)) {
      return '422 errors[] entry without field and message';
    }
    if (field && !b.errors.some((e) => names(e.field, field))) return `422 errors do not name "${field}"`;
  }
  return null;
}

export function brief(res) {
  if (res.error) return res.error;
  const b = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  return `${res.status} ${b.length > 240 ? b.slice(0, 240) + '…' : b}`;
}

// --- values from schemas ----------------------------------------------------------------

export function typesOf(schema) {
  if (!schema) return [];
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.enum) return [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return [];
}

// The JSON value kinds a hostile client might send instead, minus the ones the schema takes.
export function wrongTypeValues(schema) {
  const t = typesOf(schema);
  if (!t.length) return [];
  const out = [];
  if (!t.includes('string')) out.push(['string', 'wrong-type']);
  if (!t.includes('number') && !t.includes('integer')) out.push(['number', 12345]);
  if (t.includes('integer') && !t.includes('number')) out.push(['fraction', 1.5]);
  if (!t.includes('boolean')) out.push(['boolean', true]);
  if (!t.includes('object')) out.push(['object', { x: 1 }]);
  if (!t.includes('array')) out.push(['array', [1]]);
  // The document is the contract: a property not declared nullable does not take null.
  if (!t.includes('null')) out.push(['null', null]);
  return out;
}

export function shanghaiDate(days = 0) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

// A plausible valid value for a schema with no better hint.
export function sampleOf(schema) {
  if (!schema) return 'x';
  if (schema.enum) return schema.enum.find((v) => v !== null);
  const t = typesOf(schema).filter((x) => x !== 'null')[0];
  switch (t) {
    case 'integer': return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 10, 10));
    case 'number': return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 10, 10));
    case 'boolean': return true;
    case 'array': return [];
    case 'object': {
      const o = {};
      for (const k of schema.required || []) o[k] = sampleOf(schema.properties?.[k]);
      return o;
    }
    default:
      if (schema.format === 'date') return shanghaiDate(-1);
      if (schema.format === 'date-time') return new Date().toISOString();
      return 'x'.repeat(Math.max(schema.minLength || 0, 4));
  }
}

// --- fixtures -----------------------------------------------------------------------------

export function unknownId() {
  const a = '0123456789abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < 26; i++) s += a[randomInt(a.length)];
  return s;
}

export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export function multipart(parts, boundary = 'b' + randomUUID().replaceAll('-', '')) {
  const chunks = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"` +
      (p.filename ? `; filename="${p.filename}"` : '') + `\r\nContent-Type: ${p.type || 'application/octet-stream'}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function forgedJwt(sub = unknownId()) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = enc({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
  const claims = enc({ sub, roles: ['operator'], iat: now, exp: now + 600, jti: randomUUID() });
  const mac = createHmac('sha256', 'not-the-server-secret').update(`${head}.${claims}`).digest('base64url');
  return `${head}.${claims}.${mac}`;
}

export function webhookSig(raw, secret, t = Math.floor(Date.now() / 1000)) {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;
}

// Everything the sweep needs, each piece best effort: a piece that cannot be made is left null
// and noted, and the cases that needed it fall back to unknown ids (and then accept a 404).
export async function makeFixtures() {
  const fx = { notes: [] };
  const step = async (what, fn) => {
    try { return await fn(); } catch (e) { fx.notes.push(`fixture ${what}: ${String(e.message).split('\n')[0].slice(0, 200)}`); return null; }
  };
  fx.owner = await newOwner({ name: '赵车主' });
  fx.stranger = await newOwner({ name: '钱路人' });
  fx.operator = await step('operator login', () => operator());
  fx.vehicle = await step('vehicle', () => newVehicle(fx.owner));
  fx.provider = await step('provider', () => newProvider({ bays: 4 }));
  fx.shop = fx.provider?.admin || null;
  fx.applicationId = await step('own application id', async () => {
    const r = await api('GET', '/api/v1/provider-applications', { token: fx.shop.token });
    return r.body.items[0].id;
  });
  fx.candidate = await step('staff candidate', () => newOwner({ name: '孙技师' }));
  fx.staffUserId = await step('staff member', async () => {
    const r = await api('POST', `/api/v1/providers/${fx.provider.providerId}/staff`, {
      token: fx.shop.token, body: { login: fx.candidate.login, role: 'technician' } });
    if (r.status >= 300) throw new Error(`add staff: ${r.status}`);
    return r.body.user_id || r.body.id || fx.candidate.user.id;
  });
  fx.staffLogin = await step('second staff candidate', async () => (await newOwner({ name: '周技师' })).login);
  fx.pendingApplicationId = await step('pending application', async () => {
    const u = await newOwner({ name: '吴老板' });
    const r = await api('POST', '/api/v1/provider-applications', { token: u.token, body: {
      business_name: `待审汽修 ${randomUUID().slice(0, 8)}`, uscc: makeUscc(), address: '上海市静安区南京西路 1 号',
      city: '上海', lat: 31.23, lng: 121.46, phone: '13800138000', service_types: ['oil_change'] } });
    if (r.status !== 201) throw new Error(`apply: ${r.status}`);
    return r.body.id;
  });
  fx.device = await step('device', async () => {
    const r = await api('POST', `/api/v1/vehicles/${fx.vehicle.id}/devices`, { token: fx.owner.token, body: { name: 'OBD' } });
    if (r.status !== 201) throw new Error(`device: ${r.status}`);
    return r.body;
  });
  fx.uploadId = await step('upload', async () => {
    const m = multipart([{ name: 'file', filename: 'a.png', type: 'image/png', data: TINY_PNG }]);
    const r = await api('POST', '/api/v1/uploads', { token: fx.owner.token, body: m.body, contentType: m.contentType });
    if (r.status !== 201) throw new Error(`upload: ${r.status}`);
    return r.body.id;
  });
  const octx = { owner: fx.owner, vehicle: fx.vehicle, provider: fx.provider };
  const pending = async () => {
    const r = await placeOrder(fx.owner, fx.vehicle, fx.provider, freshSlot());
    if (r.status !== 201) throw new Error(`order: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id;
  };
  fx.pendingOrderId = await step('pending order', pending);
  // Its own order: a hostile cancel that wrongly succeeds must not spoil the pay cases.
  fx.cancelOrderId = await step('order to cancel', pending);
  fx.inServiceOrderId = await step('order in service', () => orderIn('in_service', octx));
  fx.extraItemId = await step('extra item', async () => {
    const r = await api('POST', `/api/v1/orders/${fx.inServiceOrderId}/updates`, {
      token: fx.shop.token, body: { text: '发现刹车片磨损', extra_items: [{ name: '刹车片', price_fen: 30000 }] } });
    if (r.status >= 300) throw new Error(`updates: ${r.status}`);
    return r.body.extra_items[0].id;
  });
  const completed = async () => {
    const id = await orderIn('in_service', octx);
    const r = await api('POST', `/api/v1/orders/${id}/complete`, {
      token: fx.shop.token, body: { odometer_km: 30000, parts: [], technician: '王师傅' } });
    if (r.status !== 200) throw new Error(`complete: ${r.status} ${JSON.stringify(r.body)}`);
    return id;
  };
  fx.completedOrderId = await step('completed order', completed);
  fx.reviewId = await step('review', async () => {
    const id = await completed();
    const r = await api('POST', `/api/v1/orders/${id}/review`, { token: fx.owner.token, body: { rating: 5, comment: '很好' } });
    if (r.status !== 201 && r.status !== 200) throw new Error(`review: ${r.status}`);
    return r.body.id;
  });
  fx.notificationId = await step('notification', async () => {
    const r = await api('GET', '/api/v1/notifications?limit=1', { token: fx.owner.token });
    if (!r.body.items?.length) throw new Error('the owner has no notification yet');
    return r.body.items[0].id;
  });
  fx.makeVin = makeVin;
  fx.makeUscc = makeUscc;
  fx.freshSlot = freshSlot;
  return fx;
}

export const randomHex = (n) => randomBytes(n).toString('hex');
