/* Payments for the orders module: a gateway interface (the built-in sandbox, later WeChat Pay
 * or Alipay behind the same struct), payment and refund records, and the signed webhook that
 * confirms them. What a confirmed payment does to an order is decided by the orders module
 * through hooks it installs at start-up, so payments never includes orders. */
#ifndef PS_PAYMENTS_H
#define PS_PAYMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/id.h"

struct ps_db_conn;

/* A payment gateway. Both calls run inside the caller's write transaction and must not wait on
 * the network: a gateway queues its request (its own outbox table) and a job talks to the
 * outside; the answer comes back as a webhook. Return 0 or a PS_E_* code. */
struct payments_gateway {
    const char *method;                                  /* "sandbox" */
    int (*create_payment)(struct ps_db_conn *c, const char *payment_id, const char *order_id,
                          int64_t amount_fen, const char *outcome);
    int (*refund)(struct ps_db_conn *c, const char *refund_id, const char *order_id,
                  int64_t amount_fen);
};

/* The gateway for a method, or NULL when unknown or switched off (the sandbox in production). */
const struct payments_gateway *payments_gateway_for(const char *method);

/* What a confirmed event does to its order, inside the webhook's transaction. A hook returns
 * 0 (applied), a positive PAYMENTS_FLAG when the money cannot be applied (then the payment is
 * flagged with *reason and nothing else changes), or a negative PS_E_* code (rolled back; the
 * gateway will retry). */
enum { PAYMENTS_FLAG = 1 };
struct payments_hooks {
    int (*payment_succeeded)(struct ps_db_conn *c, const char *order_id, const char *payment_id,
                             int64_t amount_fen, const char **reason);
    int (*payment_failed)(struct ps_db_conn *c, const char *order_id, const char *payment_id);
    int (*refund_succeeded)(struct ps_db_conn *c, const char *order_id, const char *refund_id,
                            int64_t refund_fen, int64_t fee_fen);
};
void payments_set_hooks(const struct payments_hooks *hooks);

struct payment_brief {
    char id[PS_ID_LEN + 1];
    char status[16];              /* pending | succeeded | failed | flagged */
    int64_t amount_fen;
};

/* Inside the caller's transaction: a pending payment of amount_fen for order_id through the
 * gateway of method. When a payment of the same amount is pending already it is returned
 * instead of starting a second one. outcome is for the sandbox only ("succeed", "fail",
 * "manual"; NULL = succeed). */
int payments_start(struct ps_db_conn *c, const char *method, const char *order_id,
                   int64_t amount_fen, const char *outcome, struct payment_brief *out);
/* Inside the caller's transaction: refund refund_fen of order_id's payments through the
 * gateway that took them (fee_fen is kept as the cancellation fee). */
int payments_start_refund(struct ps_db_conn *c, const char *order_id, int64_t refund_fen,
                          int64_t fee_fen, struct payment_brief *out);

#endif
