// Durability (SPEC §1, §9): an acknowledged order survives SIGKILL. This test runs its own
// server on a fresh SQLite file: it fires a burst of bookings, kills the server with SIGKILL
// in the middle, restarts it on the same file, and checks that every order that got a 201 is
// there intact and that no slot holds more orders than it has bays.
// On PostgreSQL durability is the database server's (the suite's server shares one cluster),
// so the test runs on SQLite only.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const onPostgres = (process.env.PITSTOP_DATABASE_URL || '').startsWith('postgres');
const BIN = process.env.PITSTOP_BIN;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'pitstop-durability-'));
let server;
after(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startServer(env, base, port) {
  const child = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'ignore'] });
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return child;
    } catch { /* not up yet */ }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

test('acknowledged orders survive SIGKILL; no slot is overbooked', { skip: onPostgres || !BIN ? 'SQLite only (needs PITSTOP_BIN)' : false, timeout: 120000 }, async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    PITSTOP_DATABASE_URL: `sqlite:${join(dir, 'durable.db')}`,
    PITSTOP_UPLOAD_DIR: join(dir, 'uploads'),
    PITSTOP_SECRETS_FILE: join(dir, 'secrets'),
    PITSTOP_URL: base,
    PITSTOP_TEST_OPERATOR_LOGIN: 'durable-op@pitstop.test',
    PITSTOP_TEST_OPERATOR_PASSWORD: 'durable-pass-1',
  };
  execFileSync(BIN, ['migrate'], { env, stdio: 'ignore' });
  execFileSync(BIN, ['user', 'create', '--role', 'operator', '--email', env.PITSTOP_TEST_OPERATOR_LOGIN,
    '--password', env.PITSTOP_TEST_OPERATOR_PASSWORD, '--name', 'Durable Op'], { env, stdio: 'ignore' });
  server = await startServer(env, base, port);

  // The shared helpers read their target from the environment when first imported.
  Object.assign(process.env, env);
  const { api, newOwner } = await import('./lib.mjs');
  const { newProvider, newVehicle, slotAt } = await import('./orders_fixtures.mjs');

  const BAYS = 3;
  const provider = await newProvider({ bays: BAYS });
  const people = [];
  for (let i = 0; i < 8; i++) {
    const owner = await newOwner();
    people.push({ owner, vehicle: await newVehicle(owner) });
  }
  const slots = [];
  for (let d = 2; d < 6; d++) for (let h = 8; h < 13; h++) slots.push(slotAt(d, h));   // 20 slots, 60 bays

  // The burst: 8 clients booking back to back over the slots; SIGKILL once 25 are acknowledged.
  const acked = [];
  let killed = false;
  let sent = 0;
  const client = async ({ owner, vehicle }, k) => {
    for (let i = 0; i < 40 && !killed; i++) {
      const slot = slots[(k * 7 + i * 3) % slots.length];
      sent++;
      let res;
      try {
        res = await api('POST', '/api/v1/orders', {
          token: owner.token, headers: { 'idempotency-key': `${k}-${i}-${slot}` },
          body: { vehicle_id: vehicle.id, provider_id: provider.providerId, service_id: provider.serviceId, slot_start: slot },
        });
      } catch {
        return;    // the server died under this request: it was never acknowledged
      }
      if (res.status === 201) {
        acked.push({ owner, order: res.body });
        if (acked.length >= 25 && !killed) {
          killed = true;
          server.kill('SIGKILL');
        }
      } else {
        assert.equal(res.status, 409, JSON.stringify(res.body));
      }
    }
  };
  await Promise.all(people.map((p, k) => client(p, k)));
  if (!killed) server.kill('SIGKILL');
  await new Promise((r) => (server.exitCode !== null || server.signalCode ? r() : server.once('exit', r)));
  assert.ok(acked.length >= 25, `acknowledged ${acked.length} of ${sent}`);

  server = await startServer(env, base, port);
  for (const { owner, order } of acked) {
    const got = await api('GET', `/api/v1/orders/${order.id}`, { token: owner.token });
    assert.equal(got.status, 200, `order ${order.id} acknowledged before the kill is missing`);
    for (const k of ['id', 'status', 'slot_start', 'total_fen', 'provider_id', 'service_id', 'vehicle_id', 'pay_before']) {
      assert.deepEqual(got.body[k], order[k], `${k} of ${order.id}`);
    }
  }
  // Every order on the board (acknowledged or not), counted per slot.
  const perSlot = new Map();
  let cursor = null;
  do {
    const page = await api('GET', `/api/v1/providers/${provider.providerId}/orders?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { token: provider.admin.token });
    assert.equal(page.status, 200);
    for (const o of page.body.items) perSlot.set(o.slot_start, (perSlot.get(o.slot_start) || 0) + 1);
    cursor = page.body.next_cursor;
  } while (cursor);
  for (const [slot, n] of perSlot) assert.ok(n <= BAYS, `${n} orders at ${slot} with ${BAYS} bays`);
  // Capacity still holds after the restart: fill one slot and overflow it.
  const slot = slots[0];
  let before = 0;
  for (const [k, n] of perSlot) if (Date.parse(k) === Date.parse(slot)) before += n;
  let ok = 0;
  for (let i = 0; i < BAYS + 2; i++) {
    const { owner, vehicle } = people[i % people.length];
    const r = await api('POST', '/api/v1/orders', {
      token: owner.token,
      body: { vehicle_id: vehicle.id, provider_id: provider.providerId, service_id: provider.serviceId, slot_start: slot },
    });
    if (r.status === 201) ok++;
    else assert.equal(r.status, 409);
  }
  assert.ok(before + ok <= BAYS);
  server.kill('SIGTERM');
});
