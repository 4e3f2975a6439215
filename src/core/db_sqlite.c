/* SQLite driver: one writer connection owned by a writer thread that group-commits queued
 * write functions (each in its own SAVEPOINT, one COMMIT and so one fsync per group), and a
 * small pool of query-only reader connections. WAL mode lets readers run during writes. */
#include "core/db_internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/errors.h"

#define SQ_DEFAULT_READERS   4
#define SQ_MAX_READERS       64
#define SQ_DEFAULT_BUSY_MS   5000
#define SQ_WRITER_CACHE_KIB  16384   /* page cache of the writer connection */
#define SQ_READER_CACHE_KIB  8192    /* page cache of each reader */
#define SQ_MAX_HOOKS         8

struct sq_conn {
    struct ps_db_conn base;
    sqlite3 *h;
};

struct sq_stmt {
    struct ps_db_stmt base;
    sqlite3_stmt *st;
    int64_t changes;
};

/* A queued write: lives on the stack of the ps_db_write() caller until done is set.
 * Its own mutex keeps the wake-up off the queue lock that every writer contends for. */
struct sq_job {
    ps_db_tx_fn fn;
    void *arg;
    int rc;
    bool done;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct sq_job *next;
};

struct sq_db {
    struct ps_db base;
    char *path;
    int busy_ms;

    struct sq_conn *writer;
    pthread_t thread;
    bool thread_started;
    pthread_mutex_t qlock;          /* guards the queue, stop and the counters */
    pthread_cond_t qcond;           /* the queue became non-empty, or stop */
    struct sq_job *head, *tail;
    int qlen;
    bool stop;
    uint64_t writes, groups;

    struct sq_conn **readers;       /* all of them */
    struct sq_conn **idle;          /* stack of free ones */
    int nreaders, nidle;
    pthread_mutex_t rlock;
    pthread_cond_t rcond;
};

extern const struct ps_db_driver ps_db_sqlite_driver;

static ps_db_sqlite_init_fn sq_hooks[SQ_MAX_HOOKS];
static int sq_nhooks;
static pthread_mutex_t sq_hooks_lock = PTHREAD_MUTEX_INITIALIZER;

void ps_db_sqlite_add_init(ps_db_sqlite_init_fn fn)
{
    pthread_mutex_lock(&sq_hooks_lock);
    if (fn && sq_nhooks < SQ_MAX_HOOKS)
        sq_hooks[sq_nhooks++] = fn;
    pthread_mutex_unlock(&sq_hooks_lock);
}

#define SQ_CONN(c) ((struct sq_conn *)(c))
#define SQ_STMT(s) ((struct sq_stmt *)(s))
#define SQ_DB(d)   ((struct sq_db *)(d))

/* ---- errors ---- */

static int sq_map(int ext)
{
    switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: return PS_DB_E_UNIQUE;
    case SQLITE_CONSTRAINT_FOREIGNKEY: return PS_DB_E_FOREIGN;
    default: break;
    }
    switch (ext & 0xff) {
    case SQLITE_CONSTRAINT: return PS_DB_E_CHECK;   /* CHECK, NOT NULL, datatype */
    case SQLITE_BUSY:
    case SQLITE_LOCKED:     return PS_DB_E_BUSY;
    case SQLITE_ERROR:
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:   return PS_DB_E_MISUSE;
    case SQLITE_CANTOPEN:   return PS_DB_E_CONN;
    default:                return PS_DB_E_OTHER;
    }
}

/* Records the handle's error on the connection and returns the mapped code. */
static int sq_fail(struct sq_conn *c, int rc)
{
    ps_db_set_err(&c->base, "%s", sqlite3_errmsg(c->h));
    return sq_map(sqlite3_extended_errcode(c->h) ? sqlite3_extended_errcode(c->h) : rc);
}

/* ---- connections ---- */

