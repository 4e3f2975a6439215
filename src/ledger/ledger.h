/* Double-entry bookkeeping in fen (SPEC §6). Each call posts one balanced journal entry inside
 * the caller's write transaction; a call that would not balance, or would drive an account that
 * must stay non-negative below zero, posts nothing and returns PS_E_CONFLICT. */
#ifndef PS_LEDGER_H
#define PS_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

struct ps_db_conn;

/* Money arrived from the gateway for an order (first payment or a supplement):
 * debit gateway clearing, credit customer funds held for that order. */
int ledger_post_payment(struct ps_db_conn *c, const char *order_id, const char *provider_id,
                        const char *payment_id, int64_t amount_fen);
/* Order completed: the held funds split into platform commission (rate of service_type, 15%
 * default, half up) and the provider's payable. */
int ledger_post_completion(struct ps_db_conn *c, const char *order_id, const char *provider_id,
                           const char *service_type);
/* Refund of refund_fen to the customer; fee_fen (cancellation fee) is kept as the provider's
 * payable (less commission). Posts against held funds. */
int ledger_post_refund(struct ps_db_conn *c, const char *order_id, const char *provider_id,
                       const char *refund_id, int64_t refund_fen, int64_t fee_fen);
/* Cancellation fee of SPEC §6: by the provider 0; by the owner 0 more than 2 h before the slot,
 * else 20% of what was paid, at most 5,000 fen (half up). */
int64_t ledger_cancellation_fee(int64_t paid_fen, int64_t now_ms, int64_t slot_start_ms,
                                bool by_provider);
/* Commission of amount_fen at rate_bps basis points, rounded half up. */
int64_t ledger_commission(int64_t amount_fen, int rate_bps);

#endif
