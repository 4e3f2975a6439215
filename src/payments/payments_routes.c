/* POST /api/v1/payments/webhook: a gateway confirms a payment or a refund. The signature is
 * checked over the raw bytes before anything else; each event id takes effect once; what the
 * money does to the order is the orders module's hook, in the same transaction. */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "core/module.h"
#include "core/router.h"
#include "payments/payments.h"
#include "payments/payments_store.h"
#include "payments/sandbox_gateway.h"
#include "payments/signature.h"

const struct payments_hooks *payments_hooks_get(void);

#define EVENT_ID_MAX 64

struct webhook_args {
    const char *event_id, *type, *payment_id;
    int64_t amount_fen;
    const char *result;        /* out: applied | flagged | ignored | duplicate | failed */
    const char *reason;        /* out: why flagged or ignored */
};

static int apply_event(struct ps_db_conn *c, struct webhook_args *a, const struct payment_row *p)
{
    const struct payments_hooks *h = payments_hooks_get();
    bool is_refund_event = strcmp(a->type, "refund.succeeded") == 0;
    if (is_refund_event != (strcmp(p->kind, "refund") == 0)) {
        a->result = "ignored";
        a->reason = "event type does not match the payment's kind";
        return 0;
    }
    if (strcmp(p->status, "pending") != 0) {
        a->result = "ignored";
        a->reason = "the payment was settled already";
        return 0;
    }
    int64_t now = ps_now_ms();
    bool changed = false;
    int rc;
    if (strcmp(a->type, "payment.failed") == 0) {
        rc = payments_store_settle(c, p->id, "failed", NULL, now, &changed);
        if (rc == 0 && changed && h && h->payment_failed)
            rc = h->payment_failed(c, p->order_id, p->id);
        a->result = "failed";
        return rc;
    }
    /* Money that does not match what was asked is never applied: flag it for a person. */
    int outcome = 0;
    if (a->amount_fen != p->amount_fen) {
        outcome = PAYMENTS_FLAG;
        a->reason = "amount differs from the payment";
    } else if (!is_refund_event) {
        outcome = h && h->payment_succeeded
            ? h->payment_succeeded(c, p->order_id, p->id, a->amount_fen, &a->reason) : 0;
    } else {
        outcome = h && h->refund_succeeded
            ? h->refund_succeeded(c, p->order_id, p->id, a->amount_fen, p->fee_fen) : 0;
    }
    if (outcome < 0)
        return outcome;
    if (outcome == PAYMENTS_FLAG) {
        rc = payments_store_settle(c, p->id, "flagged", a->reason ? a->reason : "not applicable",
                                   now, &changed);
        a->result = "flagged";
        ps_logf(PS_LOG_WARN, "payment %s flagged: %s", p->id, a->reason ? a->reason : "");
        return rc;
    }
    a->result = "applied";
    return payments_store_settle(c, p->id, "succeeded", NULL, now, &changed);
}

static int webhook_tx(struct ps_db_conn *c, void *arg)
{
    struct webhook_args *a = arg;
    bool fresh = false;
    int rc = payments_store_event_insert(c, a->event_id, a->type, a->payment_id, a->amount_fen,
                                         ps_now_ms(), &fresh);
    if (rc)
        return rc;
    if (!fresh) {
        a->result = "duplicate";
        return 0;
    }
    struct payment_row p;
    rc = payments_store_get(c, a->payment_id, &p);
    if (rc == PS_E_NOT_FOUND) {
        a->result = "ignored";
        a->reason = "unknown payment";
    } else if (rc) {
        return rc;
    } else {
        rc = apply_event(c, a, &p);
        if (rc)
            return rc;
    }
    return payments_store_event_result(c, a->event_id, a->result);
}

static int webhook(struct ps_req *r)
{
    const char *why = NULL;
    int64_t now_s = ps_now_ms() / 1000;
    if (signature_verify(ps_app()->cfg->webhook_secret, ps_req_header(r, "Pitstop-Signature"),
                         r->body ? r->body : "", r->body_len, now_s, &why))
        return ps_reply_problem(r, PS_E_BAD_REQUEST, "%s", why);

    json_error_t jerr;
    json_t *ev = r->body_len ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!ev || !json_is_object(ev)) {
        json_decref(ev);
        return ps_reply_problem(r, PS_E_BAD_JSON, "the event must be a JSON object");
    }
    static const char *const types[] = { "payment.succeeded", "payment.failed",
                                         "refund.succeeded", NULL };
    static const struct ps_param event_params[] = {
        { "id", PS_STRING, PS_REQUIRED, .min = 1, .max = EVENT_ID_MAX },
        { "type", PS_ENUM, PS_REQUIRED, .choices = types },
        { "payment_id", PS_ID, PS_REQUIRED, .description = "the payment or refund id" },
        { "amount_fen", PS_INT, PS_REQUIRED, .min = 0, .max = 1000000000000LL },
        { "created", PS_INT, 0, .description = "when the gateway made the event (unix s)" },
        PS_PARAM_END
    };
    ps_params_check(ev, event_params, "", &r->errs);
    if (r->errs.n) {
        json_decref(ev);
        return PS_E_VALIDATION;
    }
    struct webhook_args a = {
        .event_id = ps_arena_strdup(&r->arena, ps_json_str(ev, "id", "")),
        .type = ps_arena_strdup(&r->arena, ps_json_str(ev, "type", "")),
        .payment_id = ps_arena_strdup(&r->arena, ps_json_str(ev, "payment_id", "")),
        .amount_fen = ps_json_int(ev, "amount_fen", 0),
    };
    json_decref(ev);
    int rc = ps_db_write(ps_app()->db, webhook_tx, &a);
    if (rc)
        return rc;
    json_t *out = json_pack("{s:b, s:s}", "received", 1, "result", a.result ? a.result : "ignored");
    if (a.reason)
        json_object_set_new(out, "reason", json_string(a.reason));
    return ps_reply_json(r, 200, out);
}

static const struct ps_route payments_routes[] = {
    { PS_POST, "/api/v1/payments/webhook", webhook, PS_RAW | PS_PUBLIC,
      .summary = "Gateway webhook (signed with Pitstop-Signature: t=<unix>,v1=<hex HMAC-SHA256>)",
      .tag = "payments", .response = "WebhookReceipt", .errors = "400,422" },
    PS_ROUTE_END
};

static const struct ps_job payments_jobs[] = {
    { "sandbox-gateway-deliver", 200, sandbox_deliver_job },
    PS_JOB_END
};

static void payments_schemas(json_t *schemas)
{
    json_object_set_new(schemas, "WebhookReceipt", json_pack(
        "{s:s, s:[s,s], s:{s:{s:s}, s:{s:s, s:[s,s,s,s,s]}, s:{s:s}}}",
        "type", "object", "required", "received", "result",
        "properties",
        "received", "type", "boolean",
        "result", "type", "string", "enum", "applied", "flagged", "ignored", "duplicate", "failed",
        "reason", "type", "string"));
    json_object_set_new(schemas, "Payment", json_pack(
        "{s:s, s:[s,s], s:{s:{s:s}, s:{s:s, s:[s,s,s,s]}, s:{s:s}}}",
        "type", "object", "required", "payment_id", "status",
        "properties",
        "payment_id", "type", "string",
        "status", "type", "string", "enum", "pending", "succeeded", "failed", "flagged",
        "amount_fen", "type", "integer"));
}

const struct ps_module ps_module_payments = {
    .name = "payments",
    .routes = payments_routes,
    .schemas = payments_schemas,
    .jobs = payments_jobs,
};
