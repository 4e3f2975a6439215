/* Text helpers for symptom matching: normalisation (case, full-width forms, CJK
 * punctuation), a light English stemmer and tokeniser. Pure functions, no allocation
 * beyond what the caller passes in. */
#ifndef DIAG_TEXT_H
#define DIAG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define DIAG_MAX_TOKENS    256   /* English tokens kept from one symptom text */
#define DIAG_MAX_TOKEN_LEN 32    /* longer words are cut (no real symptom word is this long) */

/* Normalise UTF-8 text into out (NUL-terminated, at most outsz-1 bytes, never splits a
 * character): ASCII upper case -> lower case, full-width ASCII (U+FF01..U+FF5E) -> ASCII,
 * ideographic space -> space, common CJK punctuation (，。！？；：、（）) -> ASCII,
 * runs of white space -> one space. Invalid UTF-8 bytes become spaces.
 * Returns the length written. */
size_t diag_text_normalise(const char *in, char *out, size_t outsz);

/* Stem one lower-case ASCII word in place (plural, -ing, -ed, -ion, -ly, final e, doubled
 * consonant): "pulling" -> "pull", "vibrates"/"vibration" -> "vibrat", "brakes" -> "brak".
 * Words shorter than four letters are left alone. */
void diag_stem(char *word);

/* English tokens of normalised text: runs of [a-z0-9], each stemmed. */
struct diag_tokens {
    int n;
    char t[DIAG_MAX_TOKENS][DIAG_MAX_TOKEN_LEN];
};
void diag_tokenise(const char *norm, struct diag_tokens *out);

/* True when s contains a character of the CJK ideograph blocks. */
bool diag_has_cjk(const char *s);

#endif
