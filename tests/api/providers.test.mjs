// Providers: onboarding and the operator's decisions, the catalog, services and prices,
// schedules, slots, staff, access control and nearby search (SPEC §5).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { api, assertProblem, newOwner, operator, BACKEND } from './lib.mjs';
import {
  apply, newApprovedProvider, randomUscc, usccCheck, lonelyPoint, shanghaiDate, ALL_WEEK, sql,
} from './provider_lib.mjs';

describe('onboarding', () => {
  test('a valid application is pending; its applicant sees the full phone, others 404', async () => {
    const user = await newOwner();
    const res = await apply(user, { phone: '13912345678', service_types: ['oil_change', 'car_wash', 'oil_change'] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'pending');
    assert.deepEqual(res.body.service_types, ['oil_change', 'car_wash']);
    assert.equal(res.body.phone, '13912345678');
    const mine = await api('GET', '/api/v1/provider-applications', { token: user.token });
    assert.equal(mine.status, 200);
    assert.ok(mine.body.items.some((a) => a.id === res.body.id));
    const other = await newOwner();
    assertProblem(await api('GET', `/api/v1/provider-applications/${res.body.id}`, { token: other.token }), 404);
    const op = await operator();
    const seen = await api('GET', `/api/v1/provider-applications/${res.body.id}`, { token: op.token });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.phone, '139****5678');
  });

  test('credit code, phone, coordinates and service types are checked', async () => {
    const user = await newOwner();
    const good = randomUscc();
    const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    assertProblem(await apply(user, { uscc: badCheck }), 422, 'uscc');
    assertProblem(await apply(user, { uscc: '91350100M000100Y4' }), 422, 'uscc');
    assertProblem(await apply(user, { uscc: '91350100I000100Y43' }), 422, 'uscc');
    assertProblem(await apply(user, { phone: '12345' }), 422, 'phone');
    assertProblem(await apply(user, { lat: 0, lng: 0 }), 422, 'lat');
    assertProblem(await apply(user, { lat: 'north' }), 422, 'lat');
    assertProblem(await apply(user, { service_types: ['teleportation'] }), 422, 'service_types[0]');
    assertProblem(await apply(user, { service_types: [] }), 422, 'service_types');
    assertProblem(await apply(user, { surprise: 1 }), 422, 'surprise');
    // known-good codes computed from the GB 32100 weights
    assert.equal(usccCheck('91350100M000100Y4'), '3');
    const lower = randomUscc().toLowerCase();
    const ok = await apply(user, { uscc: lower });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.uscc, lower.toUpperCase());
    assertProblem(await api('POST', '/api/v1/provider-applications', { body: {} }), 401);
  });

  test('operators approve: provider_admin, audit entry; a second decision is 409', async () => {
    const user = await newOwner();
    const uscc = randomUscc();
    const app = await apply(user, { uscc });
    assert.equal(app.status, 201);
    assertProblem(await apply(user, { uscc }), 409);       // one pending application per business
    const op = await operator();
    assertProblem(await api('GET', '/api/v1/admin/provider-applications?status=pending', { token: user.token }), 403);
    const queue = await api('GET', '/api/v1/admin/provider-applications?status=pending&limit=100', { token: op.token });
    assert.equal(queue.status, 200);
    assert.ok(Array.isArray(queue.body.items));
    assertProblem(await api('GET', '/api/v1/admin/provider-applications?status=maybe', { token: op.token }), 422, 'status');
    assertProblem(await api('POST', `/api/v1/admin/provider-applications/${app.body.id}/approve`, { token: user.token }), 403);
    const ok = await api('POST', `/api/v1/admin/provider-applications/${app.body.id}/approve`, { token: op.token });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.ok(ok.body.provider_id);
    assertProblem(await api('POST', `/api/v1/admin/provider-applications/${app.body.id}/approve`, { token: op.token }), 409);
    assertProblem(await api('POST', `/api/v1/admin/provider-applications/${app.body.id}/reject`, { token: op.token, body: { reason: 'late' } }), 409);
    assertProblem(await api('POST', '/api/v1/admin/provider-applications/01nosuchapplication0000000/approve', { token: op.token }), 404);
    // the applicant administers the new provider
    const svc = await api('POST', `/api/v1/providers/${ok.body.provider_id}/services`, {
      token: user.token, body: { service_type: 'oil_change', price_fen: 19900, duration_min: 60 },
    });
    assert.equal(svc.status, 201, JSON.stringify(svc.body));
    const after = await api('GET', `/api/v1/provider-applications/${app.body.id}`, { token: user.token });
    assert.equal(after.body.status, 'approved');
    assert.equal(after.body.provider_id, ok.body.provider_id);
    // the same business cannot apply again
    assertProblem(await apply(user, { uscc }), 409);
    const audit = sql(`SELECT action, object_id FROM audit_log WHERE object_id = '${app.body.id}'`);
    assert.deepEqual(audit.map((r) => r[0]), ['provider.approve']);
  });

  test('operators reject with a reason (required)', async () => {
    const user = await newOwner();
    const app = await apply(user);
    const op = await operator();
    assertProblem(await api('POST', `/api/v1/admin/provider-applications/${app.body.id}/reject`, { token: op.token, body: {} }), 422, 'reason');
    const no = await api('POST', `/api/v1/admin/provider-applications/${app.body.id}/reject`, {
      token: op.token, body: { reason: '营业执照照片不清晰' },
    });
    assert.equal(no.status, 200, JSON.stringify(no.body));
    assert.equal(no.body.status, 'rejected');
    const mine = await api('GET', `/api/v1/provider-applications/${app.body.id}`, { token: user.token });
    assert.equal(mine.body.status, 'rejected');
    assert.equal(mine.body.reason, '营业执照照片不清晰');
    const audit = sql(`SELECT action FROM audit_log WHERE object_id = '${app.body.id}'`);
    assert.deepEqual(audit.map((r) => r[0]), ['provider.reject']);
    // the business may apply again after a rejection
    assert.equal((await apply(user, { uscc: app.body.uscc })).status, 201);
  });
});

