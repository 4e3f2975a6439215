/* What the ledger's routes and tests use beyond the public contract in ledger.h. */
#ifndef PS_LEDGER_INTERNAL_H
#define PS_LEDGER_INTERNAL_H

#include <stdint.h>

struct ps_db_conn;

/* Pay amount_fen of a provider's payable out (debit the payable, credit gateway clearing),
 * idempotent per payout_id. PS_E_CONFLICT when it exceeds the balance. *balance_after (may be
 * NULL) receives the payable left. */
int ledger_post_payout(struct ps_db_conn *c, const char *provider_id, const char *payout_id,
                       int64_t amount_fen, int64_t *balance_after);

#endif
