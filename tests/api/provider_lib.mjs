// Helpers for tests that need a working provider: newApprovedProvider() registers a user,
// applies, has the test operator approve, publishes services with prices and a weekly
// schedule, all through the public API. Other modules' tests may import it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { api, newOwner, operator } from './lib.mjs';

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// The GB 32100 check character of a 17-character prefix (weights 3^i mod 31).
export function usccCheck(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * (3 ** i % 31);
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

// A random, valid unified social credit code.
export function randomUscc() {
  let body = '91' + '310104';
  while (body.length < 17) body += USCC_CHARS[randomInt(USCC_CHARS.length)];
  return body + usccCheck(body);
}

// A random point far from the demo cities (Inner Mongolia / Gansu), so nearby tests using a
// small radius around it only ever see their own providers.
export function lonelyPoint() {
  return { lat: 38 + Math.random() * 4, lng: 98 + Math.random() * 8 };
}

export const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));

// Today's date (YYYY-MM-DD) in Asia/Shanghai, plus `days`.
export function shanghaiDate(days = 0) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

export async function apply(user, overrides = {}) {
  return api('POST', '/api/v1/provider-applications', {
    token: user.token,
    body: {
      business_name: `测试汽修 ${randomUUID().slice(0, 8)}`,
      uscc: randomUscc(),
      address: '上海市徐汇区漕溪北路 88 号',
      city: '上海',
      lat: 31.19,
      lng: 121.43,
      phone: '13800138000',
      service_types: ['oil_change'],
      ...overrides,
    },
  });
}

// newApprovedProvider({bays, services, lat, lng, weekly, timezone, name})
// services: [{service_type, price_fen, duration_min, labor_fen?, parts_fen?, name?, description?}]
// Returns { admin, operator, providerId, applicationId, services: [service objects], serviceId }.
export async function newApprovedProvider({
  bays = 2,
  services = [{ service_type: 'oil_change', price_fen: 30000, labor_fen: 10000, parts_fen: 20000, duration_min: 60 }],
  lat = 31.2304, lng = 121.4737, weekly = ALL_WEEK, timezone = 'Asia/Shanghai',
  name = `测试汽修 ${randomUUID().slice(0, 8)}`, address = '上海市徐汇区漕溪北路 88 号', city = '上海',
  closed_dates,
} = {}) {
  const admin = await newOwner({ name: '李师傅' });
  const app = await apply(admin, {
    business_name: name, lat, lng, address, city,
    service_types: services.length ? [...new Set(services.map((s) => s.service_type))] : ['oil_change'],
  });
  assert.equal(app.status, 201, JSON.stringify(app.body));
  const op = await operator();
  const ok = await api('POST', `/api/v1/admin/provider-applications/${app.body.id}/approve`, { token: op.token });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const providerId = ok.body.provider_id;
  const published = [];
  for (const s of services) {
    const res = await api('POST', `/api/v1/providers/${providerId}/services`, { token: admin.token, body: s });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    published.push(res.body);
  }
  const body = { timezone, bays, weekly };
  if (closed_dates) body.closed_dates = closed_dates;
  const sch = await api('PUT', `/api/v1/providers/${providerId}/schedule`, { token: admin.token, body });
  assert.equal(sch.status, 200, JSON.stringify(sch.body));
  return {
    admin, operator: op, providerId, applicationId: app.body.id, services: published,
    serviceId: published[0]?.id, lat, lng,
  };
}

// True when the orders module is in this build (its list route answers).
export async function ordersAvailable(token) {
  const res = await api('GET', '/api/v1/orders', { token });
  return res.status === 200;
}

// Run read-only SQL against the test database through the backend's CLI (sqlite3 / psql);
// returns the rows as arrays of strings. For checks the API does not expose (audit log).
export function sql(query) {
  const url = process.env.PITSTOP_DATABASE_URL || '';
  const out = url.startsWith('postgres')
    ? execFileSync('psql', [url, '-At', '-F', '\t', '-c', query], { encoding: 'utf8' })
    : execFileSync('sqlite3', ['-separator', '\t', url.replace(/^sqlite:/, ''), query], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}
