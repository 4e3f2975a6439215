/* RFC 6962 Merkle tree hashing, audit paths and consistency proofs (§2.1), and the verifiers
 * for both (the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2). Pure code: no SQL, no I/O.
 *
 * Proof generation reads complete-subtree hashes through a callback, so the caller decides
 * where they live (the store keeps them in translog_nodes; verify-log keeps them in memory).
 * Node (level, index) is the root of the complete subtree over leaves
 * [index * 2^level, (index + 1) * 2^level); level 0 holds the leaf hashes. */
#ifndef PS_TRANSPARENCY_MERKLE_H
#define PS_TRANSPARENCY_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_LEN 32
/* A tree of up to 2^63 leaves never needs more proof hashes than this. */
#define MERKLE_MAX_PROOF 128

typedef unsigned char merkle_hash[MERKLE_HASH_LEN];

/* Returns 0 and fills out, or a negative code (passed back to the caller unchanged). */
typedef int (*merkle_node_fn)(void *ctx, int level, uint64_t index, merkle_hash out);

/* SHA-256(0x00 || data): the hash of one leaf. */
void merkle_leaf_hash(const void *data, size_t len, merkle_hash out);
/* SHA-256(0x01 || left || right): the hash of an inner node. */
void merkle_node_hash(const merkle_hash left, const merkle_hash right, merkle_hash out);
/* SHA-256 of nothing: the root of the empty tree. */
void merkle_empty_root(merkle_hash out);
/* Largest power of two strictly smaller than n (n >= 2). */
uint64_t merkle_split(uint64_t n);

/* MTH(D[start:end]) for 0 <= start < end, reading complete subtrees through get. */
int merkle_range_root(merkle_node_fn get, void *ctx, uint64_t start, uint64_t end,
                      merkle_hash out);
/* Root of the tree of the first tree_size leaves (the empty root for 0). */
int merkle_root(merkle_node_fn get, void *ctx, uint64_t tree_size, merkle_hash out);

/* PATH(index, D[0:tree_size]) of RFC 6962 §2.1.1, leaf-side first. *n receives the count.
 * Needs index < tree_size; returns 0, or -1 for a bad index, or get's code. */
int merkle_inclusion_proof(merkle_node_fn get, void *ctx, uint64_t index, uint64_t tree_size,
                           merkle_hash path[MERKLE_MAX_PROOF], size_t *n);
/* PROOF(first, D[0:second]) of RFC 6962 §2.1.2. Needs 0 < first <= second (first == second
 * gives an empty proof); returns 0, -1 for bad sizes, or get's code. */
int merkle_consistency_proof(merkle_node_fn get, void *ctx, uint64_t first, uint64_t second,
                             merkle_hash proof[MERKLE_MAX_PROOF], size_t *n);

/* True when path proves that leaf_hash is leaf index of the tree of tree_size leaves whose
 * root is root. */
bool merkle_verify_inclusion(const merkle_hash leaf_hash, uint64_t index, uint64_t tree_size,
                             const merkle_hash *path, size_t n, const merkle_hash root);
/* True when proof shows that the tree (first, first_root) is a prefix of (second,
 * second_root). */
bool merkle_verify_consistency(uint64_t first, uint64_t second, const merkle_hash first_root,
                               const merkle_hash second_root, const merkle_hash *proof,
                               size_t n);

/* Complete-subtree hashes of a whole tree held in memory, built from leaf hashes: used by
 * verify-log and tests. levels[0] are the leaf hashes. */
struct merkle_mem {
    uint64_t size;                 /* leaves */
    int nlevels;
    merkle_hash *levels[64];
    uint64_t counts[64];
};
/* Build from n leaf hashes (copied). Returns 0 or -1 when out of memory. Free with
 * merkle_mem_free(). */
int merkle_mem_build(struct merkle_mem *m, const merkle_hash *leaves, uint64_t n);
void merkle_mem_free(struct merkle_mem *m);
/* A merkle_node_fn over a struct merkle_mem (ctx). */
int merkle_mem_node(void *ctx, int level, uint64_t index, merkle_hash out);

/* Hex helpers: out needs 2 * MERKLE_HASH_LEN + 1 bytes. from_hex returns 0 or -1. */
void merkle_to_hex(const merkle_hash h, char out[2 * MERKLE_HASH_LEN + 1]);
int merkle_from_hex(const char *hex, merkle_hash out);

#endif
