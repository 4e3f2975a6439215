/* RFC 6962 Merkle trees: hashing, the recursive PATH/PROOF definitions of §2.1.1 and
 * §2.1.2 written as they read, and the iterative verifiers of RFC 9162 §2.1.3.2/§2.1.4.2
 * (kept deliberately independent of the generators, so each checks the other in tests). */
#include "transparency/merkle.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void merkle_leaf_hash(const void *data, size_t len, merkle_hash out)
{
    static const unsigned char prefix = 0x00;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, &prefix, 1);
    if (len)
        crypto_hash_sha256_update(&st, data, len);
    crypto_hash_sha256_final(&st, out);
}

void merkle_node_hash(const merkle_hash left, const merkle_hash right, merkle_hash out)
{
    unsigned char buf[1 + 2 * MERKLE_HASH_LEN];
    buf[0] = 0x01;
    memcpy(buf + 1, left, MERKLE_HASH_LEN);
    memcpy(buf + 1 + MERKLE_HASH_LEN, right, MERKLE_HASH_LEN);
    crypto_hash_sha256(out, buf, sizeof buf);
}

void merkle_empty_root(merkle_hash out) { crypto_hash_sha256(out, NULL, 0); }

uint64_t merkle_split(uint64_t n)
{
    uint64_t k = 1;
    while (k < n - k)   /* i.e. 2k < n, without overflow */
        k <<= 1;
    return k;
}

static bool is_pow2(uint64_t n) { return n && !(n & (n - 1)); }

static int log2_exact(uint64_t n)
{
    int l = 0;
    while (n > 1) {
        n >>= 1;
        l++;
    }
    return l;
}

int merkle_range_root(merkle_node_fn get, void *ctx, uint64_t start, uint64_t end,
                      merkle_hash out)
{
    uint64_t n = end - start;
    if (n == 1)
        return get(ctx, 0, start, out);
    /* A complete subtree on its natural boundary is stored as one node. */
    if (is_pow2(n) && start % n == 0) {
        int level = log2_exact(n);
        return get(ctx, level, start >> level, out);
    }
    uint64_t k = merkle_split(n);
    merkle_hash left, right;
    int rc = merkle_range_root(get, ctx, start, start + k, left);
    if (rc == 0)
        rc = merkle_range_root(get, ctx, start + k, end, right);
    if (rc == 0)
        merkle_node_hash(left, right, out);
    return rc;
}

int merkle_root(merkle_node_fn get, void *ctx, uint64_t tree_size, merkle_hash out)
{
    if (tree_size == 0) {
        merkle_empty_root(out);
        return 0;
    }
    return merkle_range_root(get, ctx, 0, tree_size, out);
}

/* PATH(m, D[start:end]): the path of the subtree first, then the sibling of this level. */
static int path(merkle_node_fn get, void *ctx, uint64_t m, uint64_t start, uint64_t end,
                merkle_hash *out, size_t *n)
{
    uint64_t size = end - start;
    if (size == 1)
        return 0;
    if (*n >= MERKLE_MAX_PROOF)
        return -1;
    uint64_t k = merkle_split(size);
    int rc;
    if (m < k) {
        rc = path(get, ctx, m, start, start + k, out, n);
        if (rc == 0)
            rc = merkle_range_root(get, ctx, start + k, end, out[(*n)++]);
    } else {
        rc = path(get, ctx, m - k, start + k, end, out, n);
        if (rc == 0)
            rc = merkle_range_root(get, ctx, start, start + k, out[(*n)++]);
    }
    return rc;
}

int merkle_inclusion_proof(merkle_node_fn get, void *ctx, uint64_t index, uint64_t tree_size,
                           merkle_hash out[MERKLE_MAX_PROOF], size_t *n)
{
    *n = 0;
    if (index >= tree_size)
        return -1;
    return path(get, ctx, index, 0, tree_size, out, n);
}

/* SUBPROOF(m, D[start:end], b) of RFC 6962 §2.1.2. */
static int subproof(merkle_node_fn get, void *ctx, uint64_t m, uint64_t start, uint64_t end,
                    bool b, merkle_hash *out, size_t *n)
{
    uint64_t size = end - start;
    if (*n >= MERKLE_MAX_PROOF)
        return -1;
    if (m == size) {
        /* The old tree is this whole subtree: the verifier knows its root already when it
         * is the old tree itself (b), otherwise it must be given. */
        return b ? 0 : merkle_range_root(get, ctx, start, end, out[(*n)++]);
    }
    uint64_t k = merkle_split(size);
    int rc;
    if (m <= k) {
        rc = subproof(get, ctx, m, start, start + k, b, out, n);
        if (rc == 0)
            rc = merkle_range_root(get, ctx, start + k, end, out[(*n)++]);
    } else {
        rc = subproof(get, ctx, m - k, start + k, end, false, out, n);
        if (rc == 0)
            rc = merkle_range_root(get, ctx, start, start + k, out[(*n)++]);
    }
    return rc;
}

