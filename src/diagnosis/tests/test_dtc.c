/* Unit tests of trouble-code shapes and the scantool code list parser, including the
 * flaws of the Debian file that the parser repairs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "diagnosis/dtc.h"

static void code_shapes(void **state)
{
    (void)state;
    char c[6];
    assert_true(diag_dtc_normalise("P0301", c));
    assert_string_equal(c, "P0301");
    assert_true(diag_dtc_normalise("p0a80", c));
    assert_string_equal(c, "P0A80");
    assert_true(diag_dtc_normalise("u0100", c));
    assert_string_equal(c, "U0100");
    assert_false(diag_dtc_normalise("X0301", c));
    assert_false(diag_dtc_normalise("P030", c));
    assert_false(diag_dtc_normalise("P03011", c));
    assert_false(diag_dtc_normalise("P03G1", c));
    assert_false(diag_dtc_normalise("", c));
    assert_false(diag_dtc_normalise(NULL, c));
    assert_string_equal(diag_dtc_system("P0301"), "powertrain");
    assert_string_equal(diag_dtc_system("C0035"), "chassis");
    assert_string_equal(diag_dtc_system("B0001"), "body");
    assert_string_equal(diag_dtc_system("U0100"), "network");
    assert_true(diag_dtc_value("P0300") < diag_dtc_value("P0308"));
    assert_true(diag_dtc_value("P0308") < diag_dtc_value("P030A"));
    assert_true(diag_dtc_value("P0A80") < diag_dtc_value("P1000"));
    assert_true(diag_dtc_value("P3FFF") < diag_dtc_value("C0000"));
}

struct got { int n; char lines[16][480]; };

static int collect(const struct diag_dtc_entry *e, void *ctx)
{
    struct got *g = ctx;
    if (g->n < 16)
        snprintf(g->lines[g->n], sizeof g->lines[0], "%s|%s|%d|%s", e->code, e->manufacturer,
                 e->generic, e->description);
    g->n++;
    return 0;
}

static void parses_lines_and_repairs(void **state)
{
    (void)state;
    const char text[] =
        "P0301\tGeneric\tCylinder 1 Misfire Detected\n"
        "P03O2\tLandrover\tMisfire Cylinder 2\r\n"
        "\n"
        "P3497\tGeneric\tCylinder Deactivation SystemU0001\tHigh Speed CAN Communication Bus\n"
        "P1101\tSubaru\tNeutral Position Switch Circuit High Input (A/T)\n"
        "B1000\tBmw\tSomething\n"
        "not a code line\n"
        "P0400\tGeneric\t\n"
        "C0035\tGeneric\tLeft Front Wheel Speed Circuit Malfunction";   /* no final newline */
    struct got g = { 0 };
    struct diag_dtc_stats st;
    assert_int_equal(diag_dtc_parse_text(text, sizeof text - 1, collect, &g, &st), 0);
    assert_int_equal(g.n, 7);
    assert_string_equal(g.lines[0], "P0301|Generic|1|Cylinder 1 Misfire Detected");
    assert_string_equal(g.lines[1], "P0302|Land Rover|0|Misfire Cylinder 2");
    assert_string_equal(g.lines[2], "P3497|Generic|1|Cylinder Deactivation System");
    assert_string_equal(g.lines[3], "U0001|Generic|1|High Speed CAN Communication Bus");
    assert_string_equal(g.lines[4], "P1101|Subaru|0|Neutral Position Switch Circuit High Input (A/T)");
    assert_string_equal(g.lines[5], "B1000|BMW|0|Something");
    assert_string_equal(g.lines[6], "C0035|Generic|1|Left Front Wheel Speed Circuit Malfunction");
    assert_int_equal(st.entries, 7);
    assert_int_equal(st.repaired, 3);
    assert_int_equal(st.skipped, 2);
}

static int stop(const struct diag_dtc_entry *e, void *ctx)
{
    (void)e;
    (void)ctx;
    return 5;
}

static void callback_can_stop(void **state)
{
    (void)state;
    const char text[] = "P0301\tGeneric\tA\nP0302\tGeneric\tB\n";
    struct diag_dtc_stats st;
    assert_int_equal(diag_dtc_parse_text(text, sizeof text - 1, stop, NULL, &st), 5);
    assert_int_equal(st.entries, 1);
}

static void refuses_bad_bytes(void **state)
{
    (void)state;
    const char text[] = "P0301\tGeneric\tbad \xff\xfe utf8\nP0302\tGeneric\tgood \xef\xbf\xbd\n";
    struct got g = { 0 };
    struct diag_dtc_stats st;
    assert_int_equal(diag_dtc_parse_text(text, sizeof text - 1, collect, &g, &st), 0);
    assert_int_equal(g.n, 1);
    assert_int_equal(st.skipped, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(code_shapes),
        cmocka_unit_test(parses_lines_and_repairs),
        cmocka_unit_test(callback_can_stop),
        cmocka_unit_test(refuses_bad_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
