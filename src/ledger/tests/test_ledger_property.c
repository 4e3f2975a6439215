/* Property test of the ledger against a real temporary SQLite database (core db API): thousands
 * of random order histories — payments and supplements, webhook replays, completion, owner or
 * provider cancellation with the SPEC fee, partial refunds before and after completion,
 * payouts (some over the balance) — each step checked against a model computed here
 * independently: after every step total debits equal total credits, the touched balances
 * equal the model's, and no balance that must stay non-negative goes below zero.
 * PS_PROPERTY_SEED and PS_PROPERTY_HISTORIES override the defaults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/router.h"
#include "ledger/ledger.h"
#include "ledger/ledger_internal.h"
#include "ledger/ledger_store.h"
#include "ledger/money.h"

#define NPROV 4
#define HOUR_MS (3600LL * 1000)

static struct ps_app app;
static char dir[] = "/tmp/pitstop-ledger-XXXXXX";

struct service { const char *code; int bps; };
static const struct service services[] = {
    { "oil_change", 1500 }, { "tyre_change", 1800 }, { "bodywork", 2000 },
    { "not_in_catalog", 1500 },   /* falls back to the default rate */
};

struct model {
    int64_t gateway, revenue, payable[NPROV];
    char provider[NPROV][PS_ID_LEN + 1];
};

struct run {
    struct model m;
    uint64_t rng;
    long histories, steps, conflicts;
    /* running totals of every line written, from the database */
    int64_t debits, credits, last_rowid, gateway, revenue, payable[NPROV], order_held;
    char err[512];
    /* the current order */
    char order[PS_ID_LEN + 1];
    int prov;
    const struct service *svc;
    int64_t held, order_rev, order_pay;
};

static uint64_t next(struct run *r)
{
    /* xorshift64*: reproducible from the seed printed at the start. */
    r->rng ^= r->rng >> 12;
    r->rng ^= r->rng << 25;
    r->rng ^= r->rng >> 27;
    return r->rng * 0x2545F4914F6CDD1DULL;
}
static int64_t between(struct run *r, int64_t lo, int64_t hi) { return lo + (int64_t)(next(r) % (uint64_t)(hi - lo + 1)); }
static bool chance(struct run *r, int percent) { return (int)(next(r) % 100) < percent; }

