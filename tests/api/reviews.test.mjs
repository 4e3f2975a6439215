// Reviews (SPEC §5): only the owner of a completed order, once; 1-5 stars and a comment; the
// provider's Bayesian rating moves; its provider_admin or advisor replies.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, newOwner } from './lib.mjs';
import { newApprovedProvider, ordersAvailable } from './provider_lib.mjs';
import { newVehicle, orderIn } from './orders_fixtures.mjs';

async function completedOrder(ctx) {
  const id = await orderIn('in_service', ctx);
  const done = await api('POST', `/api/v1/orders/${id}/complete`, {
    token: ctx.provider.admin.token, body: { odometer_km: 21000, parts: [{ name: '机油 4L', qty: 1, price_fen: 20000 }] },
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return id;
}

describe('reviews', () => {
  let enabled = false;
  before(async () => { enabled = await ordersAvailable((await newOwner()).token); });

  test('the owner of a completed order reviews it once; the rating moves', async (t) => {
    if (!enabled) return t.skip('orders module not in this build');
    const provider = await newApprovedProvider();
    const owner = await newOwner({ name: '赵敏' });
    const ctx = { owner, vehicle: await newVehicle(owner), provider };
    const pending = await orderIn('paid', ctx);
    assertProblem(await api('POST', `/api/v1/orders/${pending}/review`, { token: owner.token, body: { rating: 5 } }), 409);
    const id = await completedOrder(ctx);
    const stranger = await newOwner();
    assertProblem(await api('POST', `/api/v1/orders/${id}/review`, { token: stranger.token, body: { rating: 1 } }), 404);
    assertProblem(await api('POST', `/api/v1/orders/${id}/review`, { body: { rating: 1 } }), 401);
    assertProblem(await api('POST', `/api/v1/orders/${id}/review`, { token: owner.token, body: { rating: 6 } }), 422, 'rating');
    assertProblem(await api('POST', `/api/v1/orders/${id}/review`, { token: owner.token, body: { rating: 'five' } }), 422, 'rating');
    assertProblem(await api('POST', `/api/v1/orders/${id}/review`, { token: owner.token, body: { rating: 5, stars: 5 } }), 422, 'stars');
    assertProblem(await api('POST', '/api/v1/orders/01nosuchorder0000000000000/review', { token: owner.token, body: { rating: 5 } }), 404);
    const rev = await api('POST', `/api/v1/orders/${id}/review`, { token: owner.token, body: { rating: 5, comment: '价格透明，没有乱加项目' } });
    assert.equal(rev.status, 201, JSON.stringify(rev.body));
    assert.equal(rev.body.rating, 5);
    assert.equal(rev.body.author_name, '赵**');
    assertProblem(await api('POST', `/api/v1/orders/${id}/review`, { token: owner.token, body: { rating: 1 } }), 409);

    const page = await api('GET', `/api/v1/providers/${provider.providerId}`);
    assert.equal(page.body.review_count, 1);
    assert.equal(page.body.rating, 4.17);                  // (5 x 4.0 + 5) / (5 + 1)
    const list = await api('GET', `/api/v1/providers/${provider.providerId}/reviews`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((r) => r.id), [rev.body.id]);
    assert.equal(list.body.items[0].comment, '价格透明，没有乱加项目');
    assert.equal(list.body.rating, 4.17);
    assertProblem(await api('GET', '/api/v1/providers/01nosuchprovider00000000000/reviews'), 404);

    // replies: the provider's admin yes, a stranger no, another provider's review no
    const url = `/api/v1/providers/${provider.providerId}/reviews/${rev.body.id}/reply`;
    assertProblem(await api('POST', url, { token: stranger.token, body: { text: 'hi' } }), 403);
    assertProblem(await api('POST', url, { token: provider.admin.token, body: {} }), 422, 'text');
    const other = await newApprovedProvider();
    assertProblem(await api('POST', `/api/v1/providers/${other.providerId}/reviews/${rev.body.id}/reply`, {
      token: other.admin.token, body: { text: '谢谢' } }), 404);
    const reply = await api('POST', url, { token: provider.admin.token, body: { text: '感谢您的信任！' } });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.reply, '感谢您的信任！');
  });

  test('lists page newest first with a cursor', async (t) => {
    if (!enabled) return t.skip('orders module not in this build');
    const provider = await newApprovedProvider();
    const owner = await newOwner();
    const ctx = { owner, vehicle: await newVehicle(owner), provider };
    const ids = [];
    for (const rating of [3, 4]) {
      const id = await completedOrder(ctx);
      const rev = await api('POST', `/api/v1/orders/${id}/review`, { token: owner.token, body: { rating } });
      assert.equal(rev.status, 201);
      ids.push(rev.body.id);
    }
    const first = await api('GET', `/api/v1/providers/${provider.providerId}/reviews?limit=1`);
    assert.deepEqual(first.body.items.map((r) => r.id), [ids[1]]);
    assert.ok(first.body.next_cursor);
    const second = await api('GET', `/api/v1/providers/${provider.providerId}/reviews?limit=1&cursor=${first.body.next_cursor}`);
    assert.deepEqual(second.body.items.map((r) => r.id), [ids[0]]);
    assert.equal(second.body.next_cursor, null);
    assert.equal(second.body.review_count, 2);
  });
});