static int mkdir_parents(const char *path)
{
    char dir[PATH_MAX];

    if (strlen(path) >= sizeof dir)
        return -1;
    memcpy(dir, path, strlen(path) + 1);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int pragma_text_cb(void *out, int n, char **vals, char **names)
{
    if (n > 0 && vals[0])
        snprintf(out, 16, "%s", vals[0]);
    return 0;
}

static int sq_configure(struct sq_db *db, struct sq_conn *c, bool reader, char *err, size_t errlen)
{
    char mode[16] = "";
    char pragmas[256];

    if (!reader) {
        if (sqlite3_exec(c->h, "PRAGMA journal_mode=WAL", pragma_text_cb, mode, NULL) != SQLITE_OK
            || strcmp(mode, "wal") != 0) {
            ps_db_open_err(err, errlen, "sqlite %s: cannot switch to WAL mode: %s", db->path,
                           mode[0] ? mode : sqlite3_errmsg(c->h));
            return PS_E_DB;
        }
    }
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
             "PRAGMA cache_size=-%d; PRAGMA query_only=%d; PRAGMA journal_size_limit=67108864;",
             reader ? SQ_READER_CACHE_KIB : SQ_WRITER_CACHE_KIB, reader ? 1 : 0);
    if (sqlite3_exec(c->h, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
        ps_db_open_err(err, errlen, "sqlite %s: %s", db->path, sqlite3_errmsg(c->h));
        return PS_E_DB;
    }
    pthread_mutex_lock(&sq_hooks_lock);
    int nhooks = sq_nhooks;
    pthread_mutex_unlock(&sq_hooks_lock);
    for (int i = 0; i < nhooks; i++) {
        int rc = sq_hooks[i](c->h);
        if (rc < 0) {
            ps_db_open_err(err, errlen, "sqlite %s: init hook %d failed (%d)", db->path, i, rc);
            return rc;
        }
    }
    return 0;
}

static void sq_finalize(struct ps_db_stmt *s)
{
    sqlite3_finalize(SQ_STMT(s)->st);
    free(s);
}

static void sq_conn_close(struct sq_conn *c)
{
    if (!c)
        return;
    ps_db_cache_clear(&c->base.cache, sq_finalize);
    sqlite3_close_v2(c->h);
    free(c);
}

static int sq_conn_open(struct sq_db *db, bool reader, struct sq_conn **out, char *err,
                        size_t errlen)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    struct sq_conn *c = calloc(1, sizeof *c);

    *out = NULL;
    if (!c) {
        ps_db_open_err(err, errlen, "out of memory");
        return PS_E_NOMEM;
    }
    c->base.drv = &ps_db_sqlite_driver;
    c->base.db = &db->base;
    if (sqlite3_open_v2(db->path, &c->h, flags, NULL) != SQLITE_OK) {
        ps_db_open_err(err, errlen, "sqlite %s: cannot open: %s", db->path,
                       c->h ? sqlite3_errmsg(c->h) : "out of memory");
        sq_conn_close(c);
        return PS_DB_E_CONN;
    }
    sqlite3_extended_result_codes(c->h, 1);
    sqlite3_busy_timeout(c->h, db->busy_ms);
    int rc = sq_configure(db, c, reader, err, errlen);
    if (rc < 0) {
        sq_conn_close(c);
        return rc;
    }
    *out = c;
    return 0;
}

/* ---- the writer thread ---- */

static int sq_prepare(struct ps_db_conn *base, const char *sql, struct ps_db_stmt **out);

/* Transaction control runs once or twice per write: keep it prepared, not parsed each time. */
static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT g";
static const char SQL_RELEASE[] = "RELEASE g";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO g";

static int sq_run(struct sq_conn *w, const char *sql)
{
    struct ps_db_stmt *s;
    int rc = sq_prepare(&w->base, sql, &s);

    if (rc < 0)
        return rc;
    rc = sqlite3_step(((struct sq_stmt *)s)->st);
    rc = rc == SQLITE_DONE ? 0 : sq_fail(w, rc);
    ps_db_reset(s);
    return rc;
}

/* A failed BEGIN/COMMIT: busy means "try again later", anything else is a database error. */
static int tx_error(int rc) { return rc == PS_DB_E_BUSY ? PS_E_UNAVAILABLE : PS_E_DB; }

