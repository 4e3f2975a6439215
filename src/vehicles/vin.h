/* Vehicle identification numbers (ISO 3779 / GB 16735): shape, check digit and model year.
 * Pure rules: no HTTP, no SQL. The manufacturer comes from the WMI table (wmi.h). */
#ifndef VEHICLES_VIN_H
#define VEHICLES_VIN_H

#include <stdbool.h>

#define VIN_LEN 17

struct vin_parts {
    char vin[VIN_LEN + 1];    /* normalised: upper case */
    char wmi[4];              /* positions 1-3 */
    char plant_code[2];       /* position 11 */
    char serial[7];           /* positions 12-17 */
    int model_year;           /* 0 when position 10 is not a year code */
    bool check_digit_valid;
};

/* Upper-cases in into out and checks length and alphabet (digits and A-Z without I, O, Q).
 * Returns 0, or PS_E_VALIDATION with *why set to a sentence for the client. */
int vin_normalize(const char *in, char out[VIN_LEN + 1], const char **why);
/* Transliterated value of a VIN character (ISO 3779 annex), -1 when not allowed. */
int vin_char_value(char c);
/* The check character position 9 must hold ('0'-'9' or 'X'), computed from the other 16. */
char vin_expected_check_digit(const char vin[VIN_LEN]);
/* Model year from position 10 (vin normalised), 0 when that character is no year code.
 * North American VINs (first character 1-5): a letter in position 7 selects 2010-2039, a
 * digit 1980-2009. Every other VIN (Chinese ones included): the later cycle (2010-2039)
 * unless that year would be after current_year + 1, then the earlier one. */
int vin_model_year(const char vin[VIN_LEN], int current_year);
/* Normalise, check and split. Returns 0; PS_E_VALIDATION (with *why) when the shape or the
 * check digit is wrong -- out is still filled as far as possible. */
int vin_decode(const char *in, int current_year, struct vin_parts *out, const char **why);

#endif
