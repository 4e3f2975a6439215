/* All SQL of the transparency log: the head row that orders appends, leaves, complete
 * subtree nodes, signed tree heads and the sealed signing key. */
#ifndef PS_TRANSPARENCY_STORE_H
#define PS_TRANSPARENCY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "transparency/merkle.h"
#include "transparency/sth.h"

struct ps_db_conn;

/* The signing key: loaded and unsealed with the app's data key; created (inside the
 * caller's write transaction) when create is set and there is none yet. PS_E_NOT_FOUND when
 * there is none and create is false; PS_E_INTERNAL when it cannot be unsealed. */
int translog_store_signer(struct ps_db_conn *c, bool create, struct sth_signer *out);
/* Stored public key as hex (STH_PK_HEX_LEN + 1 bytes); PS_E_NOT_FOUND if none. */
int translog_store_public_key(struct ps_db_conn *c, char out[STH_PK_HEX_LEN + 1]);
/* Make sure the key and the signed head of the empty tree exist (write transaction). */
int translog_store_ensure_started(struct ps_db_conn *c);

/* The current number of leaves (from the head row). */
int translog_store_size(struct ps_db_conn *c, uint64_t *size);
/* A merkle_node_fn reading translog_nodes; ctx is the struct ps_db_conn. Missing -> PS_E_NOT_FOUND. */
int translog_store_node(void *ctx, int level, uint64_t index, merkle_hash out);

/* Newest signed tree head (PS_E_NOT_FOUND when there is none), or the one of a given size. */
int translog_store_sth_latest(struct ps_db_conn *c, struct sth *out);
int translog_store_sth_at(struct ps_db_conn *c, uint64_t tree_size, struct sth *out);

/* One leaf: *data is malloc'ed (caller frees with free()). PS_E_NOT_FOUND if absent. */
int translog_store_leaf(struct ps_db_conn *c, uint64_t index, char **data, merkle_hash hash);

/* Walk every row of a table in order, for verify-log. The callback returns 0 to go on or a
 * negative PS_E_* code to stop (passed back). Strings are valid during the call only; a hash that
 * is not 64 hex characters is passed as hash_ok = false. */
typedef int (*translog_leaf_cb)(void *ctx, int64_t index, const char *data, bool hash_ok,
                                const merkle_hash hash);
int translog_store_each_leaf(struct ps_db_conn *c, translog_leaf_cb cb, void *ctx);
typedef int (*translog_sth_cb)(void *ctx, int64_t tree_size, const struct sth *s, bool well_formed);
int translog_store_each_sth(struct ps_db_conn *c, translog_sth_cb cb, void *ctx);
typedef int (*translog_node_cb)(void *ctx, int level, int64_t index, bool hash_ok,
                                const merkle_hash hash);
int translog_store_each_node(struct ps_db_conn *c, translog_node_cb cb, void *ctx);



/* --- appends (inside a write transaction) -------------------------------------------- */

/* Take the next leaf index: bumps the head row, which also serialises concurrent appends
 * (the row lock on PostgreSQL, the single writer on SQLite). */
int translog_store_claim_index(struct ps_db_conn *c, uint64_t *index);
int translog_store_put_leaf(struct ps_db_conn *c, uint64_t index, const char *data,
                            const merkle_hash hash, int64_t now_ms);
int translog_store_put_node(struct ps_db_conn *c, int level, uint64_t index, const merkle_hash hash);
int translog_store_put_sth(struct ps_db_conn *c, const struct sth *s);
#endif
