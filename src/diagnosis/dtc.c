/* Trouble-code shapes and the scantool code list parser. */
#include "diagnosis/dtc.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool diag_dtc_normalise(const char *code, char out[DIAG_DTC_LEN + 1])
{
    if (!code || strlen(code) != DIAG_DTC_LEN) return false;
    char l = code[0];
    if (l >= 'a' && l <= 'z') l = (char)(l - 32);
    if (l != 'P' && l != 'C' && l != 'B' && l != 'U') return false;
    out[0] = l;
    for (int i = 1; i < DIAG_DTC_LEN; i++) {
        int v = hexval(code[i]);
        if (v < 0) return false;
        out[i] = "0123456789ABCDEF"[v];
    }
    out[DIAG_DTC_LEN] = '\0';
    return true;
}

const char *diag_dtc_system(const char *code)
{
    switch (code[0]) {
    case 'P': return "powertrain";
    case 'C': return "chassis";
    case 'B': return "body";
    default:  return "network";
    }
}

unsigned diag_dtc_value(const char *code)
{
    unsigned letter = code[0] == 'P' ? 0 : code[0] == 'C' ? 1 : code[0] == 'B' ? 2 : 3;
    unsigned v = 0;
    for (int i = 1; i < DIAG_DTC_LEN; i++) v = (v << 4) | (unsigned)hexval(code[i]);
    return (letter << 16) | v;
}

/* "Bmw" and "Landrover" are how the file spells them. */
static const char *const make_fixes[][2] = {
    { "Bmw", "BMW" }, { "Landrover", "Land Rover" }, { NULL, NULL },
};

/* A code as written in the file, with the letter O read as a zero (the Land Rover list has
 * "P03O2" for P0302). *repaired is set when that was needed. */
static bool file_code(const char *s, size_t n, char out[DIAG_DTC_LEN + 1], bool *repaired)
{
    if (n != DIAG_DTC_LEN) return false;
    char tmp[DIAG_DTC_LEN + 1];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    for (int i = 1; i < DIAG_DTC_LEN; i++)
        if (tmp[i] == 'O') { tmp[i] = '0'; *repaired = true; }
    return diag_dtc_normalise(tmp, out);
}

struct field { const char *p; size_t n; };

static void trim(struct field *f)
{
    while (f->n && (f->p[0] == ' ' || f->p[0] == '\r')) { f->p++; f->n--; }
    while (f->n && (f->p[f->n - 1] == ' ' || f->p[f->n - 1] == '\r')) f->n--;
}

static int emit(const char *code, struct field make, struct field desc, bool repaired,
                diag_dtc_fn fn, void *ctx, struct diag_dtc_stats *st)
{
    struct diag_dtc_entry e;
    memset(&e, 0, sizeof e);
    trim(&make);
    trim(&desc);
    if (desc.n == 0 || desc.n >= sizeof e.description || make.n >= sizeof e.manufacturer ||
        ps_utf8_len(desc.p, desc.n) < 0 || ps_utf8_len(make.p, make.n) < 0) {
        st->skipped++;
        return 0;
    }
    memcpy(e.code, code, DIAG_DTC_LEN + 1);
    if (make.n == 0 || (make.n == 7 && strncmp(make.p, "Generic", 7) == 0)) {
        memcpy(e.manufacturer, "Generic", 8);
        e.generic = true;
    } else {
        memcpy(e.manufacturer, make.p, make.n);
        for (int i = 0; make_fixes[i][0]; i++)
            if (strcmp(e.manufacturer, make_fixes[i][0]) == 0)
                snprintf(e.manufacturer, sizeof e.manufacturer, "%s", make_fixes[i][1]);
    }
    memcpy(e.description, desc.p, desc.n);
    st->entries++;
    if (repaired) st->repaired++;
    return fn(&e, ctx);
}

/* One line split at tabs. Shapes seen in the Debian file:
 *   CODE Maker Desc                          the normal case
 *   CODE Desc                                no maker: generic
 *   CODE Maker DescCODE2 Desc2 / ... Maker2  a newline lost between two records */
static int parse_line(const char *line, size_t n, diag_dtc_fn fn, void *ctx,
                      struct diag_dtc_stats *st)
{
    struct field f[6];
    int nf = 0;
    st->lines++;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || line[i] == '\t') {
            if (nf == 6) { st->skipped++; return 0; }
            f[nf].p = line + start;
            f[nf].n = i - start;
            nf++;
            start = i + 1;
        }
    }
    char code[DIAG_DTC_LEN + 1];
    bool repaired = false;
    trim(&f[0]);
    if (nf < 2 || !file_code(f[0].p, f[0].n, code, &repaired)) { st->skipped++; return 0; }
    struct field none = { "", 0 };
    if (nf == 2) return emit(code, none, f[1], repaired, fn, ctx, st);
    if (nf == 3) return emit(code, f[1], f[2], repaired, fn, ctx, st);

    /* Glued records: the third field ends with the next record's code. */
    char code2[DIAG_DTC_LEN + 1];
    bool repaired2 = true;
    struct field d1 = f[2];
    if (nf > 5 || d1.n <= DIAG_DTC_LEN ||
        !file_code(d1.p + d1.n - DIAG_DTC_LEN, DIAG_DTC_LEN, code2, &repaired2)) {
        st->skipped++;
        return 0;
    }
    d1.n -= DIAG_DTC_LEN;
    int rc = emit(code, f[1], d1, true, fn, ctx, st);
    if (rc) return rc;
    if (nf == 4) return emit(code2, none, f[3], true, fn, ctx, st);
    return emit(code2, f[3], f[4], true, fn, ctx, st);
}

int diag_dtc_parse_text(const char *text, size_t n, diag_dtc_fn fn, void *ctx,
                        struct diag_dtc_stats *st)
{
    memset(st, 0, sizeof *st);
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || text[i] == '\n' || text[i] == '\0') {
            size_t len = i - start;
            if (len > 0 && !(len == 1 && text[start] == '\r')) {
                int rc = parse_line(text + start, len, fn, ctx, st);
                if (rc) return rc;
            }
            start = i + 1;
        }
    }
    return 0;
}
