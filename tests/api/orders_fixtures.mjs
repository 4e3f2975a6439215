// Fixtures for the orders, payments, uploads and notifications API tests: an approved provider
// with a service and opening hours, an owner with a car, slot times, webhook signatures.
// Everything goes through the public API, exactly as a client would.
import assert from 'node:assert/strict';
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { api, newOwner, operator } from './lib.mjs';
import { randomUscc } from './provider_lib.mjs';
import { withCheckDigit } from './vehicles_lib.mjs';

export const WEBHOOK_SECRET = process.env.PITSTOP_PAYMENT_WEBHOOK_SECRET || '';

// --- identifiers with valid check characters -------------------------------------------

const VIN_CHARS = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';

// A VIN of SAIC Volkswagen (WMI LSV), model year 2020 (L), random enough never to repeat.
export function makeVin() {
  const pick = () => VIN_CHARS[randomInt(VIN_CHARS.length)];
  let vds = '';
  for (let i = 0; i < 5; i++) vds += pick();
  const serial = String(randomInt(0, 1e6)).padStart(6, '0');
  return withCheckDigit(`LSV${vds}0L${pick()}${serial}`);
}

// A unified social credit code (GB 32100) with its check character.
export const makeUscc = randomUscc;

export async function newVehicle(owner, { odometer_km = 20000 } = {}) {
  const res = await api('POST', '/api/v1/vehicles', {
    token: owner.token,
    body: { vin: makeVin(), odometer_km, fuel_type: 'gasoline', usage: 'private' },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const WEEK_ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));

// An approved provider (its applicant is its provider_admin) with one service and hours every
// day, all day, so any slot on the grid is bookable.
export async function newProvider({ bays = 2, labor_fen = 10000, parts_fen = 20000, duration_min = 60,
  service_type = 'oil_change', lat = 31.2304, lng = 121.4737 } = {}) {
  const admin = await newOwner({ name: '李师傅' });
  const app = await api('POST', '/api/v1/provider-applications', {
    token: admin.token,
    body: {
      business_name: `快修店 ${randomUUID().slice(0, 8)}`, uscc: makeUscc(), address: '上海市黄浦区人民大道 1 号',
      city: '上海', lat, lng, phone: '13800138000', service_types: [service_type],
    },
  });
  assert.equal(app.status, 201, JSON.stringify(app.body));
  const op = await operator();
  const ok = await api('POST', `/api/v1/admin/provider-applications/${app.body.id}/approve`, { token: op.token, body: {} });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const providerId = ok.body.provider_id;
  const svc = await api('POST', `/api/v1/providers/${providerId}/services`, {
    token: admin.token,
    body: { service_type, price_fen: labor_fen + parts_fen, labor_fen, parts_fen, duration_min },
  });
  assert.equal(svc.status, 201, JSON.stringify(svc.body));
  const sch = await api('PUT', `/api/v1/providers/${providerId}/schedule`, {
    token: admin.token,
    body: { timezone: 'Asia/Shanghai', bays, weekly: WEEK_ALL_DAY },
  });
  assert.equal(sch.status, 200, JSON.stringify(sch.body));
  return { admin, providerId, serviceId: svc.body.id, price: labor_fen + parts_fen, lat, lng };
}

// Add a member of staff with a role (provider_admin adds them by login).
export async function addStaff(provider, role = 'technician') {
  const staff = await newOwner({ name: '王技师' });
  const res = await api('POST', `/api/v1/providers/${provider.providerId}/staff`, {
    token: provider.admin.token, body: { login: staff.login, role },
  });
  assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.body));
  return staff;
}

// --- time -------------------------------------------------------------------------

// A slot start `days` days ahead at hh:mm China time, as RFC 3339 with +08:00.
export function slotAt(days, hh = 10, mm = 0) {
  const cst = new Date(Date.now() + 8 * 3600e3 + days * 86400e3);
  const d = cst.toISOString().slice(0, 10);
  return `${d}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`;
}

// The first 30-minute grid point at least `minutes` from now (UTC grid = Shanghai grid).
export function slotSoon(minutes = 40) {
  const step = 30 * 60e3;
  const t = Math.ceil((Date.now() + minutes * 60e3) / step) * step;
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

// A fresh slot per call, so tests sharing a provider never collide: days 2..40, hours 8..17.
let slotSeq = randomInt(0, 50);
export function freshSlot() {
  slotSeq++;
  return slotAt(2 + (slotSeq % 39), 8 + (Math.floor(slotSeq / 39) % 10), 0);
}

// --- orders -------------------------------------------------------------------------

export async function placeOrder(owner, vehicle, provider, slot = freshSlot(), key = randomUUID()) {
  return api('POST', '/api/v1/orders', {
    token: owner.token,
    headers: { 'idempotency-key': key },
    body: { vehicle_id: vehicle.id, provider_id: provider.providerId, service_id: provider.serviceId, slot_start: slot },
  });
}

export async function getOrder(who, id) {
  return api('GET', `/api/v1/orders/${id}`, { token: who.token });
}

// Poll until fn() returns a truthy value (or fail after timeoutMs).
export async function waitFor(fn, { timeoutMs = 8000, what = 'condition' } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

export async function waitStatus(who, id, status) {
  return waitFor(async () => {
    const r = await getOrder(who, id);
    return r.body.status === status ? r.body : null;
  }, { what: `order ${id} to become ${status}` });
}

// Pay with the sandbox (it confirms by webhook on its own) and wait until the order is paid.
export async function payAndWait(owner, id, expect = 'paid') {
  const pay = await api('POST', `/api/v1/orders/${id}/pay`, {
    token: owner.token, headers: { 'idempotency-key': randomUUID() }, body: { method: 'sandbox' },
  });
  assert.equal(pay.status, 200, JSON.stringify(pay.body));
  return waitStatus(owner, id, expect);
}

// A whole booking up to the wanted state: pending_payment, paid, accepted or in_service.
export async function orderIn(state, ctx) {
  const { owner, vehicle, provider } = ctx;
  const res = await placeOrder(owner, vehicle, provider);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const id = res.body.id;
  if (state === 'pending_payment') return id;
  await payAndWait(owner, id);
  if (state === 'paid') return id;
  const acc = await api('POST', `/api/v1/orders/${id}/accept`, { token: provider.admin.token });
  assert.equal(acc.status, 200, JSON.stringify(acc.body));
  if (state === 'accepted') return id;
  const st = await api('POST', `/api/v1/orders/${id}/start`, { token: provider.admin.token });
  assert.equal(st.status, 200, JSON.stringify(st.body));
  return id;
}

// --- webhooks ------------------------------------------------------------------------

export function signature(raw, t = Math.floor(Date.now() / 1000), secret = WEBHOOK_SECRET) {
  const mac = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

export async function sendWebhook(event, { t, secret, sig } = {}) {
  const raw = JSON.stringify(event);
  return api('POST', '/api/v1/payments/webhook', {
    body: raw,
    headers: { 'pitstop-signature': sig ?? signature(raw, t, secret) },
  });
}
