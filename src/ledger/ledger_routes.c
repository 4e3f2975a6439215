/* Finance routes (SPEC §6) and the ledger's module descriptor.
 *   GET  /providers/:id/finance/summary  the provider's provider_admin or finance staff
 *   POST /providers/:id/payouts          the same staff (withdraw the balance) or an operator
 *   GET  /admin/ledger/trial-balance     operator, analyst
 * Anyone else asking about a provider gets 404, as if it did not exist (SPEC §2). Dates in
 * ?from=&to= are calendar days in China Standard Time (UTC+08:00), both inclusive. */
#include <stdio.h>
#include <string.h>

#include "accounts/roles.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "core/module.h"
#include "core/router.h"
#include "ledger/ledger_internal.h"
#include "ledger/ledger_store.h"
#include "ledger/money.h"

#define FINANCE_ROLES "provider_admin,finance"
#define DAY_MS (24LL * 3600 * 1000)

/* Start of a "YYYY-MM-DD" day at UTC+08:00, in ms. The router has checked the shape. */
static bool day_start_ms(const char *date, long long *ms)
{
    char t[40];
    snprintf(t, sizeof t, "%.10sT00:00:00+08:00", date);
    return ps_parse_time(t, ms);
}

static bool is_finance_staff(struct ps_db_conn *c, struct ps_req *r, const char *provider_id)
{
    return accounts_has_provider_role(c, ps_req_user(r), provider_id, FINANCE_ROLES);
}

static int finance_summary(struct ps_req *r)
{
    const char *provider_id = ps_req_param(r, "id");
    const char *from = ps_json_str(r->query, "from", NULL);
    const char *to = ps_json_str(r->query, "to", NULL);
    long long from_ms = 0, to_ms = ps_now_ms() + 1;
    if (from && !day_start_ms(from, &from_ms))
        return ps_fail_field(r, "from", "must be a date YYYY-MM-DD");
    if (to) {
        if (!day_start_ms(to, &to_ms))
            return ps_fail_field(r, "to", "must be a date YYYY-MM-DD");
        to_ms += DAY_MS;   /* to is inclusive: up to the end of that day */
    }
    if (from_ms >= to_ms)
        return ps_fail_field(r, "from", "must not be after to");
    if (!ps_id_valid(provider_id))
        return PS_E_NOT_FOUND;

    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    struct ledger_summary s;
    int rc = is_finance_staff(c, r, provider_id) ? 0 : PS_E_NOT_FOUND;
    if (rc == 0)
        rc = ledger_store_provider_summary(c, provider_id, from_ms, to_ms, &s);
    ps_db_release(c);
    if (rc)
        return rc;
    return ps_reply_json(r, 200, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
                                           "orders", (json_int_t)s.orders,
                                           "gross_fen", (json_int_t)s.gross_fen,
                                           "commission_fen", (json_int_t)s.commission_fen,
                                           "net_fen", (json_int_t)s.net_fen,
                                           "paid_out_fen", (json_int_t)s.paid_out_fen,
                                           "balance_fen", (json_int_t)s.balance_fen));
}

static int trial_balance(struct ps_req *r)
{
    json_t *accounts = json_array();
    int64_t debit = 0, credit = 0;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = ledger_store_trial_balance(c, accounts, &debit, &credit);
    ps_db_release(c);
    if (rc) {
        json_decref(accounts);
        return rc;
    }
    if (debit != credit)
        ps_log_error("ledger: trial balance does not balance (debits %lld, credits %lld)",
                     (long long)debit, (long long)credit);
    return ps_reply_json(r, 200, json_pack("{s:I, s:I, s:o}", "debit_fen", (json_int_t)debit,
                                           "credit_fen", (json_int_t)credit, "accounts", accounts));
}

struct payout_args {
    const char *provider_id;
    int64_t amount;
    char id[PS_ID_LEN + 1];
    int64_t balance_after;
    int64_t created_at;
};

static int payout_tx(struct ps_db_conn *c, void *arg)
{
    struct payout_args *a = arg;
    return ledger_post_payout(c, a->provider_id, a->id, a->amount, &a->balance_after);
}

static int create_payout(struct ps_req *r)
{
    struct payout_args a = { .provider_id = ps_req_param(r, "id"),
                             .amount = ps_json_int(r->json, "amount_fen", 0) };
    if (!ps_id_valid(a.provider_id))
        return PS_E_NOT_FOUND;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    bool allowed = is_finance_staff(c, r, a.provider_id);
    int rc = 0;
    if (!allowed && ps_req_has_role(r, "operator"))
        rc = ledger_store_provider_exists(c, a.provider_id, &allowed);
    ps_db_release(c);
    if (rc)
        return rc;
    if (!allowed)
        return PS_E_NOT_FOUND;
    ps_id_new(a.id);
    a.created_at = ps_now_ms();
    rc = ps_db_write(ps_app()->db, payout_tx, &a);
    if (rc == PS_E_CONFLICT)
        return ps_reply_problem(r, rc, "amount_fen is more than the provider's balance");
    if (rc)
        return rc;
    char when[32];
    ps_format_time_ms(a.created_at, when);
    return ps_reply_json(r, 201, json_pack("{s:s, s:s, s:I, s:I, s:s}", "id", a.id,
                                           "provider_id", a.provider_id,
                                           "amount_fen", (json_int_t)a.amount,
                                           "balance_fen", (json_int_t)a.balance_after,
                                           "created_at", when));
}

