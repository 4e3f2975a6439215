/* All SQL of the ledger: balances, idempotency look-ups, posting an entry, the commission
 * rate of a service type, and the read models behind the finance routes. */
#ifndef PS_LEDGER_STORE_H
#define PS_LEDGER_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "ledger/money.h"

struct ps_db_conn;

/* Commission of a service type: service_types.commission_bps when that table exists, else
 * the catalog embedded from src/providers/service_types.tsv, else the default (15%). */
int ledger_store_commission_bps(struct ps_db_conn *c, const char *service_type, int *bps);
/* The service type of an order (orders.service_type), "" when unknown. */
int ledger_store_order_service_type(struct ps_db_conn *c, const char *order_id, char *out, size_t outlen);

/* Is there an entry for (kind, subject, reference)? *amount gets its amount_fen. */
int ledger_store_find_entry(struct ps_db_conn *c, enum ledger_kind kind, const char *subject_id,
                            const char *reference, bool *found, int64_t *amount);
/* Credit minus debit of an account (optionally restricted to one order, order_id != NULL). */
int ledger_store_credit_balance(struct ps_db_conn *c, const char *account, const char *order_id,
                                int64_t *balance);
/* A provider's payable balance from the running balance row (0 when it has none), locking
 * the row until the caller's write transaction ends. */
int ledger_store_payable_balance(struct ps_db_conn *c, const char *provider_id, int64_t *balance);
/* Write e: its lines, then the entry row (whose trigger re-checks the balance). */
int ledger_store_post(struct ps_db_conn *c, const struct ledger_entry *e, const char *subject_id,
                      const char *reference, const char *order_id, const char *provider_id,
                      int64_t now_ms, char entry_id_out[PS_ID_LEN + 1]);

/* Trial balance: appends {account, debit_fen, credit_fen, balance_fen} rows to accounts. */
int ledger_store_trial_balance(struct ps_db_conn *c, json_t *accounts, int64_t *debit_total,
                               int64_t *credit_total);

struct ledger_summary {
    int64_t orders, gross_fen, commission_fen, net_fen, paid_out_fen, balance_fen;
};
/* A provider's figures for [from_ms, to_ms); balance_fen is the payable at to_ms. */
int ledger_store_provider_summary(struct ps_db_conn *c, const char *provider_id, int64_t from_ms,
                                  int64_t to_ms, struct ledger_summary *out);
/* Does the provider exist (providers table)? */
int ledger_store_provider_exists(struct ps_db_conn *c, const char *provider_id, bool *exists);

#endif
