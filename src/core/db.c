/* The storage interface: picks a driver from the URL, forwards every call through the
 * driver vtable, and holds what both drivers share (the statement cache keyed by SQL
 * pointer, error messages, the PS_DB_E_* -> PS_E_* mapping). */
#include "core/db_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/errors.h"

int ps_db_open(const char *url, const struct ps_db_options *opt, struct ps_db **out,
               char *err, size_t errlen)
{
    static const struct ps_db_options defaults = { 0, 0 };

    *out = NULL;
    if (!opt)
        opt = &defaults;
    if (!url || !*url) {
        ps_db_open_err(err, errlen, "database URL is empty");
        return PS_E_BAD_REQUEST;
    }
    if (strncmp(url, "sqlite:", 7) == 0)
        return ps_db_sqlite_open(url + 7, opt, out, err, errlen);
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return ps_db_pg_open(url, opt, out, err, errlen);
    ps_db_open_err(err, errlen,
                   "database URL must start with sqlite:, postgres:// or postgresql://");
    return PS_E_BAD_REQUEST;
}

void ps_db_close(struct ps_db *db)
{
    if (db)
        db->drv->close(db);
}

enum ps_db_backend ps_db_backend(const struct ps_db *db) { return db->drv->backend; }

struct ps_db_conn *ps_db_reader(struct ps_db *db) { return db->drv->reader(db); }

void ps_db_release(struct ps_db_conn *c)
{
    if (c)
        c->drv->release(c);
}

int ps_db_write(struct ps_db *db, ps_db_tx_fn fn, void *arg)
{
    return db->drv->write(db, fn, arg);
}

void ps_db_stats(struct ps_db *db, struct ps_db_stats *out)
{
    memset(out, 0, sizeof *out);
    db->drv->stats(db, out);
}

int ps_db_prepare(struct ps_db_conn *c, const char *sql, struct ps_db_stmt **out)
{
    *out = NULL;
    if (!sql) {
        ps_db_set_err(c, "ps_db_prepare: sql is NULL");
        return PS_DB_E_MISUSE;
    }
    return c->drv->prepare(c, sql, out);
}

int ps_db_exec(struct ps_db_conn *c, const char *sql) { return c->drv->exec(c, sql); }

const char *ps_db_errmsg(struct ps_db_conn *c) { return c ? c->err : "no connection"; }

/* Statement calls: the statement's connection knows its driver. */
#define DRV(s) ((s)->conn->drv)

int ps_db_bind_text(struct ps_db_stmt *s, int idx, const char *v)
{
    return v ? DRV(s)->bind_text(s, idx, v) : DRV(s)->bind_null(s, idx);
}
int ps_db_bind_int64(struct ps_db_stmt *s, int idx, int64_t v) { return DRV(s)->bind_int64(s, idx, v); }
int ps_db_bind_double(struct ps_db_stmt *s, int idx, double v) { return DRV(s)->bind_double(s, idx, v); }
int ps_db_bind_null(struct ps_db_stmt *s, int idx) { return DRV(s)->bind_null(s, idx); }
int ps_db_step(struct ps_db_stmt *s) { return DRV(s)->step(s); }
int ps_db_col_count(struct ps_db_stmt *s) { return DRV(s)->col_count(s); }
bool ps_db_col_is_null(struct ps_db_stmt *s, int col) { return DRV(s)->col_is_null(s, col); }
const char *ps_db_col_text(struct ps_db_stmt *s, int col) { return DRV(s)->col_text(s, col); }
int64_t ps_db_col_int64(struct ps_db_stmt *s, int col) { return DRV(s)->col_int64(s, col); }
double ps_db_col_double(struct ps_db_stmt *s, int col) { return DRV(s)->col_double(s, col); }
int64_t ps_db_changes(struct ps_db_stmt *s) { return DRV(s)->changes(s); }

void ps_db_reset(struct ps_db_stmt *s)
{
    if (!s || !s->busy)
        return;
    DRV(s)->reset(s);
    ps_db_stmt_give_back(s);
}

int ps_db_err_to_ps(int rc)
{
    switch (rc) {
    case PS_DB_E_UNIQUE:  return PS_E_DUPLICATE;
    case PS_DB_E_FOREIGN:
    case PS_DB_E_CHECK:   return PS_E_VALIDATION;
    case PS_DB_E_BUSY:
    case PS_DB_E_CONN:    return PS_E_UNAVAILABLE;
    case PS_DB_E_MISUSE:
    case PS_DB_E_OTHER:   return PS_E_DB;
    default:              return rc;   /* 0, positive, or already a PS_E_* code */
    }
}

