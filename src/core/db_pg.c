/* PostgreSQL driver: a fixed pool of libpq connections shared by reads and writes. A write
 * runs its function between BEGIN and COMMIT on a borrowed connection and is retried on
 * serialization failures and deadlocks. Statements are prepared once per connection (named
 * s<N>, cached by SQL pointer); parameters go as text and results come back as text. */
#include "core/db_internal.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/errors.h"

#define PG_DEFAULT_POOL         8
#define PG_MAX_POOL             256
#define PG_DEFAULT_LOCK_MS      5000
#define PG_STATEMENT_TIMEOUT_MS 30000
#define PG_CONNECT_TIMEOUT_S    "10"
#define PG_WRITE_ATTEMPTS       5
#define PG_PARAM_INLINE         32     /* numbers fit inline; longer text is copied to the heap */

struct pg_conn {
    struct ps_db_conn base;
    PGconn *pg;
    unsigned next_id;          /* for statement names s<N> */
    char sqlstate[6];          /* of the last failure, "" if none */
};

struct pg_param {
    char *text;                /* NULL: SQL NULL; else inline or heap */
    char inline_buf[PG_PARAM_INLINE];
};

struct pg_stmt {
    struct ps_db_stmt base;
    char name[16];
    int nparams, ncols;
    struct pg_param params[PS_MAX_SQL_PARAMS];
    PGresult *res;
    int row, nrows;
    bool executed;
    int64_t changes;
};

struct pg_db {
    struct ps_db base;
    char *url;
    char options[96];          /* session settings sent at connect (and on every reset) */
    struct pg_conn **conns, **idle;
    int nconns, nidle, waiting;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    uint64_t writes;
};

extern const struct ps_db_driver ps_db_pg_driver;

#define PG_CONN(c) ((struct pg_conn *)(c))
#define PG_STMT(s) ((struct pg_stmt *)(s))
#define PG_DB(d)   ((struct pg_db *)(d))

/* ---- errors ---- */

static int pg_map_state(const char *st)
{
    static const struct { const char *state; int code; } exact[] = {
        { "23505", PS_DB_E_UNIQUE },  { "23P01", PS_DB_E_UNIQUE },   /* exclusion: a clash */
        { "23503", PS_DB_E_FOREIGN }, { "23514", PS_DB_E_CHECK },
        { "23502", PS_DB_E_CHECK },   { "22001", PS_DB_E_CHECK },    /* value too long */
        { "40001", PS_DB_E_BUSY },    { "40P01", PS_DB_E_BUSY },
        { "55P03", PS_DB_E_BUSY },    { "57014", PS_DB_E_BUSY },     /* statement timeout */
        { "57P01", PS_DB_E_CONN },    { "57P02", PS_DB_E_CONN },
        { "57P03", PS_DB_E_CONN },
    };

    if (!st || !*st)
        return PS_DB_E_CONN;       /* no SQLSTATE: the failure was the connection's */
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        if (strcmp(st, exact[i].state) == 0)
            return exact[i].code;
    }
    if (strncmp(st, "08", 2) == 0)
        return PS_DB_E_CONN;
    if (strncmp(st, "23", 2) == 0)
        return PS_DB_E_CHECK;
    if (strncmp(st, "42", 2) == 0 || strncmp(st, "22", 2) == 0)
        return PS_DB_E_MISUSE;
    return PS_DB_E_OTHER;
}

/* Records res's (or the connection's) error on c and returns the mapped code. */
static int pg_fail(struct pg_conn *c, const PGresult *res)
{
    const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : "";

    if (!msg || !*msg)
        msg = PQerrorMessage(c->pg);
    ps_db_set_err(&c->base, "%s", msg);
    size_t n = strlen(c->base.err);
    while (n > 0 && (c->base.err[n - 1] == '\n' || c->base.err[n - 1] == ' '))
        c->base.err[--n] = '\0';
    snprintf(c->sqlstate, sizeof c->sqlstate, "%s", st ? st : "");
    if (PQstatus(c->pg) != CONNECTION_OK)
        return PS_DB_E_CONN;
    return pg_map_state(st);
}

static bool pg_retryable(const struct pg_conn *c)
{
    return strcmp(c->sqlstate, "40001") == 0 || strcmp(c->sqlstate, "40P01") == 0;
}

