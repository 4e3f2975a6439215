/* The ledger's rules without SQL: rates, fees, and the journal entry each event produces
 * given the balances it posts against. ledger_store.c reads the balances, asks these
 * functions for the lines, and writes them. See docs/MONEY.md for the chart of accounts. */
#ifndef PS_LEDGER_MONEY_H
#define PS_LEDGER_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/id.h"

/* The chart of accounts. Debit-normal: gateway clearing (an asset). Credit-normal: the rest. */
#define LEDGER_GATEWAY   "gateway_clearing"     /* money the platform holds at the gateway */
#define LEDGER_HELD      "customer_funds_held"  /* paid by owners, order not finished (per order) */
#define LEDGER_REVENUE   "platform_revenue"     /* commission earned */
#define LEDGER_PAYABLE   "provider_payable:"    /* + provider id: owed to that provider */

#define LEDGER_DEFAULT_COMMISSION_BPS 1500      /* SPEC §6: 15% unless the service type says */
#define LEDGER_FEE_RATE_BPS           2000      /* cancellation fee: 20% of what was paid */
#define LEDGER_FEE_CAP_FEN            5000      /* ... at most 50 yuan */
#define LEDGER_FEE_FREE_BEFORE_MS     (2LL * 3600 * 1000)  /* free more than 2 h before the slot */
/* Largest amount one entry may move: 10^12 fen (10 billion yuan), far above any order, low
 * enough that sums over millions of lines stay far inside int64. */

#define LEDGER_ACCOUNT_LEN (sizeof LEDGER_PAYABLE + PS_ID_LEN + 16)
#define LEDGER_MAX_LINES 6

enum ledger_kind { LEDGER_PAYMENT = 1, LEDGER_COMPLETION, LEDGER_REFUND, LEDGER_PAYOUT };

struct ledger_line {
    char account[LEDGER_ACCOUNT_LEN];
    int64_t debit_fen, credit_fen;   /* exactly one of them is > 0 */
};

struct ledger_entry {
    enum ledger_kind kind;
    int64_t amount_fen;              /* the event's amount, for idempotent replays */
    int nlines;
    struct ledger_line lines[LEDGER_MAX_LINES];
};

/* What a refund may reverse once an order's held funds were split at completion. */
struct ledger_order_split {
    int64_t held_fen;                /* customer funds still held for the order */
    int64_t revenue_fen;             /* platform revenue booked on this order, net of reversals */
    int64_t payable_fen;             /* provider payable booked on this order, net of reversals */
    int64_t provider_balance_fen;    /* the provider's whole payable balance now */
};

const char *ledger_kind_name(enum ledger_kind k);
/* rate_bps if it is a sane commission rate (0..10000), else the default. */
int ledger_rate_or_default(long long rate_bps);
void ledger_payable_account(const char *provider_id, char out[LEDGER_ACCOUNT_LEN]);

/* True when every line moves a positive amount on exactly one side, the amounts are within
 * LEDGER_MAX_AMOUNT_FEN, and debits equal credits. An empty entry is not balanced. */
bool ledger_entry_balanced(const struct ledger_entry *e);

/* Each plan fills e (nlines = 0 means "nothing to post") or returns PS_E_CONFLICT when the
 * event would break a rule (overdraw held funds, the payable, ...) or PS_E_VALIDATION for an
 * amount out of range. */
int ledger_plan_payment(struct ledger_entry *e, int64_t amount_fen);
int ledger_plan_completion(struct ledger_entry *e, const char *provider_id, int64_t held_fen,
                           int rate_bps);
int ledger_plan_refund(struct ledger_entry *e, const char *provider_id,
                       const struct ledger_order_split *split, int64_t refund_fen,
                       int64_t fee_fen, int fee_rate_bps);
int ledger_plan_payout(struct ledger_entry *e, const char *provider_id, int64_t amount_fen,
                       int64_t balance_fen);

#endif
