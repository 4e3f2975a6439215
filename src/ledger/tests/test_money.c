/* Money rules: commission and cancellation fee rounding (half up), and that every planned
 * entry balances and refuses to overdraw. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/errors.h"
#include "ledger/ledger.h"
#include "ledger/money.h"
#include "ledger/rates.h"

#define HOUR_MS (3600LL * 1000)

static void test_commission(void **state)
{
    assert_int_equal(ledger_commission(10000, 1500), 1500);
    assert_int_equal(ledger_commission(1, 1500), 0);       /* 0.15 -> 0 */
    assert_int_equal(ledger_commission(3, 1500), 0);       /* 0.45 -> 0 */
    assert_int_equal(ledger_commission(4, 1500), 1);       /* 0.60 -> 1 */
    assert_int_equal(ledger_commission(10, 1500), 2);      /* 1.50 -> 2: half up */
    assert_int_equal(ledger_commission(30, 1500), 5);      /* 4.50 -> 5 */
    assert_int_equal(ledger_commission(29, 1500), 4);      /* 4.35 -> 4 */
    assert_int_equal(ledger_commission(12345, 1750), 2160); /* 2160.375 -> 2160 */
    assert_int_equal(ledger_commission(50, 2000), 10);
    assert_int_equal(ledger_commission(0, 1500), 0);
    assert_int_equal(ledger_commission(-5, 1500), 0);
    assert_int_equal(ledger_commission(1000, 0), 0);
    assert_int_equal(ledger_commission(1000, 10000), 1000);
    /* Big amounts do not overflow. */
    assert_true(ledger_commission(INT64_MAX / 2, 2000) > 0);
    /* Exhaustive check against the textbook formula for small amounts and every rate. */
    for (int64_t a = 0; a < 3000; a += 7)
        for (int r = 1500; r <= 2000; r += 25)
            assert_int_equal(ledger_commission(a, r), (a * r + 5000) / 10000);
    assert_int_equal(ledger_rate_or_default(1800), 1800);
    assert_int_equal(ledger_rate_or_default(-1), 1500);
    assert_int_equal(ledger_rate_or_default(10001), 1500);
}

static void test_cancellation_fee(void **state)
{
    int64_t slot = 1000 * HOUR_MS;
    /* More than 2 h before the slot: free; exactly 2 h or less: 20%. */
    assert_int_equal(ledger_cancellation_fee(20000, slot - 2 * HOUR_MS - 1, slot, false), 0);
    assert_int_equal(ledger_cancellation_fee(20000, slot - 2 * HOUR_MS, slot, false), 4000);
    assert_int_equal(ledger_cancellation_fee(20000, slot - HOUR_MS, slot, false), 4000);
    /* Capped at 5,000 fen. */
    assert_int_equal(ledger_cancellation_fee(25000, slot - HOUR_MS, slot, false), 5000);
    assert_int_equal(ledger_cancellation_fee(25002, slot - HOUR_MS, slot, false), 5000);
    assert_int_equal(ledger_cancellation_fee(1000000, slot - HOUR_MS, slot, false), 5000);
    /* Half up: 20% of 3 = 0.6 -> 1; of 2 = 0.4 -> 0; of 13 = 2.6 -> 3. */
    assert_int_equal(ledger_cancellation_fee(3, slot - HOUR_MS, slot, false), 1);
    assert_int_equal(ledger_cancellation_fee(2, slot - HOUR_MS, slot, false), 0);
    assert_int_equal(ledger_cancellation_fee(13, slot - HOUR_MS, slot, false), 3);
    /* After the slot has begun (owner late) the fee still applies. */
    assert_int_equal(ledger_cancellation_fee(10000, slot + HOUR_MS, slot, false), 2000);
    /* The provider's cancellation is always free; nothing paid, nothing kept. */
    assert_int_equal(ledger_cancellation_fee(20000, slot - HOUR_MS, slot, true), 0);
    assert_int_equal(ledger_cancellation_fee(0, slot - HOUR_MS, slot, false), 0);
}

static void assert_balanced_sum(const struct ledger_entry *e, int64_t want)
{
    assert_true(ledger_entry_balanced(e));
    int64_t d = 0;
    for (int i = 0; i < e->nlines; i++)
        d += e->lines[i].debit_fen;
    assert_int_equal(d, want);
}

