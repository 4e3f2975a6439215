/* VIN shape, check digit (ISO 3779 / GB 16735), model year cycles and the WMI table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "vehicles/vin.h"
#include "vehicles/wmi.h"

static void check_digits(void **state)
{
    (void)state;
    /* Published example VINs with correct check digits, including the 'X' remainder. */
    assert_int_equal(vin_expected_check_digit("1HGCM82633A004352"), '3');
    assert_int_equal(vin_expected_check_digit("1M8GDM9AXKP042788"), 'X');
    assert_int_equal(vin_expected_check_digit("LRW3E7FS5PC695355"), '5');
    assert_int_equal(vin_expected_check_digit("11111111111111111"), '1');
    assert_int_equal(vin_expected_check_digit("LSVAU218XN2183294"), 'X');
}

static void transliteration(void **state)
{
    (void)state;
    const char *letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
    const int values[] = { 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9 };
    for (size_t i = 0; i < strlen(letters); i++)
        assert_int_equal(vin_char_value(letters[i]), values[i]);
    assert_int_equal(vin_char_value('I'), -1);
    assert_int_equal(vin_char_value('O'), -1);
    assert_int_equal(vin_char_value('Q'), -1);
    assert_int_equal(vin_char_value('7'), 7);
}

static void decode_ok(void **state)
{
    (void)state;
    struct vin_parts p;
    const char *why = NULL;
    assert_int_equal(vin_decode("lrw3e7fs5pc695355", 2026, &p, &why), 0);
    assert_string_equal(p.vin, "LRW3E7FS5PC695355");
    assert_string_equal(p.wmi, "LRW");
    assert_string_equal(p.plant_code, "C");
    assert_string_equal(p.serial, "695355");
    assert_true(p.check_digit_valid);
    assert_int_equal(p.model_year, 2023);
}

static void decode_errors(void **state)
{
    (void)state;
    struct vin_parts p;
    const char *why = NULL;
    assert_int_equal(vin_decode("1HGCM82633A00435", 2026, &p, &why), PS_E_VALIDATION);
    assert_non_null(strstr(why, "17"));
    assert_int_equal(vin_decode("1HGCM82633A0043521", 2026, &p, &why), PS_E_VALIDATION);
    assert_int_equal(vin_decode("1HGCM8263IA004352", 2026, &p, &why), PS_E_VALIDATION);
    assert_non_null(strstr(why, "I, O or Q"));
    assert_int_equal(vin_decode("1HGCM82633A00435-", 2026, &p, &why), PS_E_VALIDATION);
    assert_int_equal(vin_decode("1HGCM82643A004352", 2026, &p, &why), PS_E_VALIDATION);
    assert_non_null(strstr(why, "check digit"));
    assert_false(p.check_digit_valid);
    assert_int_equal(vin_decode(NULL, 2026, &p, &why), PS_E_VALIDATION);
}

static void model_years(void **state)
{
    (void)state;
    /* North American: position 7 digit -> 1980-2009, letter -> 2010-2039. */
    assert_int_equal(vin_model_year("1HGCM82633A004352", 2026), 2003);
    assert_int_equal(vin_model_year("5YJ3E1EA2KF317000", 2026), 2019);
    assert_int_equal(vin_model_year("1M8GDM9AXKP042788", 2026), 1989);
    /* Elsewhere: the later cycle unless it is more than a year ahead. */
    assert_int_equal(vin_model_year("LSVAU218XN2183294", 2026), 2022);
    assert_int_equal(vin_model_year("LSVAU218XT2183294", 2026), 2026);
    assert_int_equal(vin_model_year("LSVAU218XV2183294", 2026), 2027);
    assert_int_equal(vin_model_year("LSVAU218XW2183294", 2026), 1998);
    assert_int_equal(vin_model_year("WBA8E9G58YNT12345", 2026), 2000);
    assert_int_equal(vin_model_year("LSVAU218X92183294", 2026), 2009);
    assert_int_equal(vin_model_year("LSVAU218XA2183294", 2026), 2010);
    /* Not year codes: U, Z, 0. */
    assert_int_equal(vin_model_year("LSVAU218XU2183294", 2026), 0);
    assert_int_equal(vin_model_year("LSVAU218XZ2183294", 2026), 0);
    assert_int_equal(vin_model_year("LSVAU218X02183294", 2026), 0);
}