static int failf(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int failf(struct run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(r->err, sizeof r->err, "history %ld step %ld: ", r->histories, r->steps);
    vsnprintf(r->err + n, sizeof r->err - (size_t)n, fmt, ap);
    va_end(ap);
    return PS_E_INTERNAL;
}

static const char SQL_TOTALS[] =
    "SELECT CAST(coalesce(sum(debit_fen), 0) AS BIGINT), CAST(coalesce(sum(credit_fen), 0) AS BIGINT)"
    " FROM ledger_lines";
static const char SQL_NEW_LINES[] =
    "SELECT account, order_id, debit_fen, credit_fen, rowid FROM ledger_lines WHERE rowid > $1"
    " ORDER BY rowid";

/* Full look-ups through the store, every so often (they scan whole accounts). */
static int check_full(struct run *r, struct ps_db_conn *c)
{
    struct ps_db_stmt *s;
    int64_t d = -1, cr = -2, v;
    if (ps_db_prepare(c, SQL_TOTALS, &s) < 0)
        return failf(r, "prepare totals");
    if (ps_db_step(s) == PS_DB_ROW) {
        d = ps_db_col_int64(s, 0);
        cr = ps_db_col_int64(s, 1);
    }
    ps_db_reset(s);
    if (d != cr || d != r->debits)
        return failf(r, "full scan: debits %lld, credits %lld, running %lld", (long long)d,
                     (long long)cr, (long long)r->debits);
    if (ledger_store_credit_balance(c, LEDGER_GATEWAY, NULL, &v) || -v != r->m.gateway)
        return failf(r, "gateway clearing %lld, model %lld", (long long)-v, (long long)r->m.gateway);
    if (ledger_store_credit_balance(c, LEDGER_REVENUE, NULL, &v) || v != r->m.revenue)
        return failf(r, "platform revenue %lld, model %lld", (long long)v, (long long)r->m.revenue);
    for (int p = 0; p < NPROV; p++) {
        char payable[LEDGER_ACCOUNT_LEN];
        ledger_payable_account(r->m.provider[p], payable);
        if (ledger_store_credit_balance(c, payable, NULL, &v) || v != r->m.payable[p])
            return failf(r, "payable %d: %lld, model %lld", p, (long long)v, (long long)r->m.payable[p]);
    }
    return 0;
}

/* The checks after every step: the lines written since the last step are added to running
 * balances (lines are append-only, so this equals a full scan), which must equal the model's
 * and stay on their side of zero; debits must equal credits. */
static int check(struct run *r, struct ps_db_conn *c)
{
    struct ps_db_stmt *s;
    if (ps_db_prepare(c, SQL_NEW_LINES, &s) < 0)
        return failf(r, "prepare new lines");
    ps_db_bind_int64(s, 1, r->last_rowid);
    while (ps_db_step(s) == PS_DB_ROW) {
        const char *account = ps_db_col_text(s, 0), *order = ps_db_col_text(s, 1);
        int64_t d = ps_db_col_int64(s, 2), cr = ps_db_col_int64(s, 3);
        r->debits += d;
        r->credits += cr;
        r->last_rowid = ps_db_col_int64(s, 4);
        if (strcmp(account, LEDGER_GATEWAY) == 0)
            r->gateway += d - cr;
        else if (strcmp(account, LEDGER_REVENUE) == 0)
            r->revenue += cr - d;
        else if (strcmp(account, LEDGER_HELD) == 0 && order && strcmp(order, r->order) == 0)
            r->order_held += cr - d;
        else
            for (int p = 0; p < NPROV; p++)
                if (strcmp(account + strlen(LEDGER_PAYABLE), r->m.provider[p]) == 0)
                    r->payable[p] += cr - d;
    }
    ps_db_reset(s);
    if (r->debits != r->credits)
        return failf(r, "debits %lld != credits %lld", (long long)r->debits, (long long)r->credits);
    if (r->gateway != r->m.gateway || r->gateway < 0)
        return failf(r, "gateway clearing %lld, model %lld", (long long)r->gateway, (long long)r->m.gateway);
    if (r->revenue != r->m.revenue || r->revenue < 0)
        return failf(r, "platform revenue %lld, model %lld", (long long)r->revenue, (long long)r->m.revenue);
    if (r->order_held != r->held || r->order_held < 0)
        return failf(r, "held %lld, model %lld", (long long)r->order_held, (long long)r->held);
    for (int p = 0; p < NPROV; p++)
        if (r->payable[p] != r->m.payable[p] || r->payable[p] < 0)
            return failf(r, "payable %d: %lld, model %lld", p, (long long)r->payable[p],
                         (long long)r->m.payable[p]);
    int64_t row = -1;   /* the running balance row agrees with the lines */
    if (ledger_store_payable_balance(c, r->m.provider[r->prov], &row) || row != r->m.payable[r->prov])
        return failf(r, "payable balance row %lld, model %lld", (long long)row,
                     (long long)r->m.payable[r->prov]);
    r->steps++;
    return r->steps % 1000 == 0 ? check_full(r, c) : 0;
}

/* Expect rc from a ledger call, then check everything. */
static int expect(struct run *r, struct ps_db_conn *c, int rc, int want, const char *what)
{
    if (rc != want)
        return failf(r, "%s returned %d, expected %d", what, rc, want);
    if (want == PS_E_CONFLICT)
        r->conflicts++;
    return check(r, c);
}

static int64_t commission(int64_t amount, int bps) { return (amount * bps + 5000) / 10000; }

static int pay(struct run *r, struct ps_db_conn *c)
{
    char pid[PS_ID_LEN + 1];
    ps_id_new(pid);
    int64_t amount = between(r, 1, 80000);
    const char *p = r->m.provider[r->prov];
    int rc = ledger_post_payment(c, r->order, p, pid, amount);
    r->m.gateway += amount;
    r->held += amount;
    if ((rc = expect(r, c, rc, 0, "payment")))
        return rc;
    if (chance(r, 15))   /* the gateway's webhook again: no second posting */
        if ((rc = expect(r, c, ledger_post_payment(c, r->order, p, pid, amount), 0, "replayed payment")))
            return rc;
    if (chance(r, 5))    /* the same payment id with another amount is refused */
        if ((rc = expect(r, c, ledger_post_payment(c, r->order, p, pid, amount + 1), PS_E_CONFLICT,
                         "payment replay with another amount")))
            return rc;
    return 0;
}

static int complete(struct run *r, struct ps_db_conn *c)
{
    const char *p = r->m.provider[r->prov];
    int rc = ledger_post_completion(c, r->order, p, r->svc->code);
    int64_t cm = commission(r->held, r->svc->bps);
    r->m.revenue += cm;
    r->m.payable[r->prov] += r->held - cm;
    r->order_rev = cm;
    r->order_pay = r->held - cm;
    r->held = 0;
    if ((rc = expect(r, c, rc, 0, "completion")))
        return rc;
    if (chance(r, 10))
        return expect(r, c, ledger_post_completion(c, r->order, p, r->svc->code), 0, "replayed completion");
    return 0;
}

static int refund_after_completion(struct run *r, struct ps_db_conn *c)
{
    int64_t booked = r->order_rev + r->order_pay;
    if (booked == 0)
        return 0;
    int64_t amount = chance(r, 10) ? booked + between(r, 1, 100) : between(r, 1, booked);
    char rid[PS_ID_LEN + 1];
    ps_id_new(rid);
    int64_t back_rev = (2 * amount * r->order_rev + booked) / (2 * booked);
    int64_t back_pay = amount - back_rev;
    bool ok = amount <= booked && back_pay <= r->m.payable[r->prov] && back_rev <= r->order_rev &&
              back_pay <= r->order_pay;
    int rc = ledger_post_refund(c, r->order, r->m.provider[r->prov], rid, amount, 0);
    if (ok) {
        r->m.revenue -= back_rev;
        r->m.payable[r->prov] -= back_pay;
        r->m.gateway -= amount;
        r->order_rev -= back_rev;
        r->order_pay -= back_pay;
    }
    return expect(r, c, rc, ok ? 0 : PS_E_CONFLICT, "refund after completion");
}

static int refund_before_completion(struct run *r, struct ps_db_conn *c, int64_t refund, int64_t fee)
{
    char rid[PS_ID_LEN + 1];
    ps_id_new(rid);
    const char *p = r->m.provider[r->prov];
    bool ok = refund + fee <= r->held;
    int rc = ledger_post_refund(c, r->order, p, rid, refund, fee);
    if (ok) {
        int64_t fc = commission(fee, r->svc->bps);
        r->held -= refund + fee;
        r->m.gateway -= refund;
        r->m.revenue += fc;
        r->m.payable[r->prov] += fee - fc;
    }
    if ((rc = expect(r, c, rc, ok ? 0 : PS_E_CONFLICT, "refund")))
        return rc;
    if (ok && chance(r, 15))   /* refund.succeeded delivered twice */
        return expect(r, c, ledger_post_refund(c, r->order, p, rid, refund, fee), 0, "replayed refund");
    return 0;
}

static int cancel(struct run *r, struct ps_db_conn *c)
{
    bool by_provider = chance(r, 30);
    int64_t now = 1800000000000LL;
    int64_t slot = now + between(r, -HOUR_MS, 4 * HOUR_MS);
    int64_t paid = r->held;
    /* The SPEC's rule, written out again: free more than 2 h ahead or by the provider,
     * else 20% half up, at most 5,000 fen. */
    int64_t want = by_provider || slot - now > 2 * HOUR_MS ? 0 : (paid * 2 + 5) / 10;
    if (want > 5000)
        want = 5000;
    int64_t fee = ledger_cancellation_fee(paid, now, slot, by_provider);
    if (fee != want)
        return failf(r, "cancellation fee %lld, expected %lld (paid %lld)", (long long)fee,
                     (long long)want, (long long)paid);
    if (paid == 0)
        return 0;
    return refund_before_completion(r, c, paid - fee, fee);
}

static int payout(struct run *r, struct ps_db_conn *c)
{
    r->prov = (int)between(r, 0, NPROV - 1);
    int64_t bal = r->m.payable[r->prov];
    int64_t amount = chance(r, 20) ? bal + between(r, 1, 500) : (bal > 0 ? between(r, 1, bal) : 1);
    bool ok = amount <= bal;
    char pid[PS_ID_LEN + 1];
    int64_t after = -1;
    ps_id_new(pid);
    int rc = ledger_post_payout(c, r->m.provider[r->prov], pid, amount, &after);
    if (ok) {
        r->m.payable[r->prov] -= amount;
        r->m.gateway -= amount;
        if (rc == 0 && after != r->m.payable[r->prov])
            return failf(r, "payout left %lld, model %lld", (long long)after, (long long)r->m.payable[r->prov]);
    }
    if ((rc = expect(r, c, rc, ok ? 0 : PS_E_CONFLICT, "payout")))
        return rc;
    if (ok && chance(r, 10))
        return expect(r, c, ledger_post_payout(c, r->m.provider[r->prov], pid, amount, NULL), 0,
                      "replayed payout");
    return 0;
}

static const char SQL_ORDER[] = "INSERT INTO orders (id, service_type) VALUES ($1, $2)";

/* One random order history. */
static int history(struct run *r, struct ps_db_conn *c)
{
    ps_id_new(r->order);
    r->prov = (int)between(r, 0, NPROV - 1);
    r->svc = &services[between(r, 0, 3)];
    r->held = r->order_rev = r->order_pay = r->order_held = 0;
    struct ps_db_stmt *s;
    if (ps_db_prepare(c, SQL_ORDER, &s) < 0)
        return failf(r, "prepare order");
    ps_db_bind_text(s, 1, r->order);
    ps_db_bind_text(s, 2, r->svc->code);
    int rc = ps_db_step(s);
    ps_db_reset(s);
    if (rc < 0)
        return failf(r, "insert order");

    if ((rc = pay(r, c)))
        return rc;
    for (int extra = (int)between(r, 0, 2); extra > 0; extra--)   /* approved supplements */
        if ((rc = pay(r, c)))
            return rc;
    if (chance(r, 10)) {   /* asking for more than is held is refused */
        if ((rc = refund_before_completion(r, c, r->held + 1, 0)))
            return rc;
    }
    int path = (int)between(r, 0, 99);
    if (path < 55) {
        if ((rc = complete(r, c)))
            return rc;
        if (chance(r, 25) && (rc = refund_after_completion(r, c)))
            return rc;
    } else if (path < 85) {
        if ((rc = cancel(r, c)))
            return rc;
    } else {
        /* A partial refund (an extra item reversed), then completion of the rest. */
        if (r->held > 1 && (rc = refund_before_completion(r, c, between(r, 1, r->held - 1), 0)))
            return rc;
        if ((rc = complete(r, c)))
            return rc;
    }
    if (chance(r, 35) && (rc = payout(r, c)))
        return rc;
    r->histories++;
    return 0;
}

/* A few histories per write transaction (each fsync costs milliseconds). */
#define HISTORIES_PER_TX 20

static int history_tx(struct ps_db_conn *c, void *arg)
{
    for (int i = 0; i < HISTORIES_PER_TX; i++) {
        int rc = history(arg, c);
        if (rc)
            return rc;
    }
    return 0;
}

static int exec_tx(struct ps_db_conn *c, void *arg) { return ps_db_exec(c, arg) ? PS_E_DB : 0; }

static int64_t count_rows(struct ps_db *db, const char *sql)
{
    struct ps_db_conn *c = ps_db_reader(db);
    struct ps_db_stmt *s;
    int64_t n = -1;
    if (ps_db_prepare(c, sql, &s) == 0) {
        if (ps_db_step(s) == PS_DB_ROW)
            n = ps_db_col_int64(s, 0);
        ps_db_reset(s);
    }
    ps_db_release(c);
    return n;
}

static const char SQL_UNBALANCED[] = "SELECT count(*) FROM ledger_unbalanced_entries";
static const char SQL_ORPHANS[] = "SELECT count(*) FROM ledger_orphan_lines";
static const char SQL_ENTRIES[] = "SELECT count(*) FROM ledger_entries";

static void test_random_histories(void **state)
{
    char url[256], err[256];
    snprintf(url, sizeof url, "sqlite:%s/ledger.db", dir);
    struct ps_db *db = NULL;
    if (ps_db_open(url, NULL, &db, err, sizeof err))
        fail_msg("open: %s", err);
    app.db = db;
    ps_app_set(&app);
    /* This module's migrations, plus the two columns of other modules' tables it reads. */
    size_t n;
    const struct ps_migration *m = ps_db_migrations(PS_DB_SQLITE, &n);
    for (size_t i = 0; i < n; i++)
        if (strstr(m[i].name, "ledger"))
            assert_int_equal(ps_db_write(db, exec_tx, (void *)m[i].sql), 0);
    assert_int_equal(ps_db_write(db, exec_tx, (void *)
        "CREATE TABLE service_types (code TEXT PRIMARY KEY, commission_bps INTEGER NOT NULL);"
        "INSERT INTO service_types VALUES ('oil_change', 1500), ('tyre_change', 1800), ('bodywork', 2000);"
        "CREATE TABLE orders (id TEXT PRIMARY KEY, service_type TEXT NOT NULL);"), 0);

    static struct run r;
    const char *seed_env = getenv("PS_PROPERTY_SEED");
    const char *hist_env = getenv("PS_PROPERTY_HISTORIES");
    uint64_t seed = seed_env ? strtoull(seed_env, NULL, 10) : 0;
    if (!seed)
        randombytes_buf(&seed, sizeof seed);
    seed |= 1;
    long histories = hist_env ? strtol(hist_env, NULL, 10) : 10000;
    r.rng = seed;
    for (int p = 0; p < NPROV; p++)
        ps_id_new(r.m.provider[p]);
    printf("ledger property test: seed %llu (PS_PROPERTY_SEED to replay)\n", (unsigned long long)seed);

    for (long h = 0; h < histories; h += HISTORIES_PER_TX) {
        int rc = ps_db_write(db, history_tx, &r);
        if (rc)
            fail_msg("seed %llu: %s (rc %d)", (unsigned long long)seed, r.err[0] ? r.err : "write failed", rc);
        /* Pay everything out now and then, down to zero exactly. */
        if (h % 500 == 500 - HISTORIES_PER_TX)
            for (int p = 0; p < NPROV; p++)
                if (r.m.payable[p] > 0) {
                    struct ps_db_conn *c = ps_db_reader(db);
                    int64_t bal;
                    char acct[LEDGER_ACCOUNT_LEN];
                    ledger_payable_account(r.m.provider[p], acct);
                    assert_int_equal(ledger_store_credit_balance(c, acct, NULL, &bal), 0);
                    ps_db_release(c);
                    assert_int_equal(bal, r.m.payable[p]);
                }
    }

    /* The end state: SQL audit views empty, the trial balance equal to the model. */
    assert_int_equal(count_rows(db, SQL_UNBALANCED), 0);
    assert_int_equal(count_rows(db, SQL_ORPHANS), 0);
    json_t *accounts = json_array();
    int64_t debit, credit;
    struct ps_db_conn *c = ps_db_reader(db);
    assert_int_equal(ledger_store_trial_balance(c, accounts, &debit, &credit), 0);
    ps_db_release(c);
    assert_true(debit == credit);
    size_t i;
    json_t *a;
    int64_t payable_sum = 0;
    json_array_foreach(accounts, i, a) {
        const char *name = json_string_value(json_object_get(a, "account"));
        int64_t bal = json_integer_value(json_object_get(a, "balance_fen"));   /* debit - credit */
        if (strcmp(name, LEDGER_GATEWAY) == 0)
            assert_int_equal(bal, r.m.gateway);
        else if (strcmp(name, LEDGER_REVENUE) == 0)
            assert_int_equal(-bal, r.m.revenue);
        else if (strcmp(name, LEDGER_HELD) == 0)
            assert_int_equal(bal, 0);   /* every history ends completed or cancelled */
        else
            payable_sum += -bal;
        if (strcmp(name, LEDGER_GATEWAY) != 0)
            assert_true(bal <= 0);       /* credit-normal accounts never go into debit */
    }
    int64_t model_payable = 0;
    for (int p = 0; p < NPROV; p++)
        model_payable += r.m.payable[p];
    assert_int_equal(payable_sum, model_payable);
    json_decref(accounts);
    printf("ledger property test: %ld histories, %ld checked steps, %lld journal entries, %ld refused "
           "as conflicts; debits = credits = %lld fen\n", r.histories, r.steps,
           (long long)count_rows(db, SQL_ENTRIES), r.conflicts, (long long)debit);

    /* The entry-row trigger refuses an unbalanced entry even if C were bypassed. */
    assert_int_not_equal(ps_db_write(db, exec_tx, (void *)
        "INSERT INTO ledger_lines VALUES ('bad', 1, 'gateway_clearing', NULL, 100, 0, 0);"
        "INSERT INTO ledger_lines VALUES ('bad', 2, 'platform_revenue', NULL, 0, 99, 0);"
        "INSERT INTO ledger_entries VALUES ('bad', 'payment', 'x', 'y', NULL, NULL, 100, 100, 0);"), 0);
    /* A payable balance can never be driven below zero, even by hand. */
    assert_int_not_equal(ps_db_write(db, exec_tx, (void *)
        "UPDATE ledger_payable_balances SET balance_fen = -1"), 0);
    /* ... and history cannot be rewritten. */
    assert_int_not_equal(ps_db_write(db, exec_tx, (void *)"UPDATE ledger_lines SET debit_fen = debit_fen + 1"), 0);
    assert_int_not_equal(ps_db_write(db, exec_tx, (void *)"DELETE FROM ledger_entries"), 0);
    app.db = NULL;
    ps_db_close(db);
}

static int setup(void **state) { return sodium_init() < 0 || !mkdtemp(dir) ? -1 : 0; }

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_random_histories) };
    return cmocka_run_group_tests(tests, setup, teardown);
}
