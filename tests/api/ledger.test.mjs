// Money (SPEC §6): the trial balance, a provider's finance summary and payouts, and — when the
// orders module is in the build — the ledger through whole orders: payment, completion with
// the service type's commission, a cancellation fee, payouts with Idempotency-Key.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, assertProblem, newOwner, operator } from './lib.mjs';
import { addStaff, newProvider, newVehicle, orderIn, payAndWait, placeOrder, sendWebhook, slotSoon, waitStatus } from './orders_fixtures.mjs';
import { sql } from './provider_lib.mjs';

const FAKE_PROVIDER = '01jzzzzzzzzzzzzzzzzzzzzzzz';

async function trialBalance() {
  const op = await operator();
  const res = await api('GET', '/api/v1/admin/ledger/trial-balance', { token: op.token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

function account(tb, name) {
  return tb.accounts.find((a) => a.account === name) || { debit_fen: 0, credit_fen: 0, balance_fen: 0 };
}

async function summary(who, providerId, query = '') {
  return api('GET', `/api/v1/providers/${providerId}/finance/summary${query}`, { token: who.token });
}

async function payout(who, providerId, amount_fen, key = randomUUID()) {
  return api('POST', `/api/v1/providers/${providerId}/payouts`, {
    token: who.token, headers: { 'idempotency-key': key }, body: { amount_fen },
  });
}

async function providersAvailable() {
  const res = await api('GET', '/api/v1/orders', { token: (await newOwner()).token });
  return res.status === 200;
}

describe('trial balance', () => {
  test('operator and analyst only; debits equal credits, per account too', async () => {
    const tb = await trialBalance();
    assert.equal(tb.debit_fen, tb.credit_fen);
    assert.ok(Array.isArray(tb.accounts));
    let d = 0, c = 0;
    for (const a of tb.accounts) {
      assert.equal(typeof a.account, 'string');
      assert.equal(a.balance_fen, a.debit_fen - a.credit_fen);
      d += a.debit_fen;
      c += a.credit_fen;
    }
    assert.equal(d, tb.debit_fen);
    assert.equal(c, tb.credit_fen);
    const owner = await newOwner();
    assertProblem(await api('GET', '/api/v1/admin/ledger/trial-balance', { token: owner.token }), 403);
    assertProblem(await api('GET', '/api/v1/admin/ledger/trial-balance'), 401);
  });
});

describe('finance summary and payouts: access and validation', () => {
  test('strangers and unknown providers get 404, bad input 422', async () => {
    const owner = await newOwner();
    assertProblem(await summary(owner, FAKE_PROVIDER), 404);
    assertProblem(await summary(owner, 'not-an-id'), 404);
    assertProblem(await payout(owner, FAKE_PROVIDER, 100), 404);
    const op = await operator();
    assertProblem(await payout(op, FAKE_PROVIDER, 100), 404);
    assertProblem(await summary(op, FAKE_PROVIDER), 404);   // finance figures are the provider's own
    assertProblem(await api('GET', `/api/v1/providers/${FAKE_PROVIDER}/finance/summary`), 401);
    assertProblem(await summary(owner, FAKE_PROVIDER, '?from=2026-13-01'), 422, 'from');
    assertProblem(await summary(owner, FAKE_PROVIDER, '?to=yesterday'), 422, 'to');
    assertProblem(await payout(owner, FAKE_PROVIDER, 0), 422, 'amount_fen');
    assertProblem(await payout(owner, FAKE_PROVIDER, -5), 422, 'amount_fen');
    assertProblem(await payout(owner, FAKE_PROVIDER, 1.5), 422, 'amount_fen');
    assertProblem(await api('POST', `/api/v1/providers/${FAKE_PROVIDER}/payouts`, {
      token: owner.token, body: { amount_fen: 100, extra: 1 },
    }), 422, 'extra');
  });
});

describe('money through whole orders', () => {
  let ctx;
  before(async () => {
    if (!(await providersAvailable())) return;
    const owner = await newOwner();
    ctx = { owner, vehicle: await newVehicle(owner) };
  });

  test('payment, completion, commission, payout, cancellation fee', async (t) => {
    if (!ctx) return t.skip('orders module not in this build');
    // brake_pads carries a 16% commission in the catalog
    const provider = await newProvider({ service_type: 'brake_pads', labor_fen: 12345, parts_fen: 20000 });
    const c = { ...ctx, provider };
    const admin = provider.admin;
    const finance = await addStaff(provider, 'finance');
    const tech = await addStaff(provider, 'technician');
    const stranger = (await newProvider()).admin;

    let s = await summary(admin, provider.providerId);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.deepEqual(s.body, { orders: 0, gross_fen: 0, commission_fen: 0, net_fen: 0, paid_out_fen: 0, balance_fen: 0 });
    assertProblem(await summary(tech, provider.providerId), 404);
    assertProblem(await summary(stranger, provider.providerId), 404);
    assertProblem(await payout(admin, provider.providerId, 1), 409);   // nothing to pay out yet

    const before = await trialBalance();
    const id = await orderIn('in_service', c);
    const done = await api('POST', `/api/v1/orders/${id}/complete`, {
      token: admin.token,
      body: { odometer_km: 23456, parts: [{ name: '前刹车片', qty: 1, price_fen: 20000 }], technician: '王技师' },
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const total = 32345;
    const commission = Math.floor((total * 1600 + 5000) / 10000);   // 5175.2 -> 5175
    const net = total - commission;

    s = await summary(finance, provider.providerId);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.deepEqual(s.body, { orders: 1, gross_fen: total, commission_fen: commission, net_fen: net, paid_out_fen: 0, balance_fen: net });

    const after = await trialBalance();
    assert.equal(after.debit_fen, after.credit_fen);
    assert.equal(account(after, `provider_payable:${provider.providerId}`).balance_fen, -net);
    assert.equal(account(after, 'platform_revenue').balance_fen - account(before, 'platform_revenue').balance_fen <= -commission, true);

    // payouts: never more than the balance; Idempotency-Key replays the first answer
    assertProblem(await payout(finance, provider.providerId, net + 1), 409);
    assertProblem(await payout(tech, provider.providerId, 100), 404);
    const key = randomUUID();
    const p1 = await payout(finance, provider.providerId, 10000, key);
    assert.equal(p1.status, 201, JSON.stringify(p1.body));
    assert.equal(p1.body.amount_fen, 10000);
    assert.equal(p1.body.balance_fen, net - 10000);
    assert.equal(p1.body.provider_id, provider.providerId);
    const p2 = await payout(finance, provider.providerId, 10000, key);
    assert.equal(p2.status, 201);
    assert.equal(p2.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(p2.body, p1.body);
    assertProblem(await payout(finance, provider.providerId, 10001, key), 422);   // same key, other body
    const op = await operator();
    const p3 = await payout(op, provider.providerId, 1000);   // the operator may pay out too
    assert.equal(p3.status, 201, JSON.stringify(p3.body));

    // a cancellation within 2 h keeps 20% (max 5,000 fen) for the provider, less commission
    const r = await placeOrder(ctx.owner, ctx.vehicle, provider, slotSoon(40));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await payAndWait(ctx.owner, r.body.id);
    const cancel = await api('POST', `/api/v1/orders/${r.body.id}/cancel`, { token: ctx.owner.token, body: {} });
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
    assert.equal(cancel.body.fee_fen, 5000);
    await waitStatus(ctx.owner, r.body.id, 'refunded');
    const feeCommission = 800;   // 16% of 5,000
    s = await summary(admin, provider.providerId);
    assert.deepEqual(s.body, {
      orders: 1, gross_fen: total + 5000, commission_fen: commission + feeCommission,
      net_fen: net + 5000 - feeCommission, paid_out_fen: 11000, balance_fen: net + 5000 - feeCommission - 11000,
    });

    // the period filter: nothing happened yesterday; today (UTC+08:00) holds it all
    const day = (offset) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
    s = await summary(admin, provider.providerId, `?from=${day(-3)}&to=${day(-1)}`);
    assert.deepEqual(s.body, { orders: 0, gross_fen: 0, commission_fen: 0, net_fen: 0, paid_out_fen: 0, balance_fen: 0 });
    s = await summary(admin, provider.providerId, `?from=${day(0)}&to=${day(0)}`);
    assert.equal(s.body.gross_fen, total + 5000);
    assertProblem(await summary(admin, provider.providerId, `?from=${day(1)}&to=${day(0)}`), 422, 'from');

    // concurrent payouts never overdraw: of 8 racing for a third of the balance each, 3 win
    const balance = net + 5000 - feeCommission - 11000;
    const third = Math.floor(balance / 3);
    const race = await Promise.all(Array.from({ length: 8 }, () => payout(finance, provider.providerId, third)));
    assert.deepEqual(race.map((x) => x.status).sort(), [201, 201, 201, 409, 409, 409, 409, 409], JSON.stringify(race.map((x) => x.body)));
    s = await summary(admin, provider.providerId);
    assert.equal(s.body.balance_fen, balance - 3 * third);
    assert.equal(s.body.paid_out_fen, 11000 + 3 * third);

    const end = await trialBalance();
    assert.equal(end.debit_fen, end.credit_fen);
    for (const a of end.accounts) {
      if (a.account === 'gateway_clearing') assert.ok(a.balance_fen >= 0, 'gateway clearing holds money');
      else assert.ok(a.balance_fen <= 0, `${a.account} never goes into debit`);
    }
  });

  test('a replayed payment webhook posts nothing twice', async (t) => {
    if (!ctx) return t.skip('orders module not in this build');
    const provider = await newProvider();
    const placed = await placeOrder(ctx.owner, ctx.vehicle, provider);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const id = placed.body.id;
    const pay = await api('POST', `/api/v1/orders/${id}/pay`, {
      token: ctx.owner.token, headers: { 'idempotency-key': randomUUID() }, body: { method: 'sandbox' },
    });
    assert.equal(pay.status, 200, JSON.stringify(pay.body));
    await waitStatus(ctx.owner, id, 'paid');
    const entries = () => sql(`SELECT kind, amount_fen, total_fen FROM ledger_entries WHERE subject_id = '${id}' ORDER BY kind`);
    const once = entries();
    assert.deepEqual(once, [['payment', String(placed.body.total_fen), String(placed.body.total_fen)]]);
    // the gateway delivers payment.succeeded again, under a new event id and the same one
    for (const eventId of [`evt_${randomUUID()}`, `evt_${randomUUID()}`]) {
      const event = { id: eventId, type: 'payment.succeeded', payment_id: pay.body.payment_id, amount_fen: placed.body.total_fen };
      const res = await sendWebhook(event);
      assert.ok(res.status < 500, JSON.stringify(res.body));
      assert.equal((await sendWebhook(event)).status, 200);
    }
    assert.deepEqual(entries(), once);
    assert.deepEqual(sql('SELECT count(*) FROM ledger_unbalanced_entries'), [['0']]);
    const tb = await trialBalance();
    assert.equal(tb.debit_fen, tb.credit_fen);
  });
});
