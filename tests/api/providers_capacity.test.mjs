// Bay capacity through the orders API (providers_reserve_slot inside the order's write
// transaction): N concurrent bookings of one slot with B bays give exactly min(N, B)
// successes; a longer service claims every grid cell it covers; holds count in the slots.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, newOwner } from './lib.mjs';
import { newApprovedProvider, ordersAvailable } from './provider_lib.mjs';
import { newVehicle, placeOrder, slotAt } from './orders_fixtures.mjs';

describe('capacity', () => {
  let enabled = false;
  before(async () => { enabled = await ordersAvailable((await newOwner()).token); });

  test('8 concurrent bookings of a 2-bay slot: exactly 2 succeed, the rest 409', async (t) => {
    if (!enabled) return t.skip('orders module not in this build');
    const p = await newApprovedProvider({ bays: 2, services: [{ service_type: 'brake_pads', price_fen: 40000, duration_min: 90 }] });
    const owners = await Promise.all([0, 1, 2, 3].map(() => newOwner()));
    const cars = await Promise.all(owners.map((o) => newVehicle(o)));
    const slot = slotAt(6, 10, 0);
    const results = await Promise.all([...Array(8).keys()].map((i) =>
      placeOrder(owners[i % 4], cars[i % 4], p, slot)));
    const codes = results.map((r) => r.status).sort();
    assert.deepEqual(codes, [201, 201, 409, 409, 409, 409, 409, 409], JSON.stringify(results.map((r) => r.body)));
    // a 90-minute service on the 30-minute grid covers three cells: 10:30 and 11:00 are full too
    assert.equal((await placeOrder(owners[0], cars[0], p, slotAt(6, 10, 30))).status, 409);
    assert.equal((await placeOrder(owners[0], cars[0], p, slotAt(6, 11, 0))).status, 409);
    assert.equal((await placeOrder(owners[0], cars[0], p, slotAt(6, 11, 30))).status, 201);
    // the unpaid holds count: the slots list no longer offers 09:00-11:00 starts
    const date = slot.slice(0, 10);
    const slots = await api('GET', `/api/v1/providers/${p.providerId}/slots?service_id=${p.serviceId}&date=${date}`);
    const offered = new Map(slots.body.slots.map((s) => [s.start.slice(11, 16), s.available]));
    for (const hhmm of ['09:00', '09:30', '10:00', '10:30', '11:00']) assert.ok(!offered.has(hhmm), hhmm);
    assert.equal(offered.get('08:30'), 2);
    assert.equal(offered.get('12:00'), 1);     // 11:30 booking covers 11:30-13:00
    assert.equal(offered.get('13:00'), 2);
  });

  test('bookings outside the hours or off the grid are refused', async (t) => {
    if (!enabled) return t.skip('orders module not in this build');
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '09:00', close: '12:00' }));
    const p = await newApprovedProvider({ bays: 1, weekly, services: [{ service_type: 'oil_change', price_fen: 30000, duration_min: 60 }] });
    const owner = await newOwner();
    const car = await newVehicle(owner);
    assert.equal((await placeOrder(owner, car, p, slotAt(4, 11, 30))).status, 422);   // ends 12:30
    assert.equal((await placeOrder(owner, car, p, slotAt(4, 9, 15))).status, 422);    // off the grid
    assert.equal((await placeOrder(owner, car, p, slotAt(4, 8, 0))).status, 422);     // before opening
    assert.equal((await placeOrder(owner, car, p, slotAt(4, 11, 0))).status, 201);
  });
});