/* One job inside the group transaction, in its own savepoint. */
static void run_job(struct sq_conn *w, struct sq_job *job)
{
    int rc = sq_run(w, SQL_SAVEPOINT);

    if (rc < 0) {
        job->rc = tx_error(rc);
        return;
    }
    job->rc = job->fn(&w->base, job->arg);
    ps_db_cache_reset_busy(&w->base.cache);
    if (job->rc < 0) {
        sq_run(w, SQL_ROLLBACK_TO);
        sq_run(w, SQL_RELEASE);
    } else if ((rc = sq_run(w, SQL_RELEASE)) < 0) {
        job->rc = tx_error(rc);
        sq_run(w, SQL_ROLLBACK_TO);
        sq_run(w, SQL_RELEASE);
    }
}

static void fail_jobs(struct sq_job **jobs, int from, int to, int rc)
{
    for (int i = from; i < to; i++) {
        if (jobs[i]->rc >= 0)
            jobs[i]->rc = rc;
    }
}

/* BEGIN IMMEDIATE; each job in a savepoint; COMMIT once. If the transaction vanishes under
 * a job (an I/O error rolls it back), the jobs it held fail and the rest start afresh. */
static void run_group(struct sq_db *db, struct sq_job **jobs, int n)
{
    struct sq_conn *w = db->writer;
    int seg = 0;   /* first job of the open transaction */
    int rc;

    if ((rc = sq_run(w, SQL_BEGIN)) < 0) {
        fail_jobs(jobs, 0, n, tx_error(rc));
        return;
    }
    for (int i = 0; i < n; i++) {
        run_job(w, jobs[i]);
        if (!sqlite3_get_autocommit(w->h))
            continue;
        fail_jobs(jobs, seg, i + 1, PS_E_DB);
        seg = i + 1;
        if (seg < n && (rc = sq_run(w, SQL_BEGIN)) < 0) {
            fail_jobs(jobs, seg, n, tx_error(rc));
            return;
        }
    }
    if (seg < n && (rc = sq_run(w, SQL_COMMIT)) < 0) {
        fail_jobs(jobs, seg, n, PS_E_DB);
        if (!sqlite3_get_autocommit(w->h))
            sq_run(w, SQL_ROLLBACK);
    }
}

static void *writer_main(void *arg)
{
    struct sq_db *db = arg;
    struct sq_job *batch[PS_DB_GROUP_MAX];

    pthread_mutex_lock(&db->qlock);
    for (;;) {
        while (!db->head && !db->stop)
            pthread_cond_wait(&db->qcond, &db->qlock);
        if (!db->head)
            break;   /* stopping and drained */
        int n = 0;
        while (db->head && n < PS_DB_GROUP_MAX) {
            batch[n++] = db->head;
            db->head = db->head->next;
        }
        if (!db->head)
            db->tail = NULL;
        db->qlen -= n;
        pthread_mutex_unlock(&db->qlock);

        run_group(db, batch, n);

        pthread_mutex_lock(&db->qlock);
        db->writes += (uint64_t)n;   /* counted before anyone returns: stats stay exact */
        db->groups++;
        pthread_mutex_unlock(&db->qlock);
        for (int i = 0; i < n; i++) {
            /* the caller may free the job as soon as its lock is dropped */
            pthread_mutex_lock(&batch[i]->lock);
            batch[i]->done = true;
            pthread_cond_signal(&batch[i]->cond);
            pthread_mutex_unlock(&batch[i]->lock);
        }
        pthread_mutex_lock(&db->qlock);
    }
    pthread_mutex_unlock(&db->qlock);
    return NULL;
}

static int sq_write(struct ps_db *base, ps_db_tx_fn fn, void *arg)
{
    struct sq_db *db = SQ_DB(base);
    struct sq_job job = { .fn = fn, .arg = arg };

    /* A write from inside a write function would wait for itself forever. */
    if (pthread_equal(pthread_self(), db->thread))
        return PS_E_INTERNAL;
    pthread_mutex_lock(&db->qlock);
    if (db->stop) {
        pthread_mutex_unlock(&db->qlock);
        return PS_E_UNAVAILABLE;
    }
    pthread_mutex_init(&job.lock, NULL);
    pthread_cond_init(&job.cond, NULL);
    if (db->tail)
        db->tail->next = &job;
    else
        db->head = &job;
    db->tail = &job;
    db->qlen++;
    if (db->head == &job)
        pthread_cond_signal(&db->qcond);
    pthread_mutex_unlock(&db->qlock);
    pthread_mutex_lock(&job.lock);
    while (!job.done)
        pthread_cond_wait(&job.cond, &job.lock);
    pthread_mutex_unlock(&job.lock);
    pthread_mutex_destroy(&job.lock);
    pthread_cond_destroy(&job.cond);
    return job.rc;
}

