/* The vehicle health report: a 0-100 score and the findings behind it, from overdue
 * reminders, active trouble codes, traction-battery state of health, age and mileage.
 * The formula is documented in docs/VEHICLES.md ("Health score"). Pure rules. */
#ifndef VEHICLES_HEALTH_H
#define VEHICLES_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "vehicles/reminders.h"

#define HEALTH_MAX_FINDINGS 64

/* Points taken off the score of 100. */
#define HEALTH_MAINT_OVERDUE     8
#define HEALTH_MAINT_DUE_SOON    2
#define HEALTH_MAINT_CAP        40   /* all maintenance findings together */
#define HEALTH_LEGAL_OVERDUE    15   /* inspection or insurance lapsed */
#define HEALTH_LEGAL_DUE_SOON    2
#define HEALTH_DTC              12
#define HEALTH_DTC_CAP          36
#define HEALTH_SOH_LOW_PCT      80.0 /* below: medium finding */
#define HEALTH_SOH_LOW          12
#define HEALTH_SOH_CRIT_PCT     70.0 /* below: high finding */
#define HEALTH_SOH_CRIT         25
#define HEALTH_AGE_10            5   /* older than 10 years */
#define HEALTH_AGE_15           10   /* older than 15 years */
#define HEALTH_KM_100K           3
#define HEALTH_KM_200K           6
#define HEALTH_KM_300K          10

enum health_severity { HEALTH_LOW = 1, HEALTH_MEDIUM, HEALTH_HIGH };

struct health_input {
    const struct reminder *reminders;   /* maintenance, inspection, insurance */
    int nreminders;
    const char (*dtcs)[8];              /* active trouble codes */
    int ndtcs;
    bool has_soh;
    double soh_pct;                     /* traction battery state of health */
    int age_years;                      /* -1 when unknown */
    int64_t odometer_km;
};

struct health_finding {
    enum health_severity severity;
    char title[160];
    char service_type[32];              /* catalog code, "" when none applies */
    int penalty;
};

struct health_report {
    int score;
    int nfindings;
    struct health_finding findings[HEALTH_MAX_FINDINGS];
};

void health_assess(const struct health_input *in, struct health_report *out);
const char *health_severity_name(enum health_severity s);   /* low | medium | high */

#endif
