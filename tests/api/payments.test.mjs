// Payments (SPEC §6): the sandbox gateway confirms by a signed webhook to the server itself;
// the webhook refuses bad signatures and stale timestamps, applies each event once, flags
// money that does not match; refunds on cancellation go through the gateway and the ledger.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { api, assertProblem, newOwner } from './lib.mjs';
import {
  WEBHOOK_SECRET, getOrder, newProvider, newVehicle, orderIn, payAndWait, placeOrder, sendWebhook,
  signature, slotSoon, waitFor, waitStatus,
} from './orders_fixtures.mjs';

let ctx;
before(async () => {
  const owner = await newOwner();
  ctx = { owner, vehicle: await newVehicle(owner), provider: await newProvider({ bays: 3 }) };
});

// Start a payment the test settles itself (sandbox_outcome: manual), as a real gateway would.
async function manualPayment(orderId, owner = ctx.owner) {
  const res = await api('POST', `/api/v1/orders/${orderId}/pay`, {
    token: owner.token, headers: { 'idempotency-key': randomUUID() },
    body: { method: 'sandbox', sandbox_outcome: 'manual' },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.status, 'pending');
  assert.ok(res.body.payment_id);
  return res.body;
}

const event = (p, over = {}) => ({ id: `evt_${randomUUID()}`, type: 'payment.succeeded', payment_id: p.payment_id, amount_fen: p.amount_fen, ...over });

describe('sandbox gateway', () => {
  test('pay -> {payment_id, status: pending} -> paid by the loopback webhook', async () => {
    const id = await orderIn('pending_payment', ctx);
    const res = await api('POST', `/api/v1/orders/${id}/pay`, {
      token: ctx.owner.token, headers: { 'idempotency-key': randomUUID() }, body: { method: 'sandbox' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'pending');
    assert.equal(res.body.amount_fen, 30000);
    const o = await waitStatus(ctx.owner, id, 'paid');
    assert.equal(o.paid_fen, 30000);
    assert.equal(o.outstanding_fen, 0);
    assert.equal(o.pay_before, null);
    // nothing left to pay
    assertProblem(await api('POST', `/api/v1/orders/${id}/pay`, { token: ctx.owner.token, body: { method: 'sandbox' } }), 409);
  });

  test('Idempotency-Key on pay replays the same payment', async () => {
    const id = await orderIn('pending_payment', ctx);
    const key = randomUUID();
    const body = { method: 'sandbox', sandbox_outcome: 'manual' };
    const a = await api('POST', `/api/v1/orders/${id}/pay`, { token: ctx.owner.token, headers: { 'idempotency-key': key }, body });
    const b = await api('POST', `/api/v1/orders/${id}/pay`, { token: ctx.owner.token, headers: { 'idempotency-key': key }, body });
    assert.equal(b.headers.get('idempotent-replayed'), 'true');
    assert.equal(a.body.payment_id, b.body.payment_id);
    const c = await api('POST', `/api/v1/orders/${id}/pay`, { token: ctx.owner.token, headers: { 'idempotency-key': key }, body: { method: 'sandbox' } });
    assertProblem(c, 422);
  });

  test('a failed payment leaves the order unpaid and says so', async () => {
    const id = await orderIn('pending_payment', ctx);
    const res = await api('POST', `/api/v1/orders/${id}/pay`, {
      token: ctx.owner.token, body: { method: 'sandbox', sandbox_outcome: 'fail' },
    });
    assert.equal(res.status, 200);
    await waitFor(async () => (await getOrder(ctx.owner, id)).body.timeline.some((e) => e.text === 'Payment failed'),
      { what: 'payment failure on the timeline' });
    assert.equal((await getOrder(ctx.owner, id)).body.status, 'pending_payment');
  });

  test('unknown method -> 422', async () => {
    const id = await orderIn('pending_payment', ctx);
    assertProblem(await api('POST', `/api/v1/orders/${id}/pay`, { token: ctx.owner.token, body: { method: 'cash' } }), 422, 'method');
  });
});

describe('webhook', () => {
  test('bad signature -> 400, nothing applied', async () => {
    const id = await orderIn('pending_payment', ctx);
    const p = await manualPayment(id);
    const ev = event(p);
    assertProblem(await sendWebhook(ev, { secret: 'not-the-secret' }), 400);
    assertProblem(await sendWebhook(ev, { sig: 'garbage' }), 400);
    assertProblem(await sendWebhook(ev, { sig: '' }), 400);
    const raw = JSON.stringify(ev);
    // signed body, then a tampered body
    const sig = signature(raw);
    const tampered = await api('POST', '/api/v1/payments/webhook', {
      body: raw.replace(String(p.amount_fen), String(p.amount_fen + 1)), headers: { 'pitstop-signature': sig },
    });
    assertProblem(tampered, 400);
    assert.equal((await getOrder(ctx.owner, id)).body.status, 'pending_payment');
  });

  test('timestamp more than 300 s away -> 400', async () => {
    const id = await orderIn('pending_payment', ctx);
    const p = await manualPayment(id);
    const now = Math.floor(Date.now() / 1000);
    assertProblem(await sendWebhook(event(p), { t: now - 301 }), 400);
    assertProblem(await sendWebhook(event(p), { t: now + 301 }), 400);
    assert.equal((await getOrder(ctx.owner, id)).body.status, 'pending_payment');
    // inside the window it is fine
    const ok = await sendWebhook(event(p), { t: now - 200 });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.result, 'applied');
  });

  test('the same event id again -> 200 with no second effect', async () => {
    const id = await orderIn('pending_payment', ctx);
    const p = await manualPayment(id);
    const ev = event(p);
    const first = await sendWebhook(ev);
    assert.equal(first.status, 200);
    assert.equal(first.body.result, 'applied');
    const again = await sendWebhook(ev);
    assert.equal(again.status, 200);
    assert.equal(again.body.result, 'duplicate');
    // a different event for the settled payment does nothing either
    const other = await sendWebhook(event(p));
    assert.equal(other.status, 200);
    assert.equal(other.body.result, 'ignored');
    const o = (await getOrder(ctx.owner, id)).body;
    assert.equal(o.status, 'paid');
    assert.equal(o.paid_fen, 30000);
    assert.equal(o.timeline.filter((e) => e.status === 'paid').length, 1);
  });

  test('amount different from what the order owes -> flagged, not applied', async () => {
    const id = await orderIn('pending_payment', ctx);
    const p = await manualPayment(id);
    const res = await sendWebhook(event(p, { amount_fen: p.amount_fen - 1 }));
    assert.equal(res.status, 200);
    assert.equal(res.body.result, 'flagged');
    const o = (await getOrder(ctx.owner, id)).body;
    assert.equal(o.status, 'pending_payment');
    assert.equal(o.paid_fen, 0);
    // a flagged payment is settled: a later correct event for it is not applied either
    const later = await sendWebhook(event(p));
    assert.equal(later.body.result, 'ignored');
    // the owner can pay again with a new payment
    const p2 = await manualPayment(id);
    assert.notEqual(p2.payment_id, p.payment_id);
    assert.equal((await sendWebhook(event(p2))).body.result, 'applied');
    assert.equal((await getOrder(ctx.owner, id)).body.status, 'paid');
  });

  test('malformed events: 422 once the signature holds; unknown payment ignored', async () => {
    const bad = await sendWebhook({ id: 'evt_x', type: 'payment.refunded', amount_fen: -5 });
    assertProblem(bad, 422, 'type');
    assertProblem(bad, 422, 'payment_id');
    assertProblem(bad, 422, 'amount_fen');
    const unknown = await sendWebhook({ id: `evt_${randomUUID()}`, type: 'payment.succeeded', payment_id: '00000000000000000000000000', amount_fen: 1 });
    assert.equal(unknown.status, 200);
    assert.equal(unknown.body.result, 'ignored');
    const notJson = await api('POST', '/api/v1/payments/webhook', { body: 'nope', headers: { 'pitstop-signature': signature('nope') } });
    assertProblem(notJson, 400);
    assert.ok(WEBHOOK_SECRET.length > 0, 'tests/run.sh exports PITSTOP_PAYMENT_WEBHOOK_SECRET');
  });
});

describe('cancellation and refunds', () => {
  test('owner cancels an unpaid order: no refund, slot released', async () => {
    const id = await orderIn('pending_payment', ctx);
    const res = await api('POST', `/api/v1/orders/${id}/cancel`, { token: ctx.owner.token, body: {} });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'cancelled');
    assert.equal(res.body.refund, undefined);
    assertProblem(await api('POST', `/api/v1/orders/${id}/cancel`, { token: ctx.owner.token, body: {} }), 409);
    assertProblem(await api('POST', `/api/v1/orders/${id}/pay`, { token: ctx.owner.token, body: { method: 'sandbox' } }), 409);
  });

  test('owner cancels more than 2 h before the slot: full refund through the gateway', async () => {
    const id = await orderIn('paid', ctx);
    const res = await api('POST', `/api/v1/orders/${id}/cancel`, {
      token: ctx.owner.token, headers: { 'idempotency-key': randomUUID() }, body: { reason: '临时有事' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.refund.amount_fen, 30000);
    assert.equal(res.body.refund.fee_fen, 0);
    const o = await waitStatus(ctx.owner, id, 'refunded');
    assert.equal(o.refunded_fen, 30000);
    assert.equal(o.fee_fen, 0);
    assert.equal(o.cancel_reason, '临时有事');
  });

  test('owner cancels within 2 h: 20% fee (max 5,000 fen) is kept', async () => {
    const provider = await newProvider({ bays: 1, labor_fen: 5000, parts_fen: 5000, duration_min: 30 });
    const r = await placeOrder(ctx.owner, ctx.vehicle, provider, slotSoon(40));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await payAndWait(ctx.owner, r.body.id);
    const res = await api('POST', `/api/v1/orders/${r.body.id}/cancel`, { token: ctx.owner.token, body: {} });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.fee_fen, 2000);
    assert.equal(res.body.refund.amount_fen, 8000);
    const o = await waitStatus(ctx.owner, r.body.id, 'refunded');
    assert.equal(o.refunded_fen, 8000);
  });

  test('the fee is capped at 5,000 fen', async () => {
    const provider = await newProvider({ bays: 1, labor_fen: 50000, parts_fen: 50000, duration_min: 30 });
    const r = await placeOrder(ctx.owner, ctx.vehicle, provider, slotSoon(40));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await payAndWait(ctx.owner, r.body.id);
    const res = await api('POST', `/api/v1/orders/${r.body.id}/cancel`, { token: ctx.owner.token, body: {} });
    assert.equal(res.body.fee_fen, 5000);
    assert.equal(res.body.refund.amount_fen, 95000);
  });

  test("provider cancels: always a full refund, and the owner is told", async () => {
    const provider = await newProvider({ bays: 1, duration_min: 30 });
    const r = await placeOrder(ctx.owner, ctx.vehicle, provider, slotSoon(40));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await payAndWait(ctx.owner, r.body.id);
    const acc = await api('POST', `/api/v1/orders/${r.body.id}/accept`, { token: provider.admin.token });
    assert.equal(acc.status, 200);
    const res = await api('POST', `/api/v1/orders/${r.body.id}/cancel`, { token: provider.admin.token, body: { reason: '设备故障' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.cancelled_by, 'provider');
    assert.equal(res.body.fee_fen, 0);
    assert.equal(res.body.refund.amount_fen, 30000);
    await waitStatus(ctx.owner, r.body.id, 'refunded');
    await waitFor(async () => {
      const n = await api('GET', '/api/v1/notifications?limit=100', { token: ctx.owner.token });
      return n.body.items.some((x) => x.kind === 'order.cancelled' && x.payload.order_id === r.body.id);
    }, { what: 'the owner to be told' });
  });

  test('the ledger stays balanced through payments, refunds and completion', async () => {
    const op = await (await import('./lib.mjs')).operator();
    const tb = await api('GET', '/api/v1/admin/ledger/trial-balance', { token: op.token });
    assert.equal(tb.status, 200, JSON.stringify(tb.body));
    assert.equal(tb.body.debit_fen, tb.body.credit_fen);
    assert.ok(tb.body.debit_fen > 0, 'payments and refunds were posted');
  });
});
