/* Idempotency-Key (SPEC §2), done by the router for routes flagged PS_IDEMPOTENT:
 * same key + same request → the first response again with `Idempotent-Replayed: true`;
 * same key + another request → 422; same key while the first is still running → 409.
 * Keys belong to the authenticated user and are kept 24 hours. */
#ifndef PS_IDEMPOTENCY_H
#define PS_IDEMPOTENCY_H

#include <stdbool.h>

#include "core/router.h"

struct ps_db_conn;

#define PS_IDEM_KEY_MAX 255
#define PS_IDEM_TTL_MS (24LL * 3600 * 1000)
/* A key still "in flight" after this long belonged to a crashed request: it may be retaken. */
#define PS_IDEM_STALE_MS (60LL * 1000)

enum { PS_IDEM_PROCEED = 0, PS_IDEM_REPLAYED = 1 };

struct ps_idem {
    bool active;               /* a key was given and reserved for this request */
    bool in_tx;                /* the handler records it in its own transaction */
    bool recorded;             /* ... and did */
    char hash[65];
    char user[64];
    char key[PS_IDEM_KEY_MAX + 1];
};

/* Before the handler: PS_IDEM_PROCEED (run it), PS_IDEM_REPLAYED (r holds the stored reply)
 * or a PS_E_* code to answer with. Without the header the request simply proceeds. */
int ps_idem_begin(struct ps_req *r, struct ps_idem *st);
/* After the handler: remember the reply (or forget the key after a 5xx so a retry can run). */
void ps_idem_finish(struct ps_req *r, struct ps_idem *st);
/* For PS_IDEMPOTENT_TX routes, inside the handler's write transaction: remember this reply
 * (JSON body text, sent with exactly this status) for the request's key; no-op without a key.
 * Returns 0, PS_E_IDEMPOTENCY_BUSY when a concurrent request with the same key committed
 * first (roll back), or a PS_E_* code. */
int ps_idem_record(struct ps_db_conn *c, struct ps_req *r, int status, const char *body);
/* Janitor: drop keys older than 24 hours. */
int ps_idem_purge(void);

#endif
