// Notifications (SPEC §6): every order state change reaches the other party's inbox through
// the outbox; inbox lists page with a cursor; reading is per user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, assertProblem, newOwner } from './lib.mjs';
import { newProvider, newVehicle, orderIn, waitFor } from './orders_fixtures.mjs';

async function inbox(who, query = '') {
  const res = await api('GET', `/api/v1/notifications${query}`, { token: who.token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function waitKinds(who, orderId, kinds) {
  return waitFor(async () => {
    const items = (await inbox(who, '?limit=100')).items.filter((n) => n.payload.order_id === orderId);
    const have = new Set(items.map((n) => n.kind));
    return kinds.every((k) => have.has(k)) ? items : null;
  }, { what: `${kinds.join(', ')} for ${orderId}` });
}

test('each state change reaches the other party', async () => {
  const owner = await newOwner();
  const ctx = { owner, vehicle: await newVehicle(owner), provider: await newProvider({ bays: 1 }) };
  const id = await orderIn('in_service', ctx);
  // provider side: paid; owner side: paid, accepted, started
  await waitKinds(ctx.provider.admin, id, ['order.paid']);
  const mine = await waitKinds(owner, id, ['order.paid', 'order.accepted', 'order.started']);
  for (const n of mine) {
    assert.equal(n.read, false);
    assert.equal(n.payload.order_id, id);
    assert.ok(n.title && n.created_at);
  }
  // extra item: owner hears; decision: provider hears
  const upd = await api('POST', `/api/v1/orders/${id}/updates`, {
    token: ctx.provider.admin.token, body: { text: '需要更换空滤', extra_items: [{ name: '空滤', price_fen: 6000 }] },
  });
  await waitKinds(owner, id, ['order.extra_items']);
  await api('POST', `/api/v1/orders/${id}/extra-items/${upd.body.extra_items[0].id}/decline`, { token: owner.token });
  await waitKinds(ctx.provider.admin, id, ['order.extra_declined']);
  await api('POST', `/api/v1/orders/${id}/complete`, { token: ctx.provider.admin.token, body: { odometer_km: 21000, parts: [] } });
  await waitKinds(owner, id, ['order.completed']);
  // the owner cancelling tells the provider
  const id2 = await orderIn('paid', ctx);
  await api('POST', `/api/v1/orders/${id2}/cancel`, { token: owner.token, body: {} });
  await waitKinds(ctx.provider.admin, id2, ['order.cancelled']);
  await waitKinds(owner, id2, ['order.refunded']);
});

test('cursor pages, unread filter, mark read; others cannot touch my notifications', async () => {
  const owner = await newOwner();
  const ctx = { owner, vehicle: await newVehicle(owner), provider: await newProvider({ bays: 1 }) };
  await orderIn('in_service', ctx);   // paid, accepted, started: three for the owner
  const all = await waitFor(async () => {
    const b = await inbox(owner, '?limit=100');
    return b.items.length >= 3 ? b.items : null;
  }, { what: 'three notifications' });
  const ids = all.map((n) => n.id);
  assert.deepEqual(ids, [...ids].sort().reverse(), 'newest first');
  const p1 = await inbox(owner, '?limit=2');
  assert.equal(p1.items.length, 2);
  assert.ok(p1.next_cursor);
  const p2 = await inbox(owner, `?limit=2&cursor=${p1.next_cursor}`);
  assert.deepEqual([...p1.items, ...p2.items].map((n) => n.id), ids.slice(0, p1.items.length + p2.items.length));
  assert.ok(!p2.items.some((n) => p1.items.find((m) => m.id === n.id)));

  const target = all[0];
  const other = await newOwner();
  assertProblem(await api('POST', `/api/v1/notifications/${target.id}/read`, { token: other.token }), 404);
  const read = await api('POST', `/api/v1/notifications/${target.id}/read`, { token: owner.token });
  assert.equal(read.status, 200);
  assert.equal(read.body.read, true);
  assert.ok(read.body.read_at);
  assert.equal((await api('POST', `/api/v1/notifications/${target.id}/read`, { token: owner.token })).status, 200);
  const unread = await inbox(owner, '?unread=true&limit=100');
  assert.ok(!unread.items.some((n) => n.id === target.id));
  assert.equal(unread.items.length, all.length - 1);
  assert.equal((await inbox(other)).items.length, 0);
  assertProblem(await api('GET', '/api/v1/notifications?limit=0', { token: owner.token }), 422, 'limit');
  assertProblem(await api('GET', '/api/v1/notifications?cursor=bad', { token: owner.token }), 422, 'cursor');
  assertProblem(await api('POST', '/api/v1/notifications/nope/read', { token: owner.token }), 404);
  assertProblem(await api('GET', '/api/v1/notifications'), 401);
});
