/* Unit tests of the rule base loader: the shipped rules load against the service type
 * catalog and meet the brief (40+ faults, every service type real), and mistakes in a rule
 * file are reported with their line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/errors.h"
#include "diagnosis/rules.h"

extern const unsigned char diagnosis_rules_tsv[];
extern const unsigned char diagnosis_service_types_tsv[];

static const char *catalog(void) { return (const char *)diagnosis_service_types_tsv; }

static void shipped_rules_load(void **state)
{
    (void)state;
    struct diag_rules *rb = NULL;
    char err[256] = "";
    int rc = diag_rules_load(catalog(), (const char *)diagnosis_rules_tsv, &rb, err, sizeof err);
    if (rc) fprintf(stderr, "rules: %s\n", err);
    assert_int_equal(rc, 0);
    int faults = 0;
    for (int i = 0; i < rb->nrules; i++) if (!rb->rules[i].fallback) faults++;
    printf("rule base: %d faults, %d concepts, %d terms, %d service types\n", faults,
           rb->nconcepts, rb->nterms, rb->nservices);
    assert_true(faults >= 40);
    assert_true(rb->nservices >= 30);
    assert_non_null(diag_rules_find(rb, "brake_pads_worn"));
    assert_string_equal(rb->services[diag_rules_find(rb, "brake_pads_worn")->service].code, "brake_pads");
    assert_string_equal(rb->services[diag_rules_find(rb, "brake_pads_worn")->service].name_zh, "刹车片更换");
    diag_rules_free(rb);
}

static void expect_error(const char *text, const char *needle)
{
    struct diag_rules *rb = NULL;
    char err[256] = "";
    assert_int_equal(diag_rules_load(catalog(), text, &rb, err, sizeof err), PS_E_BAD_REQUEST);
    if (!strstr(err, needle)) fprintf(stderr, "error was: %s\n", err);
    assert_non_null(strstr(err, needle));
}

static void errors_name_the_line(void **state)
{
    (void)state;
    expect_error("rule\tx\tno_such_service\tlow\t1\t甲\tA\n\tsym\t1\tc\n", "rules.tsv:1: unknown service type");
    expect_error("concept\tc\tbrake\nrule\tx\tbrake_pads\tsoon\t1\t甲\tA\n", "rules.tsv:2: urgency");
    expect_error("concept\tc\tbrake\nrule\tx\tbrake_pads\tlow\t1\t甲\tA\n\tsym\t1\tnope\n", "rules.tsv:3: unknown concept nope");
    expect_error("rule\tx\tbrake_pads\tlow\t1\t甲\tA\n\tdtc\t1\tP03G0\n", "bad code");
    expect_error("rule\tx\tbrake_pads\tlow\t1\t甲\tA\n\tdtc\t1\tP0308-P0300\n", "empty range");
    expect_error("rule\tx\tbrake_pads\tlow\t1\t甲\tA\n\tdtc\t1\tP0300-C0308\n", "bad range");
    expect_error("rule\tx\tbrake_pads\tlow\t1\t甲\tA\n\tcond\t1\tfuel=coal\n", "unknown fuel type coal");
    expect_error("rule\tx\tbrake_pads\tlow\t1\t甲\tA\n\tcond\t1\tkm>5\n", ">= or <");
    expect_error("rule\tx\tbrake_pads\tlow\t1\t甲\tA\n", "no evidence");
    expect_error("rule\tx\tbrake_pads\tlow\t1\t甲\tA\n\tfallback\t0\nrule\tx\tbrake_pads\tlow\t1\t甲\tA\n", "defined twice");
    expect_error("\tsym\t1\tc\n", "sym before any rule");
    expect_error("concept\ta\tx\nconcept\tb\ty\nconcept\ta\tz\n", "continued after");
    expect_error("frobnicate\tx\n", "unknown line kind");
    expect_error("rule\tx\tbrake_pads\tlow\tNaN\t甲\tA\n", "prior");
    expect_error("rule\tx\tbrake_pads\tlow\t1\t甲\tA\n\tsym\t99\tc\n", "weight");
}

static void dtc_patterns(void **state)
{
    (void)state;
    struct diag_rules *rb = NULL;
    char err[256];
    const char *text = "rule\tx\tbrake_pads\tlow\t1\t甲\tA\n\tdtc\t2\tP0300-P0308,P04*,U0100\n";
    assert_int_equal(diag_rules_load(catalog(), text, &rb, err, sizeof err), 0);
    const struct diag_evidence *e = &rb->rules[0].ev[0];
    assert_int_equal(e->nranges, 3);
    assert_int_equal(e->ranges[1].hi - e->ranges[1].lo, 0xFF);
    assert_int_equal(e->ranges[2].lo, e->ranges[2].hi);
    diag_rules_free(rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_rules_load),
        cmocka_unit_test(errors_name_the_line),
        cmocka_unit_test(dtc_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
