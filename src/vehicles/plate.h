/* Mainland China licence plates (GA 36-2018): shape checks and a canonical spelling.
 * Pure rules: no HTTP, no SQL. */
#ifndef VEHICLES_PLATE_H
#define VEHICLES_PLATE_H

#include <stdbool.h>
#include <stddef.h>

#define PLATE_MAX 16   /* bytes with NUL: 1 CJK character (3) + 7 ASCII + a CJK suffix (3) */

enum plate_kind { PLATE_REGULAR = 1, PLATE_NEW_ENERGY };

/* Canonical form of a plate as typed: separators (spaces, '-', '·', '•') removed and
 * letters upper-cased, then checked:
 *   regular     province + authority letter + 5 of [A-Z0-9 without I,O]; the last of the 5
 *               may be one of 挂 学 警 港 澳 instead;
 *   new energy  province + authority letter + 6: small vehicles D|F, one letter or digit,
 *               4 digits; large vehicles 5 digits then D|F (D = battery electric,
 *               F = other new energy, e.g. plug-in hybrid).
 * out receives the canonical plate. Returns 0 or PS_E_VALIDATION with *why set. */
int plate_normalize(const char *in, char out[PLATE_MAX], enum plate_kind *kind, const char **why);

#endif
