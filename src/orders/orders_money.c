/* What money does to an order: the payment hooks the webhook runs (paid, failed, refunded)
 * and the job that expires unpaid holds. Each runs inside one write transaction with the
 * ledger entry and the notifications, so they all happen or none does. */
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "ledger/ledger.h"
#include "orders/orders_internal.h"
#include "payments/payments.h"
#include "providers/slots.h"

static int on_paid(struct ps_db_conn *c, const char *order_id, const char *payment_id,
                   int64_t amount_fen, const char **reason)
{
    struct order_row o;
    int rc = orders_store_get_for_update(c, order_id, &o);
    if (rc == PS_E_NOT_FOUND) {
        *reason = "unknown order";
        return PAYMENTS_FLAG;
    }
    if (rc)
        return rc;
    if (!order_accepts_payment(o.status)) {
        *reason = "the order no longer takes payments (expired or cancelled): refund by hand";
        return PAYMENTS_FLAG;
    }
    int64_t due = order_outstanding_fen(o.total_fen, o.extras_fen, o.paid_fen);
    if (amount_fen != due) {
        *reason = "amount differs from what the order owes";
        return PAYMENTS_FLAG;
    }
    enum order_state was = o.status;
    int64_t was_paid = o.paid_fen;
    int64_t now = ps_now_ms();
    bool first = was == OS_PENDING_PAYMENT;
    if (first) {
        rc = order_transition_check(was, OS_PAID, OA_SYSTEM);
        if (rc == 0)
            rc = providers_confirm_slot(c, o.id);
        if (rc == PS_E_SLOT_FULL) {
            /* Paid after the hold ran out, and the bay went to someone else meanwhile: never
             * overbook; the money waits for a person (refund) and the order will expire. */
            *reason = "the hold ran out and the slot was taken meanwhile: refund by hand";
            return PAYMENTS_FLAG;
        }
        if (rc)
            return rc;
        o.status = OS_PAID;
        o.pay_before = 0;
    }
    o.paid_fen += amount_fen;
    o.updated_at = now;
    rc = orders_store_update(c, &o, was, was_paid);
    if (rc == 0)
        rc = ledger_post_payment(c, o.id, o.provider_id, payment_id, amount_fen);
    char text[128];
    snprintf(text, sizeof text, "%s of %lld fen received", first ? "Payment" : "Supplementary payment",
             (long long)amount_fen);
    if (rc == 0)
        rc = orders_store_event(c, o.id, first ? "status" : "payment", first ? "paid" : NULL, text,
                                NULL, NULL, "system", now);
    if (rc == 0)
        rc = orders_notify_owner(c, &o, "order.paid", text);
    if (rc == 0)
        rc = orders_notify_provider(c, &o, "order.paid",
                                    first ? "New paid order: accept it" : text);
    return rc;
}

static int on_failed(struct ps_db_conn *c, const char *order_id, const char *payment_id)
{
    struct order_row o;
    int rc = orders_store_get(c, order_id, &o);
    if (rc)
        return rc == PS_E_NOT_FOUND ? 0 : rc;
    rc = orders_store_event(c, o.id, "payment", NULL, "Payment failed", NULL, NULL, "system",
                            ps_now_ms());
    if (rc == 0)
        rc = orders_notify_owner(c, &o, "order.payment_failed", "Payment failed: try again");
    return rc;
}

static int on_refunded(struct ps_db_conn *c, const char *order_id, const char *refund_id,
                       int64_t refund_fen, int64_t fee_fen)
{
    struct order_row o;
    int rc = orders_store_get_for_update(c, order_id, &o);
    if (rc)
        return rc == PS_E_NOT_FOUND ? PAYMENTS_FLAG : rc;
    if (order_transition_check(o.status, OS_REFUNDED, OA_SYSTEM) != 0)
        return PAYMENTS_FLAG;
    enum order_state was = o.status;
    int64_t now = ps_now_ms();
    rc = ledger_post_refund(c, o.id, o.provider_id, refund_id, refund_fen, fee_fen);
    if (rc)
        return rc;
    o.status = OS_REFUNDED;
    o.refunded_fen += refund_fen;
    o.updated_at = now;
    rc = orders_store_update(c, &o, was, o.paid_fen);
    char text[128];
    snprintf(text, sizeof text, "Refund of %lld fen sent", (long long)refund_fen);
    if (rc == 0)
        rc = orders_store_event(c, o.id, "status", "refunded", text, NULL, NULL, "system", now);
    if (rc == 0)
        rc = orders_notify_owner(c, &o, "order.refunded", text);
    if (rc == 0)
        rc = orders_notify_provider(c, &o, "order.refunded", text);
    return rc;
}

static const struct payments_hooks hooks = {
    .payment_succeeded = on_paid,
    .payment_failed = on_failed,
    .refund_succeeded = on_refunded,
};

void orders_install_payment_hooks(void)
{
    payments_set_hooks(&hooks);
}

/* --- expiry ------------------------------------------------------------------------ */

#define EXPIRE_BATCH 100

struct expire_args { int expired; bool more; };

static int expire_tx(struct ps_db_conn *c, void *arg)
{
    struct expire_args *a = arg;
    char ids[EXPIRE_BATCH][PS_ID_LEN + 1];
    int n = 0;
    int64_t now = ps_now_ms();
    int rc = orders_store_overdue(c, now, ids, EXPIRE_BATCH, &n);
    if (rc)
        return rc;
    a->more = n == EXPIRE_BATCH;
    for (int i = 0; i < n; i++) {
        bool claimed = false;
        rc = orders_store_expire(c, ids[i], now, &claimed);
        if (rc)
            return rc;
        if (!claimed)
            continue;          /* paid, cancelled or expired by another node meanwhile */
        struct order_row o;
        rc = orders_store_get(c, ids[i], &o);
        if (rc == 0)
            rc = providers_release_slot(c, o.id);
        if (rc == 0)
            rc = orders_store_event(c, o.id, "status", "expired",
                                    "Not paid within 15 minutes: the slot was released", NULL,
                                    NULL, "system", now);
        if (rc == 0)
            rc = orders_notify_owner(c, &o, "order.expired",
                                     "Your order expired unpaid and its slot was released");
        if (rc)
            return rc;
        a->expired++;
    }
    return 0;
}

int orders_expire_job(const struct ps_app *app)
{
    char one[1][PS_ID_LEN + 1];
    int n = 0;
    struct ps_db_conn *c = ps_db_reader(app->db);
    int rc = orders_store_overdue(c, ps_now_ms(), one, 1, &n);
    ps_db_release(c);
    if (rc || n == 0)
        return rc;     /* nothing overdue: leave the writer alone */
    for (int round = 0; round < 20; round++) {
        struct expire_args a = { 0 };
        rc = ps_db_write(app->db, expire_tx, &a);
        if (rc)
            return rc;
        if (a.expired)
            ps_logf(PS_LOG_INFO, "expired %d unpaid orders", a.expired);
        if (!a.more)
            break;
    }
    return 0;
}
