// Orders end to end (SPEC §6): quotes, booking with Idempotency-Key, the state machine, the
// work-order flow with extra items and photos, completion into the verifiable history, and
// access control on every route (another owner, another provider's staff -> 404).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { api, assertProblem, newOwner } from './lib.mjs';
import {
  addStaff, freshSlot, getOrder, newProvider, newVehicle, orderIn, payAndWait, placeOrder, waitStatus,
} from './orders_fixtures.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082', 'hex');

async function uploadPng(who) {
  const boundary = 'b' + randomUUID();
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`),
    PNG, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const res = await api('POST', '/api/v1/uploads', { token: who.token, body, contentType: `multipart/form-data; boundary=${boundary}` });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

let ctx;       // owner + vehicle + provider (bays 2)
let stranger;  // another owner
let rival;     // another provider (its admin is staff elsewhere)

before(async () => {
  const owner = await newOwner();
  const vehicle = await newVehicle(owner);
  const provider = await newProvider({ bays: 2 });
  ctx = { owner, vehicle, provider };
  stranger = await newOwner();
  rival = await newProvider({ bays: 1 });
});

describe('quotes', () => {
  test('up to 3 quotes with the price split, nearest first then cheapest', async () => {
    const res = await api('POST', '/api/v1/quotes', {
      token: ctx.owner.token,
      body: { vehicle_id: ctx.vehicle.id, service_type: 'oil_change', lat: ctx.provider.lat, lng: ctx.provider.lng },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(Array.isArray(res.body.items));
    assert.ok(res.body.items.length >= 1 && res.body.items.length <= 3);
    for (const q of res.body.items) {
      assert.equal(q.labor_fen + q.parts_fen, q.price_fen);
      assert.equal(q.total_fen, q.price_fen - q.discount_fen);
      assert.equal(typeof q.distance_km, 'number');
      assert.ok('next_slot' in q);
      assert.ok(q.provider_id && q.service_id);
    }
    const mine = res.body.items.find((q) => q.provider_id === ctx.provider.providerId);
    if (mine) {
      assert.equal(mine.labor_fen, 10000);
      assert.equal(mine.parts_fen, 20000);
      assert.ok(mine.distance_km < 0.1);
      assert.ok(mine.next_slot === null || !Number.isNaN(Date.parse(mine.next_slot)));
    }
    const prices = res.body.items.map((q) => q.total_fen);
    assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
  });

  test("another owner's vehicle -> 404; bad input -> 422", async () => {
    const res = await api('POST', '/api/v1/quotes', {
      token: stranger.token,
      body: { vehicle_id: ctx.vehicle.id, service_type: 'oil_change', lat: 31.2, lng: 121.4 },
    });
    assertProblem(res, 404);
    const bad = await api('POST', '/api/v1/quotes', { token: ctx.owner.token, body: { vehicle_id: ctx.vehicle.id, lat: 91 } });
    assertProblem(bad, 422, 'lat');
    assertProblem(bad, 422, 'service_type');
    assertProblem(await api('POST', '/api/v1/quotes', { body: {} }), 401);
  });
});

describe('booking', () => {
  test('201 with pending_payment, total and a 15-minute pay_before', async () => {
    const slot = freshSlot();
    const t0 = Date.now();
    const res = await placeOrder(ctx.owner, ctx.vehicle, ctx.provider, slot);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const o = res.body;
    assert.equal(o.status, 'pending_payment');
    assert.equal(o.total_fen, 30000);
    assert.equal(o.labor_fen, 10000);
    assert.equal(o.parts_fen, 20000);
    assert.equal(o.outstanding_fen, 30000);
    assert.equal(Date.parse(o.slot_start), Date.parse(slot));
    const hold = Date.parse(o.pay_before) - t0;
    assert.ok(hold > 14 * 60e3 && hold <= 15 * 60e3 + 5000, `hold ${hold} ms`);
    const got = await getOrder(ctx.owner, o.id);
    assert.equal(got.status, 200);
    assert.equal(got.body.timeline[0].status, 'pending_payment');
  });

  test('Idempotency-Key: same body replays, other body 422, concurrent duplicates never book twice', async () => {
    const key = randomUUID();
    const slot = freshSlot();
    const first = await placeOrder(ctx.owner, ctx.vehicle, ctx.provider, slot, key);
    assert.equal(first.status, 201);
    const again = await placeOrder(ctx.owner, ctx.vehicle, ctx.provider, slot, key);
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.body.id, first.body.id);
    const other = await placeOrder(ctx.owner, ctx.vehicle, ctx.provider, freshSlot(), key);
    assertProblem(other, 422);

    // Five at once with one key: one order; the others are replays or 409 (in flight).
    const k2 = randomUUID();
    const s2 = freshSlot();
    const burst = await Promise.all([...Array(5)].map(() => placeOrder(ctx.owner, ctx.vehicle, ctx.provider, s2, k2)));
    const ids = new Set(burst.filter((r) => r.status === 201).map((r) => r.body.id));
    assert.equal(ids.size, 1, JSON.stringify(burst.map((r) => r.status)));
    for (const r of burst) assert.ok(r.status === 201 || r.status === 409, `status ${r.status}`);
    for (const r of burst.filter((x) => x.status === 409)) assertProblem(r, 409);
    const list = await api('GET', '/api/v1/orders?limit=100', { token: ctx.owner.token });
    const atS2 = list.body.items.filter((o) => Date.parse(o.slot_start) === Date.parse(s2));
    assert.equal(atS2.length, 1);
  });

  test('validation, unknown or foreign references', async () => {
    const bad = await api('POST', '/api/v1/orders', { token: ctx.owner.token, body: { slot_start: 'tomorrow', note: 5 } });
    for (const f of ['vehicle_id', 'provider_id', 'service_id', 'slot_start', 'note']) assertProblem(bad, 422, f);
    const past = await placeOrder(ctx.owner, ctx.vehicle, ctx.provider, '2020-01-01T10:00:00+08:00');
    assertProblem(past, 422, 'slot_start');
    const offGrid = await placeOrder(ctx.owner, ctx.vehicle, ctx.provider, freshSlot().replace(':00:00+', ':10:00+'));
    assertProblem(offGrid, 422, 'slot_start');
    // someone else's car
    const theirs = await placeOrder(stranger, ctx.vehicle, ctx.provider);
    assertProblem(theirs, 404);
    // a service of another provider
    const mixed = await api('POST', '/api/v1/orders', {
      token: ctx.owner.token,
      body: { vehicle_id: ctx.vehicle.id, provider_id: ctx.provider.providerId, service_id: rival.serviceId, slot_start: freshSlot() },
    });
    assertProblem(mixed, 404);
    assertProblem(await api('POST', '/api/v1/orders', { body: {} }), 401);
  });

  test('lists: mine only, newest first, cursor pages, status filter', async () => {
    const owner = await newOwner();
    const vehicle = await newVehicle(owner);
    const made = [];
    for (let i = 0; i < 3; i++) {
      const r = await placeOrder(owner, vehicle, ctx.provider);
      assert.equal(r.status, 201);
      made.push(r.body.id);
    }
    const p1 = await api('GET', '/api/v1/orders?limit=2', { token: owner.token });
    assert.equal(p1.status, 200);
    assert.deepEqual(p1.body.items.map((o) => o.id), [made[2], made[1]]);
    assert.ok(p1.body.next_cursor);
    const p2 = await api('GET', `/api/v1/orders?limit=2&cursor=${p1.body.next_cursor}`, { token: owner.token });
    assert.deepEqual(p2.body.items.map((o) => o.id), [made[0]]);
    assert.equal(p2.body.next_cursor, null);
    const paid = await api('GET', '/api/v1/orders?status=paid', { token: owner.token });
    assert.equal(paid.body.items.length, 0);
    assertProblem(await api('GET', '/api/v1/orders?status=shipped', { token: owner.token }), 422, 'status');
    assertProblem(await api('GET', '/api/v1/orders?limit=1000', { token: owner.token }), 422, 'limit');
    const other = await api('GET', '/api/v1/orders', { token: stranger.token });
    assert.ok(!other.body.items.some((o) => made.includes(o.id)));
  });
});

describe('state machine over HTTP', () => {
  test('staff moves out of order -> 409; owner cannot accept', async () => {
    const id = await orderIn('pending_payment', ctx);
    const adm = ctx.provider.admin.token;
    assertProblem(await api('POST', `/api/v1/orders/${id}/accept`, { token: adm }), 409);
    assertProblem(await api('POST', `/api/v1/orders/${id}/start`, { token: adm }), 409);
    assertProblem(await api('POST', `/api/v1/orders/${id}/complete`, { token: adm, body: { odometer_km: 1, parts: [] } }), 409);
    assertProblem(await api('POST', `/api/v1/orders/${id}/updates`, { token: adm, body: { text: 'x' } }), 409);
    // the owner sees the order but is not its provider's staff
    assertProblem(await api('POST', `/api/v1/orders/${id}/accept`, { token: ctx.owner.token }), 403);
    await payAndWait(ctx.owner, id);
    assertProblem(await api('POST', `/api/v1/orders/${id}/start`, { token: adm }), 409);
    assert.equal((await api('POST', `/api/v1/orders/${id}/accept`, { token: adm })).status, 200);
    assertProblem(await api('POST', `/api/v1/orders/${id}/accept`, { token: adm }), 409);
    assertProblem(await api('POST', `/api/v1/orders/${id}/complete`, { token: adm, body: { odometer_km: 1, parts: [] } }), 409);
    assert.equal((await api('POST', `/api/v1/orders/${id}/start`, { token: adm })).status, 200);
    // once checked in, the owner can no longer cancel
    assertProblem(await api('POST', `/api/v1/orders/${id}/cancel`, { token: ctx.owner.token, body: {} }), 409);
    assertProblem(await api('POST', `/api/v1/orders/${id}/pay`, { token: ctx.owner.token, body: { method: 'sandbox' } }), 409);
  });
});

describe('work order transparency', () => {
  test('paid -> accepted -> in_service -> updates with photos and extra items -> supplement -> completed', async () => {
    const { owner, provider } = ctx;
    const tech = await addStaff(provider, 'technician');
    const id = await orderIn('in_service', ctx);

    const photo = await uploadPng(tech);
    const upd = await api('POST', `/api/v1/orders/${id}/updates`, {
      token: tech.token,
      body: { text: '发现刹车片磨损严重', photo_ids: [photo.id], extra_items: [{ name: '前刹车片', price_fen: 45000 }, { name: '雨刮', price_fen: 8000 }] },
    });
    assert.equal(upd.status, 201, JSON.stringify(upd.body));
    assert.equal(upd.body.extra_items.length, 2);
    const [pads, wipers] = upd.body.extra_items;
    assert.equal(pads.status, 'pending');

    // never charged without approval
    let o = (await getOrder(owner, id)).body;
    assert.equal(o.outstanding_fen, 0);
    assert.equal(o.items.filter((i) => i.status === 'pending').length, 2);
    assert.deepEqual(o.photos.map((p) => p.id), [photo.id]);
    assert.ok(o.photos[0].url.endsWith(photo.id));
    assert.ok(o.timeline.some((e) => e.kind === 'update' && e.photo_ids.includes(photo.id)));
    // the owner sees the photo now that it is attached to their order
    const img = await api('GET', `/api/v1/uploads/${photo.id}`, { token: owner.token });
    assert.equal(img.status, 200);
    assertProblem(await api('GET', `/api/v1/uploads/${photo.id}`, { token: stranger.token }), 404);
    // so do the provider's other staff, and no one at another provider
    assert.equal((await api('GET', `/api/v1/uploads/${photo.id}`, { token: provider.admin.token })).status, 200);
    assertProblem(await api('GET', `/api/v1/uploads/${photo.id}`, { token: rival.admin.token }), 404);

    // completion waits for the owner's decisions
    const early = await api('POST', `/api/v1/orders/${id}/complete`, { token: tech.token, body: { odometer_km: 20500, parts: [] } });
    assertProblem(early, 409);

    const ap = await api('POST', `/api/v1/orders/${id}/extra-items/${pads.id}/approve`, { token: owner.token });
    assert.equal(ap.status, 200, JSON.stringify(ap.body));
    assert.equal(ap.body.status, 'approved');
    assert.equal(ap.body.outstanding_fen, 45000);
    const de = await api('POST', `/api/v1/orders/${id}/extra-items/${wipers.id}/decline`, { token: owner.token });
    assert.equal(de.body.status, 'declined');
    assertProblem(await api('POST', `/api/v1/orders/${id}/extra-items/${wipers.id}/approve`, { token: owner.token }), 409);
    // staff cannot decide for the owner
    assertProblem(await api('POST', `/api/v1/orders/${id}/extra-items/${pads.id}/approve`, { token: tech.token }), 403);
    assertProblem(await api('POST', `/api/v1/orders/${id}/extra-items/${randomUUID()}/approve`, { token: owner.token }), 404);

    o = (await getOrder(owner, id)).body;
    assert.equal(o.outstanding_fen, 45000);
    assert.equal(o.extras_fen, 45000);
    // approved but unpaid: not yet
    assertProblem(await api('POST', `/api/v1/orders/${id}/complete`, { token: tech.token, body: { odometer_km: 20500, parts: [] } }), 409);

    // the supplement is paid the same way
    await api('POST', `/api/v1/orders/${id}/pay`, { token: owner.token, headers: { 'idempotency-key': randomUUID() }, body: { method: 'sandbox' } });
    o = await waitStatus(owner, id, 'in_service');
    const settled = await (async () => {
      for (let i = 0; i < 80; i++) {
        const g = (await getOrder(owner, id)).body;
        if (g.outstanding_fen === 0) return g;
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    })();
    assert.ok(settled, 'supplement confirmed');
    assert.equal(settled.paid_fen, 75000);

    const done = await api('POST', `/api/v1/orders/${id}/complete`, {
      token: tech.token,
      body: { odometer_km: 20500, parts: [{ name: '机油 5W-30', qty: 4, price_fen: 5000 }, { name: '前刹车片', qty: 1, price_fen: 45000 }], technician: '王技师' },
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.status, 'completed');
    assert.equal(typeof done.body.leaf_index, 'number');
    assert.equal(done.body.odometer_km, 20500);

    o = (await getOrder(owner, id)).body;
    const states = o.timeline.filter((e) => e.kind === 'status').map((e) => e.status);
    assert.deepEqual(states, ['pending_payment', 'paid', 'accepted', 'in_service', 'completed']);
    assert.equal(o.leaf_index, done.body.leaf_index);

    // the service record is a leaf of the transparency log
    const leaf = await api('GET', `/api/v1/transparency/leaves/${o.leaf_index}`);
    assert.equal(leaf.status, 200, JSON.stringify(leaf.body));
    {
      const rec = JSON.parse(leaf.body.leaf_data);
      assert.equal(rec.order_id, id);
      assert.equal(rec.vin, ctx.vehicle.vin);
      assert.equal(rec.odometer_km, 20500);
      assert.equal(rec.technician, '王技师');
      assert.equal(rec.parts.length, 2);
    }
    // and part of the car's service history
    const hist = await api('GET', `/api/v1/vehicles/${ctx.vehicle.id}/service-records`, { token: owner.token });
    assert.equal(hist.status, 200);
    assert.ok(JSON.stringify(hist.body).includes(id), JSON.stringify(hist.body));
    // completed is final
    assertProblem(await api('POST', `/api/v1/orders/${id}/cancel`, { token: owner.token, body: {} }), 409);
    assertProblem(await api('POST', `/api/v1/orders/${id}/updates`, { token: tech.token, body: { text: 'late' } }), 409);
  });

  test('photos must be the uploader\'s own and unattached elsewhere', async () => {
    const id = await orderIn('accepted', ctx);
    const strangerPhoto = await uploadPng(stranger);
    const res = await api('POST', `/api/v1/orders/${id}/updates`, {
      token: ctx.provider.admin.token, body: { text: 'photo', photo_ids: [strangerPhoto.id] },
    });
    assertProblem(res, 422, 'photo_ids');
    const bad = await api('POST', `/api/v1/orders/${id}/updates`, {
      token: ctx.provider.admin.token, body: { text: '', extra_items: [{ name: 'x', price_fen: -1 }] },
    });
    assertProblem(bad, 422, 'text');
    assertProblem(bad, 422, 'extra_items[0].price_fen');
  });
});

describe('access control on every route', () => {
  test("another owner and another provider's staff get 404 everywhere", async () => {
    const paidId = await orderIn('paid', ctx);
    const pendingId = await orderIn('pending_payment', ctx);
    const inServiceId = await orderIn('in_service', ctx);
    const upd = await api('POST', `/api/v1/orders/${inServiceId}/updates`, {
      token: ctx.provider.admin.token, body: { text: 'extra', extra_items: [{ name: '空滤', price_fen: 6000 }] },
    });
    const itemId = upd.body.extra_items[0].id;
    const outsiders = [stranger, rival.admin];
    for (const who of outsiders) {
      const t = who.token;
      assertProblem(await api('GET', `/api/v1/orders/${paidId}`, { token: t }), 404);
      assertProblem(await api('POST', `/api/v1/orders/${pendingId}/pay`, { token: t, body: { method: 'sandbox' } }), 404);
      assertProblem(await api('POST', `/api/v1/orders/${pendingId}/cancel`, { token: t, body: {} }), 404);
      assertProblem(await api('POST', `/api/v1/orders/${paidId}/cancel`, { token: t, body: {} }), 404);
      assertProblem(await api('POST', `/api/v1/orders/${paidId}/accept`, { token: t }), 404);
      assertProblem(await api('POST', `/api/v1/orders/${paidId}/start`, { token: t }), 404);
      assertProblem(await api('POST', `/api/v1/orders/${inServiceId}/updates`, { token: t, body: { text: 'hi' } }), 404);
      assertProblem(await api('POST', `/api/v1/orders/${inServiceId}/complete`, { token: t, body: { odometer_km: 1, parts: [] } }), 404);
      assertProblem(await api('POST', `/api/v1/orders/${inServiceId}/extra-items/${itemId}/approve`, { token: t }), 404);
      assertProblem(await api('POST', `/api/v1/orders/${inServiceId}/extra-items/${itemId}/decline`, { token: t }), 404);
      assertProblem(await api('GET', `/api/v1/providers/${ctx.provider.providerId}/orders`, { token: t }), 404);
      const list = await api('GET', '/api/v1/orders', { token: t });
      assert.ok(!list.body.items.some((o) => [paidId, pendingId, inServiceId].includes(o.id)));
    }
    // unknown ids look the same as foreign ones
    assertProblem(await api('GET', '/api/v1/orders/00000000000000000000000000', { token: ctx.owner.token }), 404);
    assertProblem(await api('GET', '/api/v1/orders/not-an-id', { token: ctx.owner.token }), 404);
    // nothing without a token
    for (const [m, p] of [['GET', `/api/v1/orders/${paidId}`], ['POST', `/api/v1/orders/${paidId}/accept`],
      ['GET', `/api/v1/providers/${ctx.provider.providerId}/orders`], ['POST', `/api/v1/orders/${paidId}/cancel`]]) {
      assertProblem(await api(m, p, { body: m === 'POST' ? {} : undefined }), 401);
    }
    // the item still waits: outsiders changed nothing
    const o = (await getOrder(ctx.owner, inServiceId)).body;
    assert.equal(o.items[0].status, 'pending');
    assert.equal((await getOrder(ctx.owner, paidId)).body.status, 'paid');
  });

  test('provider staff see their orders; finance may read but not work', async () => {
    const id = await orderIn('paid', ctx);
    const fin = await addStaff(ctx.provider, 'finance');
    const board = await api('GET', `/api/v1/providers/${ctx.provider.providerId}/orders?status=paid&limit=100`, { token: fin.token });
    assert.equal(board.status, 200);
    assert.ok(board.body.items.some((o) => o.id === id));
    assert.ok(board.body.items.every((o) => o.status === 'paid'));
    assert.equal((await getOrder(fin, id)).status, 200);
    assertProblem(await api('POST', `/api/v1/orders/${id}/accept`, { token: fin.token }), 403);
    const adv = await addStaff(ctx.provider, 'advisor');
    assert.equal((await api('POST', `/api/v1/orders/${id}/accept`, { token: adv.token })).status, 200);
  });
});
