/* The ledger's SQL. Sums are CAST to BIGINT so both backends hand back integers (PostgreSQL's
 * SUM(bigint) is numeric). Lines are written before their entry row: the entry row's trigger
 * refuses it unless its lines balance, and the deferred foreign key refuses lines without it. */
#include "ledger/ledger_store.h"

#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/router.h"
#include "ledger/rates.h"

static const char SQL_HAS_COLUMN_SQLITE[] =
    "SELECT count(*) FROM pragma_table_info($1) WHERE name = $2";
static const char SQL_HAS_COLUMN_PG[] =
    "SELECT count(*) FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2";
static const char SQL_RATE[] = "SELECT commission_bps FROM service_types WHERE code = $1";
static const char SQL_ORDER_TYPE[] = "SELECT service_type FROM orders WHERE id = $1";
static const char SQL_FIND[] =
    "SELECT amount_fen FROM ledger_entries WHERE kind = $1 AND subject_id = $2 AND reference = $3";
static const char SQL_BALANCE[] =
    "SELECT CAST(coalesce(sum(credit_fen - debit_fen), 0) AS BIGINT) FROM ledger_lines"
    " WHERE account = $1";
static const char SQL_BALANCE_ORDER[] =
    "SELECT CAST(coalesce(sum(credit_fen - debit_fen), 0) AS BIGINT) FROM ledger_lines"
    " WHERE order_id = $2 AND account = $1";
static const char SQL_LINE[] =
    "INSERT INTO ledger_lines (entry_id, line_no, account, order_id, debit_fen, credit_fen, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)";
/* Create the row at zero, then move it: the CHECK then judges the new balance, never the
 * delta (an upsert would check the row it proposes to insert). */
static const char SQL_PAYABLE_OPEN[] =
    "INSERT INTO ledger_payable_balances (provider_id, balance_fen, updated_at) VALUES ($1, 0, $2)"
    " ON CONFLICT (provider_id) DO NOTHING";
static const char SQL_PAYABLE_ADD[] =
    "UPDATE ledger_payable_balances SET balance_fen = balance_fen + $2, updated_at = $3"
    " WHERE provider_id = $1";
/* A no-op update: it takes the row lock on PostgreSQL (concurrent payouts of one provider
 * queue here and each sees the balance the previous one left), and is a plain read on SQLite,
 * whose single writer already orders them. */
static const char SQL_PAYABLE_LOCK[] =
    "UPDATE ledger_payable_balances SET balance_fen = balance_fen WHERE provider_id = $1"
    " RETURNING balance_fen";
static const char SQL_ENTRY[] =
    "INSERT INTO ledger_entries (id, kind, subject_id, reference, order_id, provider_id, amount_fen,"
    " total_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
static const char SQL_TRIAL[] =
    "SELECT account, CAST(coalesce(sum(debit_fen), 0) AS BIGINT),"
    " CAST(coalesce(sum(credit_fen), 0) AS BIGINT) FROM ledger_lines GROUP BY account ORDER BY account";
static const char SQL_SUM_SPLIT[] =
    "SELECT CAST(coalesce(sum(CASE WHEN l.account = 'platform_revenue' THEN l.credit_fen - l.debit_fen"
    " ELSE 0 END), 0) AS BIGINT),"
    " CAST(coalesce(sum(CASE WHEN l.account = $2 THEN l.credit_fen - l.debit_fen ELSE 0 END), 0) AS BIGINT)"
    " FROM ledger_entries e JOIN ledger_lines l ON l.entry_id = e.id"
    " WHERE e.provider_id = $1 AND e.kind IN ('completion', 'refund')"
    " AND e.created_at >= $3 AND e.created_at < $4";
static const char SQL_SUM_COMPLETED[] =
    "SELECT count(*) FROM ledger_entries WHERE provider_id = $1 AND kind = 'completion'"
    " AND created_at >= $2 AND created_at < $3";
static const char SQL_SUM_PAID_OUT[] =
    "SELECT CAST(coalesce(sum(amount_fen), 0) AS BIGINT) FROM ledger_entries"
    " WHERE provider_id = $1 AND kind = 'payout' AND created_at >= $2 AND created_at < $3";
static const char SQL_SUM_BALANCE[] =
    "SELECT CAST(coalesce(sum(credit_fen - debit_fen), 0) AS BIGINT) FROM ledger_lines"
    " WHERE account = $1 AND created_at < $2";
static const char SQL_PROVIDER[] = "SELECT 1 FROM providers WHERE id = $1";

static int db_rc(int rc) { return rc < 0 ? ps_db_err_to_ps(rc) : 0; }