int merkle_consistency_proof(merkle_node_fn get, void *ctx, uint64_t first, uint64_t second,
                             merkle_hash out[MERKLE_MAX_PROOF], size_t *n)
{
    *n = 0;
    if (first == 0 || first > second)
        return -1;
    if (first == second)
        return 0;
    return subproof(get, ctx, first, 0, second, true, out, n);
}

bool merkle_verify_inclusion(const merkle_hash leaf_hash, uint64_t index, uint64_t tree_size,
                             const merkle_hash *path_hashes, size_t n, const merkle_hash root)
{
    if (index >= tree_size)
        return false;
    uint64_t fn = index, sn = tree_size - 1;
    merkle_hash r;
    memcpy(r, leaf_hash, MERKLE_HASH_LEN);
    for (size_t i = 0; i < n; i++) {
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            merkle_node_hash(path_hashes[i], r, r);
            /* Skip the levels where this node is a right-edge node without a sibling. */
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            merkle_node_hash(r, path_hashes[i], r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && sodium_memcmp(r, root, MERKLE_HASH_LEN) == 0;
}

bool merkle_verify_consistency(uint64_t first, uint64_t second, const merkle_hash first_root,
                               const merkle_hash second_root, const merkle_hash *proof,
                               size_t n)
{
    if (first == 0 || first > second)
        return false;
    if (first == second)
        return n == 0 && sodium_memcmp(first_root, second_root, MERKLE_HASH_LEN) == 0;
    if (n == 0 || n > MERKLE_MAX_PROOF)
        return false;

    /* When the old tree is a complete subtree its root starts the walk. */
    const merkle_hash *p = proof;
    size_t count = n;
    merkle_hash seed;
    if (is_pow2(first)) {
        memcpy(seed, first_root, MERKLE_HASH_LEN);
    } else {
        memcpy(seed, proof[0], MERKLE_HASH_LEN);
        p = proof + 1;
        count = n - 1;
    }
    uint64_t fn = first - 1, sn = second - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    merkle_hash fr, sr;
    memcpy(fr, seed, MERKLE_HASH_LEN);
    memcpy(sr, seed, MERKLE_HASH_LEN);
    for (size_t i = 0; i < count; i++) {
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            merkle_node_hash(p[i], fr, fr);
            merkle_node_hash(p[i], sr, sr);
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            merkle_node_hash(sr, p[i], sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && sodium_memcmp(fr, first_root, MERKLE_HASH_LEN) == 0 &&
           sodium_memcmp(sr, second_root, MERKLE_HASH_LEN) == 0;
}

int merkle_mem_build(struct merkle_mem *m, const merkle_hash *leaves, uint64_t n)
{
    memset(m, 0, sizeof *m);
    m->size = n;
    uint64_t count = n;
    for (int level = 0; level < 64; level++) {
        merkle_hash *row = malloc((count ? count : 1) * sizeof *row);
        if (!row) {
            merkle_mem_free(m);
            return -1;
        }
        if (level == 0) {
            if (count)
                memcpy(row, leaves, count * sizeof *row);
        } else {
            const merkle_hash *below = m->levels[level - 1];
            for (uint64_t i = 0; i < count; i++)
                merkle_node_hash(below[2 * i], below[2 * i + 1], row[i]);
        }
        m->levels[level] = row;
        m->counts[level] = count;
        m->nlevels = level + 1;
        if (count < 2)
            break;
        count /= 2;   /* only complete pairs make a stored parent */
    }
    return 0;
}

void merkle_mem_free(struct merkle_mem *m)
{
    for (int i = 0; i < m->nlevels; i++)
        free(m->levels[i]);
    memset(m, 0, sizeof *m);
}

int merkle_mem_node(void *ctx, int level, uint64_t index, merkle_hash out)
{
    const struct merkle_mem *m = ctx;
    if (level < 0 || level >= m->nlevels || index >= m->counts[level])
        return -1;
    memcpy(out, m->levels[level][index], MERKLE_HASH_LEN);
    return 0;
}

void merkle_to_hex(const merkle_hash h, char out[2 * MERKLE_HASH_LEN + 1])
{
    sodium_bin2hex(out, 2 * MERKLE_HASH_LEN + 1, h, MERKLE_HASH_LEN);
}

int merkle_from_hex(const char *hex, merkle_hash out)
{
    size_t len = 0;
    const char *end = NULL;
    if (!hex || strlen(hex) != 2 * MERKLE_HASH_LEN)
        return -1;
    if (sodium_hex2bin(out, MERKLE_HASH_LEN, hex, 2 * MERKLE_HASH_LEN, NULL, &len, &end) != 0 ||
        len != MERKLE_HASH_LEN || *end)
        return -1;
    return 0;
}
