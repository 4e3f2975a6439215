// Capacity (SPEC §6, §9): concurrent bookings never exceed the bays of a slot, and unpaid
// holds expire after 15 minutes, freeing their bay. Runs on SQLite and PostgreSQL alike.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { api, assertProblem, newOwner, BACKEND } from './lib.mjs';
import { freshSlot, getOrder, newProvider, newVehicle, placeOrder, sendWebhook, waitStatus } from './orders_fixtures.mjs';

test('20 concurrent bookings of one slot with 2 bays: exactly 2 succeed, 18 get 409', async () => {
  const provider = await newProvider({ bays: 2 });
  const owners = await Promise.all([...Array(20)].map(async () => {
    const owner = await newOwner();
    return { owner, vehicle: await newVehicle(owner) };
  }));
  const slot = freshSlot();
  const results = await Promise.all(owners.map(({ owner, vehicle }) => placeOrder(owner, vehicle, provider, slot)));
  const created = results.filter((r) => r.status === 201);
  const refused = results.filter((r) => r.status === 409);
  assert.equal(created.length, 2, JSON.stringify(results.map((r) => r.status)));
  assert.equal(refused.length, 18);
  for (const r of refused) assertProblem(r, 409);
  // the provider's board agrees: two orders at that slot
  const board = await api('GET', `/api/v1/providers/${provider.providerId}/orders?limit=100`, { token: provider.admin.token });
  assert.equal(board.body.items.filter((o) => Date.parse(o.slot_start) === Date.parse(slot)).length, 2);
  // and the slot shows as full
  const day = new Date(Date.parse(slot) + 8 * 3600e3).toISOString().slice(0, 10);
  const slots = await api('GET', `/api/v1/providers/${provider.providerId}/slots?service_id=${provider.serviceId}&date=${day}`);
  if (slots.status === 200) {
    const s = slots.body.slots.find((x) => Date.parse(x.start) === Date.parse(slot));
    if (s) assert.equal(s.available, 0);
  }
});

test('a cancelled hold frees its bay at once', async () => {
  const provider = await newProvider({ bays: 1 });
  const a = await newOwner();
  const av = await newVehicle(a);
  const b = await newOwner();
  const bv = await newVehicle(b);
  const slot = freshSlot();
  const first = await placeOrder(a, av, provider, slot);
  assert.equal(first.status, 201);
  assertProblem(await placeOrder(b, bv, provider, slot), 409);
  const c = await api('POST', `/api/v1/orders/${first.body.id}/cancel`, { token: a.token, body: { reason: 'plans changed' } });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.equal(c.body.status, 'cancelled');
  assert.equal(c.body.cancelled_by, 'owner');
  assert.equal((await placeOrder(b, bv, provider, slot)).status, 201);
});

// Make an order's hold run out now, straight in the database (the 15 minutes are the server's
// clock; the test cannot wait them out).
function backdateHold(orderId, { bay = false } = {}) {
  const url = process.env.PITSTOP_DATABASE_URL || '';
  const id = orderId.replace(/[^0-9a-z]/g, '');
  let sql = `UPDATE orders SET pay_before = 1000 WHERE id = '${id}';`;
  if (bay) sql += ` UPDATE slot_bookings SET hold_until = 1000 WHERE booking_id = '${id}';`;
  if (BACKEND === 'postgres') execFileSync('psql', [url, '-q', '-c', sql]);
  else execFileSync('sqlite3', ['-cmd', '.timeout 10000', url.replace(/^sqlite:/, ''), sql]);
}

test('an unpaid hold expires: the job marks it expired, releases the bay, tells the owner', async () => {
  const provider = await newProvider({ bays: 1 });
  const a = await newOwner();
  const av = await newVehicle(a);
  const b = await newOwner();
  const bv = await newVehicle(b);
  const slot = freshSlot();
  const first = await placeOrder(a, av, provider, slot);
  assert.equal(first.status, 201);
  backdateHold(first.body.id);
  // paying an order whose hold ran out is refused even before the job runs
  const pay = await api('POST', `/api/v1/orders/${first.body.id}/pay`, {
    token: a.token, headers: { 'idempotency-key': randomUUID() }, body: { method: 'sandbox' },
  });
  assertProblem(pay, 409);
  const expired = await waitStatus(a, first.body.id, 'expired');
  assert.equal(expired.pay_before, null);
  assert.equal(expired.outstanding_fen, 0);
  assert.ok(expired.timeline.some((e) => e.status === 'expired'));
  assert.equal((await placeOrder(b, bv, provider, slot)).status, 201);
  assertProblem(await api('POST', `/api/v1/orders/${first.body.id}/cancel`, { token: a.token, body: {} }), 409);
  const o = await getOrder(a, first.body.id);
  assert.equal(o.body.status, 'expired');
});

test('a payment confirmed after the hold ran out never overbooks: it is flagged', async () => {
  const provider = await newProvider({ bays: 1 });
  const a = await newOwner();
  const av = await newVehicle(a);
  const b = await newOwner();
  const bv = await newVehicle(b);
  const slot = freshSlot();
  const first = await placeOrder(a, av, provider, slot);
  assert.equal(first.status, 201);
  const pay = await api('POST', `/api/v1/orders/${first.body.id}/pay`, {
    token: a.token, headers: { 'idempotency-key': randomUUID() }, body: { method: 'sandbox', sandbox_outcome: 'manual' },
  });
  assert.equal(pay.status, 200);
  backdateHold(first.body.id, { bay: true });
  const second = await placeOrder(b, bv, provider, slot);      // the lapsed hold no longer counts
  assert.equal(second.status, 201, JSON.stringify(second.body));
  const late = await sendWebhook({ id: `evt_${randomUUID()}`, type: 'payment.succeeded', payment_id: pay.body.payment_id, amount_fen: pay.body.amount_fen });
  assert.equal(late.status, 200);
  assert.equal(late.body.result, 'flagged');
  const o = (await getOrder(a, first.body.id)).body;
  assert.ok(o.status === 'pending_payment' || o.status === 'expired', o.status);
  assert.equal(o.paid_fen, 0);
});
