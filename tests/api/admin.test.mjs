// The operators' cross-domain views: every order, and the dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, newOwner, operator } from './lib.mjs';
import { newProvider, newVehicle, placeOrder } from './orders_fixtures.mjs';

test('operators list every order, newest first, filtered by status and provider', async () => {
  const provider = await newProvider();
  const owner = await newOwner();
  const car = await newVehicle(owner);
  const placed = await placeOrder(owner, car, provider);
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const op = await operator();
  const res = await api('GET', `/api/v1/admin/orders?provider_id=${provider.providerId}`, { token: op.token });
  assert.equal(res.status, 200);
  assert.equal(res.body.items.length, 1);
  const o = res.body.items[0];
  assert.equal(o.id, placed.body.id);
  assert.equal(o.status, 'pending_payment');
  assert.equal(o.provider_id, provider.providerId);
  assert.equal(typeof o.total_fen, 'number');
  const paid = await api('GET', `/api/v1/admin/orders?provider_id=${provider.providerId}&status=paid`, { token: op.token });
  assert.equal(paid.body.items.length, 0);
});

test('the order list pages with a cursor', async () => {
  const op = await operator();
  const first = await api('GET', '/api/v1/admin/orders?limit=1', { token: op.token });
  assert.equal(first.status, 200);
  if (first.body.next_cursor) {
    const second = await api('GET', `/api/v1/admin/orders?limit=1&cursor=${first.body.next_cursor}`, { token: op.token });
    assert.equal(second.status, 200);
    assert.notEqual(second.body.items[0]?.id, first.body.items[0].id);
  }
});

test('owners and anonymous callers cannot see the platform views', async () => {
  const owner = await newOwner();
  assertProblem(await api('GET', '/api/v1/admin/orders', { token: owner.token }), 403);
  assertProblem(await api('GET', '/api/v1/admin/dashboard', { token: owner.token }), 403);
  assertProblem(await api('GET', '/api/v1/admin/orders'), 401);
});

test('bad filters are 422 naming the parameter', async () => {
  const op = await operator();
  assertProblem(await api('GET', '/api/v1/admin/orders?status=lost', { token: op.token }), 422, 'status');
  assertProblem(await api('GET', '/api/v1/admin/orders?limit=1000', { token: op.token }), 422, 'limit');
  assertProblem(await api('GET', '/api/v1/admin/dashboard?days=0', { token: op.token }), 422, 'days');
});

test('the dashboard counts orders per China day, top services and providers by rating', async () => {
  const op = await operator();
  const res = await api('GET', '/api/v1/admin/dashboard?days=7', { token: op.token });
  assert.equal(res.status, 200);
  const d = res.body;
  assert.equal(d.days, 7);
  assert.ok(d.per_day.length >= 1, 'today has orders');
  for (const day of d.per_day) {
    assert.match(day.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(day.orders >= 1 && day.gmv_fen >= 0);
  }
  assert.equal(d.totals.orders, d.per_day.reduce((a, x) => a + x.orders, 0));
  assert.ok(d.top_services.some((s) => s.service_type === 'oil_change'));
  assert.ok(Array.isArray(d.providers_by_rating) && d.providers_by_rating.length >= 1);
  const ratings = d.providers_by_rating.map((p) => p.rating);
  assert.deepEqual([...ratings].sort((a, b) => b - a), ratings, 'best rated first');
});