/* ---- errors ---- */

void ps_db_set_err(struct ps_db_conn *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

void ps_db_open_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- statement cache ---- */

static unsigned cache_hash(const char *sql)
{
    uint64_t h = (uint64_t)(uintptr_t)sql * 0x9E3779B97F4A7C15ull;
    return (unsigned)(h >> 40) % PS_DB_CACHE_SLOTS;
}

struct ps_db_stmt *ps_db_cache_find(struct ps_db_stmt_cache *c, const char *sql)
{
    for (unsigned i = cache_hash(sql);; i = (i + 1) % PS_DB_CACHE_SLOTS) {
        struct ps_db_stmt *s = c->slot[i];
        if (!s)
            return NULL;
        if (s->sql == sql)
            return s;
    }
}

/* Backward-shift deletion keeps every probe chain unbroken without tombstones. */
static void cache_remove_at(struct ps_db_stmt_cache *c, unsigned hole)
{
    unsigned i = hole;

    c->slot[hole] = NULL;
    c->count--;
    for (;;) {
        i = (i + 1) % PS_DB_CACHE_SLOTS;
        struct ps_db_stmt *s = c->slot[i];
        if (!s)
            return;
        unsigned home = cache_hash(s->sql);
        /* s may move into the hole if its home is not cyclically within (hole, i]. */
        bool stays = hole < i ? (home > hole && home <= i) : (home > hole || home <= i);
        if (!stays) {
            c->slot[hole] = s;
            c->slot[i] = NULL;
            hole = i;
        }
    }
}

static struct ps_db_stmt *cache_evict_one(struct ps_db_stmt_cache *c)
{
    for (unsigned n = 0; n < PS_DB_CACHE_SLOTS; n++) {
        unsigned i = (c->hand + n) % PS_DB_CACHE_SLOTS;
        struct ps_db_stmt *s = c->slot[i];
        if (s && !s->busy) {
            c->hand = (i + 1) % PS_DB_CACHE_SLOTS;
            cache_remove_at(c, i);
            return s;
        }
    }
    return NULL;
}

int ps_db_cache_add(struct ps_db_stmt_cache *c, struct ps_db_stmt *s,
                    struct ps_db_stmt **evicted)
{
    *evicted = NULL;
    if (c->count >= PS_DB_STMT_CACHE) {
        *evicted = cache_evict_one(c);
        if (!*evicted)
            return PS_DB_E_MISUSE;
    }
    unsigned i = cache_hash(s->sql);
    while (c->slot[i])
        i = (i + 1) % PS_DB_CACHE_SLOTS;
    c->slot[i] = s;
    c->count++;
    return 0;
}

void ps_db_cache_clear(struct ps_db_stmt_cache *c, void (*fn)(struct ps_db_stmt *s))
{
    for (unsigned i = 0; i < PS_DB_CACHE_SLOTS; i++) {
        if (c->slot[i]) {
            fn(c->slot[i]);
            c->slot[i] = NULL;
        }
    }
    c->count = 0;
    c->busy = 0;
}

void ps_db_cache_reset_busy(struct ps_db_stmt_cache *c)
{
    for (unsigned i = 0; c->busy > 0 && i < PS_DB_CACHE_SLOTS; i++) {
        if (c->slot[i] && c->slot[i]->busy)
            ps_db_reset(c->slot[i]);
    }
}

void ps_db_stmt_take(struct ps_db_stmt *s)
{
    s->busy = true;
    s->conn->cache.busy++;
}

void ps_db_stmt_give_back(struct ps_db_stmt *s)
{
    s->busy = false;
    s->conn->cache.busy--;
}

int ps_db_get_by_key(struct ps_db_conn *c, const char *sql, const char *key,
                     void (*read)(struct ps_db_stmt *s, void *out), void *out)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return ps_db_err_to_ps(rc);
    ps_db_bind_text(s, 1, key);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        read(s, out);
    ps_db_reset(s);
    if (rc == PS_DB_DONE)
        return PS_E_NOT_FOUND;
    return rc == PS_DB_ROW ? 0 : ps_db_err_to_ps(rc);
}

int ps_db_run(struct ps_db_stmt *s, int64_t *changes)
{
    int rc = ps_db_step(s);
    if (changes)
        *changes = ps_db_changes(s);
    ps_db_reset(s);
    return rc == PS_DB_DONE ? 0 : ps_db_err_to_ps(rc);
}
