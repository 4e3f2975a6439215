/* OBD-II trouble codes: the code's shape (SAE J2012: P/C/B/U and four hex digits), the
 * system it belongs to, and the scantool text lines "CODE<TAB>Maker<TAB>Description". */
#ifndef DIAG_DTC_H
#define DIAG_DTC_H

#include <stdbool.h>
#include <stddef.h>

#define DIAG_DTC_LEN      5      /* "P0301" */
#define DIAG_MAX_MAKE_LEN 32     /* manufacturer names kept (longer lines are skipped) */
#define DIAG_MAX_DESC_LEN 400    /* description bytes kept (longer lines are skipped) */

/* Copy code into out upper-cased when it has the shape of a trouble code; false otherwise. */
bool diag_dtc_normalise(const char *code, char out[DIAG_DTC_LEN + 1]);
/* "powertrain" | "chassis" | "body" | "network" for a normalised code's first letter. */
const char *diag_dtc_system(const char *code);
/* A normalised code as a number: letter (P=0, C=1, B=2, U=3) above the 16 bits of its four
 * hex digits, so codes of one letter compare like their numbers and a range is two
 * comparisons. */
unsigned diag_dtc_value(const char *code);

struct diag_dtc_entry {
    char code[DIAG_DTC_LEN + 1];
    char manufacturer[DIAG_MAX_MAKE_LEN];   /* "Generic" or a make ("BMW", "Land Rover") */
    bool generic;
    char description[DIAG_MAX_DESC_LEN];
};

struct diag_dtc_stats {
    int lines;          /* non-empty lines seen */
    int entries;        /* entries handed to the callback */
    int repaired;       /* entries that needed a repair (O for 0, glued lines) */
    int skipped;        /* lines that could not be read */
};

/* Return 0 to go on; non-zero stops the parse and is returned. */
typedef int (*diag_dtc_fn)(const struct diag_dtc_entry *e, void *ctx);

/* Parse scantool's code list text (n bytes, need not be NUL-terminated). Known flaws of
 * the Debian file are repaired (docs/DIAGNOSIS.md): the letter O typed for a zero in a
 * code, two records glued together without a newline, a record without a maker. */
int diag_dtc_parse_text(const char *text, size_t n, diag_dtc_fn fn, void *ctx,
                        struct diag_dtc_stats *st);

#endif
