/* Reads the embedded copy of the service-type catalog into a small array. */
#include "vehicles/catalog.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"

extern const unsigned char vehicles_service_types_tsv[];
extern const size_t vehicles_service_types_tsv_len;

#define CATALOG_MAX 128

struct catalog_row { const char *code, *name_zh, *name_en; };
static struct catalog_row rows[CATALOG_MAX];
static int nrows;
static int init_rc;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    char *text = strdup((const char *)vehicles_service_types_tsv);
    if (!text) {
        init_rc = PS_E_NOMEM;
        return;
    }
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *f[6];
        int n = 0;
        if (line[0] != '#' && line[0] != '\0') {
            f[n++] = line;
            for (char *p = line; *p && n < 6; p++)
                if (*p == '\t') {
                    *p = '\0';
                    f[n++] = p + 1;
                }
            if (n >= 4 && nrows < CATALOG_MAX) {
                rows[nrows].code = f[0];
                rows[nrows].name_zh = f[2];
                rows[nrows].name_en = f[3];
                nrows++;
            } else {
                init_rc = PS_E_INTERNAL;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
}

int catalog_init(void)
{
    pthread_once(&once, load);
    return init_rc;
}

static const struct catalog_row *find(const char *code)
{
    catalog_init();
    for (int i = 0; code && i < nrows; i++)
        if (strcmp(rows[i].code, code) == 0)
            return &rows[i];
    return NULL;
}

bool catalog_known(const char *code) { return find(code) != NULL; }

const char *catalog_name_en(const char *code)
{
    const struct catalog_row *r = find(code);
    return r ? r->name_en : NULL;
}

const char *catalog_name_zh(const char *code)
{
    const struct catalog_row *r = find(code);
    return r ? r->name_zh : NULL;
}
