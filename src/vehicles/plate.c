/* Licence plate rules of GA 36-2018 for the 31 mainland provincial abbreviations. */
#include "vehicles/plate.h"

#include <string.h>

#include "core/errors.h"

static const char *const provinces[] = {
    "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
    "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼", NULL,
};
/* A regular plate's last character may be one of these instead of a letter or digit. */
static const char *const suffixes[] = { "挂", "学", "警", "港", "澳", NULL };

static bool plate_letter(char c) { return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O'; }
static bool plate_digit(char c) { return c >= '0' && c <= '9'; }
static bool plate_alnum(char c) { return plate_letter(c) || plate_digit(c); }

static const char *match_prefix(const char *s, const char *const *list)
{
    for (const char *const *p = list; *p; p++)
        if (strncmp(s, *p, strlen(*p)) == 0)
            return *p;
    return NULL;
}

/* Copies in without separators and with ASCII letters upper-cased; false if it does not fit. */
static bool squeeze(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p;) {
        if (*p == ' ' || *p == '-' || *p == '\t') {
            p++;
            continue;
        }
        if (p[0] == 0xC2 && p[1] == 0xB7) {                     /* U+00B7 middle dot */
            p += 2;
            continue;
        }
        if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xA2) {     /* U+2022 bullet */
            p += 3;
            continue;
        }
        if (n + 1 >= cap)
            return false;
        out[n++] = (char)((*p >= 'a' && *p <= 'z') ? *p - 'a' + 'A' : *p);
        p++;
    }
    out[n] = '\0';
    return true;
}

int plate_normalize(const char *in, char out[PLATE_MAX], enum plate_kind *kind, const char **why)
{
    char s[PLATE_MAX];
    if (!in || !squeeze(in, s, sizeof s)) {
        *why = "is too long for a licence plate";
        return PS_E_VALIDATION;
    }
    const char *prov = match_prefix(s, provinces);
    if (!prov) {
        *why = "must start with a province abbreviation such as 京, 沪 or 粤";
        return PS_E_VALIDATION;
    }
    const char *rest = s + strlen(prov);
    if (!plate_letter(rest[0])) {
        *why = "must have the issuing authority's letter after the province";
        return PS_E_VALIDATION;
    }
    const char *tail = rest + 1;
    size_t n = strlen(tail);
    bool ok = false;
    enum plate_kind k = PLATE_REGULAR;
    if (n == 6) {
        /* New energy: small vehicles D/F first, large vehicles D/F last. */
        k = PLATE_NEW_ENERGY;
        if (tail[0] == 'D' || tail[0] == 'F') {
            ok = plate_alnum(tail[1]);
            for (int i = 2; i < 6 && ok; i++)
                ok = plate_digit(tail[i]);
        } else if (tail[5] == 'D' || tail[5] == 'F') {
            ok = true;
            for (int i = 0; i < 5 && ok; i++)
                ok = plate_digit(tail[i]);
        }
    } else if (n >= 5) {
        ok = true;
        for (int i = 0; i < 4 && ok; i++)
            ok = plate_alnum(tail[i]);
        if (n == 5)
            ok = ok && plate_alnum(tail[4]);
        else {
            const char *suffix = match_prefix(tail + 4, suffixes);
            ok = ok && suffix && strcmp(tail + 4, suffix) == 0;
        }
    }
    if (!ok) {
        *why = "must be a mainland plate: province + letter + 5 characters, or 6 for new-energy "
               "vehicles (D/F first or last)";
        return PS_E_VALIDATION;
    }
    memcpy(out, s, strlen(s) + 1);
    *kind = k;
    return 0;
}
