/* Unit tests of the storage layer (src/core/db*.c): one suite run against a temporary SQLite
 * file and, when PS_TEST_PG_URL is set, the same suite against that PostgreSQL database.
 * Tables are created here with ps_db_exec, so the tests do not depend on any migration. */
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/db.h"
#include "core/db_internal.h"   /* ps_db_migrate_list */
#include "core/errors.h"

struct suite {
    char url[PATH_MAX + 64];
    char dir[PATH_MAX];      /* temp directory (SQLite only) */
    struct ps_db *db;
};

static const char SQL_DROP[] =
    "DROP TABLE IF EXISTS t_child; DROP TABLE IF EXISTS t_items;"
    "DROP TABLE IF EXISTS t_counter; DROP TABLE IF EXISTS t_rows;"
    "DROP TABLE IF EXISTS t_mig_b; DROP TABLE IF EXISTS t_mig_a;"
    "DROP TABLE IF EXISTS t_mig_c; DROP TABLE IF EXISTS t_mig_d;";
static const char SQL_SCHEMA[] =
    "CREATE TABLE t_items (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " price DOUBLE PRECISION, note TEXT);"
    "CREATE TABLE t_child (id BIGINT PRIMARY KEY,"
    " item_id BIGINT NOT NULL REFERENCES t_items(id), qty INTEGER CHECK (qty > 0));"
    "CREATE TABLE t_counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL);"
    "INSERT INTO t_counter (id, n) VALUES (1, 0);"
    "CREATE TABLE t_rows (id BIGINT PRIMARY KEY, thread INTEGER NOT NULL, seq INTEGER NOT NULL);";

/* ---- helpers ---- */

static int exec_fn(struct ps_db_conn *c, void *arg)
{
    return ps_db_err_to_ps(ps_db_exec(c, arg));
}

static int64_t count_rows(struct ps_db *db, const char *sql)
{
    struct ps_db_conn *c = ps_db_reader(db);
    struct ps_db_stmt *s;
    int64_t n = -1;

    assert_int_equal(ps_db_prepare(c, sql, &s), 0);
    if (ps_db_step(s) == PS_DB_ROW)
        n = ps_db_col_int64(s, 0);
    ps_db_reset(s);
    ps_db_release(c);
    return n;
}

struct item { int64_t id; const char *name; double price; const char *note; };

static const char SQL_INSERT_ITEM[] =
    "INSERT INTO t_items (id, name, price, note) VALUES ($1, $2, $3, $4)";

static int insert_item(struct ps_db_conn *c, const struct item *it)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_INSERT_ITEM, &s);

    if (rc < 0)
        return rc;
    ps_db_bind_int64(s, 1, it->id);
    ps_db_bind_text(s, 2, it->name);
    ps_db_bind_double(s, 3, it->price);
    if (it->note)
        ps_db_bind_text(s, 4, it->note);
    else
        ps_db_bind_null(s, 4);
    rc = ps_db_step(s);
    ps_db_reset(s);
    return rc < 0 ? rc : 0;
}

static int insert_item_fn(struct ps_db_conn *c, void *arg)
{
    return ps_db_err_to_ps(insert_item(c, arg));
}

static int reset_tables(struct ps_db *db)
{
    int rc = ps_db_write(db, exec_fn, (void *)SQL_DROP);
    return rc < 0 ? rc : ps_db_write(db, exec_fn, (void *)SQL_SCHEMA);
}

/* ---- setup ---- */

static int setup_sqlite(void **state)
{
    static struct suite st;
    char err[256];

    snprintf(st.dir, sizeof st.dir, "/tmp/ps_test_db.XXXXXX");
    if (!mkdtemp(st.dir))
        return -1;
    /* a missing parent directory is created by ps_db_open */
    snprintf(st.url, sizeof st.url, "sqlite:%s/nested/dir/test.db", st.dir);
    if (ps_db_open(st.url, NULL, &st.db, err, sizeof err) != 0) {
        fprintf(stderr, "open %s: %s\n", st.url, err);
        return -1;
    }
    *state = &st;
    return reset_tables(st.db) == 0 ? 0 : -1;
}

