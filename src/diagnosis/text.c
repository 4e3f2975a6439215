/* Symptom text normalisation and a light English stemmer. Both the rule base's keywords
 * and the owner's text go through the same functions, so matching only has to compare
 * normalised strings and stems. */
#include "diagnosis/text.h"

#include <string.h>

/* Decode one UTF-8 character at s (n bytes left). Returns its length (0 on invalid). */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    size_t len;
    unsigned c;
    if ((s[0] & 0xE0) == 0xC0)      { len = 2; c = s[0] & 0x1F; }
    else if ((s[0] & 0xF0) == 0xE0) { len = 3; c = s[0] & 0x0F; }
    else if ((s[0] & 0xF8) == 0xF0) { len = 4; c = s[0] & 0x07; }
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms and surrogates are invalid. */
    if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
        (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        return 0;
    *cp = c;
    return len;
}

/* The ASCII replacement for a code point, or 0 when it is kept as is. */
static unsigned ascii_for(unsigned cp)
{
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') return ' ';
    if (cp >= 0xFF01 && cp <= 0xFF5E) {             /* full-width ASCII */
        unsigned a = cp - 0xFEE0;
        return (a >= 'A' && a <= 'Z') ? a + 32 : a;
    }
    switch (cp) {
    case 0x3000: return ' ';                        /* ideographic space */
    case 0x3001: return ',';                        /* 、 */
    case 0x3002: return '.';                        /* 。 */
    case 0x201C: case 0x201D: return '"';
    case 0x2018: case 0x2019: return '\'';
    case 0x300C: case 0x300D: case 0x3010: case 0x3011: return ' ';   /* 「」【】 */
    default: return 0;
    }
}

size_t diag_text_normalise(const char *in, char *out, size_t outsz)
{
    if (outsz == 0) return 0;
    const unsigned char *s = (const unsigned char *)in;
    size_t n = strlen(in), o = 0;
    bool space = true;                              /* drops leading spaces too */
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0) { cp = ' '; len = 1; }
        unsigned a = ascii_for(cp);
        if (a == 0 && cp < 0x80) a = (cp < 0x20 || cp == 0x7F) ? ' ' : cp;
        if (a == ' ') {
            if (!space && o + 1 < outsz) { out[o++] = ' '; space = true; }
        } else if (a) {
            if (o + 1 >= outsz) break;
            out[o++] = (char)a;
            space = false;
        } else {
            if (o + len >= outsz) break;
            memcpy(out + o, s + i, len);
            o += len;
            space = false;
        }
        i += len;
    }
    while (o > 0 && out[o - 1] == ' ') o--;
    out[o] = '\0';
    return o;
}

static bool ends_with(const char *w, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

void diag_stem(char *w)
{
    size_t n = strlen(w);
    if (n < 4) return;
    /* plurals and third person */
    if (ends_with(w, n, "ies") && n > 4) { w[n - 3] = 'y'; n -= 2; }
    else if (ends_with(w, n, "sses")) n -= 2;
    else if (w[n - 1] == 's' && !ends_with(w, n, "ss") && !ends_with(w, n, "us") &&
             !ends_with(w, n, "is")) n -= 1;
    /* verb and noun endings; the stem keeps at least three letters */
    bool undouble = false;
    if (ends_with(w, n, "ing") && n >= 6) { n -= 3; undouble = true; }
    else if (ends_with(w, n, "ed") && n >= 6) { n -= 2; undouble = true; }
    else if (ends_with(w, n, "ion") && n >= 7) n -= 3;
    else if (ends_with(w, n, "ly") && n >= 6) n -= 2;
    if (undouble && n >= 4 && w[n - 1] == w[n - 2] && strchr("lsz", w[n - 1]) == NULL &&
        strchr("aeiou", w[n - 1]) == NULL)
        n -= 1;
    if (n >= 4 && w[n - 1] == 'e') n -= 1;
    w[n] = '\0';
}

void diag_tokenise(const char *norm, struct diag_tokens *out)
{
    out->n = 0;
    const char *p = norm;
    while (*p && out->n < DIAG_MAX_TOKENS) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) p++;
        if (!*p) break;
        size_t k = 0;
        char *t = out->t[out->n];
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
            if (k + 1 < DIAG_MAX_TOKEN_LEN) t[k++] = *p;
            p++;
        }
        t[k] = '\0';
        diag_stem(t);
        out->n++;
    }
}

bool diag_has_cjk(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = utf8_decode(p + i, n - i, &cp);
        if (len == 0) { i++; continue; }
        if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)) return true;
        i += len;
    }
    return false;
}
