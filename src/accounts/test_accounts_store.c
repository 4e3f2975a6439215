/* Tests of the accounts SQL and the roles.h contract on a real SQLite file: the module's
 * migration is applied by hand (only the core's and ours, so other modules' tables do not
 * matter here), then roles, look-ups, lockout counting, refresh tokens and counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "accounts_store.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/router.h"
#include "roles.h"

static struct ps_db *db;
static struct ps_pii_keys keys;
static struct ps_app app;
static char db_path[256];

static char *slurp(const char *rel)
{
    const char *root = getenv("PS_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
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

static int schema_fn(struct ps_db_conn *c, void *arg)
{
    const char *const files[] = { "migrations/sqlite/0001_core.sql", "migrations/sqlite/0002_accounts.sql" };
    for (size_t i = 0; i < 2; i++) {
        char *sql = slurp(files[i]);
        if (!sql)
            return PS_E_INTERNAL;
        int rc = ps_db_exec(c, sql);
        free(sql);
        if (rc != 0)
            return ps_db_err_to_ps(rc);
    }
    return 0;
}

static int setup(void **state)
{
    char err[256];
    snprintf(db_path, sizeof db_path, "/tmp/ps-accounts-test-%d.db", (int)getpid());
    unlink(db_path);
    char url[300];
    snprintf(url, sizeof url, "sqlite:%s", db_path);
    if (ps_db_open(url, NULL, &db, err, sizeof err) != 0) {
        fprintf(stderr, "open: %s\n", err);
        return -1;
    }
    if (ps_db_write(db, schema_fn, NULL) != 0)
        return -1;
    unsigned char master[PS_PII_KEY_BYTES] = { 7 };
    ps_pii_keys_init(&keys, master);
    app.db = db;
    app.pii = &keys;
    ps_app_set(&app);
    return 0;
}

static int teardown(void **state)
{
    ps_db_close(db);
    char p[300];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
    return 0;
}

/* --- helpers ---------------------------------------------------------------------- */

struct new_user { struct accounts_user u; char phone_index[PS_PII_INDEX_LEN + 1]; bool phone; };

static int insert_fn(struct ps_db_conn *c, void *arg)
{
    struct new_user *n = arg;
    int rc = accounts_store_insert_user(c, &n->u, n->phone ? n->phone_index : NULL);
    return rc ? rc : accounts_store_role_add(c, n->u.id, "owner", NULL, n->u.created_at);
}

static int make_user(const char *email, const char *phone, char id_out[PS_ID_LEN + 1])
{
    struct new_user n = { .phone = phone != NULL };
    ps_id_new(n.u.id);
    snprintf(n.u.name, sizeof n.u.name, "Tester");
    snprintf(n.u.email, sizeof n.u.email, "%s", email ? email : "");
    snprintf(n.u.password_hash, sizeof n.u.password_hash, "$argon2id$not-a-real-hash");
    n.u.created_at = 1000;
    if (phone) {
        assert_int_equal(ps_pii_seal(&keys, phone, n.u.phone_sealed, sizeof n.u.phone_sealed), 0);
        ps_pii_blind_index(&keys, phone, n.phone_index);
    }
    int rc = ps_db_write(db, insert_fn, &n);
    if (rc == 0 && id_out)
        memcpy(id_out, n.u.id, PS_ID_LEN + 1);
    return rc;
}

struct role_op { const char *user, *role, *provider; bool revoke; };

static int role_fn(struct ps_db_conn *c, void *arg)
{
    struct role_op *o = arg;
    return o->revoke ? accounts_revoke_role(c, o->user, o->role, o->provider)
                     : accounts_grant_role(c, o->user, o->role, o->provider);
}

static int grant_role(const char *user, const char *role, const char *provider)
{
    struct role_op o = { user, role, provider, false };
    return ps_db_write(db, role_fn, &o);
}

static int revoke_role(const char *user, const char *role, const char *provider)
{
    struct role_op o = { user, role, provider, true };
    return ps_db_write(db, role_fn, &o);
}

static bool has(const char *user, const char *provider, const char *csv)
{
    struct ps_db_conn *c = ps_db_reader(db);
    bool v = accounts_has_provider_role(c, user, provider, csv);
    ps_db_release(c);
    return v;
}

/* --- tests ------------------------------------------------------------------------ */

static void test_users_unique(void **state)
{
    char id[PS_ID_LEN + 1];
    assert_int_equal(make_user("a@example.com", NULL, id), 0);
    assert_int_equal(make_user("a@example.com", NULL, NULL), PS_E_DUPLICATE);
    assert_int_equal(make_user(NULL, "13800000001", NULL), 0);
    assert_int_equal(make_user(NULL, "13800000001", NULL), PS_E_DUPLICATE);
    assert_int_equal(make_user(NULL, "13800000002", NULL), 0);
}