static int teardown_sqlite(void **state)
{
    struct suite *st = *state;
    char cmd[PATH_MAX + 16];

    ps_db_close(st->db);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", st->dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int setup_pg(void **state)
{
    static struct suite st;
    const char *url = getenv("PS_TEST_PG_URL");
    char err[256];

    *state = NULL;
    if (!url || !*url)
        return 0;
    snprintf(st.url, sizeof st.url, "%s", url);
    if (ps_db_open(st.url, NULL, &st.db, err, sizeof err) != 0) {
        fprintf(stderr, "open %s: %s\n", st.url, err);
        return -1;
    }
    *state = &st;
    if (reset_tables(st.db) != 0) {
        struct ps_db_conn *c = ps_db_reader(st.db);
        fprintf(stderr, "schema: %s\n", ps_db_errmsg(c));
        ps_db_release(c);
        return -1;
    }
    return 0;
}

static int teardown_pg(void **state)
{
    struct suite *st = *state;

    if (st) {
        ps_db_write(st->db, exec_fn, (void *)SQL_DROP);
        ps_db_write(st->db, exec_fn, "DELETE FROM schema_migrations WHERE version >= 9000");
        ps_db_close(st->db);
    }
    return 0;
}

/* Skips the test when the suite has no database (PostgreSQL not configured). */
static struct suite *need(void **state)
{
    if (!*state)
        skip();
    return *state;
}

/* ---- tests ---- */

static void test_open_errors(void **state)
{
    struct ps_db *db = NULL;
    char err[256] = "";

    assert_true(ps_db_open("mysql://x", NULL, &db, err, sizeof err) < 0);
    assert_null(db);
    assert_non_null(strstr(err, "sqlite:"));
    assert_true(ps_db_open("sqlite::memory:", NULL, &db, err, sizeof err) < 0);
    assert_non_null(strstr(err, ":memory:"));
    assert_true(ps_db_open("sqlite:", NULL, &db, err, sizeof err) < 0);
    assert_true(ps_db_open("sqlite:/proc/no/such/dir/x.db", NULL, &db, err, sizeof err) < 0);
    assert_non_null(strstr(err, "/proc/no/such"));
    assert_true(ps_db_open("", NULL, &db, err, sizeof err) < 0);
}

static void test_err_mapping(void **state)
{
    assert_int_equal(ps_db_err_to_ps(PS_DB_E_UNIQUE), PS_E_DUPLICATE);
    assert_int_equal(ps_db_err_to_ps(PS_DB_E_FOREIGN), PS_E_VALIDATION);
    assert_int_equal(ps_db_err_to_ps(PS_DB_E_CHECK), PS_E_VALIDATION);
    assert_int_equal(ps_db_err_to_ps(PS_DB_E_BUSY), PS_E_UNAVAILABLE);
    assert_int_equal(ps_db_err_to_ps(PS_DB_E_CONN), PS_E_UNAVAILABLE);
    assert_int_equal(ps_db_err_to_ps(PS_DB_E_MISUSE), PS_E_DB);
    assert_int_equal(ps_db_err_to_ps(PS_DB_E_OTHER), PS_E_DB);
    assert_int_equal(ps_db_err_to_ps(0), 0);
    assert_int_equal(ps_db_err_to_ps(PS_E_NOT_FOUND), PS_E_NOT_FOUND);
}

static const char SQL_GET_ITEM[] = "SELECT id, name, price, note FROM t_items WHERE id = $1";
static const char SQL_RENAME[] = "UPDATE t_items SET note = $2 WHERE id >= $1";
static const char SQL_DELETE[] = "DELETE FROM t_items WHERE id >= $1";

static int rename_fn(struct ps_db_conn *c, void *arg)
{
    struct ps_db_stmt *s;
    int64_t *changes = arg;
    int rc = ps_db_prepare(c, SQL_RENAME, &s);

    if (rc < 0)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, 100);
    ps_db_bind_text(s, 2, "renamed \xe2\x9c\x93");
    rc = ps_db_step(s);
    *changes = ps_db_changes(s);
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

static int delete_fn(struct ps_db_conn *c, void *arg)
{
    struct ps_db_stmt *s;
    int64_t *changes = arg;
    int rc = ps_db_prepare(c, SQL_DELETE, &s);

    if (rc < 0)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, 100);
    rc = ps_db_step(s);
    *changes = ps_db_changes(s);
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

static void test_crud(void **state)
{
    struct suite *st = need(state);
    struct item a = { 100, "brake pads", 49.99, "front axle" };
    struct item b = { 101, "oil filter", -0.125, NULL };
    struct item big = { INT64_MAX, "big id", 1e300, "" };
    struct ps_db_stmt *s;
    int64_t changes = 0;

    assert_int_equal(ps_db_write(st->db, insert_item_fn, &a), 0);
    assert_int_equal(ps_db_write(st->db, insert_item_fn, &b), 0);
    assert_int_equal(ps_db_write(st->db, insert_item_fn, &big), 0);

    struct ps_db_conn *c = ps_db_reader(st->db);
    assert_int_equal(ps_db_prepare(c, SQL_GET_ITEM, &s), 0);
    assert_int_equal(ps_db_bind_int64(s, 1, 100), 0);
    assert_int_equal(ps_db_step(s), PS_DB_ROW);
    assert_int_equal(ps_db_col_count(s), 4);
    assert_int_equal(ps_db_col_int64(s, 0), 100);
    assert_string_equal(ps_db_col_text(s, 0), "100");
    assert_string_equal(ps_db_col_text(s, 1), "brake pads");
    assert_true(ps_db_col_double(s, 2) == 49.99);
    assert_string_equal(ps_db_col_text(s, 3), "front axle");
    assert_false(ps_db_col_is_null(s, 3));
    assert_int_equal(ps_db_step(s), PS_DB_DONE);
    ps_db_reset(s);

    assert_int_equal(ps_db_prepare(c, SQL_GET_ITEM, &s), 0);
    ps_db_bind_int64(s, 1, 101);
    assert_int_equal(ps_db_step(s), PS_DB_ROW);
    assert_true(ps_db_col_double(s, 2) == -0.125);
    assert_true(ps_db_col_is_null(s, 3));
    assert_null(ps_db_col_text(s, 3));
    assert_int_equal(ps_db_col_int64(s, 3), 0);
    assert_true(ps_db_col_double(s, 3) == 0.0);
    ps_db_reset(s);

    assert_int_equal(ps_db_prepare(c, SQL_GET_ITEM, &s), 0);
    ps_db_bind_int64(s, 1, INT64_MAX);
    assert_int_equal(ps_db_step(s), PS_DB_ROW);
    assert_true(ps_db_col_int64(s, 0) == INT64_MAX);
    assert_true(ps_db_col_double(s, 2) == 1e300);
    assert_false(ps_db_col_is_null(s, 3));
    assert_string_equal(ps_db_col_text(s, 3), "");
    ps_db_reset(s);

    /* no row */
    assert_int_equal(ps_db_prepare(c, SQL_GET_ITEM, &s), 0);
    ps_db_bind_int64(s, 1, 7);
    assert_int_equal(ps_db_step(s), PS_DB_DONE);
    ps_db_reset(s);

    /* a borrowed statement cannot be prepared again before reset */
    assert_int_equal(ps_db_prepare(c, SQL_GET_ITEM, &s), 0);
    struct ps_db_stmt *again;
    assert_int_equal(ps_db_prepare(c, SQL_GET_ITEM, &again), PS_DB_E_MISUSE);
    assert_true(strlen(ps_db_errmsg(c)) > 0);
    ps_db_reset(s);

    /* bad SQL */
    assert_int_equal(ps_db_prepare(c, "SELEKT nonsense", &s), PS_DB_E_MISUSE);
    assert_true(strlen(ps_db_errmsg(c)) > 0);
    ps_db_release(c);

    assert_int_equal(ps_db_write(st->db, rename_fn, &changes), 0);
    assert_int_equal(changes, 3);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM t_items WHERE note = 'renamed \xe2\x9c\x93'"), 3);
    assert_int_equal(ps_db_write(st->db, delete_fn, &changes), 0);
    assert_int_equal(changes, 3);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM t_items"), 0);
}

static const char SQL_REWRITE[] =
    "SELECT '$1' || $2 AS \"col$1\", $1 -- not a parameter: $3\n"
    ", 'it''s $1', /* $2 */ $2";

static void test_param_rewrite(void **state)
{
    struct suite *st = need(state);
    struct ps_db_conn *c = ps_db_reader(st->db);
    struct ps_db_stmt *s;

    assert_int_equal(ps_db_prepare(c, SQL_REWRITE, &s), 0);
    assert_int_equal(ps_db_bind_text(s, 1, "first"), 0);
    assert_int_equal(ps_db_bind_text(s, 2, "second"), 0);
    assert_int_equal(ps_db_step(s), PS_DB_ROW);
    assert_int_equal(ps_db_col_count(s), 4);
    assert_string_equal(ps_db_col_text(s, 0), "$1second");
    assert_string_equal(ps_db_col_text(s, 1), "first");
    assert_string_equal(ps_db_col_text(s, 2), "it's $1");
    assert_string_equal(ps_db_col_text(s, 3), "second");
    ps_db_reset(s);
    ps_db_release(c);
}

/* More distinct statements than the cache holds: evicted ones are prepared again. */
static void test_stmt_cache_eviction(void **state)
{
    struct suite *st = need(state);
    static char sqls[300][48];
    struct ps_db_conn *c = ps_db_reader(st->db);

    for (int i = 0; i < 300; i++)
        snprintf(sqls[i], sizeof sqls[i], "SELECT %d + $1", i);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 300; i++) {
            struct ps_db_stmt *s;
            assert_int_equal(ps_db_prepare(c, sqls[i], &s), 0);
            assert_int_equal(ps_db_bind_int64(s, 1, 1000), 0);
            assert_int_equal(ps_db_step(s), PS_DB_ROW);
            assert_int_equal(ps_db_col_int64(s, 0), 1000 + i);
            ps_db_reset(s);
        }
    }
    ps_db_release(c);
}