/* ---- readers ---- */

static struct ps_db_conn *sq_reader(struct ps_db *base)
{
    struct sq_db *db = SQ_DB(base);

    pthread_mutex_lock(&db->rlock);
    while (db->nidle == 0)
        pthread_cond_wait(&db->rcond, &db->rlock);
    struct sq_conn *c = db->idle[--db->nidle];
    pthread_mutex_unlock(&db->rlock);
    return &c->base;
}

static void sq_release(struct ps_db_conn *base)
{
    struct sq_conn *c = SQ_CONN(base);
    struct sq_db *db = SQ_DB(base->db);

    /* A statement left open would pin an old WAL snapshot and block checkpoints. */
    ps_db_cache_reset_busy(&c->base.cache);
    if (!sqlite3_get_autocommit(c->h))
        sqlite3_exec(c->h, "ROLLBACK", NULL, NULL, NULL);
    if (c == db->writer)
        return;
    pthread_mutex_lock(&db->rlock);
    db->idle[db->nidle++] = c;
    pthread_cond_signal(&db->rcond);
    pthread_mutex_unlock(&db->rlock);
}

/* ---- open / close ---- */

static void sq_destroy(struct sq_db *db)
{
    if (db->thread_started) {
        pthread_mutex_lock(&db->qlock);
        db->stop = true;
        pthread_cond_signal(&db->qcond);
        pthread_mutex_unlock(&db->qlock);
        pthread_join(db->thread, NULL);
    }
    for (int i = 0; i < db->nreaders; i++)
        sq_conn_close(db->readers[i]);
    sq_conn_close(db->writer);   /* last: the final close checkpoints the WAL */
    pthread_mutex_destroy(&db->qlock);
    pthread_cond_destroy(&db->qcond);
    pthread_mutex_destroy(&db->rlock);
    pthread_cond_destroy(&db->rcond);
    free(db->readers);
    free(db->idle);
    free(db->path);
    free(db);
}

static void sq_close(struct ps_db *base) { sq_destroy(SQ_DB(base)); }

static int sq_open_readers(struct sq_db *db, int n, char *err, size_t errlen)
{
    db->readers = calloc((size_t)n, sizeof *db->readers);
    db->idle = calloc((size_t)n, sizeof *db->idle);
    if (!db->readers || !db->idle) {
        ps_db_open_err(err, errlen, "out of memory");
        return PS_E_NOMEM;
    }
    for (int i = 0; i < n; i++) {
        int rc = sq_conn_open(db, true, &db->readers[i], err, errlen);
        if (rc < 0)
            return rc;
        db->nreaders++;
        db->idle[db->nidle++] = db->readers[i];
    }
    return 0;
}

