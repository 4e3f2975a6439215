// Vehicles over real HTTP: VIN decoding, the owner's cars, plates, the one-active-owner rule,
// odometer (rollbacks refused and kept as alerts), fuel and charge logs, service records,
// reminders, the annual inspection, the health report, paging, and 404 for other owners.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, newOwner } from './lib.mjs';
import {
  addDays, addMonths, addVehicle, badVin, chinaToday, endOfMonth, fmt, newVin, withCheckDigit,
} from './vehicles_lib.mjs';

const V = '/api/v1/vehicles';

test('GET /vins/{vin} decodes without saving', async () => {
  const res = await api('GET', '/api/v1/vins/LRW3E7FS5PC695355');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, {
    vin: 'LRW3E7FS5PC695355', check_digit_valid: true, wmi: 'LRW', manufacturer: 'Tesla (Shanghai)',
    make: 'Tesla', country: 'China', model_year: 2023, plant_code: 'C', serial: '695355',
  });
  const honda = await api('GET', '/api/v1/vins/1hgcm82633a004352');   // lower case is accepted
  assert.equal(honda.status, 200);
  assert.equal(honda.body.vin, '1HGCM82633A004352');
  assert.equal(honda.body.manufacturer, 'Honda (USA)');
  assert.equal(honda.body.country, 'United States');
  assert.equal(honda.body.model_year, 2003);
  const x = await api('GET', '/api/v1/vins/1M8GDM9AXKP042788');       // check digit 'X'
  assert.equal(x.status, 200);
  assert.equal(x.body.model_year, 1989);
  for (const [wmi, maker] of [['LSV', 'SAIC Volkswagen'], ['LFV', 'FAW-Volkswagen'], ['WBA', 'BMW'],
    ['5YJ', 'Tesla'], ['LGX', 'BYD Auto']]) {
    const r = await api('GET', `/api/v1/vins/${newVin(wmi)}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.manufacturer, maker);
  }
  // Unknown WMI: the country still comes from the first two characters.
  const unknown = await api('GET', `/api/v1/vins/${withCheckDigit('LZ9AB1230NA123456')}`);
  assert.equal(unknown.status, 200);
  assert.equal(unknown.body.manufacturer, null);
  assert.equal(unknown.body.country, 'China');
});

test('GET /vins/{vin}: wrong length, I/O/Q and a wrong check digit are 422 on vin', async () => {
  for (const vin of ['LSVAB1230NA12345', 'LSVAB1230NA1234567', 'LSVAB12I0NA123456', 'LSVOB1230NA123456',
    'LSVQB1230NA123456', badVin()]) {
    const body = assertProblem(await api('GET', `/api/v1/vins/${vin}`), 422, 'vin');
    assert.equal(body.errors[0].field, 'vin');
  }
});

test('POST /vehicles: 201 with the decoded fields; GET and the list show it', async () => {
  const owner = await newOwner();
  const vin = newVin('LFV', 'R');
  const res = await api('POST', V, {
    token: owner.token,
    body: {
      vin: vin.toLowerCase(), plate: '京a·12345', nickname: '小白', odometer_km: 12345,
      registration_date: '2021-05-20', fuel_type: 'gasoline', seats: 5, usage: 'private',
      insurance_expiry: '2027-01-31',
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const v = res.body;
  assert.equal(v.vin, vin);
  assert.equal(v.plate, '京A12345');
  assert.equal(v.wmi, 'LFV');
  assert.equal(v.manufacturer, 'FAW-Volkswagen');
  assert.equal(v.make, 'Volkswagen');
  assert.equal(v.country, 'China');
  assert.equal(v.model_year, 2024);
  assert.equal(v.check_digit_valid, true);
  assert.equal(v.plant_code, 'A');
  assert.equal(v.serial, vin.slice(11));
  assert.equal(v.odometer_km, 12345);
  assert.equal(v.registration_date, '2021-05-20');
  assert.equal(v.insurance_expiry, '2027-01-31');
  assert.equal(v.seats, 5);
  assert.equal(v.usage, 'private');
  assert.equal(v.nickname, '小白');
  assert.ok(v.id);

  const got = await api('GET', `${V}/${v.id}`, { token: owner.token });
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, v);
  const list = await api('GET', V, { token: owner.token });
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((x) => x.id), [v.id]);
  assert.equal(list.body.next_cursor, null);
});

test('POST /vehicles: missing, wrongly typed and unknown fields are one 422 naming each', async () => {
  const owner = await newOwner();
  let p = assertProblem(await api('POST', V, { token: owner.token, body: {} }), 422);
  const fields = p.errors.map((e) => e.field);
  for (const f of ['vin', 'odometer_km', 'fuel_type', 'usage']) assert.ok(fields.includes(f), f);
  p = assertProblem(await api('POST', V, {
    token: owner.token,
    body: { vin: newVin(), odometer_km: '12', fuel_type: 'steam', usage: 'private', colour: 'red' },
  }), 422);
  const f2 = p.errors.map((e) => e.field);
  for (const f of ['odometer_km', 'fuel_type', 'colour']) assert.ok(f2.includes(f), f);
  assertProblem(await api('POST', V, { token: owner.token,
    body: { vin: badVin(), odometer_km: 1, fuel_type: 'bev', usage: 'private' } }), 422, 'vin');
  assertProblem(await api('POST', V, { token: owner.token,
    body: { vin: newVin(), odometer_km: -1, fuel_type: 'bev', usage: 'private' } }), 422, 'odometer_km');
  const future = fmt(addDays(chinaToday(), 3));
  assertProblem(await api('POST', V, { token: owner.token,
    body: { vin: newVin(), odometer_km: 1, fuel_type: 'bev', usage: 'private', registration_date: future } }),
  422, 'registration_date');
  assertProblem(await api('POST', V, { body: { vin: newVin(), odometer_km: 1, fuel_type: 'bev', usage: 'private' } }), 401);
});

test('plates: mainland formats, new-energy D/F rule, upper-cased', async () => {
  const owner = await newOwner();
  const ok = [['沪ad12345', '沪AD12345'], ['粤B12345F', '粤B12345F'], ['川A1234学', '川A1234学'], ['浙a 8c88z', '浙A8C88Z']];
  for (const [plate, want] of ok) {
    const v = await addVehicle(owner, { plate, fuel_type: 'bev' });
    assert.equal(v.plate, want);
  }
  for (const plate of ['A12345', '京A1234', '京AA12345', '京I12345', '港A12345', '京A12345678', '京AD1234A']) {
    assertProblem(await api('POST', V, { token: owner.token,
      body: { vin: newVin(), plate, odometer_km: 1, fuel_type: 'bev', usage: 'private' } }), 422, 'plate');
  }
});

test('the same VIN cannot be active under two owners (409); removal frees it', async () => {
  const a = await newOwner();
  const b = await newOwner();
  const vin = newVin('LGX');
  const v = await addVehicle(a, { vin });
  const body = { vin, odometer_km: 5, fuel_type: 'bev', usage: 'private' };
  assertProblem(await api('POST', V, { token: b.token, body }), 409);
  assertProblem(await api('POST', V, { token: a.token, body }), 409);
  assert.equal((await api('DELETE', `${V}/${v.id}`, { token: a.token })).status, 204);
  assertProblem(await api('GET', `${V}/${v.id}`, { token: a.token }), 404);
  const res = await api('POST', V, { token: b.token, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.vin, vin);
  // Concurrent adds of one VIN: exactly one wins.
  const vin2 = newVin('LSG');
  const owners = await Promise.all([newOwner(), newOwner(), newOwner()]);
  const results = await Promise.all(owners.map((o) => api('POST', V, {
    token: o.token, body: { vin: vin2, odometer_km: 1, fuel_type: 'gasoline', usage: 'private' } })));
  assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409]);
});

test('PATCH /vehicles/{id}: edits, null clears, bad input is 422', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner, { nickname: 'old', plate: '京A12345', seats: 5 });
  let res = await api('PATCH', `${V}/${v.id}`, { token: owner.token,
    body: { plate: '沪b54321', nickname: null, usage: 'commercial', model: 'Lavida', seats: null } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.plate, '沪B54321');
  assert.equal(res.body.nickname, null);
  assert.equal(res.body.usage, 'commercial');
  assert.equal(res.body.model, 'Lavida');
  assert.equal(res.body.seats, null);
  assert.equal(res.body.vin, v.vin);
  res = await api('GET', `${V}/${v.id}`, { token: owner.token });
  assert.equal(res.body.plate, '沪B54321');
  assertProblem(await api('PATCH', `${V}/${v.id}`, { token: owner.token, body: { vin: newVin() } }), 422, 'vin');
  assertProblem(await api('PATCH', `${V}/${v.id}`, { token: owner.token, body: { plate: 'XX' } }), 422, 'plate');
  assertProblem(await api('PATCH', `${V}/${v.id}`, { token: owner.token, body: { fuel_type: null } }), 422, 'fuel_type');
  assertProblem(await api('PATCH', `${V}/${v.id}`, { token: owner.token, body: { seats: 'five' } }), 422, 'seats');
  assertProblem(await api('PATCH', `${V}/${v.id}`, { token: owner.token, body: { odometer_km: 1 } }), 422, 'odometer_km');
});

test('odometer: readings go up; a rollback is 422 and recorded as an alert the owner sees', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner, { odometer_km: 20000 });
  let res = await api('POST', `${V}/${v.id}/odometer`, { token: owner.token, body: { km: 20500 } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.km, 20500);
  assert.equal(res.body.source, 'owner');
  res = await api('POST', `${V}/${v.id}/odometer`, { token: owner.token, body: { km: 20500, recorded_at: '2025-01-01T08:00:00+08:00' } });
  assert.equal(res.status, 201);     // equal is not lower
  const p = assertProblem(await api('POST', `${V}/${v.id}/odometer`, { token: owner.token, body: { km: 15000 } }), 422, 'km');
  assert.match(p.errors[0].message, /20500/);
  assert.equal((await api('GET', `${V}/${v.id}`, { token: owner.token })).body.odometer_km, 20500);
  const alerts = await api('GET', `${V}/${v.id}/alerts`, { token: owner.token });
  assert.equal(alerts.status, 200);
  assert.equal(alerts.body.items.length, 1);
  assert.equal(alerts.body.items[0].kind, 'odometer_rollback');
  assert.equal(alerts.body.items[0].detail.attempted_km, 15000);
  assert.equal(alerts.body.items[0].detail.current_km, 20500);
  const list = await api('GET', `${V}/${v.id}/odometer`, { token: owner.token });
  assert.deepEqual(list.body.items.map((x) => x.km).sort(), [20000, 20500, 20500]);
  assertProblem(await api('POST', `${V}/${v.id}/odometer`, { token: owner.token, body: { km: 'far' } }), 422, 'km');
  assertProblem(await api('POST', `${V}/${v.id}/odometer`, { token: owner.token, body: {} }), 422, 'km');
  assertProblem(await api('POST', `${V}/${v.id}/odometer`, { token: owner.token,
    body: { km: 30000, recorded_at: '2099-01-01T00:00:00Z' } }), 422, 'recorded_at');
});

test('fuel logs: L/100 km on each entry that closes a full-tank interval', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner, { odometer_km: 9000 });
  const post = (body) => api('POST', `${V}/${v.id}/fuel-logs`, { token: owner.token, body });
  let r = await post({ liters: 40, price_fen: 32000, odometer_km: 10000, full_tank: true });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.l_per_100km, null);
  r = await post({ liters: 10, price_fen: 8000, odometer_km: 10300, full_tank: false });
  assert.equal(r.body.l_per_100km, null);
  r = await post({ liters: 42, price_fen: 33600, odometer_km: 10800, full_tank: true });
  assert.equal(r.body.l_per_100km, 6.5);          // (10 + 42) L over 800 km
  assert.equal(r.body.full_tank, true);
  assert.equal(r.body.price_fen, 33600);
  const list = await api('GET', `${V}/${v.id}/fuel-logs`, { token: owner.token });
  assert.equal(list.body.items.length, 3);
  assert.deepEqual(list.body.items.map((x) => x.l_per_100km).sort(), [6.5, null, null].sort());
  // The vehicle's odometer followed the logs.
  assert.equal((await api('GET', `${V}/${v.id}`, { token: owner.token })).body.odometer_km, 10800);
  assertProblem(await post({ liters: 30, price_fen: 1, odometer_km: 10700, full_tank: true }), 422, 'odometer_km');
  const p = assertProblem(await post({ liters: -1, price_fen: 1.5, odometer_km: 11000 }), 422);
  const fields = p.errors.map((e) => e.field);
  for (const f of ['liters', 'price_fen', 'full_tank']) assert.ok(fields.includes(f), f);
});

test('charge logs: kWh/100 km once computable', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner, { odometer_km: 500, fuel_type: 'bev' });
  const post = (body) => api('POST', `${V}/${v.id}/charge-logs`, { token: owner.token, body });
  let r = await post({ kwh: 50, price_fen: 5000, odometer_km: 1000 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.kwh_per_100km, null);
  r = await post({ kwh: 45, price_fen: 4500, odometer_km: 1300 });
  assert.equal(r.body.kwh_per_100km, 15);
  const list = await api('GET', `${V}/${v.id}/charge-logs`, { token: owner.token });
  assert.equal(list.body.items.length, 2);
  assertProblem(await post({ kwh: 10, price_fen: 1, odometer_km: 900 }), 422, 'odometer_km');
  assertProblem(await post({ kwh: 'lots', price_fen: 1, odometer_km: 1400 }), 422, 'kwh');
});

test('service records: the owner adds records (source owner, not verified); reminders restart', async () => {
  const owner = await newOwner();
  const today = chinaToday();
  const reg = addMonths(today, -30);
  const v = await addVehicle(owner, { odometer_km: 25000, registration_date: fmt(reg) });
  let rem = await api('GET', `${V}/${v.id}/reminders`, { token: owner.token });
  let oil = rem.body.items.find((x) => x.service_type === 'oil_change');
  assert.equal(oil.status, 'overdue');            // 25,000 km and 30 months since registration
  assert.equal(oil.due_km, 10000);
  const done = fmt(addDays(today, -10));
  const r = await api('POST', `${V}/${v.id}/service-records`, { token: owner.token,
    body: { service_type: 'oil_change', date: done, odometer_km: 24800, cost_fen: 45000, provider_name: '路边店' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.source, 'owner');
  assert.equal(r.body.verified, false);
  assert.equal(r.body.title, 'Oil and filter change');
  assert.equal(r.body.leaf_index, null);
  rem = await api('GET', `${V}/${v.id}/reminders`, { token: owner.token });
  oil = rem.body.items.find((x) => x.service_type === 'oil_change');
  assert.equal(oil.status, 'ok');
  assert.equal(oil.due_km, 34800);
  assert.equal(oil.due_date, fmt(addMonths(addDays(today, -10), 12)));
  const list = await api('GET', `${V}/${v.id}/service-records`, { token: owner.token });
  assert.equal(list.body.items.length, 1);
  assertProblem(await api('POST', `${V}/${v.id}/service-records`, { token: owner.token,
    body: { service_type: 'teleport', date: done } }), 422, 'service_type');
  assertProblem(await api('POST', `${V}/${v.id}/service-records`, { token: owner.token, body: { title: 'x' } }), 422, 'date');
  assertProblem(await api('POST', `${V}/${v.id}/service-records`, { token: owner.token,
    body: { title: 'x', date: fmt(addDays(today, 5)) } }), 422, 'date');
});

test('a major service restarts the intervals it includes (oil change, filters)', async () => {
  const owner = await newOwner();
  const today = chinaToday();
  const v = await addVehicle(owner, { odometer_km: 30000, registration_date: fmt(addMonths(today, -40)) });
  const done = fmt(addDays(today, -3));
  const r = await api('POST', `${V}/${v.id}/service-records`, { token: owner.token,
    body: { service_type: 'major_service', date: done, odometer_km: 29900 } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const items = (await api('GET', `${V}/${v.id}/reminders`, { token: owner.token })).body.items;
  for (const type of ['oil_change', 'cabin_filter', 'air_filter']) {
    const x = items.find((i) => i.service_type === type);
    assert.equal(x.status, 'ok', type);
    assert.ok(x.due_km > 29900, type);
  }
  assert.equal(items.find((i) => i.service_type === 'brake_fluid').status, 'overdue');
});

test('reminders: maintenance per fuel type, inspection and insurance, worst first', async () => {
  const owner = await newOwner();
  const today = chinaToday();
  const ev = await addVehicle(owner, { fuel_type: 'bev', odometer_km: 0, registration_date: fmt(today),
    insurance_expiry: fmt(addDays(today, 10)) });
  const res = await api('GET', `${V}/${ev.id}/reminders`, { token: owner.token });
  assert.equal(res.status, 200);
  const items = res.body.items;
  assert.ok(!items.some((x) => x.service_type === 'oil_change'), 'no oil change for a BEV');
  const battery = items.find((x) => x.service_type === 'ev_battery_check');
  assert.deepEqual({ due_km: battery.due_km, due_date: battery.due_date, status: battery.status, kind: battery.kind },
    { due_km: 20000, due_date: fmt(addMonths(today, 12)), status: 'ok', kind: 'maintenance' });
  const insurance = items.find((x) => x.kind === 'insurance');
  assert.equal(insurance.status, 'due_soon');
  assert.equal(insurance.due_date, fmt(addDays(today, 10)));
  const insp = items.find((x) => x.kind === 'inspection');
  assert.equal(insp.due_date, fmt(endOfMonth(addMonths(today, 24))));
  assert.equal(items[0].status, 'due_soon');     // worst first
  for (const x of items) assert.ok(['ok', 'due_soon', 'overdue'].includes(x.status));
  // Within 1,000 km of the due distance: due soon.
  const car = await addVehicle(owner, { fuel_type: 'gasoline', odometer_km: 9500, registration_date: fmt(addMonths(today, -3)) });
  const oil = (await api('GET', `${V}/${car.id}/reminders`, { token: owner.token })).body.items
    .find((x) => x.service_type === 'oil_change');
  assert.equal(oil.status, 'due_soon');
});

test('inspection: SPEC rules from the registration date, 3-month window, 409 without one', async () => {
  const owner = await newOwner();
  const today = chinaToday();
  const mid = (months) => { const d = addMonths(today, months); return { ...d, d: 15 }; };
  // Registered 7 years 2 months ago: years 2, 4 and 6 have passed; year 8 is on-site.
  let reg = mid(-86);
  let v = await addVehicle(owner, { registration_date: fmt(reg), seats: 5 });
  let r = await api('GET', `${V}/${v.id}/inspection`, { token: owner.token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  let due = endOfMonth(addMonths(reg, 96));
  assert.equal(r.body.next_due_date, fmt(due));
  assert.equal(r.body.kind, 'on_site');
  assert.equal(r.body.window_start, fmt(addMonths(due, -3)));
  // Registered a year ago: the year-2 sticker.
  reg = mid(-12);
  v = await addVehicle(owner, { registration_date: fmt(reg) });
  r = await api('GET', `${V}/${v.id}/inspection`, { token: owner.token });
  assert.equal(r.body.kind, 'sticker');
  assert.equal(r.body.next_due_date, fmt(endOfMonth(addMonths(reg, 24))));
  // 16 years old: every 6 months.
  reg = mid(-194);
  v = await addVehicle(owner, { registration_date: fmt(reg) });
  r = await api('GET', `${V}/${v.id}/inspection`, { token: owner.token });
  assert.equal(r.body.next_due_date, fmt(endOfMonth(addMonths(reg, 198))));
  // Commercial, 6 years 1 month: every 6 months after year 5.
  reg = mid(-73);
  v = await addVehicle(owner, { registration_date: fmt(reg), usage: 'commercial' });
  r = await api('GET', `${V}/${v.id}/inspection`, { token: owner.token });
  assert.equal(r.body.next_due_date, fmt(endOfMonth(addMonths(reg, 78))));
  assert.equal(r.body.kind, 'on_site');
  // No registration date: nothing to count from.
  v = await addVehicle(owner);
  assertProblem(await api('GET', `${V}/${v.id}/inspection`, { token: owner.token }), 409);
});

test('health: a new car scores 100; overdue items, age and mileage lower it', async () => {
  const owner = await newOwner();
  const today = chinaToday();
  const fresh = await addVehicle(owner, { odometer_km: 0, registration_date: fmt(today) });
  let h = await api('GET', `${V}/${fresh.id}/health`, { token: owner.token });
  assert.equal(h.status, 200, JSON.stringify(h.body));
  assert.deepEqual(h.body, { score: 100, findings: [] });
  const old = await addVehicle(owner, { odometer_km: 250000, registration_date: fmt({ ...addMonths(today, -150), d: 1 }),
    insurance_expiry: fmt(addDays(today, -2)) });
  h = await api('GET', `${V}/${old.id}/health`, { token: owner.token });
  assert.equal(h.status, 200);
  assert.ok(h.body.score < 60, `score ${h.body.score}`);
  assert.ok(h.body.score >= 0);
  const titles = h.body.findings.map((f) => f.title).join(' | ');
  assert.match(titles, /Insurance expired/);
  assert.match(titles, /High mileage/);
  assert.match(titles, /years old/);
  assert.equal(h.body.findings[0].severity, 'high');
  for (const f of h.body.findings) {
    assert.ok(['low', 'medium', 'high'].includes(f.severity));
    assert.ok(f.recommended_service_type === null || typeof f.recommended_service_type.code === 'string');
  }
  assert.ok(h.body.findings.some((f) => f.recommended_service_type?.code === 'oil_change'
    && f.recommended_service_type.name_zh && f.recommended_service_type.name_en));
});

test('lists page with limit and cursor; bad paging is 422', async () => {
  const owner = await newOwner();
  const made = [];
  for (let i = 0; i < 3; i++) made.push((await addVehicle(owner)).id);
  const p1 = await api('GET', `${V}?limit=2`, { token: owner.token });
  assert.equal(p1.body.items.length, 2);
  assert.ok(p1.body.next_cursor);
  const p2 = await api('GET', `${V}?limit=2&cursor=${p1.body.next_cursor}`, { token: owner.token });
  assert.equal(p2.body.items.length, 1);
  assert.equal(p2.body.next_cursor, null);
  assert.deepEqual([...p1.body.items, ...p2.body.items].map((x) => x.id).sort(), made.sort());
  assertProblem(await api('GET', `${V}?limit=0`, { token: owner.token }), 422, 'limit');
  assertProblem(await api('GET', `${V}?limit=101`, { token: owner.token }), 422, 'limit');
  assertProblem(await api('GET', `${V}?cursor=not-a-cursor`, { token: owner.token }), 422, 'cursor');
  // Another owner's list does not show them.
  const other = await newOwner();
  assert.deepEqual((await api('GET', V, { token: other.token })).body.items, []);
});

test('every vehicle route answers 404 for another owner\'s vehicle (and for unknown ids)', async () => {
  const owner = await newOwner();
  const stranger = await newOwner();
  const v = await addVehicle(owner, { registration_date: '2020-03-15', fuel_type: 'phev' });
  const dev = await api('POST', `${V}/${v.id}/devices`, { token: owner.token, body: {} });
  assert.equal(dev.status, 201);
  const today = fmt(chinaToday());
  const routes = [
    ['GET', `${V}/${v.id}`],
    ['PATCH', `${V}/${v.id}`, { nickname: 'mine now' }],
    ['DELETE', `${V}/${v.id}`],
    ['POST', `${V}/${v.id}/odometer`, { km: 999999 }],
    ['GET', `${V}/${v.id}/odometer`],
    ['POST', `${V}/${v.id}/fuel-logs`, { liters: 10, price_fen: 100, odometer_km: 2000, full_tank: true }],
    ['GET', `${V}/${v.id}/fuel-logs`],
    ['POST', `${V}/${v.id}/charge-logs`, { kwh: 10, price_fen: 100, odometer_km: 2000 }],
    ['GET', `${V}/${v.id}/charge-logs`],
    ['POST', `${V}/${v.id}/service-records`, { service_type: 'oil_change', date: today }],
    ['GET', `${V}/${v.id}/service-records`],
    ['GET', `${V}/${v.id}/alerts`],
    ['GET', `${V}/${v.id}/reminders`],
    ['GET', `${V}/${v.id}/inspection`],
    ['GET', `${V}/${v.id}/health`],
    ['POST', `${V}/${v.id}/devices`, {}],
    ['GET', `${V}/${v.id}/devices`],
    ['DELETE', `${V}/${v.id}/devices/${dev.body.device_id}`],
  ];
  for (const [method, path, body] of routes) {
    assertProblem(await api(method, path, { token: stranger.token, body }), 404);
    const unknown = path.replace(v.id, '01jzzzzzzzzzzzzzzzzzzzzzzz');
    assertProblem(await api(method, unknown, { token: owner.token, body }), 404);
    assertProblem(await api(method, path, { body }), 401);
  }
  // Nothing the stranger tried changed the owner's vehicle.
  const after = await api('GET', `${V}/${v.id}`, { token: owner.token });
  assert.equal(after.status, 200);
  assert.equal(after.body.nickname, null);
  assert.equal(after.body.odometer_km, 1000);
  assert.equal((await api('GET', `${V}/${v.id}/service-records`, { token: owner.token })).body.items.length, 0);
  const devices = await api('GET', `${V}/${v.id}/devices`, { token: owner.token });
  assert.equal(devices.body.items.length, 1);
  assert.equal(devices.body.items[0].revoked, false);
});