static const char SQL_INSERT_CHILD[] = "INSERT INTO t_child (id, item_id, qty) VALUES ($1, $2, $3)";

struct child { int64_t id, item_id, qty; int raw_rc; };

static int insert_child_fn(struct ps_db_conn *c, void *arg)
{
    struct child *ch = arg;
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_INSERT_CHILD, &s);

    if (rc < 0)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, ch->id);
    ps_db_bind_int64(s, 2, ch->item_id);
    ps_db_bind_int64(s, 3, ch->qty);
    rc = ps_db_step(s);
    ps_db_reset(s);
    ch->raw_rc = rc;
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

static void test_constraint_mapping(void **state)
{
    struct suite *st = need(state);
    struct item a = { 200, "wiper", 9.5, NULL };
    struct item dup_name = { 201, "wiper", 1.0, NULL };
    struct child bad_fk = { 1, 999, 1, 0 };
    struct child bad_check = { 2, 200, 0, 0 };
    struct child good = { 3, 200, 2, 0 };

    assert_int_equal(ps_db_write(st->db, insert_item_fn, &a), 0);
    assert_int_equal(ps_db_write(st->db, insert_item_fn, &a), PS_E_DUPLICATE);
    assert_int_equal(ps_db_write(st->db, insert_item_fn, &dup_name), PS_E_DUPLICATE);
    assert_int_equal(ps_db_write(st->db, insert_child_fn, &bad_fk), PS_E_VALIDATION);
    assert_int_equal(bad_fk.raw_rc, PS_DB_E_FOREIGN);
    assert_int_equal(ps_db_write(st->db, insert_child_fn, &bad_check), PS_E_VALIDATION);
    assert_int_equal(bad_check.raw_rc, PS_DB_E_CHECK);
    assert_int_equal(ps_db_write(st->db, insert_child_fn, &good), 0);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM t_child"), 1);
    assert_int_equal(ps_db_write(st->db, exec_fn, "DELETE FROM t_child; DELETE FROM t_items"), 0);
}

