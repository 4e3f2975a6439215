/* The log against a real temporary SQLite database through the core db API: appends, signed
 * heads, proofs read from stored nodes (checked against an in-memory tree and the verifiers),
 * verify-log on an intact log and on every kind of tampering, and proof speed at 100,000
 * leaves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/pii.h"
#include "core/router.h"
#include "transparency/merkle.h"
#include "transparency/sth.h"
#include "transparency/translog.h"
#include "transparency/translog_store.h"
#include "transparency/translog_verify.h"

static struct ps_pii_keys keys;
static struct ps_app app = { .pii = &keys };
static char dir[] = "/tmp/pitstop-translog-XXXXXX";
static int dbno;

static int exec_tx(struct ps_db_conn *c, void *arg) { return ps_db_exec(c, arg) ? PS_E_DB : 0; }

static struct ps_db *open_db(void)
{
    char url[256], err[256];
    snprintf(url, sizeof url, "sqlite:%s/log%d.db", dir, dbno++);
    struct ps_db *db = NULL;
    int rc = ps_db_open(url, NULL, &db, err, sizeof err);
    if (rc)
        fail_msg("open: %s", err);
    /* Only this module's migrations: the test must not depend on every other module. */
    size_t n;
    const struct ps_migration *m = ps_db_migrations(PS_DB_SQLITE, &n);
    for (size_t i = 0; i < n; i++)
        if (strstr(m[i].name, "translog"))
            assert_int_equal(ps_db_write(db, exec_tx, (void *)m[i].sql), 0);
    return db;
}

struct append_args { int first, count; };

static int append_tx(struct ps_db_conn *c, void *arg)
{
    const struct append_args *a = arg;
    for (int i = a->first; i < a->first + a->count; i++) {
        json_t *rec = json_pack("{s:s, s:i, s:[s], s:s, s:i}", "vin", "LSVAB4187GN012345",
                                "odometer_km", 1000 + i, "items", "更换机油", "provider_id", "p1",
                                "n", i);
        int64_t idx = -1;
        int rc = translog_append(c, rec, &idx);
        json_decref(rec);
        if (rc)
            return rc;
        if (idx != i)
            return PS_E_INTERNAL;
    }
    return 0;
}

static void append_n(struct ps_db *db, int first, int count, int per_tx)
{
    for (int done = 0; done < count; done += per_tx) {
        struct append_args a = { first + done, count - done < per_tx ? count - done : per_tx };
        assert_int_equal(ps_db_write(db, append_tx, &a), 0);
    }
}


static void tamper(struct ps_db *db, const char *sql)
{
    /* A tamperer with database access drops the append-only triggers first. */
    static const char drop[] =
        "DROP TRIGGER IF EXISTS translog_leaves_no_update; DROP TRIGGER IF EXISTS translog_leaves_no_delete;"
        "DROP TRIGGER IF EXISTS translog_sths_no_update; DROP TRIGGER IF EXISTS translog_sths_no_delete;"
        "DROP TRIGGER IF EXISTS translog_nodes_no_update; DROP TRIGGER IF EXISTS translog_nodes_no_delete;";
    assert_int_equal(ps_db_write(db, exec_tx, (void *)drop), 0);
    assert_int_equal(ps_db_write(db, exec_tx, (void *)sql), 0);
}

static int verify(struct ps_db *db, struct translog_verify_result *res)
{
    struct ps_db_conn *c = ps_db_reader(db);
    int rc = translog_verify(c, res);
    ps_db_release(c);
    return rc;
}

static int append_real_tx(struct ps_db_conn *c, void *arg)
{
    json_t *rec = json_pack("{s:f}", "odometer_km", 1.5);
    int rc = translog_append(c, rec, NULL);
    json_decref(rec);
    return rc;
}

static int start_tx(struct ps_db_conn *c, void *arg) { return translog_store_ensure_started(c); }

