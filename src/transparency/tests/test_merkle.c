/* Merkle tree tests: RFC 6962 / Certificate Transparency reference vectors (the 8 leaves of
 * the CT test suite, roots for sizes 1..8, published audit paths and consistency proofs),
 * then every proof for every tree up to 70 leaves against a naive recursive implementation
 * written here from the RFC text alone, verifier rejection of tampered proofs, and proof speed
 * on 100,000 leaves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "transparency/merkle.h"

/* The leaves of the CT reference test (hex of the leaf data). */
static const char *const vector_leaves[8] = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};
static const char *const vector_roots[8] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct proof_vector { uint64_t a, b; int n; const char *h[3]; };
static const struct proof_vector inclusion_vectors[] = {
    { 0, 1, 0, { 0 } },
    { 0, 8, 3, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                 "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                 "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
    { 5, 8, 3, { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                 "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                 "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
    { 2, 3, 1, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" } },
    { 1, 5, 3, { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                 "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                 "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};
static const struct proof_vector consistency_vectors[] = {
    { 1, 1, 0, { 0 } },
    { 1, 8, 3, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                 "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                 "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
    { 6, 8, 3, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                 "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                 "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
    { 2, 5, 2, { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                 "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

static merkle_hash vleaf[8];
static struct merkle_mem vmem;

static int setup_vectors(void **state)
{
    for (int i = 0; i < 8; i++) {
        unsigned char data[16];
        size_t len = 0;
        sodium_hex2bin(data, sizeof data, vector_leaves[i], strlen(vector_leaves[i]), NULL,
                       &len, NULL);
        merkle_leaf_hash(data, len, vleaf[i]);
    }
    return merkle_mem_build(&vmem, vleaf, 8);
}

static int teardown_vectors(void **state)
{
    merkle_mem_free(&vmem);
    return 0;
}

static void assert_hex(const merkle_hash h, const char *hex)
{
    char got[2 * MERKLE_HASH_LEN + 1];
    merkle_to_hex(h, got);
    assert_string_equal(got, hex);
}

static void test_empty_and_split(void **state)
{
    merkle_hash h;
    merkle_empty_root(h);
    assert_hex(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(merkle_root(merkle_mem_node, &vmem, 0, h), 0);
    assert_hex(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(merkle_split(2), 1);
    assert_int_equal(merkle_split(3), 2);
    assert_int_equal(merkle_split(4), 2);
    assert_int_equal(merkle_split(5), 4);
    assert_int_equal(merkle_split(8), 4);
    assert_int_equal(merkle_split(9), 8);
    assert_true(merkle_split(UINT64_MAX) == (UINT64_C(1) << 63));
}

static void test_vector_roots(void **state)
{
    for (int n = 1; n <= 8; n++) {
        merkle_hash h;
        assert_int_equal(merkle_root(merkle_mem_node, &vmem, (uint64_t)n, h), 0);
        assert_hex(h, vector_roots[n - 1]);
    }
}

static void test_vector_proofs(void **state)
{
    merkle_hash path[MERKLE_MAX_PROOF], root, old_root;
    size_t n;
    for (size_t v = 0; v < sizeof inclusion_vectors / sizeof *inclusion_vectors; v++) {
        const struct proof_vector *pv = &inclusion_vectors[v];
        assert_int_equal(merkle_inclusion_proof(merkle_mem_node, &vmem, pv->a, pv->b, path, &n), 0);
        assert_int_equal(n, pv->n);
        for (int i = 0; i < pv->n; i++)
            assert_hex(path[i], pv->h[i]);
        merkle_from_hex(vector_roots[pv->b - 1], root);
        assert_true(merkle_verify_inclusion(vleaf[pv->a], pv->a, pv->b, path, n, root));
    }
    for (size_t v = 0; v < sizeof consistency_vectors / sizeof *consistency_vectors; v++) {
        const struct proof_vector *pv = &consistency_vectors[v];
        assert_int_equal(merkle_consistency_proof(merkle_mem_node, &vmem, pv->a, pv->b, path, &n), 0);
        assert_int_equal(n, pv->n);
        for (int i = 0; i < pv->n; i++)
            assert_hex(path[i], pv->h[i]);
        merkle_from_hex(vector_roots[pv->a - 1], old_root);
        merkle_from_hex(vector_roots[pv->b - 1], root);
        assert_true(merkle_verify_consistency(pv->a, pv->b, old_root, root, path, n));
    }
}

/* --- a naive second implementation, straight from the RFC's recursive text -------------- */

static uint64_t naive_k(uint64_t n)
{
    uint64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    return k;
}

static void naive_mth(const merkle_hash *d, uint64_t n, merkle_hash out)
{
    if (n == 1) {
        memcpy(out, d[0], MERKLE_HASH_LEN);
        return;
    }
    uint64_t k = naive_k(n);
    merkle_hash l, r;
    naive_mth(d, k, l);
    naive_mth(d + k, n - k, r);
    unsigned char buf[65];
    buf[0] = 1;
    memcpy(buf + 1, l, 32);
    memcpy(buf + 33, r, 32);
    crypto_hash_sha256(out, buf, sizeof buf);
}

static void naive_path(uint64_t m, const merkle_hash *d, uint64_t n, merkle_hash *out, size_t *cnt)
{
    if (n == 1)
        return;
    uint64_t k = naive_k(n);
    if (m < k) {
        naive_path(m, d, k, out, cnt);
        naive_mth(d + k, n - k, out[(*cnt)++]);
    } else {
        naive_path(m - k, d + k, n - k, out, cnt);
        naive_mth(d, k, out[(*cnt)++]);
    }
}

static void naive_subproof(uint64_t m, const merkle_hash *d, uint64_t n, int b, merkle_hash *out,
                           size_t *cnt)
{
    if (m == n) {
        if (!b)
            naive_mth(d, n, out[(*cnt)++]);
        return;
    }
    uint64_t k = naive_k(n);
    if (m <= k) {
        naive_subproof(m, d, k, b, out, cnt);
        naive_mth(d + k, n - k, out[(*cnt)++]);
    } else {
        naive_subproof(m - k, d + k, n - k, 0, out, cnt);
        naive_mth(d, k, out[(*cnt)++]);
    }
}

#define EXHAUSTIVE 70

static void test_all_small_trees(void **state)
{
    merkle_hash leaves[EXHAUSTIVE];
    for (int i = 0; i < EXHAUSTIVE; i++) {
        unsigned char data[4] = { (unsigned char)i, 0xab, (unsigned char)(i * 7), 0x01 };
        merkle_leaf_hash(data, 1 + (size_t)(i % 4), leaves[i]);   /* all distinct */
    }
    struct merkle_mem m;
    assert_int_equal(merkle_mem_build(&m, leaves, EXHAUSTIVE), 0);
    merkle_hash roots[EXHAUSTIVE + 1];
    for (uint64_t n = 1; n <= EXHAUSTIVE; n++) {
        merkle_hash want;
        naive_mth(leaves, n, want);
        assert_int_equal(merkle_root(merkle_mem_node, &m, n, roots[n]), 0);
        assert_memory_equal(roots[n], want, MERKLE_HASH_LEN);
    }
    long proofs = 0;
    for (uint64_t n = 1; n <= EXHAUSTIVE; n++) {
        for (uint64_t i = 0; i < n; i++) {
            merkle_hash got[MERKLE_MAX_PROOF], want[MERKLE_MAX_PROOF];
            size_t ng = 0, nw = 0;
            assert_int_equal(merkle_inclusion_proof(merkle_mem_node, &m, i, n, got, &ng), 0);
            naive_path(i, leaves, n, want, &nw);
            assert_int_equal(ng, nw);
            assert_memory_equal(got, want, ng * MERKLE_HASH_LEN);
            assert_true(merkle_verify_inclusion(leaves[i], i, n, got, ng, roots[n]));
            /* Wrong leaf, wrong index, wrong size, a flipped bit, a short path: all refused. */
            assert_false(merkle_verify_inclusion(leaves[(i + 1) % EXHAUSTIVE], i, n, got, ng, roots[n]));
            if (n > 1) {
                assert_false(merkle_verify_inclusion(leaves[i], (i + 1) % n, n, got, ng, roots[n]));
                assert_false(merkle_verify_inclusion(leaves[i], i, n, got, ng - 1, roots[n]));
                got[ng / 2][i % 32] ^= 0x20;
                assert_false(merkle_verify_inclusion(leaves[i], i, n, got, ng, roots[n]));
            }
            if (n < EXHAUSTIVE)
                assert_false(merkle_verify_inclusion(leaves[i], i, n + 1, got, ng, roots[n + 1]));
            proofs++;
        }
        for (uint64_t f = 1; f <= n; f++) {
            merkle_hash got[MERKLE_MAX_PROOF], want[MERKLE_MAX_PROOF];
            size_t ng = 0, nw = 0;
            assert_int_equal(merkle_consistency_proof(merkle_mem_node, &m, f, n, got, &ng), 0);
            if (f < n)
                naive_subproof(f, leaves, n, 1, want, &nw);
            assert_int_equal(ng, nw);
            assert_memory_equal(got, want, ng * MERKLE_HASH_LEN);
            assert_true(merkle_verify_consistency(f, n, roots[f], roots[n], got, ng));
            if (f < n) {
                /* A different old root, a different new root, a tampered hash: refused. */
                assert_false(merkle_verify_consistency(f, n, roots[f == 1 ? 2 : f - 1], roots[n], got, ng));
                if (n - 1 > f)
                    assert_false(merkle_verify_consistency(f, n, roots[f], roots[n - 1], got, ng));
                got[0][3] ^= 1;
                assert_false(merkle_verify_consistency(f, n, roots[f], roots[n], got, ng));
            }
            proofs++;
        }
    }
    assert_false(merkle_verify_consistency(0, 3, roots[1], roots[3], NULL, 0));
    assert_false(merkle_verify_consistency(4, 3, roots[3], roots[3], NULL, 0));
    merkle_hash dummy[MERKLE_MAX_PROOF];
    size_t n;
    assert_int_equal(merkle_inclusion_proof(merkle_mem_node, &m, 5, 5, dummy, &n), -1);
    assert_int_equal(merkle_consistency_proof(merkle_mem_node, &m, 0, 5, dummy, &n), -1);
    assert_int_equal(merkle_consistency_proof(merkle_mem_node, &m, 6, 5, dummy, &n), -1);
    printf("checked %ld proofs against the naive definition\n", proofs);
    merkle_mem_free(&m);
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
    merkle_hash *leaves = malloc(N * sizeof *leaves);
    assert_non_null(leaves);
    for (uint32_t i = 0; i < N; i++)
        merkle_leaf_hash(&i, sizeof i, leaves[i]);
    struct merkle_mem m;
    assert_int_equal(merkle_mem_build(&m, leaves, N), 0);
    merkle_hash root, path[MERKLE_MAX_PROOF];
    size_t n;
    assert_int_equal(merkle_root(merkle_mem_node, &m, N, root), 0);
    double t0 = now_ms();
    for (uint32_t i = 0; i < 1000; i++) {
        uint64_t idx = (uint64_t)i * 97 % N;
        assert_int_equal(merkle_inclusion_proof(merkle_mem_node, &m, idx, N, path, &n), 0);
        assert_true(merkle_verify_inclusion(leaves[idx], idx, N, path, n, root));
    }
    double per = (now_ms() - t0) / 1000;
    printf("100,000 leaves: inclusion proof + verify in %.4f ms each\n", per);
    assert_true(per < 5.0);
    free(leaves);
    merkle_mem_free(&m);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_split),
        cmocka_unit_test(test_vector_roots),
        cmocka_unit_test(test_vector_proofs),
        cmocka_unit_test(test_all_small_trees),
        cmocka_unit_test(test_speed_100k),
    };
    return cmocka_run_group_tests(tests, setup_vectors, teardown_vectors);
}