/* ---- savepoint isolation: a failing write in a group undoes only itself ---- */

struct iso_job {
    struct ps_db *db;
    struct item it;
    bool fail;
    bool slow;
    int rc;
};

static int iso_fn(struct ps_db_conn *c, void *arg)
{
    struct iso_job *j = arg;
    int rc = insert_item(c, &j->it);

    if (j->slow)
        usleep(200 * 1000);   /* hold the writer so the others queue into one group */
    if (rc < 0)
        return ps_db_err_to_ps(rc);
    return j->fail ? PS_E_VALIDATION : 0;
}

static void *iso_thread(void *arg)
{
    struct iso_job *j = arg;
    j->rc = ps_db_write(j->db, iso_fn, j);
    return NULL;
}

static void test_savepoint_isolation(void **state)
{
    struct suite *st = need(state);
    struct iso_job jobs[5] = {
        { .it = { 300, "slow", 1, NULL }, .slow = true },
        { .it = { 301, "ok-1", 1, NULL } },
        { .it = { 302, "fails", 1, NULL }, .fail = true },
        { .it = { 303, "ok-2", 1, NULL } },
        { .it = { 304, "slow", 1, NULL } },   /* duplicate name of 300: UNIQUE, rolled back */
    };
    pthread_t th[5];
    struct ps_db_stats before, after;

    for (int i = 0; i < 5; i++)
        jobs[i].db = st->db;
    ps_db_stats(st->db, &before);
    assert_int_equal(pthread_create(&th[0], NULL, iso_thread, &jobs[0]), 0);
    usleep(50 * 1000);
    for (int i = 1; i < 5; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, iso_thread, &jobs[i]), 0);
    }
    for (int i = 0; i < 5; i++)
        pthread_join(th[i], NULL);
    ps_db_stats(st->db, &after);

    assert_int_equal(jobs[0].rc, 0);
    assert_int_equal(jobs[1].rc, 0);
    assert_int_equal(jobs[2].rc, PS_E_VALIDATION);
    assert_int_equal(jobs[3].rc, 0);
    assert_int_equal(jobs[4].rc, PS_E_DUPLICATE);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM t_items WHERE id IN (300, 301, 303)"), 3);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM t_items WHERE id IN (302, 304)"), 0);
    assert_int_equal(after.writes - before.writes, 5);
    if (ps_db_backend(st->db) == PS_DB_SQLITE)
        assert_int_equal(after.write_groups - before.write_groups, 2);
    assert_int_equal(ps_db_write(st->db, exec_fn, "DELETE FROM t_items"), 0);
}

