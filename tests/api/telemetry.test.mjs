// Telemetry over real HTTP: device tokens (shown once, revocable), batch ingest with
// Authorization: Device <token>, state and odometer flowing into the vehicle, new trouble
// codes and low battery health reaching the owner's inbox and alerts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { api, assertProblem, BACKEND, newOwner } from './lib.mjs';
import { addVehicle } from './vehicles_lib.mjs';

const V = '/api/v1/vehicles';

async function device(owner, vehicleId, name) {
  const res = await api('POST', `${V}/${vehicleId}/devices`, { token: owner.token, body: name ? { name } : {} });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(typeof res.body.token, 'string');
  assert.ok(res.body.token.length >= 40);
  assert.ok(res.body.device_id);
  return res.body;
}

function ingest(token, body, scheme = 'Device') {
  return api('POST', '/api/v1/telemetry', { body, headers: token ? { authorization: `${scheme} ${token}` } : {} });
}

function at(offsetSec = 0) {
  return new Date(Date.now() - 60000 + offsetSec * 1000).toISOString();
}

// The notifications worker delivers the outbox in the background: poll the inbox a little.
async function inboxKinds(owner, kind, want) {
  for (let i = 0; i < 60; i++) {
    const res = await api('GET', '/api/v1/notifications?limit=100', { token: owner.token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const found = res.body.items.filter((n) => n.kind === kind);
    if (found.length >= want) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

test('devices: token shown once, listed without it, revocable', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner);
  const d = await device(owner, v.id, 'OBD dongle');
  assert.equal(d.name, 'OBD dongle');
  const list = await api('GET', `${V}/${v.id}/devices`, { token: owner.token });
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].device_id, d.device_id);
  assert.equal(list.body.items[0].token, undefined);
  assert.equal(JSON.stringify(list.body).includes(d.token), false);
  assert.equal((await ingest(d.token, { readings: [{ at: at() }] })).status, 202);
  assert.equal((await api('DELETE', `${V}/${v.id}/devices/${d.device_id}`, { token: owner.token })).status, 204);
  assertProblem(await ingest(d.token, { readings: [{ at: at() }] }), 401);
  assertProblem(await api('DELETE', `${V}/${v.id}/devices/${d.device_id}`, { token: owner.token }), 404);
  assertProblem(await api('POST', `${V}/${v.id}/devices`, { token: owner.token, body: { name: 7 } }), 422, 'name');
});

test('ingest needs a device token: none, unknown, or a user token are 401', async () => {
  const owner = await newOwner();
  const body = { readings: [{ at: at() }] };
  assertProblem(await ingest(null, body), 401);
  assertProblem(await ingest('not-a-real-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', body), 401);
  assertProblem(await ingest(owner.token, body, 'Bearer'), 401);
});

test('a batch is accepted (202) and its latest values flow into the vehicle', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner, { odometer_km: 30000, fuel_type: 'phev' });
  const d = await device(owner, v.id);
  const readings = [];
  for (let i = 0; i < 500; i++) {
    readings.push({ at: at(i), odometer_km: 30000 + Math.floor(i / 10), fuel_level_pct: 80 - i / 20,
      battery_soc_pct: 50 + i / 50, coolant_temp_c: 90, voltage: 13.8 });
  }
  const res = await ingest(d.token, { readings });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  assert.deepEqual(res.body, { accepted: 500 });
  const got = (await api('GET', `${V}/${v.id}`, { token: owner.token })).body;
  assert.equal(got.odometer_km, 30049);
  assert.equal(got.state.battery_soc_pct, 59.98);
  assert.equal(got.state.fuel_level_pct, 80 - 499 / 20);
  assert.equal(got.state.voltage, 13.8);
  assert.ok(got.state.updated_at);
  const odo = await api('GET', `${V}/${v.id}/odometer`, { token: owner.token });
  assert.equal(odo.body.items[0].km, 30049);
  assert.equal(odo.body.items[0].source, 'telemetry');
  const devs = await api('GET', `${V}/${v.id}/devices`, { token: owner.token });
  assert.ok(devs.body.items[0].last_seen_at);
});

test('batch limits and reading checks: 422 naming the field', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner);
  const d = await device(owner, v.id);
  const many = Array.from({ length: 1001 }, (_, i) => ({ at: at(i) }));
  assertProblem(await ingest(d.token, { readings: many }), 422, 'readings');
  assert.equal((await ingest(d.token, { readings: many.slice(0, 1000) })).status, 202);
  assertProblem(await ingest(d.token, { readings: [] }), 422, 'readings');
  assertProblem(await ingest(d.token, {}), 422, 'readings');
  assertProblem(await ingest(d.token, { readings: [{ odometer_km: 5 }] }), 422, 'readings[0].at');
  assertProblem(await ingest(d.token, { readings: [{ at: at(), battery_soc_pct: 140 }] }), 422, 'readings[0].battery_soc_pct');
  assertProblem(await ingest(d.token, { readings: [{ at: at(), dtcs: ['P0301', 'X9999'] }] }), 422, 'readings[0].dtcs[1]');
  assertProblem(await ingest(d.token, { readings: [{ at: at(), speed: 3 }] }), 422, 'readings[0].speed');
  assertProblem(await ingest(d.token, { readings: [{ at: at() }, { at: '2099-01-01T00:00:00Z' }] }), 422, 'readings[1].at');
});

