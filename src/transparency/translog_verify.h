/* verify-log: re-derive the whole log from its leaf data and check every stored hash, node
 * and signed tree head against it, stopping at the first problem. */
#ifndef PS_TRANSPARENCY_VERIFY_H
#define PS_TRANSPARENCY_VERIFY_H

#include <stdint.h>

#include "transparency/merkle.h"

struct ps_db_conn;

struct translog_verify_result {
    uint64_t leaves;              /* leaves checked */
    uint64_t heads;               /* signed tree heads checked */
    uint64_t consistency;         /* consistency proofs between consecutive heads verified */
    uint64_t nodes;               /* stored subtree hashes checked */
    merkle_hash root;             /* root of the whole log */
    char problem[512];            /* the first problem found, when the result is PS_E_CONFLICT */
};

/* Returns 0 when the log is intact, PS_E_CONFLICT with res->problem naming the first problem,
 * or another negative code when the check itself could not run. */
int translog_verify(struct ps_db_conn *c, struct translog_verify_result *res);

#endif