/* ---- many concurrent writers ---- */

#define WRITERS 8
#define WRITES_EACH 500

struct writer_arg { struct ps_db *db; int thread; int seq; int failures; };

static const char SQL_ROW[] = "INSERT INTO t_rows (id, thread, seq) VALUES ($1, $2, $3)";
static const char SQL_BUMP[] = "UPDATE t_counter SET n = n + 1 WHERE id = 1";

static int writer_fn(struct ps_db_conn *c, void *arg)
{
    struct writer_arg *w = arg;
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_ROW, &s);

    if (rc < 0)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, (int64_t)w->thread * WRITES_EACH + w->seq);
    ps_db_bind_int64(s, 2, w->thread);
    ps_db_bind_int64(s, 3, w->seq);
    rc = ps_db_step(s);
    ps_db_reset(s);
    if (rc < 0)
        return ps_db_err_to_ps(rc);
    if ((rc = ps_db_prepare(c, SQL_BUMP, &s)) < 0)
        return ps_db_err_to_ps(rc);
    rc = ps_db_step(s);
    if (rc >= 0 && ps_db_changes(s) != 1)
        rc = PS_E_INTERNAL;
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}

static void *writer_thread(void *arg)
{
    struct writer_arg *w = arg;

    for (w->seq = 0; w->seq < WRITES_EACH; w->seq++) {
        if (ps_db_write(w->db, writer_fn, w) != 0)
            w->failures++;
    }
    return NULL;
}

