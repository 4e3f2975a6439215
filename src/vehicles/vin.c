/* VIN rules of ISO 3779 / GB 16735-2019: the 33-character alphabet, the weighted check
 * digit in position 9 (remainder 10 written as 'X') and the 30-year model-year code. */
#include "vehicles/vin.h"

#include <string.h>

#include "core/errors.h"

/* Transliteration values for A..Z; -1 marks the letters a VIN never uses (I, O, Q). */
static const signed char letter_values[26] = {
    1, 2, 3, 4, 5, 6, 7, 8, -1,   /* A-I */
    1, 2, 3, 4, 5, -1, 7, -1, 9,  /* J-R */
    2, 3, 4, 5, 6, 7, 8, 9,       /* S-Z */
};
static const int position_weights[VIN_LEN] = { 8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2 };
/* Year codes in the order of a 30-year cycle starting 1980 / 2010. */
static const char year_codes[] = "ABCDEFGHJKLMNPRSTVWXY123456789";

int vin_char_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return letter_values[c - 'A'];
    return -1;
}

int vin_normalize(const char *in, char out[VIN_LEN + 1], const char **why)
{
    size_t n = in ? strlen(in) : 0;
    if (n != VIN_LEN) {
        *why = "must be exactly 17 characters";
        return PS_E_VALIDATION;
    }
    for (size_t i = 0; i < VIN_LEN; i++) {
        char c = in[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (vin_char_value(c) < 0) {
            *why = (c == 'I' || c == 'O' || c == 'Q')
                ? "must not contain the letters I, O or Q"
                : "may contain only digits and the letters A-Z";
            return PS_E_VALIDATION;
        }
        out[i] = c;
    }
    out[VIN_LEN] = '\0';
    return 0;
}

char vin_expected_check_digit(const char vin[VIN_LEN])
{
    int sum = 0;
    for (int i = 0; i < VIN_LEN; i++)
        if (i != 8)
            sum += vin_char_value(vin[i]) * position_weights[i];
    int r = sum % 11;
    return r == 10 ? 'X' : (char)('0' + r);
}

int vin_model_year(const char vin[VIN_LEN], int current_year)
{
    const char *p = strchr(year_codes, vin[9]);
    if (!p || vin[9] == '\0')
        return 0;
    int offset = (int)(p - year_codes);
    int early = 1980 + offset, late = 2010 + offset;
    bool north_american = vin[0] >= '1' && vin[0] <= '5';
    int year;
    if (north_american)
        year = (vin[6] >= 'A' && vin[6] <= 'Z') ? late : early;
    else
        year = late;
    /* A model year is at most one year ahead of the calendar. */
    if (year > current_year + 1)
        year -= 30;
    return year;
}

int vin_decode(const char *in, int current_year, struct vin_parts *out, const char **why)
{
    memset(out, 0, sizeof *out);
    int rc = vin_normalize(in, out->vin, why);
    if (rc)
        return rc;
    memcpy(out->wmi, out->vin, 3);
    out->plant_code[0] = out->vin[10];
    memcpy(out->serial, out->vin + 11, 6);
    out->model_year = vin_model_year(out->vin, current_year);
    out->check_digit_valid = vin_expected_check_digit(out->vin) == out->vin[8];
    if (!out->check_digit_valid) {
        *why = "check digit (position 9) does not match";
        return PS_E_VALIDATION;
    }
    return 0;
}