static void test_find_by_login_and_name(void **state)
{
    char id[PS_ID_LEN + 1], found[27], name[64];
    assert_int_equal(make_user(NULL, "13900000001", id), 0);
    struct ps_db_conn *c = ps_db_reader(db);
    assert_int_equal(accounts_find_by_login(c, "+86 139-0000-0001", found), 0);
    assert_string_equal(found, id);
    assert_int_equal(accounts_find_by_login(c, "13900000009", found), PS_E_NOT_FOUND);
    assert_string_equal(found, "");
    assert_int_equal(accounts_user_name(c, id, name, sizeof name), 0);
    assert_string_equal(name, "Tester");
    assert_int_equal(accounts_user_name(c, "01nosuchuser0000000000000", name, sizeof name), PS_E_NOT_FOUND);
    assert_string_equal(name, "");
    ps_db_release(c);

    assert_int_equal(make_user("find.me@example.com", NULL, id), 0);
    c = ps_db_reader(db);
    assert_int_equal(accounts_find_by_login(c, "Find.Me@Example.com", found), 0);
    assert_string_equal(found, id);
    assert_int_equal(accounts_find_by_login(c, "nobody", found), PS_E_NOT_FOUND);
    ps_db_release(c);
}

static void test_roles_contract(void **state)
{
    char id[PS_ID_LEN + 1];
    assert_int_equal(make_user("roles@example.com", NULL, id), 0);

    /* provider roles need a provider; platform roles must not have one */
    assert_int_equal(grant_role(id, "technician", NULL), PS_E_VALIDATION);
    assert_int_equal(grant_role(id, "operator", "prov1"), PS_E_VALIDATION);
    assert_int_equal(grant_role(id, "wizard", NULL), PS_E_VALIDATION);
    assert_int_equal(grant_role("01nosuchuser0000000000000", "technician", "prov1"), PS_E_NOT_FOUND);

    assert_false(has(id, "prov1", "technician,advisor"));
    assert_int_equal(grant_role(id, "technician", "prov1"), 0);
    assert_int_equal(grant_role(id, "technician", "prov1"), 0);      /* twice: a no-op */
    assert_true(has(id, "prov1", "technician,advisor"));
    assert_true(has(id, "prov1", "advisor,technician"));
    assert_false(has(id, "prov1", "provider_admin"));
    assert_false(has(id, "prov1", "tech"));                     /* whole names only */
    assert_false(has(id, "prov2", "technician"));
    assert_false(has(id, NULL, "technician"));

    assert_int_equal(grant_role(id, "operator", NULL), 0);
    assert_int_equal(grant_role(id, "operator", NULL), 0);           /* NULL provider: still unique */
    struct ps_claims claims = { 0 };
    struct ps_db_conn *c = ps_db_reader(db);
    assert_int_equal(accounts_store_platform_roles(c, id, &claims), 0);
    json_t *pr = json_array();
    assert_int_equal(accounts_store_provider_roles(c, id, pr), 0);
    ps_db_release(c);
    assert_int_equal(claims.nroles, 2);
    assert_string_equal(claims.roles[0], "owner");
    assert_string_equal(claims.roles[1], "operator");
    assert_int_equal(json_array_size(pr), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(pr, 0), "provider_id")), "prov1");
    assert_string_equal(json_string_value(json_object_get(json_array_get(pr, 0), "role")), "technician");
    json_decref(pr);

    assert_int_equal(revoke_role(id, "technician", "prov1"), 0);
    assert_false(has(id, "prov1", "technician"));
    assert_int_equal(revoke_role(id, "technician", "prov1"), 0);     /* not held: a no-op */
    assert_int_equal(revoke_role(id, "operator", NULL), 0);
    c = ps_db_reader(db);
    memset(&claims, 0, sizeof claims);
    assert_int_equal(accounts_store_platform_roles(c, id, &claims), 0);
    ps_db_release(c);
    assert_int_equal(claims.nroles, 1);
}

struct failure_op { const char *key; int64_t now; };

static int failure_fn(struct ps_db_conn *c, void *arg)
{
    struct failure_op *f = arg;
    return accounts_store_failure_add(c, f->key, f->now, 900000, 5, 900000);
}

static int64_t locked_until(const char *key)
{
    int64_t v = -1;
    struct ps_db_conn *c = ps_db_reader(db);
    assert_int_equal(accounts_store_lock_get(c, key, &v), 0);
    ps_db_release(c);
    return v;
}