/* Runs a command without parameters; 0 or a PS_DB_E_* code. */
static int pg_run(struct pg_conn *c, const char *sql)
{
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : pg_fail(c, res);

    PQclear(res);
    return rc;
}

/* ---- statements ---- */

static void param_clear(struct pg_param *p)
{
    if (p->text && p->text != p->inline_buf)
        free(p->text);
    p->text = NULL;
}

/* Forgets a statement whose server side is gone (reset connection) or already dropped. */
static void pg_stmt_free(struct ps_db_stmt *s)
{
    struct pg_stmt *ps = PG_STMT(s);

    for (int i = 0; i < ps->nparams; i++)
        param_clear(&ps->params[i]);
    PQclear(ps->res);
    free(ps);
}

/* Drops an evicted statement on the server too. */
static void pg_stmt_drop(struct ps_db_stmt *s)
{
    struct pg_conn *c = PG_CONN(s->conn);
    char sql[32];

    if (PQstatus(c->pg) == CONNECTION_OK) {
        snprintf(sql, sizeof sql, "DEALLOCATE %s", PG_STMT(s)->name);
        PQclear(PQexec(c->pg, sql));
    }
    pg_stmt_free(s);
}

/* PQprepare, then ask the server how many parameters and columns the statement has. */
static int pg_compile(struct pg_conn *c, const char *sql, struct pg_stmt *ps)
{
    snprintf(ps->name, sizeof ps->name, "s%u", c->next_id++);
    PGresult *res = PQprepare(c->pg, ps->name, sql, 0, NULL);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : pg_fail(c, res);

    PQclear(res);
    if (rc < 0)
        return rc;
    res = PQdescribePrepared(c->pg, ps->name);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = pg_fail(c, res);
    } else if (PQnparams(res) > PS_MAX_SQL_PARAMS) {
        ps_db_set_err(&c->base, "more than %d parameters: %.80s", PS_MAX_SQL_PARAMS, sql);
        rc = PS_DB_E_MISUSE;
    } else {
        ps->nparams = PQnparams(res);
        ps->ncols = PQnfields(res);
    }
    PQclear(res);
    if (rc < 0 && PQstatus(c->pg) == CONNECTION_OK) {
        char drop[32];
        snprintf(drop, sizeof drop, "DEALLOCATE %s", ps->name);
        PQclear(PQexec(c->pg, drop));
    }
    return rc;
}

static int pg_prepare(struct ps_db_conn *base, const char *sql, struct ps_db_stmt **out)
{
    struct pg_conn *c = PG_CONN(base);
    struct ps_db_stmt *s = ps_db_cache_find(&base->cache, sql);
    struct ps_db_stmt *evicted;
    int rc;

    if (s) {
        if (s->busy) {
            ps_db_set_err(base, "statement prepared twice without ps_db_reset(): %.80s", sql);
            return PS_DB_E_MISUSE;
        }
        ps_db_stmt_take(s);
        *out = s;
        return 0;
    }
    struct pg_stmt *ps = calloc(1, sizeof *ps);
    if (!ps) {
        ps_db_set_err(base, "out of memory");
        return PS_DB_E_OTHER;
    }
    ps->base.conn = base;
    ps->base.sql = sql;
    ps->row = -1;
    if ((rc = pg_compile(c, sql, ps)) < 0) {
        free(ps);
        return rc;
    }
    if (ps_db_cache_add(&base->cache, &ps->base, &evicted) < 0) {
        pg_stmt_drop(&ps->base);
        ps_db_set_err(base, "more than %d statements borrowed at once", PS_DB_STMT_CACHE);
        return PS_DB_E_MISUSE;
    }
    if (evicted)
        pg_stmt_drop(evicted);
    ps_db_stmt_take(&ps->base);
    *out = &ps->base;
    return 0;
}

static struct pg_param *param_at(struct ps_db_stmt *s, int idx)
{
    struct pg_stmt *ps = PG_STMT(s);

    if (idx < 1 || idx > ps->nparams) {
        ps_db_set_err(s->conn, "bind index %d out of range: %.80s", idx, s->sql);
        return NULL;
    }
    param_clear(&ps->params[idx - 1]);
    return &ps->params[idx - 1];
}

