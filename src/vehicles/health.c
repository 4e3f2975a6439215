/* Scores a vehicle: start from 100, take off points per finding (with caps so that one kind
 * of problem cannot hide the others), clamp to 0..100. Findings are listed worst first. */
#include "vehicles/health.h"

#include "vehicles/catalog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *health_severity_name(enum health_severity s)
{
    switch (s) {
    case HEALTH_HIGH: return "high";
    case HEALTH_MEDIUM: return "medium";
    case HEALTH_LOW: return "low";
    }
    return "low";
}

static void add(struct health_report *r, enum health_severity sev, int penalty,
                const char *service_type, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add(struct health_report *r, enum health_severity sev, int penalty,
                const char *service_type, const char *fmt, ...)
{
    if (r->nfindings >= HEALTH_MAX_FINDINGS)
        return;
    struct health_finding *f = &r->findings[r->nfindings++];
    f->severity = sev;
    f->penalty = penalty;
    snprintf(f->service_type, sizeof f->service_type, "%s", service_type ? service_type : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->title, sizeof f->title, fmt, ap);
    va_end(ap);
}

/* Worst first; equal severities keep the bigger penalty first, then their input order
 * (insertion sort: stable, and there are at most HEALTH_MAX_FINDINGS). */
static bool worse(const struct health_finding *x, const struct health_finding *y)
{
    if (x->severity != y->severity)
        return x->severity > y->severity;
    return x->penalty > y->penalty;
}

static void sort_findings(struct health_report *r)
{
    for (int i = 1; i < r->nfindings; i++) {
        struct health_finding f = r->findings[i];
        int j = i;
        for (; j > 0 && worse(&f, &r->findings[j - 1]); j--)
            r->findings[j] = r->findings[j - 1];
        r->findings[j] = f;
    }
}

void health_assess(const struct health_input *in, struct health_report *out)
{
    memset(out, 0, sizeof *out);
    int maint = 0, dtc = 0, other = 0;
    for (int i = 0; i < in->nreminders; i++) {
        const struct reminder *rm = &in->reminders[i];
        if (rm->status == REMINDER_OK)
            continue;
        bool overdue = rm->status == REMINDER_OVERDUE;
        const char *what = rm->title ? rm->title : rm->service_type;
        if (rm->kind == REMINDER_MAINTENANCE) {
            int p = overdue ? HEALTH_MAINT_OVERDUE : HEALTH_MAINT_DUE_SOON;
            if (maint + p > HEALTH_MAINT_CAP)
                p = HEALTH_MAINT_CAP - maint;
            maint += p;
            add(out, overdue ? HEALTH_MEDIUM : HEALTH_LOW, p, rm->service_type,
                "%s: %s", overdue ? "Overdue" : "Due soon", what);
        } else {
            int p = overdue ? HEALTH_LEGAL_OVERDUE : HEALTH_LEGAL_DUE_SOON;
            other += p;
            bool insp = rm->kind == REMINDER_INSPECTION;
            add(out, overdue ? HEALTH_HIGH : HEALTH_LOW, p, insp ? SERVICE_INSPECTION : NULL,
                "%s", insp ? (overdue ? "Annual inspection overdue" : "Annual inspection due soon")
                           : (overdue ? "Insurance expired" : "Insurance expires soon"));
        }
    }
    for (int i = 0; i < in->ndtcs; i++) {
        int p = HEALTH_DTC;
        if (dtc + p > HEALTH_DTC_CAP)
            p = HEALTH_DTC_CAP - dtc;
        dtc += p;
        add(out, HEALTH_MEDIUM, p, SERVICE_DIAGNOSIS, "Trouble code %s is active", in->dtcs[i]);
    }
    if (in->has_soh && in->soh_pct < HEALTH_SOH_CRIT_PCT) {
        other += HEALTH_SOH_CRIT;
        add(out, HEALTH_HIGH, HEALTH_SOH_CRIT, SERVICE_EV_BATTERY,
            "Traction battery health is %.0f%% (below %.0f%%)", in->soh_pct, HEALTH_SOH_CRIT_PCT);
    } else if (in->has_soh && in->soh_pct < HEALTH_SOH_LOW_PCT) {
        other += HEALTH_SOH_LOW;
        add(out, HEALTH_MEDIUM, HEALTH_SOH_LOW, SERVICE_EV_BATTERY,
            "Traction battery health is %.0f%% (below %.0f%%)", in->soh_pct, HEALTH_SOH_LOW_PCT);
    }
    if (in->age_years > 15) {
        other += HEALTH_AGE_15;
        add(out, HEALTH_LOW, HEALTH_AGE_15, NULL, "Vehicle is %d years old (over 15)", in->age_years);
    } else if (in->age_years > 10) {
        other += HEALTH_AGE_10;
        add(out, HEALTH_LOW, HEALTH_AGE_10, NULL, "Vehicle is %d years old (over 10)", in->age_years);
    }
    int km_penalty = in->odometer_km > 300000 ? HEALTH_KM_300K
                   : in->odometer_km > 200000 ? HEALTH_KM_200K
                   : in->odometer_km > 100000 ? HEALTH_KM_100K : 0;
    if (km_penalty) {
        other += km_penalty;
        add(out, HEALTH_LOW, km_penalty, NULL, "High mileage: %lld km", (long long)in->odometer_km);
    }
    int score = 100 - maint - dtc - other;
    out->score = score < 0 ? 0 : score > 100 ? 100 : score;
    sort_findings(out);
}
