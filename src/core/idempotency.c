/* Idempotency keys, stored in the database so that every node of a cluster agrees. */
#include "core/idempotency.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"

enum outcome { FRESH, REPLAY, MISMATCH, IN_FLIGHT };

struct begin_tx {
    const struct ps_idem *st;
    bool read_only;            /* PS_IDEMPOTENT_TX: look only, the handler records the key */
    const char *hash;
    long long now;
    enum outcome outcome;
    int status;
    char *content_type;
    char *body;
};

static const char SQL_FIND[] =
    "SELECT request_hash, state, status, content_type, body, created_at "
    "FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2";
static const char SQL_INSERT[] =
    "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, state, created_at) "
    "VALUES ($1, $2, $3, 'in_flight', $4)";
static const char SQL_RETAKE[] =
    "UPDATE idempotency_keys SET request_hash = $3, state = 'in_flight', status = NULL, "
    "content_type = NULL, body = NULL, created_at = $4 WHERE user_id = $1 AND idem_key = $2";
static const char SQL_DONE[] =
    "UPDATE idempotency_keys SET state = 'done', status = $3, content_type = $4, body = $5 "
    "WHERE user_id = $1 AND idem_key = $2";
static const char SQL_FORGET[] =
    "DELETE FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2";
static const char SQL_PURGE[] = "DELETE FROM idempotency_keys WHERE created_at < $1";

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }
static void record_after(struct ps_req *r, struct ps_idem *st);

static int reserve(struct ps_db_conn *c, struct begin_tx *tx, const char *sql)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, tx->st->user);
    ps_db_bind_text(s, 2, tx->st->key);
    ps_db_bind_text(s, 3, tx->hash);
    ps_db_bind_int64(s, 4, tx->now);
    rc = ps_db_step(s);
    ps_db_reset(s);
    tx->outcome = FRESH;
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

static int begin_fn(struct ps_db_conn *c, void *arg)
{
    struct begin_tx *tx = arg;
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_FIND, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, tx->st->user);
    ps_db_bind_text(s, 2, tx->st->key);
    rc = ps_db_step(s);
    if (rc != PS_DB_ROW) {
        ps_db_reset(s);
        if (rc < 0)
            return ps_db_err_to_ps(rc);
        return tx->read_only ? (tx->outcome = FRESH, 0) : reserve(c, tx, SQL_INSERT);
    }
    bool same = strcmp(ps_db_col_text(s, 0), tx->hash) == 0;
    bool done = strcmp(ps_db_col_text(s, 1), "done") == 0;
    long long created = ps_db_col_int64(s, 5);
    if (done && same) {
        tx->status = (int)ps_db_col_int64(s, 2);
        tx->content_type = dup_or_null(ps_db_col_text(s, 3));
        tx->body = dup_or_null(ps_db_col_text(s, 4));
    }
    ps_db_reset(s);
    bool expired = created < tx->now - PS_IDEM_TTL_MS;
    bool stale = !done && created < tx->now - PS_IDEM_STALE_MS;
    if (expired || stale) {
        free(tx->content_type);
        free(tx->body);
        tx->content_type = tx->body = NULL;
        return tx->read_only ? (tx->outcome = FRESH, 0) : reserve(c, tx, SQL_RETAKE);
    }
    tx->outcome = !same ? MISMATCH : done ? REPLAY : IN_FLIGHT;
    return 0;
}

static bool key_is_sane(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > PS_IDEM_KEY_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (k[i] < 0x21 || k[i] > 0x7e)
            return false;
    return true;
}

/* SHA-256 over method, path and body: "the same request" for the 422 rule. */
static void request_hash(const struct ps_req *r, char out[65])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    const char *m = ps_method_name(r->method);
    crypto_hash_sha256_update(&h, (const unsigned char *)m, strlen(m) + 1);
    crypto_hash_sha256_update(&h, (const unsigned char *)r->path, strlen(r->path) + 1);
    if (r->body_len)
        crypto_hash_sha256_update(&h, (const unsigned char *)r->body, r->body_len);
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

int ps_idem_begin(struct ps_req *r, struct ps_idem *st)
{
    memset(st, 0, sizeof *st);
    const char *key = ps_req_header(r, "Idempotency-Key");
    if (!key)
        return PS_IDEM_PROCEED;
    if (!key_is_sane(key)) {
        ps_errs_add(&r->errs, "Idempotency-Key", "must be 1 to %d visible ASCII characters", PS_IDEM_KEY_MAX);
        return PS_E_VALIDATION;
    }
    snprintf(st->user, sizeof st->user, "%s", ps_req_user(r));
    snprintf(st->key, sizeof st->key, "%s", key);
    request_hash(r, st->hash);
    st->in_tx = (r->route->flags & PS_IDEMPOTENT_TX) != 0;
    struct begin_tx tx = { .st = st, .hash = st->hash, .now = ps_now_ms(), .read_only = st->in_tx };
    int rc;
    if (st->in_tx) {            /* a read: the handler's own transaction claims the key */
        struct ps_db_conn *c = ps_db_reader(ps_app()->db);
        rc = begin_fn(c, &tx);
        ps_db_release(c);
    } else {
        rc = ps_db_write(ps_app()->db, begin_fn, &tx);
    }
    if (rc < 0) {
        free(tx.content_type);
        free(tx.body);
        return rc;
    }
    switch (tx.outcome) {
    case FRESH:
        st->active = true;
        r->idem = st;
        return PS_IDEM_PROCEED;
    case MISMATCH:
        return PS_E_IDEMPOTENCY_REUSE;
    case IN_FLIGHT:
        return PS_E_IDEMPOTENCY_BUSY;
    case REPLAY:
        break;
    }
    const char *body = tx.body ? tx.body : "";
    ps_reply_raw(r, tx.status, tx.content_type ? ps_arena_strdup(&r->arena, tx.content_type) : NULL,
                 body, strlen(body));
    ps_reply_header(r, "Idempotent-Replayed", "true");
    free(tx.content_type);
    free(tx.body);
    return PS_IDEM_REPLAYED;
}