static int pg_bind_text(struct ps_db_stmt *s, int idx, const char *v)
{
    struct pg_param *p = param_at(s, idx);
    size_t n = strlen(v) + 1;

    if (!p)
        return PS_DB_E_MISUSE;
    p->text = n <= sizeof p->inline_buf ? p->inline_buf : malloc(n);
    if (!p->text) {
        ps_db_set_err(s->conn, "out of memory");
        return PS_DB_E_OTHER;
    }
    memcpy(p->text, v, n);
    return 0;
}

static int pg_bind_int64(struct ps_db_stmt *s, int idx, int64_t v)
{
    struct pg_param *p = param_at(s, idx);

    if (!p)
        return PS_DB_E_MISUSE;
    snprintf(p->inline_buf, sizeof p->inline_buf, "%" PRId64, v);
    p->text = p->inline_buf;
    return 0;
}

static int pg_bind_double(struct ps_db_stmt *s, int idx, double v)
{
    struct pg_param *p = param_at(s, idx);

    if (!p)
        return PS_DB_E_MISUSE;
    snprintf(p->inline_buf, sizeof p->inline_buf, "%.17g", v);
    p->text = p->inline_buf;
    return 0;
}

static int pg_bind_null(struct ps_db_stmt *s, int idx)
{
    return param_at(s, idx) ? 0 : PS_DB_E_MISUSE;
}

static int64_t cmd_tuples(PGresult *res)
{
    const char *t = PQcmdTuples(res);
    return t && *t ? strtoll(t, NULL, 10) : 0;
}

static int pg_execute(struct pg_stmt *ps)
{
    struct pg_conn *c = PG_CONN(ps->base.conn);
    const char *values[PS_MAX_SQL_PARAMS];

    for (int i = 0; i < ps->nparams; i++)
        values[i] = ps->params[i].text;
    ps->executed = true;
    ps->res = PQexecPrepared(c->pg, ps->name, ps->nparams, values, NULL, NULL, 0);
    switch (PQresultStatus(ps->res)) {
    case PGRES_TUPLES_OK:
        ps->nrows = PQntuples(ps->res);
        ps->changes = cmd_tuples(ps->res);   /* INSERT/UPDATE/DELETE ... RETURNING */
        return 0;
    case PGRES_COMMAND_OK:
        ps->changes = cmd_tuples(ps->res);
        return 0;
    default: {
        int rc = pg_fail(c, ps->res);
        PQclear(ps->res);
        ps->res = NULL;
        return rc;
    }
    }
}

static int pg_step(struct ps_db_stmt *s)
{
    struct pg_stmt *ps = PG_STMT(s);

    if (!ps->executed) {
        int rc = pg_execute(ps);
        if (rc < 0)
            return rc;
    }
    if (!ps->res)
        return PS_DB_DONE;
    if (ps->row < ps->nrows)
        ps->row++;
    return ps->row < ps->nrows ? PS_DB_ROW : PS_DB_DONE;
}

static int pg_col_count(struct ps_db_stmt *s) { return PG_STMT(s)->ncols; }

/* The current row's value, or NULL for SQL NULL / no row / no such column. */
static const char *cell(struct ps_db_stmt *s, int col)
{
    struct pg_stmt *ps = PG_STMT(s);

    if (!ps->res || ps->row < 0 || ps->row >= ps->nrows || col < 0 || col >= PQnfields(ps->res)
        || PQgetisnull(ps->res, ps->row, col))
        return NULL;
    return PQgetvalue(ps->res, ps->row, col);
}

static bool pg_col_is_null(struct ps_db_stmt *s, int col) { return cell(s, col) == NULL; }
static const char *pg_col_text(struct ps_db_stmt *s, int col) { return cell(s, col); }

static int64_t pg_col_int64(struct ps_db_stmt *s, int col)
{
    const char *v = cell(s, col);

    if (!v)
        return 0;
    if (v[0] == 't' && !v[1])
        return 1;   /* boolean */
    return strtoll(v, NULL, 10);
}

static double pg_col_double(struct ps_db_stmt *s, int col)
{
    const char *v = cell(s, col);

    if (!v)
        return 0;
    if (v[0] == 't' && !v[1])
        return 1;
    return strtod(v, NULL);
}

static int64_t pg_changes(struct ps_db_stmt *s) { return PG_STMT(s)->changes; }