int ps_db_sqlite_open(const char *path, const struct ps_db_options *opt, struct ps_db **out,
                      char *err, size_t errlen)
{
    int readers = opt->readers > 0 ? opt->readers : SQ_DEFAULT_READERS;
    int rc;

    if (!*path || strcmp(path, ":memory:") == 0) {
        ps_db_open_err(err, errlen, "sqlite: a file path is required (\"%s\" is not supported)",
                       path);
        return PS_E_BAD_REQUEST;
    }
    if (readers > SQ_MAX_READERS)
        readers = SQ_MAX_READERS;
    if (!sqlite3_threadsafe()) {
        ps_db_open_err(err, errlen, "sqlite: library was built without thread support");
        return PS_E_DB;
    }
    if (mkdir_parents(path) != 0) {
        ps_db_open_err(err, errlen, "sqlite %s: cannot create parent directory: %s", path,
                       strerror(errno));
        return PS_DB_E_CONN;
    }
    struct sq_db *db = calloc(1, sizeof *db);
    if (!db || !(db->path = strdup(path))) {
        free(db);
        ps_db_open_err(err, errlen, "out of memory");
        return PS_E_NOMEM;
    }
    db->base.drv = &ps_db_sqlite_driver;
    db->busy_ms = opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : SQ_DEFAULT_BUSY_MS;
    pthread_mutex_init(&db->qlock, NULL);
    pthread_cond_init(&db->qcond, NULL);
    pthread_mutex_init(&db->rlock, NULL);
    pthread_cond_init(&db->rcond, NULL);

    if ((rc = sq_conn_open(db, false, &db->writer, err, errlen)) < 0
        || (rc = sq_open_readers(db, readers, err, errlen)) < 0)
        goto fail;
    if (pthread_create(&db->thread, NULL, writer_main, db) != 0) {
        ps_db_open_err(err, errlen, "sqlite: cannot start the writer thread");
        rc = PS_E_INTERNAL;
        goto fail;
    }
    db->thread_started = true;
    *out = &db->base;
    return 0;
fail:
    sq_destroy(db);
    return rc;
}

static void sq_stats(struct ps_db *base, struct ps_db_stats *out)
{
    struct sq_db *db = SQ_DB(base);

    pthread_mutex_lock(&db->rlock);
    out->readers_total = db->nreaders;
    out->readers_busy = db->nreaders - db->nidle;
    pthread_mutex_unlock(&db->rlock);
    pthread_mutex_lock(&db->qlock);
    out->writes = db->writes;
    out->write_groups = db->groups;
    out->write_queue = db->qlen;
    pthread_mutex_unlock(&db->qlock);
}

/* ---- statements ---- */

/* $N -> ?N in place (same length), leaving string literals, quoted identifiers and
 * comments alone. SQLite reads "$1" as a named parameter numbered by first appearance,
 * which would silently mis-bind "$2 ... $1". */
static void rewrite_params(char *p)
{
    while (*p) {
        if (*p == '\'' || *p == '"') {
            char *end = strchr(p + 1, *p);   /* '' inside a literal reads as two literals */
            if (!end)
                return;
            p = end + 1;
        } else if (p[0] == '-' && p[1] == '-') {
            p = strchr(p, '\n');
            if (!p)
                return;
        } else if (p[0] == '/' && p[1] == '*') {
            p = strstr(p + 2, "*/");
            if (!p)
                return;
            p += 2;
        } else {
            if (p[0] == '$' && isdigit((unsigned char)p[1]))
                p[0] = '?';
            p++;
        }
    }
}

