/* Loads the maintenance schedule and turns one rule plus the last service into a reminder. */
#include "vehicles/maintenance.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/log.h"
#include "vehicles/catalog.h"

extern const unsigned char vehicles_maintenance_tsv[];
extern const size_t vehicles_maintenance_tsv_len;
extern const unsigned char vehicles_service_covers_tsv[];
extern const size_t vehicles_service_covers_tsv_len;

#define COVERS_MAX 32

struct cover { char service[32]; char covered[32]; };
static struct cover covers[COVERS_MAX];
static int ncovers;

static struct maint_rule rules[MAINT_RULES_MAX];
static int nrules;
static int init_rc;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const char *const fuel_names[] = { "gasoline", "diesel", "hybrid", "phev", "bev", NULL };

unsigned fuel_type_bit(const char *fuel_type)
{
    for (int i = 0; fuel_type && fuel_names[i]; i++)
        if (strcmp(fuel_names[i], fuel_type) == 0)
            return 1u << i;
    return 0;
}

static bool parse_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < 0 || v > 1000000)
        return false;
    *out = (int)v;
    return true;
}

static unsigned parse_fuels(char *list)
{
    if (strcmp(list, "*") == 0)
        return (1u << 5) - 1;
    unsigned mask = 0;
    for (char *p = list; p && *p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        unsigned bit = fuel_type_bit(p);
        if (!bit)
            return 0;
        mask |= bit;
        p = comma ? comma + 1 : NULL;
    }
    return mask;
}

/* service_covers.tsv: one row per (service, covered type) pair. */
static void load_covers(void)
{
    char *text = strdup((const char *)vehicles_service_covers_tsv);
    if (!text) {
        init_rc = PS_E_NOMEM;
        return;
    }
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *tab = strchr(line, '\t');
        if (line[0] != '#' && line[0] != '\0') {
            if (tab)
                *tab = '\0';
            if (!tab || !catalog_known(line) || strlen(line) >= sizeof covers[0].service) {
                ps_log_error("service_covers.tsv: bad row for '%s'", line);
                init_rc = PS_E_INTERNAL;
            }
            for (char *p = tab ? tab + 1 : NULL; p && *p;) {
                char *comma = strchr(p, ',');
                if (comma)
                    *comma = '\0';
                if (!catalog_known(p) || strlen(p) >= sizeof covers[0].covered || ncovers >= COVERS_MAX) {
                    ps_log_error("service_covers.tsv: bad covered type '%s'", p);
                    init_rc = PS_E_INTERNAL;
                } else {
                    snprintf(covers[ncovers].service, sizeof covers[ncovers].service, "%s", line);
                    snprintf(covers[ncovers].covered, sizeof covers[ncovers].covered, "%s", p);
                    ncovers++;
                }
                p = comma ? comma + 1 : NULL;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
}

bool maint_covers(const char *record_type, const char *service_type)
{
    maint_init();
    if (strcmp(record_type, service_type) == 0)
        return true;
    for (int i = 0; i < ncovers; i++)
        if (strcmp(covers[i].service, record_type) == 0 && strcmp(covers[i].covered, service_type) == 0)
            return true;
    return false;
}

static void load(void)
{
    char *text = strdup((const char *)vehicles_maintenance_tsv);
    if (!text || catalog_init() != 0) {
        init_rc = PS_E_INTERNAL;
        free(text);
        return;
    }
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (line[0] != '#' && line[0] != '\0') {
            char *f[4];
            int n = 0;
            f[n++] = line;
            for (char *p = line; *p && n < 4; p++)
                if (*p == '\t') {
                    *p = '\0';
                    f[n++] = p + 1;
                }
            struct maint_rule r = { .km = 0 };
            if (n != 4 || !catalog_known(f[0]) || strlen(f[0]) >= sizeof r.service_type
                || !(r.fuel_mask = parse_fuels(f[1])) || !parse_int(f[2], &r.km)
                || !parse_int(f[3], &r.months) || (!r.km && !r.months) || nrules >= MAINT_RULES_MAX) {
                ps_log_error("maintenance.tsv: bad row for '%s'", f[0]);
                init_rc = PS_E_INTERNAL;
            } else {
                snprintf(r.service_type, sizeof r.service_type, "%s", f[0]);
                rules[nrules++] = r;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    load_covers();
}

int maint_init(void)
{
    pthread_once(&once, load);
    return init_rc;
}

int maint_rules_for(const char *fuel_type, const struct maint_rule **out, int max)
{
    maint_init();
    unsigned bit = fuel_type_bit(fuel_type);
    int n = 0;
    for (int i = 0; i < nrules && n < max; i++)
        if (rules[i].fuel_mask & bit)
            out[n++] = &rules[i];
    return n;
}

void maint_reminder(const struct maint_rule *rule, const struct maint_base *base,
                    int64_t odometer_km, struct vdate today, struct reminder *out)
{
    memset(out, 0, sizeof *out);
    out->kind = REMINDER_MAINTENANCE;
    snprintf(out->service_type, sizeof out->service_type, "%s", rule->service_type);
    out->title = catalog_name_en(rule->service_type);
    out->title_zh = catalog_name_zh(rule->service_type);
    if (rule->km && base->has_km) {
        out->has_due_km = true;
        out->due_km = base->km + rule->km;
    }
    if (rule->months && base->has_date) {
        out->has_due_date = true;
        out->due_date = vdate_add_months(base->date, rule->months);
    }
    out->status = reminder_status_for(out->has_due_date, out->due_date, out->has_due_km,
                                      out->due_km, odometer_km, today);
}