static void test_append_proofs(void **state)
{
    struct ps_db *db = open_db();
    assert_int_equal(ps_db_write(db, start_tx, NULL), 0);
    struct translog_verify_result res;
    assert_int_equal(verify(db, &res), 0);   /* the empty log */
    assert_int_equal(res.heads, 1);

    append_n(db, 0, 300, 37);
    struct ps_db_conn *c = ps_db_reader(db);
    uint64_t size = 0;
    assert_int_equal(translog_store_size(c, &size), 0);
    assert_int_equal(size, 300);

    /* Leaf data is canonical JSON; hashes recompute. */
    char *data;
    merkle_hash h, want;
    assert_int_equal(translog_store_leaf(c, 7, &data, h), 0);
    assert_string_equal(data, "{\"items\":[\"更换机油\"],\"n\":7,\"odometer_km\":1007,\"provider_id\":\"p1\",\"vin\":\"LSVAB4187GN012345\"}");
    merkle_leaf_hash(data, strlen(data), want);
    assert_memory_equal(h, want, MERKLE_HASH_LEN);
    free(data);
    assert_int_equal(translog_store_leaf(c, 300, &data, h), PS_E_NOT_FOUND);

    /* An in-memory tree from the stored leaves agrees with the stored nodes. */
    merkle_hash *leaves = malloc(300 * sizeof *leaves);
    for (uint64_t i = 0; i < 300; i++) {
        assert_int_equal(translog_store_leaf(c, i, &data, leaves[i]), 0);
        free(data);
    }
    struct merkle_mem mem;
    assert_int_equal(merkle_mem_build(&mem, leaves, 300), 0);

    struct sth_signer key;
    assert_int_equal(translog_store_signer(c, false, &key), 0);
    for (uint64_t n = 1; n <= 300; n += 13) {
        struct sth s;
        merkle_hash root;
        assert_int_equal(translog_store_sth_at(c, n, &s), 0);
        assert_true(sth_verify(key.pk, &s));
        assert_int_equal(merkle_root(merkle_mem_node, &mem, n, root), 0);
        assert_memory_equal(root, s.root, MERKLE_HASH_LEN);
        for (uint64_t i = 0; i < n; i += 7) {
            merkle_hash p1[MERKLE_MAX_PROOF], p2[MERKLE_MAX_PROOF];
            size_t n1, n2;
            assert_int_equal(merkle_inclusion_proof(translog_store_node, c, i, n, p1, &n1), 0);
            assert_int_equal(merkle_inclusion_proof(merkle_mem_node, &mem, i, n, p2, &n2), 0);
            assert_int_equal(n1, n2);
            assert_memory_equal(p1, p2, n1 * MERKLE_HASH_LEN);
            assert_true(merkle_verify_inclusion(leaves[i], i, n, p1, n1, s.root));
        }
        struct sth last;
        assert_int_equal(translog_store_sth_latest(c, &last), 0);
        merkle_hash cp[MERKLE_MAX_PROOF];
        size_t cn;
        assert_int_equal(merkle_consistency_proof(translog_store_node, c, n, 300, cp, &cn), 0);
        assert_true(merkle_verify_consistency(n, 300, s.root, last.root, cp, cn));
    }
    ps_db_release(c);
    merkle_mem_free(&mem);
    free(leaves);

    assert_int_equal(verify(db, &res), 0);
    assert_int_equal(res.leaves, 300);
    assert_int_equal(res.heads, 301);
    assert_int_equal(res.consistency, 299);

    /* Real numbers are refused (no canonical spelling), and nothing is appended. */
    assert_int_equal(ps_db_write(db, append_real_tx, NULL), PS_E_VALIDATION);
    assert_int_equal(verify(db, &res), 0);
    assert_int_equal(res.leaves, 300);
    ps_db_close(db);
}

struct tamper_case { const char *name, *sql, *expect; };

