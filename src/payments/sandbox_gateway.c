/* The sandbox gateway. create_payment/refund only queue a webhook row in the caller's
 * transaction (so a payment is never announced for a rolled-back order); the delivery job
 * claims due rows, signs each body at send time and POSTs it to the server's own listener. */
#include "payments/sandbox_gateway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "payments/http_post.h"
#include "payments/payments_store.h"
#include "payments/signature.h"

#define SANDBOX_BATCH 16
#define SANDBOX_MAX_ATTEMPTS 12

static int queue_event(struct ps_db_conn *c, const char *type, const char *payment_id,
                       int64_t amount_fen)
{
    char event_id[PS_ID_LEN + 5] = "evt_";
    ps_id_new(event_id + 4);
    json_t *body = json_pack("{s:s, s:s, s:s, s:I}", "id", event_id, "type", type,
                             "payment_id", payment_id, "amount_fen", (json_int_t)amount_fen);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text)
        return PS_E_NOMEM;
    int rc = payments_store_sandbox_queue(c, event_id, payment_id, text, ps_now_ms());
    free(text);
    return rc;
}

static int sandbox_create_payment(struct ps_db_conn *c, const char *payment_id,
                                  const char *order_id, int64_t amount_fen, const char *outcome)
{
    (void)order_id;
    if (outcome && strcmp(outcome, "manual") == 0)
        return 0;        /* the caller plays the gateway and sends the webhook itself */
    const char *type = outcome && strcmp(outcome, "fail") == 0 ? "payment.failed" : "payment.succeeded";
    return queue_event(c, type, payment_id, amount_fen);
}

static int sandbox_refund(struct ps_db_conn *c, const char *refund_id, const char *order_id,
                          int64_t amount_fen)
{
    (void)order_id;
    return queue_event(c, "refund.succeeded", refund_id, amount_fen);
}

const struct payments_gateway sandbox_gateway = {
    .method = "sandbox",
    .create_payment = sandbox_create_payment,
    .refund = sandbox_refund,
};

struct claim_args { int64_t now; struct sandbox_webhook rows[SANDBOX_BATCH]; int n; };

static int claim_tx(struct ps_db_conn *c, void *arg)
{
    struct claim_args *a = arg;
    return payments_store_sandbox_claim(c, a->now, a->rows, SANDBOX_BATCH, &a->n);
}

struct settle_args { const char *id; int64_t now, next_at; bool done; };

static int settle_tx(struct ps_db_conn *c, void *arg)
{
    struct settle_args *a = arg;
    if (a->done)
        return payments_store_sandbox_done(c, a->id, a->now);
    return payments_store_sandbox_retry(c, a->id, a->next_at);
}

/* Loopback address for a listener bound to every interface. */
static const char *target_host(const struct ps_config *cfg)
{
    const char *h = cfg->listen_host;
    if (!h[0] || strcmp(h, "0.0.0.0") == 0 || strcmp(h, "*") == 0)
        return "127.0.0.1";
    if (strcmp(h, "::") == 0 || strcmp(h, "[::]") == 0)
        return "::1";
    return h;
}

int sandbox_deliver_job(const struct ps_app *app)
{
    if (!app->cfg->sandbox_gateway)
        return 0;
    struct claim_args a = { .now = ps_now_ms() };
    bool any = false;
    struct ps_db_conn *c = ps_db_reader(app->db);
    int rc = payments_store_sandbox_due(c, a.now, &any);
    ps_db_release(c);
    if (rc || !any)
        return rc;
    rc = ps_db_write(app->db, claim_tx, &a);
    if (rc)
        return rc;
    for (int i = 0; i < a.n; i++) {
        const char *body = a.rows[i].body;
        char sig[SIGNATURE_HEADER_MAX];
        int status = PS_E_INTERNAL;
        if (signature_header(app->cfg->webhook_secret, ps_now_ms() / 1000, body, strlen(body),
                             sig, sizeof sig) == 0)
            status = http_post_json(target_host(app->cfg), app->cfg->listen_port,
                                    "/api/v1/payments/webhook", "Pitstop-Signature", sig,
                                    body, strlen(body));
        struct settle_args s = { .id = a.rows[i].id, .now = ps_now_ms() };
        s.done = (status >= 200 && status < 300) || a.rows[i].attempts >= SANDBOX_MAX_ATTEMPTS;
        if (!(status >= 200 && status < 300))
            ps_logf(s.done ? PS_LOG_ERROR : PS_LOG_WARN,
                    "sandbox gateway: webhook %s answered %d (attempt %d)%s", a.rows[i].id,
                    status, a.rows[i].attempts, s.done ? ", giving up" : "");
        /* Backoff: 1 s, 2 s, 4 s ... capped at a minute. */
        int shift = a.rows[i].attempts < 6 ? a.rows[i].attempts : 6;
        s.next_at = s.now + (1000LL << (shift - 1 < 0 ? 0 : shift - 1));
        if (s.next_at - s.now > 60000)
            s.next_at = s.now + 60000;
        ps_db_write(app->db, settle_tx, &s);
    }
    payments_store_sandbox_free(a.rows, a.n);
    return 0;
}
