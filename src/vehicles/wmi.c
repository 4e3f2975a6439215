/* Parses the embedded WMI tables into sorted arrays and answers look-ups by binary search.
 * The text is copied once and split in place, so entries point into that copy for the life
 * of the process. */
#include "vehicles/wmi.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/log.h"

extern const unsigned char vehicles_wmi_tsv[];
extern const size_t vehicles_wmi_tsv_len;
extern const unsigned char vehicles_wmi_regions_tsv[];
extern const size_t vehicles_wmi_regions_tsv_len;

#define WMI_MAX 1024
#define REGION_MAX 128

struct region { char from[3], to[3]; const char *country; };

static struct wmi_entry wmi_rows[WMI_MAX];
static int wmi_n;
static struct region regions[REGION_MAX];
static int region_n;
static int init_rc;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Splits the next line of text (modified in place) into at most max tab-separated fields;
 * returns the field count, 0 for blank or comment lines, -1 at the end. */
static int next_row(char **cursor, char **fields, int max)
{
    char *line = *cursor;
    if (!line || !*line)
        return -1;
    char *nl = strchr(line, '\n');
    *cursor = nl ? nl + 1 : line + strlen(line);
    if (nl)
        *nl = '\0';
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r')
        line[len - 1] = '\0';
    if (line[0] == '#' || line[0] == '\0')
        return 0;
    int n = 0;
    fields[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == '\t') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    }
    return n;
}

static int cmp_wmi(const void *a, const void *b)
{
    return strcmp(((const struct wmi_entry *)a)->wmi, ((const struct wmi_entry *)b)->wmi);
}

/* Position of a character in the ISO 3780 order of second characters: A..Z, 1..9, 0. */
static int region_rank(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '1' && c <= '9')
        return 26 + (c - '1');
    if (c == '0')
        return 35;
    return -1;
}

static void load(void)
{
    static char *wmi_text, *region_text;
    wmi_text = strdup((const char *)vehicles_wmi_tsv);
    region_text = strdup((const char *)vehicles_wmi_regions_tsv);
    if (!wmi_text || !region_text) {
        init_rc = PS_E_NOMEM;
        return;
    }
    char *cur = wmi_text, *f[4];
    int n;
    while ((n = next_row(&cur, f, 4)) >= 0) {
        if (n == 0)
            continue;
        if (n != 4 || strlen(f[0]) != 3 || wmi_n >= WMI_MAX) {
            ps_log_error("wmi.tsv: malformed row near '%s'", f[0]);
            init_rc = PS_E_INTERNAL;
            continue;
        }
        struct wmi_entry *e = &wmi_rows[wmi_n++];
        memcpy(e->wmi, f[0], 4);
        e->manufacturer = f[1];
        e->make = f[2];
        e->country = f[3];
    }
    qsort(wmi_rows, (size_t)wmi_n, sizeof wmi_rows[0], cmp_wmi);
    for (int i = 1; i < wmi_n; i++) {
        if (strcmp(wmi_rows[i - 1].wmi, wmi_rows[i].wmi) == 0) {
            ps_log_error("wmi.tsv: duplicate WMI %s", wmi_rows[i].wmi);
            init_rc = PS_E_INTERNAL;
        }
    }
    cur = region_text;
    while ((n = next_row(&cur, f, 3)) >= 0) {
        if (n == 0)
            continue;
        if (n != 3 || strlen(f[0]) != 2 || strlen(f[1]) != 2 || region_n >= REGION_MAX) {
            ps_log_error("wmi_regions.tsv: malformed row near '%s'", f[0]);
            init_rc = PS_E_INTERNAL;
            continue;
        }
        struct region *r = &regions[region_n++];
        memcpy(r->from, f[0], 3);
        memcpy(r->to, f[1], 3);
        r->country = f[2];
    }
}

int wmi_init(void)
{
    pthread_once(&once, load);
    return init_rc;
}

int wmi_count(void)
{
    wmi_init();
    return wmi_n;
}

const struct wmi_entry *wmi_lookup(const char *vin)
{
    wmi_init();
    if (!vin || strlen(vin) < 3)
        return NULL;
    struct wmi_entry key;
    memcpy(key.wmi, vin, 3);
    key.wmi[3] = '\0';
    return bsearch(&key, wmi_rows, (size_t)wmi_n, sizeof wmi_rows[0], cmp_wmi);
}

const char *wmi_region_country(const char *vin)
{
    wmi_init();
    if (!vin || strlen(vin) < 2)
        return NULL;
    int rank = region_rank(vin[1]);
    for (int i = 0; i < region_n && rank >= 0; i++) {
        const struct region *r = &regions[i];
        if (r->from[0] == vin[0] && rank >= region_rank(r->from[1]) && rank <= region_rank(r->to[1]))
            return r->country;
    }
    return NULL;
}
