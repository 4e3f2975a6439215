/* SQL of payments, refunds, handled webhook events and the sandbox's webhook queue. */
#include "payments/payments_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"

#define SANDBOX_CLAIM_MS (30 * 1000)   /* a claimed webhook not sent by then is taken again */

static void copy_col(struct ps_db_stmt *s, int col, char *out, size_t outlen)
{
    const char *v = ps_db_col_text(s, col);
    snprintf(out, outlen, "%s", v ? v : "");
}

int payments_store_insert(struct ps_db_conn *c, const struct payment_row *p, int64_t now)
{
    static const char sql[] =
        "INSERT INTO payments (id, order_id, kind, method, amount_fen, fee_fen, status, "
        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, p->id);
    ps_db_bind_text(s, 2, p->order_id);
    ps_db_bind_text(s, 3, p->kind);
    ps_db_bind_text(s, 4, p->method);
    ps_db_bind_int64(s, 5, p->amount_fen);
    ps_db_bind_int64(s, 6, p->fee_fen);
    ps_db_bind_text(s, 7, p->status);
    ps_db_bind_int64(s, 8, now);
    return ps_db_run(s, NULL);
}

#define PAYMENT_COLS "id, order_id, kind, method, amount_fen, fee_fen, status"

static void read_payment(struct ps_db_stmt *s, struct payment_row *out)
{
    copy_col(s, 0, out->id, sizeof out->id);
    copy_col(s, 1, out->order_id, sizeof out->order_id);
    copy_col(s, 2, out->kind, sizeof out->kind);
    copy_col(s, 3, out->method, sizeof out->method);
    out->amount_fen = ps_db_col_int64(s, 4);
    out->fee_fen = ps_db_col_int64(s, 5);
    copy_col(s, 6, out->status, sizeof out->status);
}

static void read_payment_row(struct ps_db_stmt *s, void *out) { read_payment(s, out); }

static int one_payment(struct ps_db_conn *c, const char *sql, const char *arg,
                       struct payment_row *out)
{
    return ps_db_get_by_key(c, sql, arg, read_payment_row, out);
}

int payments_store_get(struct ps_db_conn *c, const char *id, struct payment_row *out)
{
    static const char sql[] = "SELECT " PAYMENT_COLS " FROM payments WHERE id = $1";
    return one_payment(c, sql, id, out);
}

int payments_store_pending_for_order(struct ps_db_conn *c, const char *order_id,
                                     struct payment_row *out)
{
    static const char sql[] =
        "SELECT " PAYMENT_COLS " FROM payments WHERE order_id = $1 AND kind = 'payment' "
        "AND status = 'pending' ORDER BY id DESC LIMIT 1";
    return one_payment(c, sql, order_id, out);
}

int payments_store_paid_method(struct ps_db_conn *c, const char *order_id, char *method, size_t n)
{
    static const char sql[] =
        "SELECT " PAYMENT_COLS " FROM payments WHERE order_id = $1 AND kind = 'payment' "
        "AND status = 'succeeded' ORDER BY id LIMIT 1";
    struct payment_row p;
    int rc = one_payment(c, sql, order_id, &p);
    if (rc == PS_E_NOT_FOUND) {
        snprintf(method, n, "%s", "");
        return 0;
    }
    if (rc == 0)
        snprintf(method, n, "%s", p.method);
    return rc;
}

int payments_store_settle(struct ps_db_conn *c, const char *id, const char *status,
                          const char *flag_reason, int64_t now, bool *changed)
{
    static const char sql[] =
        "UPDATE payments SET status = $2, flag_reason = $3, updated_at = $4 "
        "WHERE id = $1 AND status = 'pending'";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, status);
    ps_db_bind_text(s, 3, flag_reason);
    ps_db_bind_int64(s, 4, now);
    int64_t n = 0;
    rc = ps_db_run(s, &n);
    *changed = n == 1;
    return rc;
}

int payments_store_event_insert(struct ps_db_conn *c, const char *id, const char *type,
                                const char *payment_id, int64_t amount_fen, int64_t now, bool *fresh)
{
    static const char sql[] =
        "INSERT INTO payment_events (id, type, payment_id, amount_fen, result, received_at) "
        "VALUES ($1, $2, $3, $4, 'received', $5) ON CONFLICT (id) DO NOTHING";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, type);
    ps_db_bind_text(s, 3, payment_id);
    ps_db_bind_int64(s, 4, amount_fen);
    ps_db_bind_int64(s, 5, now);
    int64_t n = 0;
    rc = ps_db_run(s, &n);
    *fresh = n == 1;
    return rc;
}