static int sq_compile(struct sq_conn *c, const char *sql, sqlite3_stmt **st)
{
    size_t len = strlen(sql);
    char *text = malloc(len + 1);

    if (!text) {
        ps_db_set_err(&c->base, "out of memory");
        return PS_DB_E_OTHER;
    }
    memcpy(text, sql, len + 1);
    rewrite_params(text);
    int rc = sqlite3_prepare_v3(c->h, text, (int)len + 1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    free(text);
    if (rc != SQLITE_OK)
        return sq_fail(c, rc);
    if (!*st) {
        ps_db_set_err(&c->base, "empty SQL statement");
        return PS_DB_E_MISUSE;
    }
    return 0;
}

static int sq_prepare(struct ps_db_conn *base, const char *sql, struct ps_db_stmt **out)
{
    struct sq_conn *c = SQ_CONN(base);
    struct ps_db_stmt *s = ps_db_cache_find(&base->cache, sql);
    struct ps_db_stmt *evicted;
    sqlite3_stmt *st;
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
    if ((rc = sq_compile(c, sql, &st)) < 0)
        return rc;
    struct sq_stmt *ss = calloc(1, sizeof *ss);
    if (!ss) {
        sqlite3_finalize(st);
        ps_db_set_err(base, "out of memory");
        return PS_DB_E_OTHER;
    }
    ss->base.conn = base;
    ss->base.sql = sql;
    ss->st = st;
    if (ps_db_cache_add(&base->cache, &ss->base, &evicted) < 0) {
        sq_finalize(&ss->base);
        ps_db_set_err(base, "more than %d statements borrowed at once", PS_DB_STMT_CACHE);
        return PS_DB_E_MISUSE;
    }
    if (evicted)
        sq_finalize(evicted);
    ps_db_stmt_take(&ss->base);
    *out = &ss->base;
    return 0;
}

static int sq_bind_rc(struct ps_db_stmt *s, int idx, int rc)
{
    if (rc == SQLITE_OK)
        return 0;
    if (rc == SQLITE_RANGE) {
        ps_db_set_err(s->conn, "bind index %d out of range: %.80s", idx, s->sql);
        return PS_DB_E_MISUSE;
    }
    return sq_fail(SQ_CONN(s->conn), rc);
}

static int sq_bind_text(struct ps_db_stmt *s, int idx, const char *v)
{
    return sq_bind_rc(s, idx, sqlite3_bind_text(SQ_STMT(s)->st, idx, v, -1, SQLITE_TRANSIENT));
}

static int sq_bind_int64(struct ps_db_stmt *s, int idx, int64_t v)
{
    return sq_bind_rc(s, idx, sqlite3_bind_int64(SQ_STMT(s)->st, idx, v));
}

static int sq_bind_double(struct ps_db_stmt *s, int idx, double v)
{
    return sq_bind_rc(s, idx, sqlite3_bind_double(SQ_STMT(s)->st, idx, v));
}

static int sq_bind_null(struct ps_db_stmt *s, int idx)
{
    return sq_bind_rc(s, idx, sqlite3_bind_null(SQ_STMT(s)->st, idx));
}

static int sq_step(struct ps_db_stmt *s)
{
    struct sq_stmt *ss = SQ_STMT(s);
    struct sq_conn *c = SQ_CONN(s->conn);
    int rc = sqlite3_step(ss->st);

    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        if (!sqlite3_stmt_readonly(ss->st))
            ss->changes = sqlite3_changes64(c->h);
        return rc == SQLITE_ROW ? PS_DB_ROW : PS_DB_DONE;
    }
    return sq_fail(c, rc);
}

static int sq_col_count(struct ps_db_stmt *s) { return sqlite3_column_count(SQ_STMT(s)->st); }

static bool sq_col_is_null(struct ps_db_stmt *s, int col)
{
    return sqlite3_column_type(SQ_STMT(s)->st, col) == SQLITE_NULL;
}

static const char *sq_col_text(struct ps_db_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(SQ_STMT(s)->st, col);
}

static int64_t sq_col_int64(struct ps_db_stmt *s, int col)
{
    return sqlite3_column_int64(SQ_STMT(s)->st, col);
}

static double sq_col_double(struct ps_db_stmt *s, int col)
{
    return sqlite3_column_double(SQ_STMT(s)->st, col);
}

static int64_t sq_changes(struct ps_db_stmt *s) { return SQ_STMT(s)->changes; }

static void sq_reset(struct ps_db_stmt *s)
{
    struct sq_stmt *ss = SQ_STMT(s);

    sqlite3_reset(ss->st);
    sqlite3_clear_bindings(ss->st);
    ss->changes = 0;
}

static int sq_exec(struct ps_db_conn *base, const char *sql)
{
    struct sq_conn *c = SQ_CONN(base);
    char *msg = NULL;
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);

    if (rc == SQLITE_OK)
        return 0;
    ps_db_set_err(base, "%s", msg ? msg : sqlite3_errmsg(c->h));
    sqlite3_free(msg);
    return sq_map(sqlite3_extended_errcode(c->h));
}

const struct ps_db_driver ps_db_sqlite_driver = {
    .backend = PS_DB_SQLITE,
    .close = sq_close,
    .reader = sq_reader,
    .release = sq_release,
    .write = sq_write,
    .stats = sq_stats,
    .prepare = sq_prepare,
    .exec = sq_exec,
    .bind_text = sq_bind_text,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_count = sq_col_count,
    .col_is_null = sq_col_is_null,
    .col_text = sq_col_text,
    .col_int64 = sq_col_int64,
    .col_double = sq_col_double,
    .changes = sq_changes,
    .reset = sq_reset,
};
