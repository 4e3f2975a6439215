/* The CJK-aware tokenizer shared by both backends: Chinese (and Japanese/Korean) text becomes
 * single characters plus overlapping bigrams, Latin words become lower-cased words (full-width
 * letters and digits folded to ASCII). SQLite runs it inside FTS5 (fts5_glue.c); PostgreSQL
 * stores and queries the very same tokens in a text[] column, so both give the same answers.
 * Pure, no I/O. */
#ifndef PS_SEARCH_TOKENIZER_H
#define PS_SEARCH_TOKENIZER_H

#include <stddef.h>

#define SEARCH_MAX_WORD_BYTES 64      /* longer Latin words are cut (on a character boundary) */

enum search_tok_mode {
    SEARCH_TOK_DOCUMENT = 0,   /* index: every CJK character and every adjacent pair */
    SEARCH_TOK_QUERY    = 1,   /* query: pairs only (a lone CJK character stays itself) */
};

/* Called for each token: tok is NOT NUL-terminated (len bytes, UTF-8); start/end are byte
 * offsets of the source text it came from. A non-zero return stops tokenizing and is returned
 * by search_tokenize(). */
typedef int (*search_tok_cb)(void *ctx, const char *tok, int len, int start, int end);

int search_tokenize(const char *text, int len, enum search_tok_mode mode, search_tok_cb cb,
                    void *ctx);

#endif
