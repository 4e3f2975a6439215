/* The payments module's SQL. Returns 0 or a PS_E_* code. */
#ifndef PAYMENTS_STORE_H
#define PAYMENTS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/id.h"

struct ps_db_conn;

struct payment_row {
    char id[PS_ID_LEN + 1];
    char order_id[PS_ID_LEN + 1];
    char kind[12];                 /* payment | refund */
    char method[16];
    int64_t amount_fen, fee_fen;
    char status[16];
};

int payments_store_insert(struct ps_db_conn *c, const struct payment_row *p, int64_t now);
/* PS_E_NOT_FOUND when unknown. */
int payments_store_get(struct ps_db_conn *c, const char *id, struct payment_row *out);
/* The newest pending payment (kind payment) of an order, PS_E_NOT_FOUND when none. */
int payments_store_pending_for_order(struct ps_db_conn *c, const char *order_id,
                                     struct payment_row *out);
/* The method of the order's first successful payment ("" when none). */
int payments_store_paid_method(struct ps_db_conn *c, const char *order_id, char *method, size_t n);
/* Conditional status change from pending: *changed tells whether this call made it. */
int payments_store_settle(struct ps_db_conn *c, const char *id, const char *status,
                          const char *flag_reason, int64_t now, bool *changed);

/* Webhook events: insert once; *fresh is false when the id was seen before. */
int payments_store_event_insert(struct ps_db_conn *c, const char *id, const char *type,
                                const char *payment_id, int64_t amount_fen, int64_t now, bool *fresh);
int payments_store_event_result(struct ps_db_conn *c, const char *id, const char *result);

/* The sandbox gateway's queue of webhooks to send. */
struct sandbox_webhook { char id[64]; char *body; int attempts; };
int payments_store_sandbox_queue(struct ps_db_conn *c, const char *event_id,
                                 const char *payment_id, const char *body, int64_t due_at);
/* Reader-side look: is any webhook due now? */
int payments_store_sandbox_due(struct ps_db_conn *c, int64_t now, bool *any);
/* Claim up to max due webhooks (conditional UPDATE, safe on several nodes); bodies are
 * malloc'ed: free them with payments_store_sandbox_free. *n gets how many. */
int payments_store_sandbox_claim(struct ps_db_conn *c, int64_t now, struct sandbox_webhook *out,
                                 int max, int *n);
void payments_store_sandbox_free(struct sandbox_webhook *w, int n);
int payments_store_sandbox_done(struct ps_db_conn *c, const char *id, int64_t now);
int payments_store_sandbox_retry(struct ps_db_conn *c, const char *id, int64_t next_at);

#endif
