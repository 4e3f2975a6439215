/* Unit tests of the order state machine: every allowed move succeeds for its actors, every
 * other (from, to, actor) combination is refused with PS_E_INVALID_STATE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/errors.h"
#include "orders/order_rules.h"

struct expected { enum order_state from, to; unsigned actors; };

/* Written out again here, independently of the table in order_rules.c, from SPEC §6. */
static const struct expected allowed[] = {
    { OS_PENDING_PAYMENT, OS_PAID,       OA_SYSTEM },
    { OS_PENDING_PAYMENT, OS_EXPIRED,    OA_SYSTEM },
    { OS_PENDING_PAYMENT, OS_CANCELLED,  OA_OWNER | OA_PROVIDER },
    { OS_PAID,            OS_ACCEPTED,   OA_PROVIDER },
    { OS_PAID,            OS_CANCELLED,  OA_OWNER | OA_PROVIDER },
    { OS_ACCEPTED,        OS_IN_SERVICE, OA_PROVIDER },
    { OS_ACCEPTED,        OS_CANCELLED,  OA_OWNER | OA_PROVIDER },
    { OS_IN_SERVICE,      OS_COMPLETED,  OA_PROVIDER },
    { OS_CANCELLED,       OS_REFUNDED,   OA_SYSTEM },
};

static unsigned allowed_actors(enum order_state from, enum order_state to)
{
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (allowed[i].from == from && allowed[i].to == to)
            return allowed[i].actors;
    return 0;
}

static void test_every_pair(void **state)
{
    static const enum order_actor actors[] = { OA_OWNER, OA_PROVIDER, OA_SYSTEM };
    int ok = 0, refused = 0;
    for (int f = 0; f < OS_COUNT; f++) {
        for (int t = 0; t < OS_COUNT; t++) {
            unsigned want = allowed_actors(f, t);
            assert_int_equal(order_transition_exists(f, t), want != 0);
            for (size_t a = 0; a < 3; a++) {
                int rc = order_transition_check(f, t, actors[a]);
                if (want & actors[a]) {
                    assert_int_equal(rc, 0);
                    ok++;
                } else {
                    assert_int_equal(rc, PS_E_INVALID_STATE);
                    refused++;
                }
            }
        }
    }
    assert_int_equal(ok, 12);
    assert_int_equal(ok + refused, OS_COUNT * OS_COUNT * 3);
}

static void test_self_loops_refused(void **state)
{
    for (int s = 0; s < OS_COUNT; s++)
        assert_int_equal(order_transition_check(s, s, OA_SYSTEM), PS_E_INVALID_STATE);
}

static void test_out_of_range(void **state)
{
    assert_int_equal(order_transition_check(OS_COUNT, OS_PAID, OA_SYSTEM), PS_E_INVALID_STATE);
    assert_int_equal(order_transition_check(OS_PAID, (enum order_state)-1, OA_PROVIDER),
                     PS_E_INVALID_STATE);
    assert_null(order_state_name(OS_COUNT));
}

static void test_names_round_trip(void **state)
{
    for (int s = 0; s < OS_COUNT; s++) {
        enum order_state back;
        assert_true(order_state_parse(order_state_name(s), &back));
        assert_int_equal(back, s);
    }
    enum order_state x;
    assert_false(order_state_parse("shipped", &x));
    assert_false(order_state_parse(NULL, &x));
    assert_false(order_state_parse("", &x));
    assert_string_equal(order_state_name(OS_PENDING_PAYMENT), "pending_payment");
    assert_string_equal(order_state_name(OS_IN_SERVICE), "in_service");
}

static void test_outstanding(void **state)
{
    assert_int_equal(order_outstanding_fen(10000, 0, 0), 10000);
    assert_int_equal(order_outstanding_fen(10000, 0, 10000), 0);
    assert_int_equal(order_outstanding_fen(10000, 2500, 10000), 2500);
    assert_int_equal(order_outstanding_fen(10000, 2500, 12500), 0);
    assert_int_equal(order_outstanding_fen(10000, 0, 12500), 0);   /* never negative */
}

static void test_state_facts(void **state)
{
    assert_true(order_accepts_payment(OS_PENDING_PAYMENT));
    assert_true(order_accepts_payment(OS_IN_SERVICE));
    assert_false(order_accepts_payment(OS_COMPLETED));
    assert_false(order_accepts_payment(OS_CANCELLED));
    assert_false(order_accepts_payment(OS_EXPIRED));
    assert_true(order_accepts_updates(OS_ACCEPTED));
    assert_true(order_accepts_updates(OS_IN_SERVICE));
    assert_false(order_accepts_updates(OS_PAID));
    assert_false(order_accepts_updates(OS_COMPLETED));
    assert_true(order_state_is_final(OS_REFUNDED));
    assert_false(order_state_is_final(OS_PAID));
}

static void test_distance(void **state)
{
    /* Beijing Tiananmen to Shanghai People's Square: about 1,067 km. */
    double d = order_distance_km(39.9087, 116.3975, 31.2304, 121.4737);
    assert_true(d > 1060 && d < 1075);
    assert_true(order_distance_km(31.0, 121.0, 31.0, 121.0) < 1e-9);
    /* one degree of latitude is about 111.2 km */
    d = order_distance_km(30.0, 120.0, 31.0, 120.0);
    assert_true(d > 111.0 && d < 111.4);
}

static void test_rank_quotes(void **state)
{
    struct quote_candidate c[] = {
        { 30000, 9.0, 0 }, { 10000, 1.0, 1 }, { 20000, 0.5, 2 }, { 5000, 20.0, 3 }, { 10000, 0.7, 4 },
    };
    order_rank_quotes(c, 5, 3);
    /* the three nearest are 2 (0.5 km), 4 (0.7), 1 (1.0); cheapest first, nearer on a tie */
    assert_int_equal(c[0].index, 4);
    assert_int_equal(c[1].index, 1);
    assert_int_equal(c[2].index, 2);
    order_rank_quotes(c, 0, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pair),
        cmocka_unit_test(test_self_loops_refused),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_outstanding),
        cmocka_unit_test(test_state_facts),
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_rank_quotes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
