/* The catalog's commission column, looked up by scanning the embedded TSV: 40-odd short lines,
 * read at most once per completion or refund, so no table is built. Columns: code, category,
 * name_zh, name_en, duration_min, commission_bps; lines starting with '#' are comments. */
#include "ledger/rates.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/money.h"

extern const unsigned char ledger_service_types_tsv[];
extern const size_t ledger_service_types_tsv_len;

bool ledger_catalog_rate(const char *code, int *bps)
{
    size_t clen = code ? strlen(code) : 0;
    const char *p = (const char *)ledger_service_types_tsv;
    const char *end = p + ledger_service_types_tsv_len;
    if (clen == 0)
        return false;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (*p != '#' && (size_t)(eol - p) > clen && memcmp(p, code, clen) == 0 && p[clen] == '\t') {
            /* The rate is the last field of the line. */
            const char *last = eol;
            while (last > p && last[-1] != '\t')
                last--;
            char digits[8] = { 0 };
            size_t n = (size_t)(eol - last);
            if (n == 0 || n >= sizeof digits)
                return false;
            memcpy(digits, last, n);
            char *stop = NULL;
            long v = strtol(digits, &stop, 10);
            if (stop == digits || (*stop && *stop != '\r'))
                return false;
            *bps = ledger_rate_or_default(v);
            return true;
        }
        p = eol + 1;
    }
    return false;
}