static void test_lockout_counting(void **state)
{
    const int64_t t0 = 1700000000000;
    struct failure_op f = { "key-a", t0 };
    assert_int_equal(locked_until("key-a"), 0);
    for (int i = 0; i < 4; i++) {
        f.now = t0 + i * 1000;
        assert_int_equal(ps_db_write(db, failure_fn, &f), 0);
        assert_int_equal(locked_until("key-a"), 0);
    }
    f.now = t0 + 10000;                            /* the fifth within the window locks */
    assert_int_equal(ps_db_write(db, failure_fn, &f), 0);
    assert_int_equal(locked_until("key-a"), t0 + 10000 + 900000);

    /* failures spread wider than the window never lock */
    struct failure_op g = { "key-b", t0 };
    for (int i = 0; i < 10; i++) {
        g.now = t0 + (int64_t)i * 300000;          /* every 5 minutes: window restarts */
        assert_int_equal(ps_db_write(db, failure_fn, &g), 0);
    }
    assert_int_equal(locked_until("key-b"), 0);
}

struct refresh_op { const char *hash, *family, *user; int64_t now; bool won; };

static int refresh_insert_fn(struct ps_db_conn *c, void *arg)
{
    struct refresh_op *o = arg;
    return accounts_store_refresh_insert(c, o->hash, o->family, o->user, o->now, o->now + 1000);
}

static int refresh_use_fn(struct ps_db_conn *c, void *arg)
{
    struct refresh_op *o = arg;
    return accounts_store_refresh_use(c, o->hash, o->now, &o->won);
}

static int refresh_revoke_fn(struct ps_db_conn *c, void *arg)
{
    struct refresh_op *o = arg;
    return accounts_store_refresh_revoke_family(c, o->family, o->now);
}

static void test_refresh_rows(void **state)
{
    char id[PS_ID_LEN + 1];
    assert_int_equal(make_user("refresh@example.com", NULL, id), 0);
    struct refresh_op a = { "hash-a", "fam-1", id, 5000, false }, b = { "hash-b", "fam-1", id, 6000, false };
    assert_int_equal(ps_db_write(db, refresh_insert_fn, &a), 0);
    assert_int_equal(ps_db_write(db, refresh_insert_fn, &b), 0);
    assert_int_equal(ps_db_write(db, refresh_use_fn, &a), 0);
    assert_true(a.won);
    assert_int_equal(ps_db_write(db, refresh_use_fn, &a), 0);
    assert_false(a.won);                           /* single use */
    assert_int_equal(ps_db_write(db, refresh_revoke_fn, &a), 0);

    struct accounts_refresh row;
    struct ps_db_conn *c = ps_db_reader(db);
    assert_int_equal(accounts_store_refresh_get(c, "hash-b", &row), 0);
    assert_string_equal(row.family_id, "fam-1");
    assert_string_equal(row.user_id, id);
    assert_int_equal(row.expires_at, 7000);
    assert_int_equal(row.used_at, 0);
    assert_int_equal(row.revoked_at, 5000);        /* the family went with it */
    assert_int_equal(accounts_store_refresh_get(c, "hash-none", &row), PS_E_NOT_FOUND);
    ps_db_release(c);
    /* a revoked token cannot be used either */
    assert_int_equal(ps_db_write(db, refresh_use_fn, &b), 0);
    assert_false(b.won);
}

struct rate_op { int64_t hits; };

static int rate_fn(struct ps_db_conn *c, void *arg)
{
    return accounts_store_rate_hit(c, "signup:127.0.0.1", 3600000, &((struct rate_op *)arg)->hits);
}

static void test_rate_counter(void **state)
{
    struct rate_op r;
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(ps_db_write(db, rate_fn, &r), 0);
        assert_int_equal(r.hits, i);
    }
    int64_t hits = 0;
    struct ps_db_conn *c = ps_db_reader(db);
    assert_int_equal(accounts_store_rate_get(c, "signup:127.0.0.1", 3600000, &hits), 0);
    assert_int_equal(hits, 3);
    assert_int_equal(accounts_store_rate_get(c, "signup:127.0.0.1", 7200000, &hits), 0);
    assert_int_equal(hits, 0);
    ps_db_release(c);
}

static int purge_fn(struct ps_db_conn *c, void *arg)
{
    return accounts_store_purge(c, *(int64_t *)arg);
}

static void test_purge(void **state)
{
    int64_t now = 1800000000000;
    assert_int_equal(ps_db_write(db, purge_fn, &now), 0);
    struct accounts_refresh row;
    struct ps_db_conn *c = ps_db_reader(db);
    assert_int_equal(accounts_store_refresh_get(c, "hash-b", &row), PS_E_NOT_FOUND);
    ps_db_release(c);
    assert_int_equal(locked_until("key-a"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_users_unique),
        cmocka_unit_test(test_find_by_login_and_name),
        cmocka_unit_test(test_roles_contract),
        cmocka_unit_test(test_lockout_counting),
        cmocka_unit_test(test_refresh_rows),
        cmocka_unit_test(test_rate_counter),
        cmocka_unit_test(test_purge),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