int payments_store_event_result(struct ps_db_conn *c, const char *id, const char *result)
{
    static const char sql[] = "UPDATE payment_events SET result = $2 WHERE id = $1";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, result);
    return ps_db_run(s, NULL);
}

int payments_store_sandbox_queue(struct ps_db_conn *c, const char *event_id,
                                 const char *payment_id, const char *body, int64_t due_at)
{
    static const char sql[] =
        "INSERT INTO sandbox_webhooks (id, payment_id, body, next_at, created_at) "
        "VALUES ($1, $2, $3, $4, $4)";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, event_id);
    ps_db_bind_text(s, 2, payment_id);
    ps_db_bind_text(s, 3, body);
    ps_db_bind_int64(s, 4, due_at);
    return ps_db_run(s, NULL);
}

int payments_store_sandbox_due(struct ps_db_conn *c, int64_t now, bool *any)
{
    static const char sql[] =
        "SELECT id FROM sandbox_webhooks WHERE delivered_at IS NULL AND next_at <= $1 "
        "AND claimed_until < $1 LIMIT 1";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, now);
    rc = ps_db_step(s);
    *any = rc == PS_DB_ROW;
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int payments_store_sandbox_claim(struct ps_db_conn *c, int64_t now, struct sandbox_webhook *out,
                                 int max, int *n)
{
    static const char due[] =
        "SELECT id, body, attempts FROM sandbox_webhooks WHERE delivered_at IS NULL "
        "AND next_at <= $1 AND claimed_until < $1 ORDER BY next_at LIMIT 16";
    /* Only the node whose UPDATE changes the row sends it. */
    static const char claim[] =
        "UPDATE sandbox_webhooks SET claimed_until = $2, attempts = attempts + 1 "
        "WHERE id = $1 AND delivered_at IS NULL AND claimed_until < $3";
    struct ps_db_stmt *s;
    *n = 0;
    int found = 0;
    int rc = ps_db_prepare(c, due, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, now);
    while (found < max && (rc = ps_db_step(s)) == PS_DB_ROW) {
        copy_col(s, 0, out[found].id, sizeof out[found].id);
        const char *body = ps_db_col_text(s, 1);
        out[found].body = strdup(body ? body : "");
        out[found].attempts = (int)ps_db_col_int64(s, 2) + 1;
        if (!out[found].body)
            break;
        found++;
    }
    ps_db_reset(s);
    if (rc < 0) {
        payments_store_sandbox_free(out, found);
        return ps_db_err_to_ps(rc);
    }
    int kept = 0;
    for (int i = 0; i < found; i++) {
        rc = ps_db_prepare(c, claim, &s);
        if (rc) {
            payments_store_sandbox_free(out, found);
            return ps_db_err_to_ps(rc);
        }
        ps_db_bind_text(s, 1, out[i].id);
        ps_db_bind_int64(s, 2, now + SANDBOX_CLAIM_MS);
        ps_db_bind_int64(s, 3, now);
        int64_t changed = 0;
        rc = ps_db_run(s, &changed);
        if (rc) {
            payments_store_sandbox_free(out, found);
            return rc;
        }
        if (changed == 1) {
            out[kept++] = out[i];
        } else {
            free(out[i].body);
        }
    }
    *n = kept;
    return 0;
}

void payments_store_sandbox_free(struct sandbox_webhook *w, int n)
{
    for (int i = 0; i < n; i++) {
        free(w[i].body);
        w[i].body = NULL;
    }
}

int payments_store_sandbox_done(struct ps_db_conn *c, const char *id, int64_t now)
{
    static const char sql[] = "UPDATE sandbox_webhooks SET delivered_at = $2 WHERE id = $1";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_int64(s, 2, now);
    return ps_db_run(s, NULL);
}

int payments_store_sandbox_retry(struct ps_db_conn *c, const char *id, int64_t next_at)
{
    static const char sql[] =
        "UPDATE sandbox_webhooks SET next_at = $2, claimed_until = 0 WHERE id = $1";
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_int64(s, 2, next_at);
    return ps_db_run(s, NULL);
}
