/* The diagnosis engine against the test set in src/diagnosis/data/cases.tsv: prints top-1
 * and top-3 accuracy and fails below the floors. Also checks scoring details: explanations,
 * vehicle conditions (an EV gets no oil change), negation, codes typed into the text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diagnosis/engine.h"
#include "diagnosis/rules.h"
#include "diagnosis/text.h"

extern const unsigned char diagnosis_rules_tsv[];
extern const unsigned char diagnosis_service_types_tsv[];

#define TOP1_FLOOR 0.80
#define TOP3_FLOOR 0.90

static struct diag_rules *rb;

static int setup(void **state)
{
    (void)state;
    char err[256];
    int rc = diag_rules_load((const char *)diagnosis_service_types_tsv,
                             (const char *)diagnosis_rules_tsv, &rb, err, sizeof err);
    if (rc) fprintf(stderr, "%s\n", err);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    diag_rules_free(rb);
    return 0;
}

static int rank(const char *symptoms, const char *dtcs, const char *fuel, long long km, double age,
                struct diag_cause *out, int max)
{
    struct diag_query q;
    memset(&q, 0, sizeof q);
    q.symptoms = symptoms;
    q.facts.fuel = fuel ? diag_fuel_bit(fuel) : 0;
    q.facts.km = km;
    q.facts.age_years = age;
    q.lang = symptoms && diag_has_cjk(symptoms) ? DIAG_LANG_ZH : DIAG_LANG_EN;
    if (dtcs) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", dtcs);
        for (char *p = buf; p && *p;) {
            char *comma = strchr(p, ',');
            if (comma) *comma = '\0';
            char code[DIAG_DTC_LEN + 1];
            if (diag_dtc_normalise(p, code)) diag_query_add_dtc(&q, code);
            p = comma ? comma + 1 : NULL;
        }
    }
    return diag_rank(rb, &q, out, max);
}

static void test_set_accuracy(void **state)
{
    (void)state;
    char path[1024];
    const char *root = getenv("PS_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/src/diagnosis/data/cases.tsv", root ? root : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[2048];
    int total = 0, top1 = 0, top3 = 0;
    int part = 0, ptotal[2] = { 0, 0 }, ptop1[2] = { 0, 0 }, ptop3[2] = { 0, 0 };
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "# ---- held out", 15) == 0) part = 1;
        if (line[0] == '#' || line[0] == '\0') continue;
        char *col[6];
        int n = 0;
        for (char *p = line; n < 6;) {
            col[n++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = '\0';
            p = tab + 1;
        }
        assert_int_equal(n, 6);
        const char *symptoms = strcmp(col[0], "-") ? col[0] : NULL;
        const char *dtcs = strcmp(col[1], "-") ? col[1] : NULL;
        const char *fuel = strcmp(col[2], "-") ? col[2] : NULL;
        long long km = strcmp(col[3], "-") ? strtoll(col[3], NULL, 10) : -1;
        double age = strcmp(col[4], "-") ? strtod(col[4], NULL) : -1;
        assert_non_null(diag_rules_find(rb, col[5]));
        struct diag_cause c[3];
        int k = rank(symptoms, dtcs, fuel, km, age, c, 3);
        total++;
        bool hit1 = k > 0 && strcmp(c[0].rule->id, col[5]) == 0, hit3 = hit1;
        for (int i = 1; i < k; i++) if (strcmp(c[i].rule->id, col[5]) == 0) hit3 = true;
        top1 += hit1;
        top3 += hit3;
        ptotal[part]++;
        ptop1[part] += hit1;
        ptop3[part] += hit3;
        if (!hit1)
            printf("  %s  %-40s [%s] want %s, got %s%s%s\n", hit3 ? "top3" : "MISS",
                   symptoms ? symptoms : "-", dtcs ? dtcs : "-", col[5],
                   k > 0 ? c[0].rule->id : "(none)", k > 1 ? ", " : "", k > 1 ? c[1].rule->id : "");
    }
    fclose(f);
    double a1 = (double)top1 / total, a3 = (double)top3 / total;
    printf("diagnosis test set: %d cases, top-1 accuracy %.1f%% (%d), top-3 accuracy %.1f%% (%d)\n",
           total, 100 * a1, top1, 100 * a3, top3);
    for (int i = 0; i < 2; i++)
        if (ptotal[i])
            printf("  %-9s %3d cases: top-1 %.1f%%, top-3 %.1f%%\n", i ? "held out" : "tuned on",
                   ptotal[i], 100.0 * ptop1[i] / ptotal[i], 100.0 * ptop3[i] / ptotal[i]);
    assert_true(total >= 60);
    assert_true(a1 >= TOP1_FLOOR);
    assert_true(a3 >= TOP3_FLOOR);
}

static void explanation_names_evidence(void **state)
{
    (void)state;
    struct diag_cause c[5];
    int n = rank("刹车有异响", NULL, "gasoline", 80000, 6, c, 5);
    assert_true(n >= 1);
    assert_string_equal(c[0].rule->id, "brake_pads_worn");
    assert_non_null(strstr(c[0].explanation, "刹车"));
    assert_non_null(strstr(c[0].explanation, "异响"));
    assert_non_null(strstr(c[0].explanation, "80000"));
    assert_true(c[0].likelihood > 0 && c[0].likelihood < 1);
    for (int i = 1; i < n; i++) assert_true(c[i].score <= c[i - 1].score);

    n = rank("rough idle", "P0301", NULL, -1, -1, c, 5);
    assert_true(n >= 1);
    assert_non_null(strstr(c[0].explanation, "P0301"));
    assert_non_null(strstr(c[0].explanation, "Evidence"));
}

static bool has(const struct diag_cause *c, int n, const char *id)
{
    for (int i = 0; i < n; i++) if (strcmp(c[i].rule->id, id) == 0) return true;
    return false;
}

static void fuel_type_excludes(void **state)
{
    (void)state;
    struct diag_cause c[10];
    int n = rank("该换机油了，怠速抖动", NULL, "gasoline", 20000, 2, c, 10);
    assert_true(has(c, n, "oil_service_due"));
    assert_true(has(c, n, "spark_plugs_worn"));
    n = rank("该换机油了，怠速抖动", NULL, "bev", 20000, 2, c, 10);
    assert_false(has(c, n, "oil_service_due"));
    assert_false(has(c, n, "spark_plugs_worn"));
    n = rank("range dropped", NULL, "gasoline", 20000, 2, c, 10);
    assert_false(has(c, n, "ev_battery_degradation"));
}

static void mileage_raises_prior(void **state)
{
    (void)state;
    struct diag_cause lo[5], hi[5];
    rank("brake noise", NULL, "gasoline", 10000, 1, lo, 5);
    rank("brake noise", NULL, "gasoline", 90000, 1, hi, 5);
    assert_string_equal(hi[0].rule->id, "brake_pads_worn");
    assert_true(hi[0].score > lo[0].score);
}

static void negation_and_codes_in_text(void **state)
{
    (void)state;
    struct diag_cause c[5];
    int n = rank("the car doesn't pull, but the tyres are bald", NULL, NULL, -1, -1, c, 5);
    assert_true(n >= 1);
    assert_string_equal(c[0].rule->id, "tire_worn");
    assert_false(has(c, n, "wheel_misalignment") && strcmp(c[0].rule->id, "wheel_misalignment") == 0);
    n = rank("刹车没问题，但是高速上方向盘抖", NULL, NULL, -1, -1, c, 5);
    assert_true(n >= 1);
    assert_string_equal(c[0].rule->id, "wheel_imbalance");
    n = rank("读出故障码 p0420", NULL, "gasoline", -1, -1, c, 5);
    assert_true(n >= 1);
    assert_string_equal(c[0].rule->id, "catalytic_converter");
    /* full-width input */
    n = rank("ＣＨＥＣＫ ＥＮＧＩＮＥ ＬＩＧＨＴ", NULL, NULL, -1, -1, c, 5);
    assert_true(n >= 1);
    assert_string_equal(c[0].rule->id, "check_engine_general");
}

static void nothing_matches_gives_fallback(void **state)
{
    (void)state;
    struct diag_cause c[5];
    int n = rank("hello there", NULL, NULL, -1, -1, c, 5);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].rule->id, "general_inspection");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_accuracy),
        cmocka_unit_test(explanation_names_evidence),
        cmocka_unit_test(fuel_type_excludes),
        cmocka_unit_test(mileage_raises_prior),
        cmocka_unit_test(negation_and_codes_in_text),
        cmocka_unit_test(nothing_matches_gives_fallback),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
