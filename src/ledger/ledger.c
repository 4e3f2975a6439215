/* The ledger's public calls (ledger.h): read the balances an event posts against, let
 * money.c plan the balanced entry, check it, write it. Every call is idempotent per
 * (kind, subject, reference): a replay with the same amount is a no-op success, a replay
 * with a different amount is PS_E_CONFLICT. Nothing is written unless everything checks. */
#include "ledger/ledger.h"

#include <string.h>

#include "core/errors.h"
#include "core/log.h"
#include "ledger/ledger_internal.h"
#include "ledger/ledger_store.h"
#include "ledger/money.h"

/* 0 when there is no such entry yet (go on), 1 when it was posted already with this amount
 * (a replay: stop with success), PS_E_CONFLICT when it was posted with another amount. */
static int replay_check(struct ps_db_conn *c, enum ledger_kind kind, const char *subject,
                        const char *reference, int64_t amount, bool any_amount)
{
    bool found = false;
    int64_t existing = 0;
    int rc = ledger_store_find_entry(c, kind, subject, reference, &found, &existing);
    if (rc || !found)
        return rc;
    return any_amount || existing == amount ? 1 : PS_E_CONFLICT;
}

static int post(struct ps_db_conn *c, const struct ledger_entry *e, const char *subject,
                const char *reference, const char *order_id, const char *provider_id)
{
    if (e->nlines == 0)
        return 0;
    if (!ledger_entry_balanced(e)) {
        ps_log_error("ledger: refusing an unbalanced %s entry", ledger_kind_name(e->kind));
        return PS_E_CONFLICT;
    }
    return ledger_store_post(c, e, subject, reference, order_id, provider_id, ps_now_ms(), NULL);
}

static bool id_ok(const char *s) { return s && *s && strlen(s) <= 64; }

int ledger_post_payment(struct ps_db_conn *c, const char *order_id, const char *provider_id,
                        const char *payment_id, int64_t amount_fen)
{
    if (!id_ok(order_id) || !id_ok(provider_id) || !id_ok(payment_id))
        return PS_E_VALIDATION;
    int rc = replay_check(c, LEDGER_PAYMENT, order_id, payment_id, amount_fen, false);
    if (rc)
        return rc > 0 ? 0 : rc;
    struct ledger_entry e;
    if ((rc = ledger_plan_payment(&e, amount_fen)))
        return rc;
    return post(c, &e, order_id, payment_id, order_id, provider_id);
}

int ledger_post_completion(struct ps_db_conn *c, const char *order_id, const char *provider_id,
                           const char *service_type)
{
    if (!id_ok(order_id) || !id_ok(provider_id))
        return PS_E_VALIDATION;
    int rc = replay_check(c, LEDGER_COMPLETION, order_id, "", 0, true);
    if (rc)
        return rc > 0 ? 0 : rc;
    int64_t held = 0;
    int bps = LEDGER_DEFAULT_COMMISSION_BPS;
    if ((rc = ledger_store_credit_balance(c, LEDGER_HELD, order_id, &held)) ||
        (rc = ledger_store_commission_bps(c, service_type, &bps)))
        return rc;
    struct ledger_entry e;
    if ((rc = ledger_plan_completion(&e, provider_id, held, bps)))
        return rc;
    return post(c, &e, order_id, "", order_id, provider_id);
}

int ledger_post_refund(struct ps_db_conn *c, const char *order_id, const char *provider_id,
                       const char *refund_id, int64_t refund_fen, int64_t fee_fen)
{
    if (!id_ok(order_id) || !id_ok(provider_id) || !id_ok(refund_id))
        return PS_E_VALIDATION;
    int rc = replay_check(c, LEDGER_REFUND, order_id, refund_id, refund_fen, false);
    if (rc)
        return rc > 0 ? 0 : rc;
    struct ledger_order_split split;
    char payable[LEDGER_ACCOUNT_LEN], service_type[64];
    int bps = LEDGER_DEFAULT_COMMISSION_BPS;
    ledger_payable_account(provider_id, payable);
    if ((rc = ledger_store_credit_balance(c, LEDGER_HELD, order_id, &split.held_fen)) ||
        (rc = ledger_store_credit_balance(c, LEDGER_REVENUE, order_id, &split.revenue_fen)) ||
        (rc = ledger_store_credit_balance(c, payable, order_id, &split.payable_fen)) ||
        (rc = ledger_store_payable_balance(c, provider_id, &split.provider_balance_fen)) ||
        (rc = ledger_store_order_service_type(c, order_id, service_type, sizeof service_type)) ||
        (rc = ledger_store_commission_bps(c, service_type, &bps)))
        return rc;
    struct ledger_entry e;
    if ((rc = ledger_plan_refund(&e, provider_id, &split, refund_fen, fee_fen, bps)))
        return rc;
    return post(c, &e, order_id, refund_id, order_id, provider_id);
}

int ledger_post_payout(struct ps_db_conn *c, const char *provider_id, const char *payout_id,
                       int64_t amount_fen, int64_t *balance_after)
{
    if (!id_ok(provider_id) || !id_ok(payout_id))
        return PS_E_VALIDATION;
    int64_t balance = 0;
    int rc = replay_check(c, LEDGER_PAYOUT, provider_id, payout_id, amount_fen, false);
    if (rc == 0) {
        struct ledger_entry e;
        if ((rc = ledger_store_payable_balance(c, provider_id, &balance)) ||
            (rc = ledger_plan_payout(&e, provider_id, amount_fen, balance)) ||
            (rc = post(c, &e, provider_id, payout_id, NULL, provider_id)))
            return rc;
    } else if (rc < 0) {
        return rc;
    }
    if (balance_after)
        rc = ledger_store_payable_balance(c, provider_id, balance_after);
    return rc > 0 ? 0 : rc;
}