static void wmi_table(void **state)
{
    (void)state;
    assert_int_equal(wmi_init(), 0);
    assert_true(wmi_count() >= 120);
    static const struct { const char *wmi, *manufacturer, *country; } expect[] = {
        { "LSV", "SAIC Volkswagen", "China" },   { "LFV", "FAW-Volkswagen", "China" },
        { "LRW", "Tesla (Shanghai)", "China" },  { "LHG", "GAC Honda", "China" },
        { "LVG", "GAC Toyota", "China" },        { "LGB", "Dongfeng Nissan", "China" },
        { "LGX", "BYD Auto", "China" },          { "LC0", "BYD Auto", "China" },
        { "L6T", "Geely Automobile", "China" },  { "LB3", "Geely Automobile", "China" },
        { "LGW", "Great Wall Motor", "China" },  { "LS5", "Changan Automobile", "China" },
        { "LVV", "Chery Automobile", "China" },  { "LSG", "SAIC-GM", "China" },
        { "LE4", "Beijing Benz", "China" },      { "LBV", "BMW Brilliance", "China" },
        { "1HG", "Honda (USA)", "United States" }, { "WBA", "BMW", "Germany" },
        { "5YJ", "Tesla", "United States" },     { "WDD", "Mercedes-Benz", "Germany" },
        { "JTD", "Toyota", "Japan" },
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        char vin[18];
        snprintf(vin, sizeof vin, "%s00000000000000", expect[i].wmi);
        const struct wmi_entry *e = wmi_lookup(vin);
        assert_non_null(e);
        assert_string_equal(e->manufacturer, expect[i].manufacturer);
        assert_string_equal(e->country, expect[i].country);
    }
    assert_null(wmi_lookup("LZ9AAAAAAAAAAAAAA"));
    assert_string_equal(wmi_region_country("LZ9AAAAAAAAAAAAAA"), "China");
    assert_string_equal(wmi_region_country("L0AAAAAAAAAAAAAAA"), "China");
    assert_string_equal(wmi_region_country("3WAAAAAAAAAAAAAAA"), "Mexico");
    assert_null(wmi_region_country("3XAAAAAAAAAAAAAAA"));
    assert_string_equal(wmi_region_country("VSAAAAAAAAAAAAAAA"), "Spain");
    assert_string_equal(wmi_region_country("KMAAAAAAAAAAAAAAA"), "South Korea");
}

/* Arbitrary bytes never crash the decoder and never pass without a correct check digit. */
static void garbage(void **state)
{
    (void)state;
    unsigned seed = 777;
    char in[40];
    struct vin_parts p;
    const char *why;
    for (int round = 0; round < 20000; round++) {
        size_t n = round % 2 ? 17 : (seed = seed * 1103515245u + 12345u) % sizeof in;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = round % 4 == 1 ? "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"[(seed >> 16) % 33] : (char)(seed >> 16);
        }
        in[n] = '\0';
        int rc = vin_decode(in, 2026, &p, &why);
        assert_true(rc == 0 || rc == PS_E_VALIDATION);
        if (rc == 0)
            assert_int_equal(vin_expected_check_digit(p.vin), p.vin[8]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_digits),  cmocka_unit_test(transliteration),
        cmocka_unit_test(decode_ok),     cmocka_unit_test(decode_errors),
        cmocka_unit_test(model_years),   cmocka_unit_test(wmi_table),
        cmocka_unit_test(garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