static void pg_reset(struct ps_db_stmt *s)
{
    struct pg_stmt *ps = PG_STMT(s);

    for (int i = 0; i < ps->nparams; i++)
        param_clear(&ps->params[i]);
    PQclear(ps->res);
    ps->res = NULL;
    ps->executed = false;
    ps->row = -1;
    ps->nrows = 0;
    ps->changes = 0;
}

static int pg_exec(struct ps_db_conn *base, const char *sql) { return pg_run(PG_CONN(base), sql); }

/* ---- the pool ---- */

static void quiet_notices(void *arg, const char *msg) { (void)arg; (void)msg; }

static int pg_connect(struct pg_db *db, struct pg_conn *c, char *err, size_t errlen)
{
    /* Our defaults come first so that settings written in the URL win. */
    const char *keys[] = { "connect_timeout", "client_encoding", "application_name", "options",
                           "dbname", NULL };
    const char *vals[] = { PG_CONNECT_TIMEOUT_S, "UTF8", "pitstop", db->options, db->url, NULL };

    c->pg = PQconnectdbParams(keys, vals, 1);
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        const char *msg = c->pg ? PQerrorMessage(c->pg) : "out of memory";
        ps_db_open_err(err, errlen, "postgres: cannot connect: %.*s",
                       (int)strcspn(msg, "\n"), msg);
        return PS_DB_E_CONN;
    }
    PQsetNoticeProcessor(c->pg, quiet_notices, NULL);
    return 0;
}

/* A connection found broken when borrowed: its prepared statements died with the old
 * session, so forget them and reconnect (with the same settings). */
static void pg_revive(struct pg_conn *c)
{
    ps_db_cache_clear(&c->base.cache, pg_stmt_free);
    PQreset(c->pg);
    if (PQstatus(c->pg) != CONNECTION_OK)
        pg_fail(c, NULL);
}

static struct pg_conn *pg_borrow(struct pg_db *db)
{
    pthread_mutex_lock(&db->lock);
    while (db->nidle == 0) {
        db->waiting++;
        pthread_cond_wait(&db->cond, &db->lock);
        db->waiting--;
    }
    struct pg_conn *c = db->idle[--db->nidle];
    pthread_mutex_unlock(&db->lock);
    if (PQstatus(c->pg) != CONNECTION_OK)
        pg_revive(c);
    c->sqlstate[0] = '\0';
    return c;
}

static void pg_give_back(struct pg_db *db, struct pg_conn *c)
{
    ps_db_cache_reset_busy(&c->base.cache);
    if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        pg_run(c, "ROLLBACK");
    pthread_mutex_lock(&db->lock);
    db->idle[db->nidle++] = c;
    pthread_cond_signal(&db->cond);
    pthread_mutex_unlock(&db->lock);
}

static struct ps_db_conn *pg_reader(struct ps_db *base) { return &pg_borrow(PG_DB(base))->base; }
static void pg_release(struct ps_db_conn *c) { pg_give_back(PG_DB(c->db), PG_CONN(c)); }

static int tx_error(int rc)
{
    return rc == PS_DB_E_BUSY || rc == PS_DB_E_CONN ? PS_E_UNAVAILABLE : PS_E_DB;
}

/* One attempt: BEGIN; fn; COMMIT (or ROLLBACK). */
static int pg_attempt(struct pg_conn *c, ps_db_tx_fn fn, void *arg)
{
    int rc;

    c->sqlstate[0] = '\0';
    if ((rc = pg_run(c, "BEGIN")) < 0)
        return tx_error(rc);
    rc = fn(&c->base, arg);
    ps_db_cache_reset_busy(&c->base.cache);
    if (PQstatus(c->pg) != CONNECTION_OK)
        return PS_E_UNAVAILABLE;
    /* fn ignored a failed statement: PostgreSQL would turn COMMIT into ROLLBACK */
    if (rc >= 0 && PQtransactionStatus(c->pg) == PQTRANS_INERROR)
        rc = PS_E_DB;
    if (rc < 0) {
        pg_run(c, "ROLLBACK");
        return rc;
    }
    int crc = pg_run(c, "COMMIT");
    return crc < 0 ? tx_error(crc) : rc;
}

