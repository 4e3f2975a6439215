/* Money rules of SPEC §6 in integer fen: commission and cancellation fee (half up), and the
 * balanced journal entry for each event. Nothing here touches the database. */
#include "ledger/money.h"

#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "ledger/ledger.h"

int64_t ledger_commission(int64_t amount_fen, int rate_bps)
{
    if (amount_fen <= 0 || rate_bps <= 0)
        return 0;
    /* amount * rate / 10000, half up, split so that no product can overflow. */
    int64_t whole = amount_fen / 10000, rest = amount_fen % 10000;
    return whole * rate_bps + (rest * rate_bps + 5000) / 10000;
}

int64_t ledger_cancellation_fee(int64_t paid_fen, int64_t now_ms, int64_t slot_start_ms,
                                bool by_provider)
{
    if (by_provider || paid_fen <= 0)
        return 0;
    if (slot_start_ms - now_ms > LEDGER_FEE_FREE_BEFORE_MS)
        return 0;
    int64_t fee = ledger_commission(paid_fen, LEDGER_FEE_RATE_BPS);
    return fee > LEDGER_FEE_CAP_FEN ? LEDGER_FEE_CAP_FEN : fee;
}

const char *ledger_kind_name(enum ledger_kind k)
{
    switch (k) {
    case LEDGER_PAYMENT:    return "payment";
    case LEDGER_COMPLETION: return "completion";
    case LEDGER_REFUND:     return "refund";
    case LEDGER_PAYOUT:     return "payout";
    }
    return "unknown";
}

int ledger_rate_or_default(long long rate_bps)
{
    return rate_bps >= 0 && rate_bps <= 10000 ? (int)rate_bps : LEDGER_DEFAULT_COMMISSION_BPS;
}

void ledger_payable_account(const char *provider_id, char out[LEDGER_ACCOUNT_LEN])
{
    snprintf(out, LEDGER_ACCOUNT_LEN, "%s%s", LEDGER_PAYABLE, provider_id ? provider_id : "");
}

bool ledger_entry_balanced(const struct ledger_entry *e)
{
    if (e->nlines < 2 || e->nlines > LEDGER_MAX_LINES)
        return false;
    int64_t debits = 0, credits = 0;
    for (int i = 0; i < e->nlines; i++) {
        const struct ledger_line *l = &e->lines[i];
        if (l->debit_fen < 0 || l->credit_fen < 0 || (l->debit_fen > 0) == (l->credit_fen > 0))
            return false;
        if (l->debit_fen > LEDGER_MAX_AMOUNT_FEN || l->credit_fen > LEDGER_MAX_AMOUNT_FEN)
            return false;
        if (!l->account[0])
            return false;
        debits += l->debit_fen;
        credits += l->credit_fen;
    }
    return debits == credits;
}

static void add_line(struct ledger_entry *e, const char *account, int64_t debit, int64_t credit)
{
    if (debit == 0 && credit == 0)
        return;   /* a zero line says nothing (e.g. a 0% commission) */
    struct ledger_line *l = &e->lines[e->nlines++];
    snprintf(l->account, sizeof l->account, "%s", account);
    l->debit_fen = debit;
    l->credit_fen = credit;
}

static void begin(struct ledger_entry *e, enum ledger_kind kind, int64_t amount)
{
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->amount_fen = amount;
}

static bool amount_ok(int64_t v) { return v >= 0 && v <= LEDGER_MAX_AMOUNT_FEN; }

int ledger_plan_payment(struct ledger_entry *e, int64_t amount_fen)
{
    begin(e, LEDGER_PAYMENT, amount_fen);
    if (amount_fen <= 0 || !amount_ok(amount_fen))
        return PS_E_VALIDATION;
    add_line(e, LEDGER_GATEWAY, amount_fen, 0);
    add_line(e, LEDGER_HELD, 0, amount_fen);
    return 0;
}

int ledger_plan_completion(struct ledger_entry *e, const char *provider_id, int64_t held_fen,
                           int rate_bps)
{
    begin(e, LEDGER_COMPLETION, held_fen);
    if (!amount_ok(held_fen))
        return PS_E_CONFLICT;
    if (held_fen == 0)
        return 0;   /* a free order: nothing to split */
    char payable[LEDGER_ACCOUNT_LEN];
    ledger_payable_account(provider_id, payable);
    int64_t commission = ledger_commission(held_fen, rate_bps);
    add_line(e, LEDGER_HELD, held_fen, 0);
    add_line(e, LEDGER_REVENUE, 0, commission);
    add_line(e, payable, 0, held_fen - commission);
    return 0;
}

/* revenue share of amount, in proportion revenue : (revenue + payable), half up. */
static int64_t proportional(int64_t amount, int64_t revenue, int64_t payable)
{
    __int128 total = (__int128)revenue + payable;
    if (total <= 0)
        return 0;
    return (int64_t)(((__int128)amount * revenue * 2 + total) / (total * 2));
}

int ledger_plan_refund(struct ledger_entry *e, const char *provider_id,
                       const struct ledger_order_split *split, int64_t refund_fen,
                       int64_t fee_fen, int fee_rate_bps)
{
    begin(e, LEDGER_REFUND, refund_fen);
    if (!amount_ok(refund_fen) || !amount_ok(fee_fen) || refund_fen + fee_fen <= 0)
        return PS_E_VALIDATION;
    char payable[LEDGER_ACCOUNT_LEN];
    ledger_payable_account(provider_id, payable);

    if (split->held_fen >= refund_fen + fee_fen) {
        /* Before completion: the refund leaves through the gateway, the fee is earned now. */
        int64_t commission = ledger_commission(fee_fen, fee_rate_bps);
        add_line(e, LEDGER_HELD, refund_fen + fee_fen, 0);
        add_line(e, LEDGER_GATEWAY, 0, refund_fen);
        add_line(e, LEDGER_REVENUE, 0, commission);
        add_line(e, payable, 0, fee_fen - commission);
        return 0;
    }
    if (split->held_fen == 0 && fee_fen == 0 &&
        refund_fen <= split->revenue_fen + split->payable_fen) {
        /* After completion: reverse the split in the proportion it was made. */
        int64_t back_revenue = proportional(refund_fen, split->revenue_fen, split->payable_fen);
        int64_t back_payable = refund_fen - back_revenue;
        if (back_revenue > split->revenue_fen || back_payable > split->payable_fen ||
            back_payable > split->provider_balance_fen)
            return PS_E_CONFLICT;   /* already paid out: needs a manual adjustment */
        add_line(e, LEDGER_REVENUE, back_revenue, 0);
        add_line(e, payable, back_payable, 0);
        add_line(e, LEDGER_GATEWAY, 0, refund_fen);
        return 0;
    }
    return PS_E_CONFLICT;
}

int ledger_plan_payout(struct ledger_entry *e, const char *provider_id, int64_t amount_fen,
                       int64_t balance_fen)
{
    begin(e, LEDGER_PAYOUT, amount_fen);
    if (amount_fen <= 0 || !amount_ok(amount_fen))
        return PS_E_VALIDATION;
    if (amount_fen > balance_fen)
        return PS_E_CONFLICT;
    char payable[LEDGER_ACCOUNT_LEN];
    ledger_payable_account(provider_id, payable);
    add_line(e, payable, amount_fen, 0);
    add_line(e, LEDGER_GATEWAY, 0, amount_fen);
    return 0;
}
