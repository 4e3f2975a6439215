/* The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
 * 31-character alphabet (digits and capitals without I O S V Z); the 18th is a check character
 * computed from the first 17 with weights 3^i mod 31. Pure rules, no I/O. */
#ifndef PS_PROVIDERS_USCC_H
#define PS_PROVIDERS_USCC_H

#include <stdbool.h>

#define PROVIDERS_USCC_LEN 18

/* The check character for the first 17 characters of code (upper case), or 0 when one of them
 * is outside the alphabet. */
char providers_uscc_check_char(const char *first17);
/* Normalise (trim nothing, upper-case ASCII letters) into out and validate: length, alphabet,
 * digits in positions 3-8 (the administrative division code) and the check character.
 * On failure *why gets a short reason for the 422 message. */
bool providers_uscc_valid(const char *code, char out[PROVIDERS_USCC_LEN + 1], const char **why);

#endif