static const struct ps_param summary_query[] = {
    { "from", PS_DATE, 0, .description = "first day (UTC+08:00), inclusive; default: the beginning" },
    { "to", PS_DATE, 0, .description = "last day (UTC+08:00), inclusive; default: now" },
    PS_PARAM_END
};

static const struct ps_param payout_body[] = {
    { "amount_fen", PS_INT, PS_REQUIRED, .min = 1, .max = LEDGER_MAX_AMOUNT_FEN,
      .description = "amount to pay out, at most the balance" },
    PS_PARAM_END
};

static const struct ps_route ledger_routes[] = {
    { PS_GET, "/api/v1/providers/:id/finance/summary", finance_summary, PS_AUTH,
      .query = summary_query,
      .summary = "A provider's orders, gross, commission, net, payouts and balance (provider_admin, finance)",
      .tag = "ledger", .response = "FinanceSummary", .errors = "404" },
    { PS_POST, "/api/v1/providers/:id/payouts", create_payout, PS_AUTH | PS_IDEMPOTENT,
      .body = payout_body,
      .summary = "Pay out part of a provider's balance (provider_admin, finance, or an operator)",
      .tag = "ledger", .response = "Payout", .status = 201, .errors = "404,409" },
    { PS_GET, "/api/v1/admin/ledger/trial-balance", trial_balance, PS_AUTH,
      .roles = "operator,analyst",
      .summary = "Trial balance of the double-entry ledger: debits equal credits", .tag = "ledger",
      .response = "TrialBalance" },
    PS_ROUTE_END
};

static json_t *int_props(const char *const *names)
{
    json_t *props = json_object();
    for (const char *const *n = names; *n; n++)
        json_object_set_new(props, *n, json_pack("{s:s}", "type", "integer"));
    return props;
}

static json_t *names_array(const char *const *names)
{
    json_t *a = json_array();
    for (const char *const *n = names; *n; n++)
        json_array_append_new(a, json_string(*n));
    return a;
}

static void ledger_schemas(json_t *schemas)
{
    static const char *const summary[] = { "orders", "gross_fen", "commission_fen", "net_fen",
                                           "paid_out_fen", "balance_fen", NULL };
    json_object_set_new(schemas, "FinanceSummary", json_pack("{s:s, s:o, s:o}", "type", "object",
                        "required", names_array(summary), "properties", int_props(summary)));

    static const char *const account_ints[] = { "debit_fen", "credit_fen", "balance_fen", NULL };
    static const char *const account_all[] = { "account", "debit_fen", "credit_fen", "balance_fen", NULL };
    json_t *account_props = int_props(account_ints);
    json_object_set_new(account_props, "account", json_pack("{s:s, s:s}", "type", "string",
                        "description", "gateway_clearing, customer_funds_held, platform_revenue or provider_payable:<provider id>"));
    json_object_set_new(schemas, "LedgerAccount", json_pack("{s:s, s:o, s:o}", "type", "object",
                        "required", names_array(account_all), "properties", account_props));
    static const char *const totals[] = { "debit_fen", "credit_fen", NULL };
    json_t *tb_props = int_props(totals);
    json_object_set_new(tb_props, "accounts", json_pack("{s:s, s:{s:s}}", "type", "array", "items",
                        "$ref", "#/components/schemas/LedgerAccount"));
    static const char *const tb_all[] = { "debit_fen", "credit_fen", "accounts", NULL };
    json_object_set_new(schemas, "TrialBalance", json_pack("{s:s, s:o, s:o}", "type", "object",
                        "required", names_array(tb_all), "properties", tb_props));

    static const char *const payout_ints[] = { "amount_fen", "balance_fen", NULL };
    static const char *const payout_all[] = { "id", "provider_id", "amount_fen", "balance_fen", "created_at", NULL };
    json_t *payout_props = int_props(payout_ints);
    json_object_set_new(payout_props, "id", json_pack("{s:s}", "type", "string"));
    json_object_set_new(payout_props, "provider_id", json_pack("{s:s}", "type", "string"));
    json_object_set_new(payout_props, "created_at", json_pack("{s:s, s:s}", "type", "string", "format", "date-time"));
    json_object_set_new(schemas, "Payout", json_pack("{s:s, s:o, s:o}", "type", "object",
                        "required", names_array(payout_all), "properties", payout_props));
}

const struct ps_module ps_module_ledger = {
    .name = "ledger",
    .routes = ledger_routes,
    .schemas = ledger_schemas,
};
