/* CJK bigram + Latin word tokenizer (see tokenizer.h). */
#include "search/tokenizer.h"

#include <stdbool.h>
#include <string.h>

enum cls { C_SEP, C_WORD, C_CJK };

/* Decode one UTF-8 sequence at s[0..n); *cp gets the code point, returns its length, or 0 for
 * an invalid sequence (treated as a one-byte separator by the caller). */
static int utf8_decode(const unsigned char *s, int n, unsigned *cp)
{
    unsigned c = s[0];
    int len;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        c &= 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
        c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

static bool is_cjk(unsigned c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F) ||
           (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF) || c == 0x3005;
}

/* Full-width ASCII letters/digits fold to ASCII; returns 0 when c is not one. */
static unsigned fold_fullwidth(unsigned c)
{
    if ((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A))
        return c - 0xFF00 + 0x20;
    return 0;
}

static enum cls classify(unsigned c)
{
    if (c < 0x80) {
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return C_WORD;
        return C_SEP;
    }
    if (is_cjk(c))
        return C_CJK;
    if (fold_fullwidth(c))
        return C_WORD;
    /* Punctuation and symbol blocks separate words. */
    if (c <= 0xBF || (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
        (c >= 0xFE10 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFFEF) || c == 0xD7 || c == 0xF7 ||
        (c >= 0x1F000 && c <= 0x1FAFF))
        return C_SEP;
    return C_WORD;   /* other scripts' letters: kept as they are */
}

struct ch { int start, len; unsigned cp; enum cls cls; };

static int next_char(const char *text, int len, int pos, struct ch *out)
{
    unsigned cp = 0;
    int n = utf8_decode((const unsigned char *)text + pos, len - pos, &cp);
    out->start = pos;
    if (n == 0) {
        out->len = 1;
        out->cp = 0xFFFD;
        out->cls = C_SEP;
    } else {
        out->len = n;
        out->cp = cp;
        out->cls = classify(cp);
    }
    return out->len;
}

/* Append the lower-cased/folded form of one word character to buf. */
static int word_append(char *buf, int blen, const char *text, const struct ch *c)
{
    unsigned f = c->cp < 0x80 ? c->cp : fold_fullwidth(c->cp);
    if (f) {
        if (blen + 1 > SEARCH_MAX_WORD_BYTES)
            return blen;
        buf[blen++] = (char)((f >= 'A' && f <= 'Z') ? f - 'A' + 'a' : f);
        return blen;
    }
    if (blen + c->len > SEARCH_MAX_WORD_BYTES)
        return blen;
    memcpy(buf + blen, text + c->start, (size_t)c->len);
    return blen + c->len;
}

int search_tokenize(const char *text, int len, enum search_tok_mode mode, search_tok_cb cb,
                    void *ctx)
{
    struct ch c, nx;
    int pos = 0, rc;
    while (pos < len) {
        next_char(text, len, pos, &c);
        if (c.cls == C_SEP) {
            pos += c.len;
        } else if (c.cls == C_WORD) {
            char buf[SEARCH_MAX_WORD_BYTES];
            int blen = 0, start = pos;
            while (pos < len) {
                next_char(text, len, pos, &c);
                if (c.cls != C_WORD)
                    break;
                blen = word_append(buf, blen, text, &c);
                pos += c.len;
            }
            if (blen > 0 && (rc = cb(ctx, buf, blen, start, pos)) != 0)
                return rc;
        } else {
            /* A run of CJK characters: unigrams and overlapping bigrams. */
            int run_chars = 0;
            while (pos < len) {
                next_char(text, len, pos, &c);
                if (c.cls != C_CJK)
                    break;
                bool has_next = pos + c.len < len && next_char(text, len, pos + c.len, &nx) &&
                                nx.cls == C_CJK;
                if (mode == SEARCH_TOK_DOCUMENT || (!has_next && run_chars == 0)) {
                    if ((rc = cb(ctx, text + pos, c.len, pos, pos + c.len)) != 0)
                        return rc;
                }
                if (has_next) {
                    int blen = c.len + nx.len;
                    if ((rc = cb(ctx, text + pos, blen, pos, pos + blen)) != 0)
                        return rc;
                }
                run_chars++;
                pos += c.len;
            }
        }
    }
    return 0;
}
