/* The order state machine of SPEC §6 and the small money rules around it: pure functions,
 * no SQL and no HTTP, so every allowed move and every refused one is unit-tested. */
#ifndef PS_ORDER_RULES_H
#define PS_ORDER_RULES_H

#include <stdbool.h>
#include <stdint.h>

enum order_state {
    OS_PENDING_PAYMENT = 0,
    OS_PAID,
    OS_ACCEPTED,
    OS_IN_SERVICE,
    OS_COMPLETED,
    OS_CANCELLED,
    OS_EXPIRED,
    OS_REFUNDED,
    OS_COUNT
};

/* Who asks for a transition: the rules differ for the owner, the provider's staff and the
 * server itself (payment webhooks, the expiry job). */
enum order_actor { OA_OWNER = 1 << 0, OA_PROVIDER = 1 << 1, OA_SYSTEM = 1 << 2 };

/* "pending_payment" ... ; NULL for an out-of-range state. */
const char *order_state_name(enum order_state s);
/* Parse a state name; false when unknown. */
bool order_state_parse(const char *name, enum order_state *out);

/* 0 when `actor` may move an order from `from` to `to`, else PS_E_INVALID_STATE (409). */
int order_transition_check(enum order_state from, enum order_state to, enum order_actor actor);
/* True when some actor may make the move (the shape of the machine, ignoring who asks). */
bool order_transition_exists(enum order_state from, enum order_state to);

/* What the owner still has to pay: base total plus approved extra items, less what was
 * paid already (never negative). */
int64_t order_outstanding_fen(int64_t total_fen, int64_t extras_fen, int64_t paid_fen);

/* Per-state facts the routes need. */
bool order_state_is_final(enum order_state s);        /* completed, expired, refunded, cancelled unpaid */
bool order_accepts_updates(enum order_state s);        /* progress notes and extra items */
bool order_accepts_payment(enum order_state s);        /* pay what is outstanding */

/* Great-circle distance in km (haversine, mean Earth radius 6371.0088 km). */
double order_distance_km(double lat1, double lng1, double lat2, double lng2);
/* Quotes: the nearest offers first, then the cheapest of those first (see docs/ORDERS.md).
 * Sorts n offers of (total_fen, distance_km) pairs by index into order[]. */
struct quote_candidate { int64_t total_fen; double distance_km; int index; };
void order_rank_quotes(struct quote_candidate *c, int n, int keep);

/* The hold an unpaid order keeps on its slot (SPEC §6: expired after 15 minutes). */
#define ORDER_HOLD_MS (15LL * 60 * 1000)

#endif