/* Binds each argument: text when t[i] is 's', int64 when 'i'. */
static int bind_all(struct ps_db_stmt *s, const char *types, const char *const *texts,
                    const int64_t *ints)
{
    for (int i = 0; types[i]; i++) {
        int rc = types[i] == 's' ? ps_db_bind_text(s, i + 1, texts[i])
                                 : ps_db_bind_int64(s, i + 1, ints[i]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* A query with one integer result (0 when there is no row). */
static int query_int(struct ps_db_conn *c, const char *sql, const char *types,
                     const char *const *texts, const int64_t *ints, int64_t *out, bool *found)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    *out = 0;
    if (found)
        *found = false;
    if (rc < 0)
        return db_rc(rc);
    if ((rc = bind_all(s, types, texts, ints)) == 0)
        rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        *out = ps_db_col_int64(s, 0);
        if (found)
            *found = true;
        rc = 0;
    }
    ps_db_reset(s);
    return db_rc(rc);
}

static bool has_column(struct ps_db_conn *c, const char *table, const char *column)
{
    const struct ps_app *app = ps_app();
    bool pg = app && app->db && ps_db_backend(app->db) == PS_DB_POSTGRES;
    const char *texts[] = { table, column };
    int64_t n = 0;
    return query_int(c, pg ? SQL_HAS_COLUMN_PG : SQL_HAS_COLUMN_SQLITE, "ss", texts, NULL, &n,
                     NULL) == 0 && n > 0;
}

int ledger_store_commission_bps(struct ps_db_conn *c, const char *service_type, int *bps)
{
    *bps = LEDGER_DEFAULT_COMMISSION_BPS;
    if (!service_type || !*service_type)
        return 0;
    /* The table's absence is checked in the schema first: on PostgreSQL a failed statement
     * would abort the caller's transaction. Without the table, the embedded catalog. */
    if (!has_column(c, "service_types", "commission_bps")) {
        ledger_catalog_rate(service_type, bps);
        return 0;
    }
    const char *texts[] = { service_type };
    int64_t v = 0;
    bool found = false;
    int rc = query_int(c, SQL_RATE, "s", texts, NULL, &v, &found);
    if (rc == 0 && found)
        *bps = ledger_rate_or_default(v);
    else if (rc == 0)
        ledger_catalog_rate(service_type, bps);
    return rc;
}

int ledger_store_order_service_type(struct ps_db_conn *c, const char *order_id, char *out,
                                    size_t outlen)
{
    out[0] = 0;
    if (!order_id || !has_column(c, "orders", "service_type"))
        return 0;
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_ORDER_TYPE, &s);
    if (rc < 0)
        return db_rc(rc);
    if ((rc = ps_db_bind_text(s, 1, order_id)) == 0 && (rc = ps_db_step(s)) == PS_DB_ROW) {
        const char *t = ps_db_col_text(s, 0);
        snprintf(out, outlen, "%s", t ? t : "");
        rc = 0;
    }
    ps_db_reset(s);
    return db_rc(rc);
}

int ledger_store_find_entry(struct ps_db_conn *c, enum ledger_kind kind, const char *subject_id,
                            const char *reference, bool *found, int64_t *amount)
{
    const char *texts[] = { ledger_kind_name(kind), subject_id, reference };
    return query_int(c, SQL_FIND, "sss", texts, NULL, amount, found);
}

int ledger_store_credit_balance(struct ps_db_conn *c, const char *account, const char *order_id,
                                int64_t *balance)
{
    const char *texts[] = { account, order_id };
    return order_id ? query_int(c, SQL_BALANCE_ORDER, "ss", texts, NULL, balance, NULL)
                    : query_int(c, SQL_BALANCE, "s", texts, NULL, balance, NULL);
}

int ledger_store_payable_balance(struct ps_db_conn *c, const char *provider_id, int64_t *balance)
{
    const char *texts[] = { provider_id };
    return query_int(c, SQL_PAYABLE_LOCK, "s", texts, NULL, balance, NULL);
}

