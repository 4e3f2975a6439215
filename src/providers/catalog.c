/* The platform's service-type catalog, parsed once from the embedded service_types.tsv. */
#include "providers/providers_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/log.h"

extern const unsigned char providers_service_types_tsv[];
extern const size_t providers_service_types_tsv_len;

#define CATALOG_MAX 128

static struct providers_service_type catalog[CATALOG_MAX];
static size_t ncatalog;
static int load_rc;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Copy field i (tab-separated) of line into out. */
static bool field(const char *line, size_t len, int i, char *out, size_t outlen)
{
    const char *p = line, *end = line + len;
    for (int k = 0; k < i; k++) {
        const char *t = memchr(p, '\t', (size_t)(end - p));
        if (!t)
            return false;
        p = t + 1;
    }
    const char *t = memchr(p, '\t', (size_t)(end - p));
    size_t n = (size_t)((t ? t : end) - p);
    if (n == 0 || n >= outlen)
        return false;
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

static void parse(void)
{
    const char *text = (const char *)providers_service_types_tsv;
    const char *p = text, *end = text + providers_service_types_tsv_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        if (len && p[len - 1] == '\r')
            len--;
        if (len > 0 && p[0] != '#') {
            struct providers_service_type t;
            char dur[16], bps[16];
            if (ncatalog >= CATALOG_MAX || !field(p, len, 0, t.code, sizeof t.code) ||
                !field(p, len, 1, t.category, sizeof t.category) ||
                !field(p, len, 2, t.name_zh, sizeof t.name_zh) ||
                !field(p, len, 3, t.name_en, sizeof t.name_en) ||
                !field(p, len, 4, dur, sizeof dur) || !field(p, len, 5, bps, sizeof bps)) {
                ps_log_error("service_types.tsv: bad line %.*s", (int)len, p);
                load_rc = PS_E_INTERNAL;
                return;
            }
            t.duration_min = (int)strtol(dur, NULL, 10);
            t.commission_bps = (int)strtol(bps, NULL, 10);
            catalog[ncatalog++] = t;
        }
        p += (nl ? (size_t)(nl - p) + 1 : len);
        if (!nl)
            break;
    }
}

int providers_catalog_load(void)
{
    pthread_once(&once, parse);
    return load_rc;
}

const struct providers_service_type *providers_catalog_find(const char *code)
{
    providers_catalog_load();
    for (size_t i = 0; code && i < ncatalog; i++)
        if (!strcmp(catalog[i].code, code))
            return &catalog[i];
    return NULL;
}

size_t providers_catalog_count(void)
{
    providers_catalog_load();
    return ncatalog;
}

const struct providers_service_type *providers_catalog_at(size_t i)
{
    providers_catalog_load();
    return i < ncatalog ? &catalog[i] : NULL;
}