static void test_plans(void **state)
{
    struct ledger_entry e;
    const char *p = "01jabcdefghjkmnpqrstvwxyz0";

    assert_int_equal(ledger_plan_payment(&e, 12000), 0);
    assert_balanced_sum(&e, 12000);
    assert_string_equal(e.lines[0].account, "gateway_clearing");
    assert_int_equal(ledger_plan_payment(&e, 0), PS_E_VALIDATION);
    assert_int_equal(ledger_plan_payment(&e, -1), PS_E_VALIDATION);

    assert_int_equal(ledger_plan_completion(&e, p, 12000, 1500), 0);
    assert_balanced_sum(&e, 12000);
    assert_int_equal(e.nlines, 3);
    assert_int_equal(e.lines[1].credit_fen, 1800);
    assert_string_equal(e.lines[2].account, "provider_payable:01jabcdefghjkmnpqrstvwxyz0");
    assert_int_equal(e.lines[2].credit_fen, 10200);
    assert_int_equal(ledger_plan_completion(&e, p, 0, 1500), 0);
    assert_int_equal(e.nlines, 0);

    /* Refund before completion: within what is held. */
    struct ledger_order_split s = { .held_fen = 10000 };
    assert_int_equal(ledger_plan_refund(&e, p, &s, 8000, 2000, 1500), 0);
    assert_balanced_sum(&e, 10000);
    assert_int_equal(e.nlines, 4);   /* held, gateway, revenue 300, payable 1700 */
    assert_int_equal(e.lines[2].credit_fen, 300);
    assert_int_equal(e.lines[3].credit_fen, 1700);
    assert_int_equal(ledger_plan_refund(&e, p, &s, 10000, 1, 1500), PS_E_CONFLICT);
    assert_int_equal(ledger_plan_refund(&e, p, &s, 0, 0, 1500), PS_E_VALIDATION);
    assert_int_equal(ledger_plan_refund(&e, p, &s, -1, 5, 1500), PS_E_VALIDATION);

    /* Refund after completion reverses the split proportionally. */
    struct ledger_order_split done = { 0, 1800, 10200, 10200 };
    assert_int_equal(ledger_plan_refund(&e, p, &done, 12000, 0, 1500), 0);
    assert_balanced_sum(&e, 12000);
    assert_int_equal(e.lines[0].debit_fen, 1800);
    assert_int_equal(e.lines[1].debit_fen, 10200);
    assert_int_equal(ledger_plan_refund(&e, p, &done, 5000, 0, 1500), 0);
    assert_balanced_sum(&e, 5000);
    assert_int_equal(e.lines[0].debit_fen, 750);
    /* ... but not more than was booked, nor what was already paid out. */
    assert_int_equal(ledger_plan_refund(&e, p, &done, 12001, 0, 1500), PS_E_CONFLICT);
    done.provider_balance_fen = 100;
    assert_int_equal(ledger_plan_refund(&e, p, &done, 12000, 0, 1500), PS_E_CONFLICT);

    assert_int_equal(ledger_plan_payout(&e, p, 500, 500), 0);
    assert_balanced_sum(&e, 500);
    assert_int_equal(ledger_plan_payout(&e, p, 501, 500), PS_E_CONFLICT);
    assert_int_equal(ledger_plan_payout(&e, p, 0, 500), PS_E_VALIDATION);
}

static void test_unbalanced_refused(void **state)
{
    struct ledger_entry e;
    ledger_plan_payment(&e, 100);
    e.lines[1].credit_fen = 99;
    assert_false(ledger_entry_balanced(&e));
    ledger_plan_payment(&e, 100);
    e.lines[1].debit_fen = 5;   /* both sides on one line */
    assert_false(ledger_entry_balanced(&e));
    ledger_plan_payment(&e, 100);
    e.nlines = 1;
    assert_false(ledger_entry_balanced(&e));
    ledger_plan_payment(&e, 100);
    e.lines[0].debit_fen = -100;
    e.lines[1].credit_fen = -100;
    assert_false(ledger_entry_balanced(&e));
}

static void test_catalog_rates(void **state)
{
    int bps = -1;
    assert_true(ledger_catalog_rate("oil_change", &bps));
    assert_int_equal(bps, 1500);
    assert_true(ledger_catalog_rate("brake_pads", &bps));
    assert_int_equal(bps, 1600);
    assert_true(ledger_catalog_rate("engine_repair", &bps));
    assert_int_equal(bps, 2000);
    bps = -1;
    assert_false(ledger_catalog_rate("brake", &bps));       /* a prefix is not a code */
    assert_false(ledger_catalog_rate("no_such_service", &bps));
    assert_false(ledger_catalog_rate("", &bps));
    assert_false(ledger_catalog_rate(NULL, &bps));
    assert_int_equal(bps, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commission),
        cmocka_unit_test(test_cancellation_fee),
        cmocka_unit_test(test_plans),
        cmocka_unit_test(test_unbalanced_refused),
        cmocka_unit_test(test_catalog_rates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