int ledger_store_post(struct ps_db_conn *c, const struct ledger_entry *e, const char *subject_id,
                      const char *reference, const char *order_id, const char *provider_id,
                      int64_t now_ms, char entry_id_out[PS_ID_LEN + 1])
{
    char id[PS_ID_LEN + 1];
    int64_t total = 0;
    int rc = 0;
    ps_id_new(id);
    for (int i = 0; i < e->nlines && rc == 0; i++) {
        const struct ledger_line *l = &e->lines[i];
        const char *texts[] = { id, NULL, l->account, order_id, NULL, NULL, NULL };
        const int64_t ints[] = { 0, i + 1, 0, 0, l->debit_fen, l->credit_fen, now_ms };
        struct ps_db_stmt *s;
        total += l->debit_fen;
        if ((rc = ps_db_prepare(c, SQL_LINE, &s)) < 0)
            return db_rc(rc);
        if ((rc = bind_all(s, "sissiii", texts, ints)) == 0)
            rc = ps_db_step(s);
        ps_db_reset(s);
        rc = db_rc(rc);
        if (rc == 0 && strncmp(l->account, LEDGER_PAYABLE, strlen(LEDGER_PAYABLE)) == 0) {
            /* A negative result violates the table's CHECK: the database's own backstop. */
            const char *pt[] = { l->account + strlen(LEDGER_PAYABLE), NULL, NULL };
            const int64_t open_i[] = { 0, now_ms };
            const int64_t pi[] = { 0, l->credit_fen - l->debit_fen, now_ms };
            if ((rc = ps_db_prepare(c, SQL_PAYABLE_OPEN, &s)) < 0)
                return db_rc(rc);
            if ((rc = bind_all(s, "si", pt, open_i)) == 0)
                rc = ps_db_step(s);
            ps_db_reset(s);
            if (rc < 0)
                return db_rc(rc);
            if ((rc = ps_db_prepare(c, SQL_PAYABLE_ADD, &s)) < 0)
                return db_rc(rc);
            if ((rc = bind_all(s, "sii", pt, pi)) == 0)
                rc = ps_db_step(s);
            ps_db_reset(s);
            rc = db_rc(rc);
        }
    }
    if (rc)
        return rc;
    struct ps_db_stmt *s;
    const char *texts[] = { id, ledger_kind_name(e->kind), subject_id, reference, order_id,
                            provider_id, NULL, NULL, NULL };
    const int64_t ints[] = { 0, 0, 0, 0, 0, 0, e->amount_fen, total, now_ms };
    if ((rc = ps_db_prepare(c, SQL_ENTRY, &s)) < 0)
        return db_rc(rc);
    if ((rc = bind_all(s, "ssssssiii", texts, ints)) == 0)
        rc = ps_db_step(s);
    ps_db_reset(s);
    if (rc >= 0 && entry_id_out)
        memcpy(entry_id_out, id, sizeof id);
    return db_rc(rc);
}

int ledger_store_trial_balance(struct ps_db_conn *c, json_t *accounts, int64_t *debit_total,
                               int64_t *credit_total)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_TRIAL, &s);
    *debit_total = *credit_total = 0;
    if (rc < 0)
        return db_rc(rc);
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        int64_t d = ps_db_col_int64(s, 1), cr = ps_db_col_int64(s, 2);
        *debit_total += d;
        *credit_total += cr;
        json_array_append_new(accounts, json_pack("{s:s, s:I, s:I, s:I}",
                                                  "account", ps_db_col_text(s, 0),
                                                  "debit_fen", (json_int_t)d, "credit_fen", (json_int_t)cr,
                                                  "balance_fen", (json_int_t)(d - cr)));
    }
    ps_db_reset(s);
    return db_rc(rc);
}

int ledger_store_provider_summary(struct ps_db_conn *c, const char *provider_id, int64_t from_ms,
                                  int64_t to_ms, struct ledger_summary *out)
{
    char payable[LEDGER_ACCOUNT_LEN];
    ledger_payable_account(provider_id, payable);
    memset(out, 0, sizeof *out);

    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_SUM_SPLIT, &s);
    if (rc < 0)
        return db_rc(rc);
    const char *t4[] = { provider_id, payable, NULL, NULL };
    const int64_t i4[] = { 0, 0, from_ms, to_ms };
    if ((rc = bind_all(s, "ssii", t4, i4)) == 0 && (rc = ps_db_step(s)) == PS_DB_ROW) {
        out->commission_fen = ps_db_col_int64(s, 0);
        out->net_fen = ps_db_col_int64(s, 1);
        out->gross_fen = out->commission_fen + out->net_fen;
        rc = 0;
    }
    ps_db_reset(s);
    if ((rc = db_rc(rc)))
        return rc;

    const char *t3[] = { provider_id, NULL, NULL };
    const int64_t i3[] = { 0, from_ms, to_ms };
    if ((rc = query_int(c, SQL_SUM_COMPLETED, "sii", t3, i3, &out->orders, NULL)) ||
        (rc = query_int(c, SQL_SUM_PAID_OUT, "sii", t3, i3, &out->paid_out_fen, NULL)))
        return rc;
    const char *t2[] = { payable, NULL };
    const int64_t i2[] = { 0, to_ms };
    return query_int(c, SQL_SUM_BALANCE, "si", t2, i2, &out->balance_fen, NULL);
}

int ledger_store_provider_exists(struct ps_db_conn *c, const char *provider_id, bool *exists)
{
    *exists = false;
    if (!has_column(c, "providers", "id"))
        return 0;
    const char *texts[] = { provider_id };
    int64_t one;
    return query_int(c, SQL_PROVIDER, "s", texts, NULL, &one, exists);
}