test('a new trouble code notifies the owner once; clearing it clears the health finding', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner);
  const d = await device(owner, v.id);
  let res = await ingest(d.token, { readings: [{ at: at(0), dtcs: ['p0301'] }, { at: at(1), dtcs: ['P0301'] }] });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  res = await ingest(d.token, { readings: [{ at: at(2), dtcs: ['P0301'] }] });     // still the same code
  assert.equal(res.status, 202);
  const notes = await inboxKinds(owner, 'vehicle.dtc', 1);
  assert.equal(notes.length, 1);
  assert.match(notes[0].title, /P0301/);
  assert.equal(notes[0].payload.code, 'P0301');
  assert.equal(notes[0].payload.vehicle_id, v.id);
  const alerts = await api('GET', `${V}/${v.id}/alerts`, { token: owner.token });
  assert.deepEqual(alerts.body.items.map((a) => a.kind), ['dtc']);
  let h = await api('GET', `${V}/${v.id}/health`, { token: owner.token });
  const f = h.body.findings.find((x) => /P0301/.test(x.title));
  assert.ok(f, JSON.stringify(h.body));
  assert.equal(f.recommended_service_type.code, 'diagnosis');
  assert.ok(h.body.score <= 88);
  assert.equal((await ingest(d.token, { readings: [{ at: at(3), dtcs: [] }] })).status, 202);
  h = await api('GET', `${V}/${v.id}/health`, { token: owner.token });
  assert.ok(!h.body.findings.some((x) => /P0301/.test(x.title)));
  // Coming back after a clear is new again.
  assert.equal((await ingest(d.token, { readings: [{ at: at(4), dtcs: ['P0301', 'P0420'] }] })).status, 202);
  assert.equal((await inboxKinds(owner, 'vehicle.dtc', 3)).length, 3);
});

test('low traction-battery health notifies the owner and shows in health', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner, { fuel_type: 'bev' });
  const d = await device(owner, v.id);
  assert.equal((await ingest(d.token, { readings: [{ at: at(0), battery_soh_pct: 91 }] })).status, 202);
  assert.equal((await ingest(d.token, { readings: [{ at: at(1), battery_soh_pct: 76.5 }] })).status, 202);
  assert.equal((await ingest(d.token, { readings: [{ at: at(2), battery_soh_pct: 76 }] })).status, 202);
  const notes = await inboxKinds(owner, 'vehicle.battery_low', 1);
  assert.equal(notes.length, 1);
  const alerts = await api('GET', `${V}/${v.id}/alerts`, { token: owner.token });
  assert.deepEqual(alerts.body.items.map((a) => a.kind), ['battery_soh_low']);
  const h = await api('GET', `${V}/${v.id}/health`, { token: owner.token });
  const f = h.body.findings.find((x) => x.recommended_service_type?.code === 'ev_battery_check');
  assert.ok(f, JSON.stringify(h.body));
  assert.equal(f.severity, 'medium');
});

test('a device reporting a lower odometer is kept as an alert; the batch is still accepted', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner, { odometer_km: 50000 });
  const d = await device(owner, v.id);
  const res = await ingest(d.token, { readings: [{ at: at(), odometer_km: 100 }] });
  assert.equal(res.status, 202);
  assert.equal((await api('GET', `${V}/${v.id}`, { token: owner.token })).body.odometer_km, 50000);
  const alerts = await api('GET', `${V}/${v.id}/alerts`, { token: owner.token });
  assert.equal(alerts.body.items[0].kind, 'odometer_rollback');
  assert.equal(alerts.body.items[0].detail.source, 'telemetry');
});

test('removing the vehicle revokes its devices', async () => {
  const owner = await newOwner();
  const v = await addVehicle(owner);
  const d = await device(owner, v.id);
  assert.equal((await api('DELETE', `${V}/${v.id}`, { token: owner.token })).status, 204);
  assertProblem(await ingest(d.token, { readings: [{ at: at() }] }), 401);
});

// What the database holds for a device: the SHA-256 of its token, never the token.
function deviceRows() {
  const url = process.env.PITSTOP_DATABASE_URL || '';
  const query = 'select id, token_hash from vehicle_devices';
  try {
    if (BACKEND === 'sqlite') {
      const file = resolve(url.replace(/^sqlite:/, ''));
      return existsSync(file) ? execFileSync('sqlite3', [file, query], { encoding: 'utf8' }) : null;
    }
    return execFileSync('psql', [url, '-At', '-c', query], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

test('device tokens are stored hashed', async (t) => {
  const owner = await newOwner();
  const v = await addVehicle(owner);
  const d = await device(owner, v.id);
  const dump = deviceRows();
  if (dump === null) {
    t.skip('database not reachable from the test (no sqlite3 file or psql)');
    return;
  }
  assert.ok(dump.includes(d.device_id));
  assert.ok(!dump.includes(d.token), 'the token must not be stored in clear');
  assert.ok(dump.includes(createHash('sha256').update(d.token).digest('hex')));
});
