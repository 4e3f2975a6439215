/* Appending a service record to the log: canonicalise, claim the next index under the head
 * row's lock, store the leaf and every complete subtree it closes, then sign and store the new
 * tree head. One signed head per size, so verify-log can check every step of the history. */
#include "transparency/translog.h"

#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/log.h"
#include "transparency/canonical.h"
#include "transparency/merkle.h"
#include "transparency/sth.h"
#include "transparency/translog_store.h"

int translog_append(struct ps_db_conn *c, const json_t *record, int64_t *leaf_index)
{
    if (!json_is_object(record))
        return PS_E_VALIDATION;
    char *data = translog_canonical_json(record);
    if (!data)
        return PS_E_VALIDATION;   /* a real number, or nested too deep */
    if (strlen(data) > TRANSLOG_MAX_LEAF_BYTES) {
        free(data);
        return PS_E_TOO_LARGE;
    }

    struct sth_signer key;
    uint64_t index = 0;
    int rc = translog_store_claim_index(c, &index);
    if (rc == 0 && index == 0)   /* the very first leaf: the key and the empty tree's head */
        rc = translog_store_ensure_started(c);
    if (rc == 0)
        rc = translog_store_signer(c, false, &key);
    if (rc)
        goto out;

    int64_t now = ps_now_ms();
    merkle_hash hash;
    merkle_leaf_hash(data, strlen(data), hash);
    if ((rc = translog_store_put_leaf(c, index, data, hash, now)) ||
        (rc = translog_store_put_node(c, 0, index, hash)))
        goto out_key;
    /* Each time the new leaf completes a subtree (a right child), store its parent. */
    uint64_t i = index;
    for (int level = 0; i & 1; level++, i >>= 1) {
        merkle_hash left;
        if ((rc = translog_store_node(c, level, i - 1, left)))
            goto out_key;
        merkle_node_hash(left, hash, hash);
        if ((rc = translog_store_put_node(c, level + 1, i >> 1, hash)))
            goto out_key;
    }

    struct sth head = { .tree_size = index + 1 };
    struct sth prev;
    if ((rc = translog_store_sth_at(c, index, &prev)))
        goto out_key;   /* every size has its head: a gap means the log was tampered with */
    /* Tree heads never go back in time, even if this node's clock does. */
    head.timestamp_ms = now > prev.timestamp_ms ? now : prev.timestamp_ms;
    if ((rc = merkle_root(translog_store_node, c, head.tree_size, head.root)))
        goto out_key;
    sth_sign(&key, &head);
    rc = translog_store_put_sth(c, &head);
    if (rc == 0 && leaf_index)
        *leaf_index = (int64_t)index;
out_key:
    sodium_memzero(&key, sizeof key);
out:
    if (rc)
        ps_log_error("transparency: append failed (%d)", rc);
    free(data);
    return rc;
}
