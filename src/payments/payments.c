/* Starting payments and refunds: the record in the payments table and the request handed to
 * the gateway, in the caller's transaction. Also the gateway registry and the orders hooks. */
#include "payments/payments.h"

#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/router.h"
#include "payments/payments_store.h"
#include "payments/sandbox_gateway.h"

static const struct payments_hooks *hooks;

void payments_set_hooks(const struct payments_hooks *h) { hooks = h; }
const struct payments_hooks *payments_hooks_get(void);
const struct payments_hooks *payments_hooks_get(void) { return hooks; }

const struct payments_gateway *payments_gateway_for(const char *method)
{
    const struct ps_app *app = ps_app();
    if (method && strcmp(method, "sandbox") == 0 && app && app->cfg && app->cfg->sandbox_gateway)
        return &sandbox_gateway;
    return NULL;
}

static void brief_from(const struct payment_row *p, struct payment_brief *out)
{
    snprintf(out->id, sizeof out->id, "%s", p->id);
    snprintf(out->status, sizeof out->status, "%s", p->status);
    out->amount_fen = p->amount_fen;
}

int payments_start(struct ps_db_conn *c, const char *method, const char *order_id,
                   int64_t amount_fen, const char *outcome, struct payment_brief *out)
{
    const struct payments_gateway *gw = payments_gateway_for(method);
    if (!gw)
        return PS_E_VALIDATION;
    if (amount_fen <= 0)
        return PS_E_INVALID_STATE;
    struct payment_row p;
    int rc = payments_store_pending_for_order(c, order_id, &p);
    if (rc == 0 && p.amount_fen == amount_fen && strcmp(p.method, method) == 0) {
        brief_from(&p, out);          /* the same request again: the payment already started */
        return 0;
    }
    if (rc && rc != PS_E_NOT_FOUND)
        return rc;
    memset(&p, 0, sizeof p);
    ps_id_new(p.id);
    snprintf(p.order_id, sizeof p.order_id, "%s", order_id);
    snprintf(p.kind, sizeof p.kind, "payment");
    snprintf(p.method, sizeof p.method, "%s", method);
    p.amount_fen = amount_fen;
    snprintf(p.status, sizeof p.status, "pending");
    rc = payments_store_insert(c, &p, ps_now_ms());
    if (rc)
        return rc;
    rc = gw->create_payment(c, p.id, order_id, amount_fen, outcome);
    if (rc)
        return rc;
    brief_from(&p, out);
    return 0;
}

int payments_start_refund(struct ps_db_conn *c, const char *order_id, int64_t refund_fen,
                          int64_t fee_fen, struct payment_brief *out)
{
    char method[16];
    int rc = payments_store_paid_method(c, order_id, method, sizeof method);
    if (rc)
        return rc;
    const struct payments_gateway *gw = payments_gateway_for(method[0] ? method : "sandbox");
    if (!gw) {
        ps_log_error("refund for order %s: gateway '%s' is not available", order_id, method);
        return PS_E_UNAVAILABLE;
    }
    struct payment_row p = { 0 };
    ps_id_new(p.id);
    snprintf(p.order_id, sizeof p.order_id, "%s", order_id);
    snprintf(p.kind, sizeof p.kind, "refund");
    snprintf(p.method, sizeof p.method, "%s", gw->method);
    p.amount_fen = refund_fen;
    p.fee_fen = fee_fen;
    snprintf(p.status, sizeof p.status, "pending");
    rc = payments_store_insert(c, &p, ps_now_ms());
    if (rc)
        return rc;
    rc = gw->refund(c, p.id, order_id, refund_fen);
    if (rc)
        return rc;
    brief_from(&p, out);
    return 0;
}