static void test_tampering_detected(void **state)
{
    static const struct tamper_case cases[] = {
        { "changed leaf_data",
          "UPDATE translog_leaves SET leaf_data = replace(leaf_data, '1012', '9012') WHERE leaf_index = 12",
          "leaf 12: leaf_hash does not match leaf_data" },
        { "changed leaf_data and leaf_hash", NULL /* built below with the right hash */,
          "leaf 5 is not the record signed in the tree head of size 6" },
        { "deleted leaf", "DELETE FROM translog_leaves WHERE leaf_index = 20", "leaf 20 is missing" },
        { "deleted last leaf", "DELETE FROM translog_leaves WHERE leaf_index = 39", "leaf 39 is missing" },
        { "swapped leaves",
          "UPDATE translog_leaves SET leaf_index = -1 WHERE leaf_index = 3;"
          "UPDATE translog_leaves SET leaf_index = 3 WHERE leaf_index = 30;"
          "UPDATE translog_leaves SET leaf_index = 30 WHERE leaf_index = -1;",
          "leaf 3 is not the record signed in the tree head of size 4" },
        { "changed head root",
          "UPDATE translog_sths SET root_hash = (SELECT root_hash FROM translog_sths WHERE tree_size = 9)"
          " WHERE tree_size = 10",
          "signed tree head 10: the signature does not verify" },
        { "changed head time", "UPDATE translog_sths SET timestamp_ms = timestamp_ms + 1 WHERE tree_size = 17",
          "signed tree head 17: the signature does not verify" },
        { "deleted head", "DELETE FROM translog_sths WHERE tree_size = 25",
          "the signed tree head of size 25 is missing" },
        { "deleted newest head", "DELETE FROM translog_sths WHERE tree_size = 40",
          "no signed tree head covers leaf 39" },
        { "changed node",
          "UPDATE translog_nodes SET hash = (SELECT hash FROM translog_nodes WHERE level = 0 AND node_index = 0)"
          " WHERE level = 2 AND node_index = 3",
          "stored subtree node (level 2, index 3) does not match" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct ps_db *db = open_db();
        append_n(db, 0, 40, 40);
        struct translog_verify_result res;
        assert_int_equal(verify(db, &res), 0);
        if (cases[i].sql) {
            tamper(db, cases[i].sql);
        } else {
            /* A careful forger also recomputes the leaf hash. */
            static const char forged[] = "{\"n\":5,\"odometer_km\":999}";
            merkle_hash h;
            char hex[2 * MERKLE_HASH_LEN + 1], sql[512];
            merkle_leaf_hash(forged, strlen(forged), h);
            merkle_to_hex(h, hex);
            snprintf(sql, sizeof sql, "UPDATE translog_leaves SET leaf_data = '%s', leaf_hash = '%s'"
                     " WHERE leaf_index = 5", forged, hex);
            tamper(db, sql);
        }
        int rc = verify(db, &res);
        printf("%-32s -> %s\n", cases[i].name, res.problem);
        assert_int_equal(rc, PS_E_CONFLICT);
        if (!strstr(res.problem, cases[i].expect))
            fail_msg("%s: expected \"%s\" in \"%s\"", cases[i].name, cases[i].expect, res.problem);
        ps_db_close(db);
    }
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_speed_100k(void **state)
{
    enum { N = 100000 };
    struct ps_db *db = open_db();
    double t0 = now_ms();
    append_n(db, 0, N, 5000);
    double t1 = now_ms();
    struct ps_db_conn *c = ps_db_reader(db);
    struct sth head;
    assert_int_equal(translog_store_sth_latest(c, &head), 0);
    assert_int_equal(head.tree_size, N);
    double t2 = now_ms();
    for (uint64_t i = 0; i < 100; i++) {
        uint64_t idx = i * 997 % N;
        merkle_hash path[MERKLE_MAX_PROOF], leaf;
        size_t n;
        char *data;
        assert_int_equal(translog_store_leaf(c, idx, &data, leaf), 0);
        free(data);
        assert_int_equal(merkle_inclusion_proof(translog_store_node, c, idx, N, path, &n), 0);
        assert_true(merkle_verify_inclusion(leaf, idx, N, path, n, head.root));
        merkle_hash cp[MERKLE_MAX_PROOF];
        assert_int_equal(merkle_consistency_proof(translog_store_node, c, idx + 1, N, cp, &n), 0);
    }
    double per = (now_ms() - t2) / 100;
    ps_db_release(c);
    struct translog_verify_result res;
    double t3 = now_ms();
    assert_int_equal(verify(db, &res), 0);
    double t4 = now_ms();
    printf("100,000 leaves: appended in %.0f ms; leaf + inclusion + consistency proof from the"
           " database in %.3f ms; verify-log in %.0f ms\n", t1 - t0, per, t4 - t3);
    assert_true(per < 20.0);
    ps_db_close(db);
}

static int setup(void **state)
{
    if (sodium_init() < 0 || !mkdtemp(dir))
        return -1;
    unsigned char master[PS_PII_KEY_BYTES];
    randombytes_buf(master, sizeof master);
    ps_pii_keys_init(&keys, master);
    ps_app_set(&app);
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_proofs),
        cmocka_unit_test(test_tampering_detected),
        cmocka_unit_test(test_speed_100k),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
