/* GB 32100-2015 unified social credit code: alphabet, weights and check character. */
#include "providers/uscc.h"

#include <string.h>

/* 10 digits + 21 capitals: I, O, S, V and Z are left out so they cannot be misread. */
static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 3^i mod 31 for i = 0..16. */
static const int weights[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

static int value_of(char ch)
{
    const char *p = ch ? strchr(alphabet, ch) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

char providers_uscc_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = value_of(first17[i]);
        if (v < 0)
            return 0;
        sum += v * weights[i];
    }
    int c = (31 - sum % 31) % 31;
    return alphabet[c];
}

bool providers_uscc_valid(const char *code, char out[PROVIDERS_USCC_LEN + 1], const char **why)
{
    const char *reason = NULL;
    size_t n = code ? strlen(code) : 0;
    out[0] = '\0';
    if (n != PROVIDERS_USCC_LEN) {
        reason = "must be 18 characters";
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = code[i];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (value_of(ch) < 0) {
            reason = "contains a character outside the GB 32100 alphabet (no I, O, S, V, Z)";
            goto out;
        }
        if (i >= 2 && i <= 7 && (ch < '0' || ch > '9')) {
            reason = "characters 3-8 must be the administrative division code (digits)";
            goto out;
        }
        out[i] = ch;
    }
    out[n] = '\0';
    if (providers_uscc_check_char(out) != out[17])
        reason = "check character does not match";
out:
    if (why)
        *why = reason;
    if (reason)
        out[0] = '\0';
    return reason == NULL;
}