static int pg_write(struct ps_db *base, ps_db_tx_fn fn, void *arg)
{
    struct pg_db *db = PG_DB(base);
    struct pg_conn *c = pg_borrow(db);
    int rc = 0;

    for (int attempt = 0; attempt < PG_WRITE_ATTEMPTS; attempt++) {
        rc = pg_attempt(c, fn, arg);
        if (rc >= 0 || !pg_retryable(c))
            break;
        usleep((useconds_t)(1000 * (attempt + 1) + rand() % 1000));   /* let the winner finish */
    }
    pg_give_back(db, c);
    pthread_mutex_lock(&db->lock);
    db->writes++;
    pthread_mutex_unlock(&db->lock);
    return rc;
}

static void pg_stats(struct ps_db *base, struct ps_db_stats *out)
{
    struct pg_db *db = PG_DB(base);

    pthread_mutex_lock(&db->lock);
    out->readers_total = db->nconns;
    out->readers_busy = db->nconns - db->nidle;
    out->writes = db->writes;
    out->write_groups = db->writes;   /* every transaction commits on its own */
    out->write_queue = db->waiting;
    pthread_mutex_unlock(&db->lock);
}

static void pg_destroy(struct pg_db *db)
{
    for (int i = 0; i < db->nconns; i++) {
        struct pg_conn *c = db->conns[i];
        ps_db_cache_clear(&c->base.cache, pg_stmt_free);
        PQfinish(c->pg);
        free(c);
    }
    pthread_mutex_destroy(&db->lock);
    pthread_cond_destroy(&db->cond);
    free(db->conns);
    free(db->idle);
    free(db->url);
    free(db);
}

static void pg_close(struct ps_db *base) { pg_destroy(PG_DB(base)); }

static int pg_open_pool(struct pg_db *db, int n, char *err, size_t errlen)
{
    db->conns = calloc((size_t)n, sizeof *db->conns);
    db->idle = calloc((size_t)n, sizeof *db->idle);
    if (!db->conns || !db->idle) {
        ps_db_open_err(err, errlen, "out of memory");
        return PS_E_NOMEM;
    }
    for (int i = 0; i < n; i++) {
        struct pg_conn *c = calloc(1, sizeof *c);
        if (!c) {
            ps_db_open_err(err, errlen, "out of memory");
            return PS_E_NOMEM;
        }
        c->base.drv = &ps_db_pg_driver;
        c->base.db = &db->base;
        db->conns[db->nconns++] = c;
        int rc = pg_connect(db, c, err, errlen);
        if (rc < 0)
            return rc;
        db->idle[db->nidle++] = c;
    }
    return 0;
}

int ps_db_pg_open(const char *url, const struct ps_db_options *opt, struct ps_db **out,
                  char *err, size_t errlen)
{
    int n = opt->readers > 0 ? opt->readers : PG_DEFAULT_POOL;
    int lock_ms = opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : PG_DEFAULT_LOCK_MS;

    if (!PQisthreadsafe()) {
        ps_db_open_err(err, errlen, "postgres: libpq was built without thread safety");
        return PS_E_DB;
    }
    if (n > PG_MAX_POOL)
        n = PG_MAX_POOL;
    struct pg_db *db = calloc(1, sizeof *db);
    if (!db || !(db->url = strdup(url))) {
        free(db);
        ps_db_open_err(err, errlen, "out of memory");
        return PS_E_NOMEM;
    }
    db->base.drv = &ps_db_pg_driver;
    snprintf(db->options, sizeof db->options, "-c statement_timeout=%d -c lock_timeout=%d",
             PG_STATEMENT_TIMEOUT_MS, lock_ms);
    pthread_mutex_init(&db->lock, NULL);
    pthread_cond_init(&db->cond, NULL);
    int rc = pg_open_pool(db, n, err, errlen);
    if (rc < 0) {
        pg_destroy(db);
        return rc;
    }
    *out = &db->base;
    return 0;
}

const struct ps_db_driver ps_db_pg_driver = {
    .backend = PS_DB_POSTGRES,
    .close = pg_close,
    .reader = pg_reader,
    .release = pg_release,
    .write = pg_write,
    .stats = pg_stats,
    .prepare = pg_prepare,
    .exec = pg_exec,
    .bind_text = pg_bind_text,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_count = pg_col_count,
    .col_is_null = pg_col_is_null,
    .col_text = pg_col_text,
    .col_int64 = pg_col_int64,
    .col_double = pg_col_double,
    .changes = pg_changes,
    .reset = pg_reset,
};