static void test_concurrent_writes(void **state)
{
    struct suite *st = need(state);
    struct writer_arg args[WRITERS];
    pthread_t th[WRITERS];
    struct ps_db_stats before, after;

    ps_db_stats(st->db, &before);
    for (int i = 0; i < WRITERS; i++) {
        args[i] = (struct writer_arg){ .db = st->db, .thread = i };
        assert_int_equal(pthread_create(&th[i], NULL, writer_thread, &args[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].failures, 0);
    }
    ps_db_stats(st->db, &after);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM t_rows"), WRITERS * WRITES_EACH);
    assert_int_equal(count_rows(st->db, "SELECT n FROM t_counter WHERE id = 1"), WRITERS * WRITES_EACH);
    assert_int_equal(after.writes - before.writes, WRITERS * WRITES_EACH);
    if (ps_db_backend(st->db) == PS_DB_SQLITE)
        assert_true(after.write_groups - before.write_groups < after.writes - before.writes);
    assert_int_equal(after.write_queue, 0);
    assert_int_equal(after.readers_busy, 0);
    assert_true(after.readers_total > 0);
}

static const char SQL_RETURNING[] =
    "INSERT INTO t_items (id, name, price) VALUES ($1, $2, 0) RETURNING id, name";

static int returning_fn(struct ps_db_conn *c, void *arg)
{
    struct ps_db_stmt *s;
    int64_t *changes = arg;
    int rc = ps_db_prepare(c, SQL_RETURNING, &s);

    if (rc < 0)
        return ps_db_err_to_ps(rc);
    ps_db_bind_int64(s, 1, 500);
    ps_db_bind_text(s, 2, "returned");
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW && (ps_db_col_int64(s, 0) != 500 || strcmp(ps_db_col_text(s, 1), "returned")))
        rc = PS_E_INTERNAL;
    if (rc == PS_DB_ROW)
        rc = ps_db_step(s);
    *changes = ps_db_changes(s);
    ps_db_reset(s);
    return rc < 0 ? ps_db_err_to_ps(rc) : rc == PS_DB_DONE ? 0 : PS_E_INTERNAL;
}

static void test_returning(void **state)
{
    struct suite *st = need(state);
    int64_t changes = -1;

    assert_int_equal(ps_db_write(st->db, returning_fn, &changes), 0);
    assert_int_equal(changes, 1);
    assert_int_equal(ps_db_write(st->db, exec_fn, "DELETE FROM t_items WHERE id = 500"), 0);
}

/* PostgreSQL: a serialization failure or deadlock makes ps_db_write run fn again. */
struct retry_arg { int calls; const char *raise; };

static int retry_fn(struct ps_db_conn *c, void *arg)
{
    struct retry_arg *r = arg;

    if (r->calls++ < 2)
        return ps_db_err_to_ps(ps_db_exec(c, r->raise));
    return 0;
}

static void test_pg_retry(void **state)
{
    struct suite *st = need(state);
    struct retry_arg serial = { 0, "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40001'; END $$" };
    struct retry_arg deadlock = { 0, "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40P01'; END $$" };
    struct retry_arg other = { 0, "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '23505'; END $$" };

    if (ps_db_backend(st->db) != PS_DB_POSTGRES)
        skip();
    assert_int_equal(ps_db_write(st->db, retry_fn, &serial), 0);
    assert_int_equal(serial.calls, 3);
    assert_int_equal(ps_db_write(st->db, retry_fn, &deadlock), 0);
    assert_int_equal(deadlock.calls, 3);
    assert_int_equal(ps_db_write(st->db, retry_fn, &other), PS_E_DUPLICATE);
    assert_int_equal(other.calls, 1);
}