describe('catalog and services', () => {
  test('GET /service-types lists the catalog in Chinese and English', async () => {
    const res = await api('GET', '/api/v1/service-types');
    assert.equal(res.status, 200);
    const oil = res.body.items.find((t) => t.code === 'oil_change');
    assert.deepEqual({ ...oil, duration_min: undefined }, {
      code: 'oil_change', name_zh: '机油保养', name_en: 'Oil and filter change', category: 'maintenance', duration_min: undefined,
    });
    for (const code of ['tire_rotation', 'brake_pads', 'brake_fluid', 'ac_service', 'wheel_alignment', 'car_wash',
      'detailing', 'ev_battery_check', 'inspection_agent', 'diagnosis', 'glass_repair', 'bodywork', 'battery_replacement']) {
      assert.ok(res.body.items.some((t) => t.code === code), code);
    }
  });

  test('prices split into labor and parts; only the provider\'s admins may change them', async () => {
    const p = await newApprovedProvider({ services: [] , weekly: [] });
    const url = `/api/v1/providers/${p.providerId}/services`;
    const tok = p.admin.token;
    const full = await api('POST', url, { token: tok, body: { service_type: 'brake_pads', price_fen: 45000, labor_fen: 15000, parts_fen: 30000, duration_min: 90, description: '原厂刹车片' } });
    assert.equal(full.status, 201, JSON.stringify(full.body));
    assert.equal(full.body.name, '刹车片更换');
    assert.deepEqual([full.body.labor_fen, full.body.parts_fen, full.body.price_fen], [15000, 30000, 45000]);
    const only = await api('POST', url, { token: tok, body: { service_type: 'car_wash', price_fen: 3000, duration_min: 30, name: '精致洗车' } });
    assert.deepEqual([only.body.labor_fen, only.body.parts_fen, only.body.name], [3000, 0, '精致洗车']);
    const labor = await api('POST', url, { token: tok, body: { service_type: 'oil_change', price_fen: 30000, labor_fen: 8000, duration_min: 60 } });
    assert.equal(labor.body.parts_fen, 22000);
    assertProblem(await api('POST', url, { token: tok, body: { service_type: 'battery_replacement', price_fen: 100, labor_fen: 60, parts_fen: 60, duration_min: 30 } }), 422, 'price_fen');
    assertProblem(await api('POST', url, { token: tok, body: { service_type: 'nope', price_fen: 100, duration_min: 30 } }), 422, 'service_type');
    assertProblem(await api('POST', url, { token: tok, body: { service_type: 'battery_replacement', price_fen: -1, duration_min: 30 } }), 422, 'price_fen');
    assertProblem(await api('POST', url, { token: tok, body: { service_type: 'battery_replacement', price_fen: '100', duration_min: 30 } }), 422, 'price_fen');
    assertProblem(await api('POST', url, { token: tok, body: { service_type: 'battery_replacement', price_fen: 100, duration_min: 5 } }), 422, 'duration_min');
    assertProblem(await api('POST', url, { token: tok, body: { service_type: 'car_wash', price_fen: 100, duration_min: 30 } }), 409);
    // PATCH keeps the parts share when only the price changes; the split must add up
    const patched = await api('PATCH', `${url}/${full.body.id}`, { token: tok, body: { price_fen: 50000 } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual([patched.body.labor_fen, patched.body.parts_fen], [20000, 30000]);
    assertProblem(await api('PATCH', `${url}/${full.body.id}`, { token: tok, body: { labor_fen: 1, parts_fen: 1, price_fen: 5 } }), 422, 'price_fen');
    assertProblem(await api('PATCH', `${url}/${full.body.id}`, { token: tok, body: { color: 'red' } }), 422, 'color');

    // someone else's provider admin, a plain owner, no token
    const other = await newApprovedProvider({ services: [{ service_type: 'oil_change', price_fen: 100, duration_min: 30 }], weekly: [] });
    assertProblem(await api('POST', url, { token: other.admin.token, body: { service_type: 'battery_replacement', price_fen: 100, duration_min: 30 } }), 403);
    assertProblem(await api('PATCH', `${url}/${full.body.id}`, { token: other.admin.token, body: { price_fen: 1 } }), 403);
    const owner = await newOwner();
    assertProblem(await api('DELETE', `${url}/${full.body.id}`, { token: owner.token }), 403);
    assertProblem(await api('POST', url, { body: { service_type: 'battery_replacement', price_fen: 100, duration_min: 30 } }), 401);
    // a service of another provider through my provider's path is not found
    assertProblem(await api('PATCH', `${url}/${other.serviceId}`, { token: tok, body: { price_fen: 1 } }), 404);
    assertProblem(await api('POST', '/api/v1/providers/01nosuchprovider00000000000/services', { token: tok, body: { service_type: 'battery_replacement', price_fen: 100, duration_min: 30 } }), 404);

    assert.equal((await api('DELETE', `${url}/${only.body.id}`, { token: tok })).status, 204);
    assertProblem(await api('DELETE', `${url}/${only.body.id}`, { token: tok }), 404);
    // the type is free again once withdrawn
    assert.equal((await api('POST', url, { token: tok, body: { service_type: 'car_wash', price_fen: 2500, duration_min: 30 } })).status, 201);

    const page = await api('GET', `/api/v1/providers/${p.providerId}`);
    assert.equal(page.status, 200);
    assert.equal(page.body.rating, 4);
    assert.equal(page.body.review_count, 0);
    assert.equal(page.body.phone, '138****8000');
    assert.deepEqual(page.body.services.map((s) => s.service_type), ['brake_pads', 'car_wash', 'oil_change']);
    const own = await api('GET', `/api/v1/providers/${p.providerId}`, { token: tok });
    assert.equal(own.body.phone, '13800138000');
    assertProblem(await api('GET', '/api/v1/providers/01nosuchprovider00000000000'), 404);
  });
});

describe('schedule and slots', () => {
  test('weekly hours, bays and zone are validated', async () => {
    const p = await newApprovedProvider({ weekly: [] });
    const url = `/api/v1/providers/${p.providerId}/schedule`;
    const tok = p.admin.token;
    assertProblem(await api('PUT', url, { token: tok, body: { bays: 2, weekly: [], timezone: 'Mars/Olympus' } }), 422, 'timezone');
    assertProblem(await api('PUT', url, { token: tok, body: { bays: 0, weekly: [] } }), 422, 'bays');
    assertProblem(await api('PUT', url, { token: tok, body: { bays: 1, weekly: [{ weekday: 1, open: '08:15', close: '18:00' }] } }), 422, 'weekly[0].open');
    assertProblem(await api('PUT', url, { token: tok, body: { bays: 1, weekly: [{ weekday: 8, open: '08:00', close: '18:00' }] } }), 422, 'weekly[0].weekday');
    assertProblem(await api('PUT', url, { token: tok, body: { bays: 1, weekly: [{ weekday: 1, open: '18:00', close: '08:00' }] } }), 422, 'weekly[0].close');
    assertProblem(await api('PUT', url, { token: tok, body: { bays: 1, weekly: [
      { weekday: 1, open: '08:00', close: '12:00' }, { weekday: 1, open: '11:00', close: '18:00' }] } }), 422, 'weekly');
    assertProblem(await api('PUT', url, { token: tok, body: { bays: 1, weekly: [], closed_dates: ['2026-02-30'] } }), 422, 'closed_dates[0]');
    const other = await newOwner();
    assertProblem(await api('PUT', url, { token: other.token, body: { bays: 1, weekly: [] } }), 403);
    const ok = await api('PUT', url, { token: tok, body: { bays: 3, weekly: [
      { weekday: 1, open: '08:30', close: '12:00' }, { weekday: 1, open: '13:00', close: '18:00' }] } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.timezone, 'Asia/Shanghai');
    assert.equal(ok.body.bays, 3);
    const got = await api('GET', url);
    assert.deepEqual(got.body.weekly, [
      { weekday: 1, open: '08:30', close: '12:00' }, { weekday: 1, open: '13:00', close: '18:00' }]);
  });

  test('slots: only starts where the whole service fits; closed dates offer nothing', async () => {
    const tomorrow = shanghaiDate(1), closed = shanghaiDate(2);
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '08:00', close: '12:00' }));
    const p = await newApprovedProvider({
      bays: 2, weekly, closed_dates: [closed],
      services: [{ service_type: 'brake_pads', price_fen: 40000, duration_min: 90 }],
    });
    const url = `/api/v1/providers/${p.providerId}/slots`;
    const res = await api('GET', `${url}?service_id=${p.serviceId}&date=${tomorrow}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.duration_min, 90);
    assert.deepEqual(res.body.slots.map((s) => s.start.slice(11)), [
      '08:00:00+08:00', '08:30:00+08:00', '09:00:00+08:00', '09:30:00+08:00', '10:00:00+08:00', '10:30:00+08:00']);
    assert.ok(res.body.slots.every((s) => s.available === 2 && s.start.startsWith(tomorrow)));
    const shut = await api('GET', `${url}?service_id=${p.serviceId}&date=${closed}`);
    assert.deepEqual(shut.body.slots, []);
    assertProblem(await api('GET', `${url}?date=${tomorrow}`), 422, 'service_id');
    assertProblem(await api('GET', `${url}?service_id=${p.serviceId}&date=tomorrow`), 422, 'date');
    const other = await newApprovedProvider();
    assertProblem(await api('GET', `${url}?service_id=${other.serviceId}&date=${tomorrow}`), 404);
  });

  test('slots follow the provider\'s time zone', async () => {
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '09:00', close: '10:00' }));
    const p = await newApprovedProvider({ weekly, timezone: 'Asia/Urumqi', services: [{ service_type: 'car_wash', price_fen: 3000, duration_min: 30 }] });
    const date = shanghaiDate(3);
    const res = await api('GET', `/api/v1/providers/${p.providerId}/slots?service_id=${p.serviceId}&date=${date}`);
    assert.deepEqual(res.body.slots.map((s) => s.start), [`${date}T09:00:00+06:00`, `${date}T09:30:00+06:00`]);
    assert.equal(res.body.timezone, 'Asia/Urumqi');
  });
});

describe('staff', () => {
  test('admins add staff by login; staff roles do not manage the provider', async () => {
    const p = await newApprovedProvider();
    const tech = await newOwner({ name: '王技师' });
    const url = `/api/v1/providers/${p.providerId}/staff`;
    const add = await api('POST', url, { token: p.admin.token, body: { login: tech.login, role: 'technician' } });
    assert.equal(add.status, 201, JSON.stringify(add.body));
    assert.equal(add.body.role, 'technician');
    assert.equal(add.body.name, '王技师');
    assertProblem(await api('POST', url, { token: p.admin.token, body: { login: '13000000000x', role: 'technician' } }), 404);
    assertProblem(await api('POST', url, { token: p.admin.token, body: { login: tech.login, role: 'boss' } }), 422, 'role');
    assertProblem(await api('POST', url, { token: tech.token, body: { login: tech.login, role: 'provider_admin' } }), 403);
    assertProblem(await api('POST', `/api/v1/providers/${p.providerId}/services`, {
      token: tech.token, body: { service_type: 'battery_replacement', price_fen: 100, duration_min: 30 } }), 403);
    const list = await api('GET', url, { token: p.admin.token });
    assert.deepEqual(list.body.items.map((s) => s.role).sort(), ['provider_admin', 'technician']);
    assertProblem(await api('GET', url, { token: tech.token }), 403);
    assertProblem(await api('DELETE', `${url}/${p.admin.user.id}`, { token: p.admin.token }), 409);
    assert.equal((await api('DELETE', `${url}/${tech.user.id}`, { token: p.admin.token })).status, 204);
    assertProblem(await api('DELETE', `${url}/${tech.user.id}`, { token: p.admin.token }), 404);
  });
});

describe('nearby', () => {
  test('within the radius, offering the service, sorted by distance, price or best', async () => {
    const c = lonelyPoint();
    const at = (dlat) => ({ lat: c.lat + dlat, lng: c.lng });   // 0.01 deg lat ~ 1.11 km
    const near = await newApprovedProvider({ ...at(0.005), services: [{ service_type: 'oil_change', price_fen: 40000, labor_fen: 10000, parts_fen: 30000, duration_min: 60 }] });
    const mid = await newApprovedProvider({ ...at(0.02), services: [{ service_type: 'oil_change', price_fen: 20000, duration_min: 60 }] });
    const far = await newApprovedProvider({ ...at(0.04), services: [{ service_type: 'oil_change', price_fen: 30000, duration_min: 60 }] });
    const out = await newApprovedProvider({ ...at(0.2), services: [{ service_type: 'oil_change', price_fen: 100, duration_min: 60 }] });
    const wash = await newApprovedProvider({ ...at(0.001), services: [{ service_type: 'car_wash', price_fen: 100, duration_min: 30 }] });
    const closed = await newApprovedProvider({ ...at(0.002), weekly: [], services: [{ service_type: 'oil_change', price_fen: 100, duration_min: 60 }] });
    const q = (extra) => api('GET', `/api/v1/providers/nearby?lat=${c.lat}&lng=${c.lng}&service_type=oil_change&radius_km=5${extra}`);
    const byDist = await q('&sort=distance');
    assert.equal(byDist.status, 200, JSON.stringify(byDist.body));
    const ids = (r) => r.body.items.map((i) => i.provider.id);
    assert.deepEqual(ids(byDist), [near.providerId, mid.providerId, far.providerId]);
    assert.deepEqual(ids(await q('&sort=price')), [mid.providerId, far.providerId, near.providerId]);
    const best = await q('');
    assert.deepEqual(new Set(ids(best)), new Set([near.providerId, mid.providerId, far.providerId]));
    assert.equal(ids(best)[0], mid.providerId);      // cheapest by far and close enough
    const first = byDist.body.items[0];
    assert.ok(Math.abs(first.distance_km - 0.556) < 0.01, String(first.distance_km));
    assert.deepEqual(first.service, { id: near.serviceId, price_fen: 40000, labor_fen: 10000, parts_fen: 30000, duration_min: 60 });
    assert.equal(first.provider.rating, 4);
    assert.equal(first.provider.review_count, 0);
    assert.equal(typeof first.provider.name, 'string');
    assert.deepEqual(ids(await q('&sort=distance&limit=1')), [near.providerId]);
    const small = await api('GET', `/api/v1/providers/nearby?lat=${c.lat}&lng=${c.lng}&service_type=oil_change&radius_km=1`);
    assert.deepEqual(ids(small), [near.providerId]);
    const washes = await api('GET', `/api/v1/providers/nearby?lat=${c.lat}&lng=${c.lng}&service_type=car_wash&radius_km=1`);
    assert.deepEqual(ids(washes), [wash.providerId]);
    assert.ok(![out.providerId, closed.providerId].some((id) => ids(byDist).includes(id)));
  });

  test('bad input is a 422 naming the parameter', async () => {
    assertProblem(await api('GET', '/api/v1/providers/nearby?lng=121&service_type=oil_change'), 422, 'lat');
    assertProblem(await api('GET', '/api/v1/providers/nearby?lat=91&lng=121&service_type=oil_change'), 422, 'lat');
    assertProblem(await api('GET', '/api/v1/providers/nearby?lat=31&lng=121&service_type=warp_drive'), 422, 'service_type');
    assertProblem(await api('GET', '/api/v1/providers/nearby?lat=31&lng=121&service_type=oil_change&sort=cheap'), 422, 'sort');
    assertProblem(await api('GET', '/api/v1/providers/nearby?lat=31&lng=121&service_type=oil_change&radius_km=500'), 422, 'radius_km');
    assertProblem(await api('GET', '/api/v1/providers/nearby?lat=31&lng=121&service_type=oil_change&limit=0'), 422, 'limit');
  });

  test('the query is served by the spatial index, never a full scan of providers', () => {
    const plan = execFileSync(process.env.PITSTOP_BIN, ['providers-explain'], { encoding: 'utf8' });
    if (BACKEND === 'sqlite') {
      assert.match(plan, /SCAN g VIRTUAL TABLE INDEX/);
      assert.doesNotMatch(plan, /SCAN (p|providers)\b(?! VIRTUAL)/);
      assert.match(plan, /SEARCH p USING INTEGER PRIMARY KEY/);
    } else {
      assert.match(plan, /Index (Only )?Scan using providers_lat_lng|Bitmap Index Scan on providers_lat_lng/);
      assert.doesNotMatch(plan, /Seq Scan on providers\b/);
    }
  });
});
