/* verify-log. Trust nothing stored but leaf_data and the signing key: every leaf hash, every
 * subtree node and every tree head's root is recomputed from the leaf data; every head's
 * signature is checked with the key unsealed by PITSTOP_DATA_KEY; consecutive heads are linked
 * by RFC 6962 consistency proofs. Checks run in log order, so the first problem named is the
 * earliest record that was changed, removed or reordered. */
#include "transparency/translog_verify.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "transparency/sth.h"
#include "transparency/translog_store.h"

struct verify_ctx {
    struct translog_verify_result *res;
    merkle_hash *hashes;          /* recomputed leaf hashes */
    uint64_t n, cap;
    struct merkle_mem mem;
    const unsigned char *pk;
    bool have_key;
    struct sth prev;              /* the previous head checked */
    bool have_prev;
};

static int problem(struct verify_ctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int problem(struct verify_ctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->res->problem, sizeof v->res->problem, fmt, ap);
    va_end(ap);
    return PS_E_CONFLICT;
}

static int on_leaf(void *ctx, int64_t index, const char *data, bool hash_ok, const merkle_hash stored)
{
    struct verify_ctx *v = ctx;
    if (index < 0 || (uint64_t)index != v->n)
        return index >= 0 && (uint64_t)index > v->n
                   ? problem(v, "leaf %" PRIu64 " is missing (the next stored leaf is %" PRId64 ")", v->n, index)
                   : problem(v, "leaf index %" PRId64 " is out of order", index);
    if (v->n == v->cap) {
        uint64_t cap = v->cap ? v->cap * 2 : 1024;
        merkle_hash *grown = realloc(v->hashes, cap * sizeof *grown);
        if (!grown)
            return PS_E_NOMEM;
        v->hashes = grown;
        v->cap = cap;
    }
    merkle_leaf_hash(data, strlen(data), v->hashes[v->n]);
    if (!hash_ok || sodium_memcmp(stored, v->hashes[v->n], MERKLE_HASH_LEN) != 0)
        return problem(v, "leaf %" PRId64 ": leaf_hash does not match leaf_data (the record was changed)", index);
    v->n++;
    return 0;
}

static int on_head(void *ctx, int64_t tree_size, const struct sth *s, bool well_formed)
{
    struct verify_ctx *v = ctx;
    uint64_t want = v->have_prev ? v->prev.tree_size + 1 : 0;
    if (tree_size < 0 || (uint64_t)tree_size != want)
        return problem(v, "the signed tree head of size %" PRIu64 " is missing", want);
    if (!well_formed)
        return problem(v, "signed tree head %" PRId64 ": malformed root hash or signature", tree_size);
    if (!v->have_key)
        return problem(v, "the log has signed tree heads but no signing key");
    if (!sth_verify(v->pk, s))
        return problem(v, "signed tree head %" PRId64 ": the signature does not verify (the head was changed)", tree_size);
    if (s->tree_size > v->n)
        return problem(v, "signed tree head %" PRId64 " covers leaf %" PRIu64 ", which is missing",
                       tree_size, v->n);
    merkle_hash root;
    if (merkle_root(merkle_mem_node, &v->mem, s->tree_size, root))
        return PS_E_INTERNAL;
    if (sodium_memcmp(root, s->root, MERKLE_HASH_LEN) != 0)
        return problem(v, "leaf %" PRId64 " is not the record signed in the tree head of size %" PRId64
                       " (changed, removed or reordered)", tree_size - 1, tree_size);
    if (v->have_prev) {
        if (s->timestamp_ms < v->prev.timestamp_ms)
            return problem(v, "signed tree head %" PRId64 " is older than the head before it", tree_size);
        if (v->prev.tree_size > 0) {
            merkle_hash proof[MERKLE_MAX_PROOF];
            size_t n;
            if (merkle_consistency_proof(merkle_mem_node, &v->mem, v->prev.tree_size, s->tree_size, proof, &n) ||
                !merkle_verify_consistency(v->prev.tree_size, s->tree_size, v->prev.root, s->root, proof, n))
                return problem(v, "signed tree heads %" PRIu64 " and %" PRId64 " are not consistent",
                               v->prev.tree_size, tree_size);
            v->res->consistency++;
        }
    }
    v->prev = *s;
    v->have_prev = true;
    v->res->heads++;
    return 0;
}

static int on_node(void *ctx, int level, int64_t index, bool hash_ok, const merkle_hash stored)
{
    struct verify_ctx *v = ctx;
    merkle_hash want;
    if (index < 0 || merkle_mem_node(&v->mem, level, (uint64_t)index, want))
        return problem(v, "stored subtree node (level %d, index %" PRId64 ") does not belong to the log", level, index);
    if (!hash_ok || sodium_memcmp(stored, want, MERKLE_HASH_LEN) != 0)
        return problem(v, "stored subtree node (level %d, index %" PRId64 ") does not match the leaves", level, index);
    v->res->nodes++;
    return 0;
}

int translog_verify(struct ps_db_conn *c, struct translog_verify_result *res)
{
    memset(res, 0, sizeof *res);
    struct verify_ctx v = { .res = res };
    struct sth_signer key;
    int rc = translog_store_signer(c, false, &key);
    if (rc == 0) {
        v.have_key = true;
        v.pk = key.pk;
    } else if (rc != PS_E_NOT_FOUND) {
        snprintf(res->problem, sizeof res->problem,
                 "the signing key cannot be opened (wrong PITSTOP_DATA_KEY, or the key row was changed)");
        return PS_E_CONFLICT;
    }

    uint64_t head_size = 0;
    if ((rc = translog_store_each_leaf(c, on_leaf, &v)))
        goto out;
    res->leaves = v.n;
    if ((rc = translog_store_size(c, &head_size)))
        goto out;
    if (head_size != v.n) {
        rc = head_size > v.n ? problem(&v, "leaf %" PRIu64 " is missing (the log head counts %" PRIu64 " leaves)", v.n, head_size)
                             : problem(&v, "the log holds %" PRIu64 " leaves but its head counts %" PRIu64, v.n, head_size);
        goto out;
    }
    if (merkle_mem_build(&v.mem, v.hashes, v.n)) {
        rc = PS_E_NOMEM;
        goto out;
    }
    if ((rc = translog_store_each_sth(c, on_head, &v)))
        goto out;
    if (v.n > 0 && (!v.have_prev || v.prev.tree_size != v.n)) {
        rc = problem(&v, "no signed tree head covers leaf %" PRIu64 " (the newest head has size %" PRIu64 ")",
                     v.n - 1, v.have_prev ? v.prev.tree_size : 0);
        goto out;
    }
    if ((rc = translog_store_each_node(c, on_node, &v)))
        goto out;
    uint64_t want_nodes = 0;
    for (int l = 0; l < v.mem.nlevels; l++)
        want_nodes += v.mem.counts[l];
    if (v.n > 0 && res->nodes != want_nodes) {
        rc = problem(&v, "%" PRIu64 " stored subtree nodes are missing", want_nodes - res->nodes);
        goto out;
    }
    merkle_root(merkle_mem_node, &v.mem, v.n, res->root);
out:
    sodium_memzero(&key, sizeof key);
    merkle_mem_free(&v.mem);
    free(v.hashes);
    return rc;
}