/* PostgreSQL: a connection killed under us fails with CONN, then is reset on next borrow. */
static void test_pg_reconnect(void **state)
{
    struct suite *st = need(state);
    struct ps_db_stmt *s;
    char kill[96];

    if (ps_db_backend(st->db) != PS_DB_POSTGRES)
        skip();
    struct ps_db_conn *c = ps_db_reader(st->db);
    assert_int_equal(ps_db_prepare(c, "SELECT pg_backend_pid()", &s), 0);
    assert_int_equal(ps_db_step(s), PS_DB_ROW);
    int64_t pid = ps_db_col_int64(s, 0);
    ps_db_reset(s);

    struct ps_db_conn *killer = ps_db_reader(st->db);
    snprintf(kill, sizeof kill, "SELECT pg_terminate_backend(%lld)", (long long)pid);
    assert_int_equal(ps_db_exec(killer, kill), 0);
    ps_db_release(killer);
    usleep(100 * 1000);

    assert_int_equal(ps_db_prepare(c, "SELECT pg_backend_pid()", &s), 0);
    assert_int_equal(ps_db_step(s), PS_DB_E_CONN);
    assert_true(strlen(ps_db_errmsg(c)) > 0);
    ps_db_reset(s);
    ps_db_release(c);

    /* the pool hands connections out last-in first-out: this is the same one, reset */
    c = ps_db_reader(st->db);
    assert_int_equal(ps_db_prepare(c, "SELECT pg_backend_pid()", &s), 0);
    assert_int_equal(ps_db_step(s), PS_DB_ROW);
    assert_true(ps_db_col_int64(s, 0) != pid);
    ps_db_reset(s);
    ps_db_release(c);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM t_counter"), 1);
}

/* Nested writes would deadlock the SQLite writer thread: refused. */
static int nested_fn(struct ps_db_conn *c, void *arg)
{
    return ps_db_write(arg, exec_fn, "SELECT 1");
}

static void test_nested_write_refused(void **state)
{
    struct suite *st = need(state);

    if (ps_db_backend(st->db) != PS_DB_SQLITE)
        skip();
    assert_int_equal(ps_db_write(st->db, nested_fn, st->db), PS_E_INTERNAL);
}

static void test_reopen_keeps_data(void **state)
{
    struct suite *st = need(state);
    struct item it = { 400, "persisted", 3.5, "x" };
    char err[256];

    assert_int_equal(ps_db_write(st->db, insert_item_fn, &it), 0);
    ps_db_close(st->db);
    st->db = NULL;
    assert_int_equal(ps_db_open(st->url, NULL, &st->db, err, sizeof err), 0);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM t_items WHERE id = 400"), 1);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM t_rows"), WRITERS * WRITES_EACH);
}

/* Migrations are tested with lists of our own: the embedded ones may need init hooks
 * (FTS5 tokenizers) that the modules register, which this test does not link. */
static const struct ps_migration test_migs[] = {
    { 9001, "9001_t_mig_a.sql",
      "CREATE TABLE t_mig_a (id INTEGER PRIMARY KEY);\n"
      "INSERT INTO t_mig_a (id) VALUES (1);" },
    { 9002, "9002_t_mig_b.sql",
      "CREATE TABLE t_mig_b (id INTEGER PRIMARY KEY, a INTEGER REFERENCES t_mig_a(id));" },
};
static const struct ps_migration bad_migs[] = {
    { 9003, "9003_t_mig_c.sql", "CREATE TABLE t_mig_c (id INTEGER PRIMARY KEY);" },
    { 9004, "9004_broken.sql", "CREATE TABLE t_mig_d (id INTEGER PRIMARY KEY); CREATE TABLE (" },
};
static const char SQL_MIG_CLEAN[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL, applied_at BIGINT NOT NULL);"
    "DELETE FROM schema_migrations WHERE version >= 9000;"
    "DROP TABLE IF EXISTS t_mig_b; DROP TABLE IF EXISTS t_mig_a;"
    "DROP TABLE IF EXISTS t_mig_c; DROP TABLE IF EXISTS t_mig_d;";

struct mig_run { struct ps_db *db; int rc, applied; char err[256]; };