struct finish_tx { const struct ps_idem *st; const struct ps_req *r; };

static int finish_fn(struct ps_db_conn *c, void *arg)
{
    struct finish_tx *tx = arg;
    bool keep = tx->r->status < 500;
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, keep ? SQL_DONE : SQL_FORGET, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, tx->st->user);
    ps_db_bind_text(s, 2, tx->st->key);
    if (keep) {
        ps_db_bind_int64(s, 3, tx->r->status);
        ps_db_bind_text(s, 4, tx->r->resp_type);
        ps_db_bind_text(s, 5, tx->r->resp_body ? tx->r->resp_body : "");
    }
    rc = ps_db_step(s);
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

void ps_idem_finish(struct ps_req *r, struct ps_idem *st)
{
    if (!st->active)
        return;
    if (st->in_tx && r->status < 500) {
        /* Recorded with the handler's writes, or an answer given before any write (a 4xx):
         * remember that one too, so the same request gets the same answer. */
        if (!st->recorded)
            record_after(r, st);
        return;
    }
    struct finish_tx tx = { st, r };
    if (ps_db_write(ps_app()->db, finish_fn, &tx) < 0)
        ps_log_warn("could not record the reply of Idempotency-Key for %s", r->path);
}

static const char SQL_RECORD[] =
    "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, state, status, content_type, "
    "body, created_at) VALUES ($1, $2, $3, 'done', $4, $5, $6, $7) "
    "ON CONFLICT (user_id, idem_key) DO UPDATE SET request_hash = excluded.request_hash, "
    "state = 'done', status = excluded.status, content_type = excluded.content_type, "
    "body = excluded.body, created_at = excluded.created_at "
    "WHERE idempotency_keys.created_at < $8";

/* Insert the key as answered; an existing row is replaced only when it has expired, so a
 * concurrent request with the same key that committed first makes this one lose. */
static int record_row(struct ps_db_conn *c, const struct ps_idem *st, int status,
                      const char *content_type, const char *body)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_RECORD, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    long long now = ps_now_ms();
    ps_db_bind_text(s, 1, st->user);
    ps_db_bind_text(s, 2, st->key);
    ps_db_bind_text(s, 3, st->hash);
    ps_db_bind_int64(s, 4, status);
    ps_db_bind_text(s, 5, content_type);
    ps_db_bind_text(s, 6, body ? body : "");
    ps_db_bind_int64(s, 7, now);
    ps_db_bind_int64(s, 8, now - PS_IDEM_TTL_MS);
    rc = ps_db_step(s);
    int64_t changed = rc == PS_DB_DONE ? ps_db_changes(s) : 0;
    ps_db_reset(s);
    if (rc < 0)
        return ps_db_err_to_ps(rc);
    return changed == 1 ? 0 : PS_E_IDEMPOTENCY_BUSY;
}

int ps_idem_record(struct ps_db_conn *c, struct ps_req *r, int status, const char *body)
{
    struct ps_idem *st = r->idem;
    if (!st || !st->active || !st->in_tx)
        return 0;
    int rc = record_row(c, st, status, "application/json", body);
    if (rc == 0)
        st->recorded = true;
    return rc;
}

struct record_after_tx { const struct ps_req *r; const struct ps_idem *st; };

static int record_after_fn(struct ps_db_conn *c, void *arg)
{
    struct record_after_tx *tx = arg;
    int rc = record_row(c, tx->st, tx->r->status, tx->r->resp_type, tx->r->resp_body);
    return rc == PS_E_IDEMPOTENCY_BUSY ? 0 : rc;   /* someone answered first: keep theirs */
}

static void record_after(struct ps_req *r, struct ps_idem *st)
{
    struct record_after_tx tx = { r, st };
    if (ps_db_write(ps_app()->db, record_after_fn, &tx) < 0)
        ps_log_warn("could not record the reply of Idempotency-Key for %s", r->path);
}

static int purge_fn(struct ps_db_conn *c, void *arg)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_PURGE, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, *(long long *)arg);
    rc = ps_db_step(s);
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

int ps_idem_purge(void)
{
    long long cutoff = ps_now_ms() - PS_IDEM_TTL_MS;
    return ps_db_write(ps_app()->db, purge_fn, &cutoff);
}
