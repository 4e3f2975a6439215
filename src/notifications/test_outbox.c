/* The outbox on a real SQLite file: events commit (or roll back) with their transaction,
 * delivery moves each into the inbox once even when a row is delivered again (a crash between
 * claim and commit elsewhere), and the inbox reads page and mark per user. */
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
#include "core/errors.h"
#include "core/router.h"
#include "notifications/notifications_store.h"
#include "notifications/notify.h"

static struct ps_db *db;
static struct ps_app app;
static char path[256];

static char *read_file(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

static int exec_tx(struct ps_db_conn *c, void *arg) { return ps_db_exec(c, arg); }

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/pitstop-outbox-%d.db", (int)getpid());
    unlink(path);
    char url[300], err[256];
    snprintf(url, sizeof url, "sqlite:%s", path);
    if (ps_db_open(url, NULL, &db, err, sizeof err) != 0)
        return -1;
    app.db = db;
    ps_app_set(&app);
    char mig[512];
    const char *src = getenv("PS_SOURCE_DIR");
    snprintf(mig, sizeof mig, "%s/migrations/sqlite/0053_notifications.sql", src ? src : ".");
    char *sql = read_file(mig);
    if (!sql)
        return -1;
    int rc = ps_db_write(db, exec_tx, sql);
    free(sql);
    return rc;
}

static int teardown(void **state)
{
    ps_db_close(db);
    unlink(path);
    char side[300];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return 0;
}

static int enqueue_three(struct ps_db_conn *c, void *arg)
{
    int rc = notify_enqueue(c, "user_a", "order.paid", "Paid", json_pack("{s:s}", "order_id", "o1"));
    if (rc == 0)
        rc = notify_enqueue(c, "user_a", "order.accepted", "Accepted", NULL);
    if (rc == 0)
        rc = notify_enqueue(c, "user_b", "order.paid", "Paid", json_object());
    return rc;
}

static int enqueue_then_fail(struct ps_db_conn *c, void *arg)
{
    int rc = notify_enqueue(c, "user_a", "order.ghost", "Never announced", NULL);
    return rc ? rc : PS_E_CONFLICT;     /* the change it announced is rolled back: so is it */
}

static int deliver(struct ps_db_conn *c, void *arg)
{
    return notifications_store_deliver(c, 1000, arg);
}

static int undeliver_all(struct ps_db_conn *c, void *arg)
{
    return ps_db_exec(c, "UPDATE notify_outbox SET delivered_at = NULL");
}

static int count_inbox(const char *user)
{
    json_t *items = json_array();
    bool more = false;
    struct ps_db_conn *c = ps_db_reader(db);
    int rc = notifications_store_list(c, user, NULL, false, 100, items, &more);
    ps_db_release(c);
    assert_int_equal(rc, 0);
    int n = (int)json_array_size(items);
    json_decref(items);
    return n;
}

static void test_outbox_to_inbox_once(void **state)
{
    assert_int_equal(ps_db_write(db, enqueue_three, NULL), 0);
    assert_int_equal(ps_db_write(db, enqueue_then_fail, NULL), PS_E_CONFLICT);
    assert_int_equal(notify_enqueue(NULL, "u", "k", "t", NULL), PS_E_INTERNAL);

    bool any = false;
    struct ps_db_conn *c = ps_db_reader(db);
    assert_int_equal(notifications_store_pending(c, &any), 0);
    ps_db_release(c);
    assert_true(any);

    int delivered = -1;
    assert_int_equal(ps_db_write(db, deliver, &delivered), 0);
    assert_int_equal(delivered, 3);
    assert_int_equal(ps_db_write(db, deliver, &delivered), 0);
    assert_int_equal(delivered, 0);
    assert_int_equal(count_inbox("user_a"), 2);
    assert_int_equal(count_inbox("user_b"), 1);

    /* At least once: the same rows delivered again leave one inbox row each. */
    assert_int_equal(ps_db_write(db, undeliver_all, NULL), 0);
    assert_int_equal(ps_db_write(db, deliver, &delivered), 0);
    assert_int_equal(count_inbox("user_a"), 2);
    assert_int_equal(count_inbox("user_b"), 1);

    c = ps_db_reader(db);
    assert_int_equal(notifications_store_pending(c, &any), 0);
    ps_db_release(c);
    assert_false(any);
}

struct mark { const char *user, *id; json_t *out; };

static int mark_tx(struct ps_db_conn *c, void *arg)
{
    struct mark *m = arg;
    return notifications_store_mark_read(c, m->user, m->id, 2000, &m->out);
}

static void test_pages_and_read(void **state)
{
    json_t *items = json_array();
    bool more = false;
    struct ps_db_conn *c = ps_db_reader(db);
    assert_int_equal(notifications_store_list(c, "user_a", NULL, false, 1, items, &more), 0);
    ps_db_release(c);
    assert_int_equal(json_array_size(items), 1);
    assert_true(more);
    json_t *newest = json_array_get(items, 0);
    /* Both were queued in the same millisecond: either may sort first. */
    const char *first_kind = json_string_value(json_object_get(newest, "kind"));
    const char *other_kind = strcmp(first_kind, "order.paid") == 0 ? "order.accepted" : "order.paid";
    const char *id = json_string_value(json_object_get(newest, "id"));

    struct mark m = { "user_b", id, NULL };
    assert_int_equal(ps_db_write(db, mark_tx, &m), PS_E_NOT_FOUND);
    m.user = "user_a";
    assert_int_equal(ps_db_write(db, mark_tx, &m), 0);
    assert_true(json_is_true(json_object_get(m.out, "read")));
    json_decref(m.out);

    json_t *page2 = json_array();
    c = ps_db_reader(db);
    assert_int_equal(notifications_store_list(c, "user_a", id, false, 10, page2, &more), 0);
    assert_int_equal(json_array_size(page2), 1);
    assert_false(more);
    assert_string_equal(json_string_value(json_object_get(json_array_get(page2, 0), "kind")), other_kind);
    json_t *unread = json_array();
    assert_int_equal(notifications_store_list(c, "user_a", NULL, true, 10, unread, &more), 0);
    ps_db_release(c);
    assert_int_equal(json_array_size(unread), 1);
    json_decref(items);
    json_decref(page2);
    json_decref(unread);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outbox_to_inbox_once),
        cmocka_unit_test(test_pages_and_read),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