static void *mig_thread(void *arg)
{
    struct mig_run *r = arg;
    r->rc = ps_db_migrate_list(r->db, test_migs, 2, &r->applied, r->err, sizeof r->err);
    return NULL;
}

static void test_embedded_migrations_sorted(void **state)
{
    for (int b = PS_DB_SQLITE; b <= PS_DB_POSTGRES; b++) {
        size_t n;
        const struct ps_migration *list = ps_db_migrations(b, &n);
        for (size_t i = 0; i < n; i++) {
            assert_non_null(list[i].name);
            assert_non_null(list[i].sql);
            assert_true(list[i].version > 0);
            if (i > 0)
                assert_true(list[i - 1].version < list[i].version);
        }
    }
}

static void test_migrations_idempotent(void **state)
{
    struct suite *st = need(state);
    struct mig_run runs[2] = { { .db = st->db }, { .db = st->db } };
    pthread_t th[2];
    char err[256] = "";
    int applied = -1;

    /* SQLite starts from a fresh file, so the "no schema_migrations yet" path runs there */
    if (ps_db_backend(st->db) == PS_DB_POSTGRES)
        assert_int_equal(ps_db_write(st->db, exec_fn, (void *)SQL_MIG_CLEAN), 0);
    assert_int_equal(ps_db_pending_list(st->db, test_migs, 2), 2);

    /* two "nodes" starting together apply each migration once */
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, mig_thread, &runs[i]), 0);
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        if (runs[i].rc != 0)
            fail_msg("migrate: %d %s", runs[i].rc, runs[i].err);
    }
    assert_int_equal(runs[0].applied + runs[1].applied, 2);
    assert_int_equal(ps_db_pending_list(st->db, test_migs, 2), 0);
    assert_int_equal(ps_db_migrate_list(st->db, test_migs, 2, &applied, err, sizeof err), 0);
    assert_int_equal(applied, 0);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM schema_migrations WHERE version >= 9000"), 2);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM t_mig_a"), 1);

    /* a broken migration stops the run, names itself, and leaves no trace */
    assert_int_equal(ps_db_migrate_list(st->db, bad_migs, 2, &applied, err, sizeof err), PS_E_DB);
    assert_int_equal(applied, 1);
    assert_non_null(strstr(err, "9004_broken.sql"));
    assert_int_equal(ps_db_pending_list(st->db, bad_migs, 2), 1);
    assert_int_equal(count_rows(st->db, "SELECT count(*) FROM schema_migrations WHERE version = 9004"), 0);
    assert_int_equal(ps_db_write(st->db, exec_fn, "INSERT INTO t_mig_d (id) VALUES (1)"), PS_E_DB);
}

#define DB_TESTS                                         \
    cmocka_unit_test(test_crud),                         \
    cmocka_unit_test(test_param_rewrite),                \
    cmocka_unit_test(test_stmt_cache_eviction),          \
    cmocka_unit_test(test_constraint_mapping),           \
    cmocka_unit_test(test_savepoint_isolation),          \
    cmocka_unit_test(test_concurrent_writes),            \
    cmocka_unit_test(test_nested_write_refused),         \
    cmocka_unit_test(test_returning),                    \
    cmocka_unit_test(test_pg_retry),                     \
    cmocka_unit_test(test_pg_reconnect),                 \
    cmocka_unit_test(test_reopen_keeps_data),            \
    cmocka_unit_test(test_migrations_idempotent)

int main(void)
{
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_err_mapping),
        cmocka_unit_test(test_embedded_migrations_sorted),
    };
    const struct CMUnitTest sqlite_tests[] = { DB_TESTS };
    const struct CMUnitTest pg_tests[] = { DB_TESTS };
    int failed = 0;

    failed += cmocka_run_group_tests_name("db", plain, NULL, NULL);
    failed += cmocka_run_group_tests_name("db.sqlite", sqlite_tests, setup_sqlite, teardown_sqlite);
    failed += cmocka_run_group_tests_name("db.postgres", pg_tests, setup_pg, teardown_pg);
    return failed ? 1 : 0;
}
