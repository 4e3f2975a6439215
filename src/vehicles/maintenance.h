/* The maintenance schedule (data/maintenance.tsv): per service type and fuel type, an
 * interval in km and months, whichever comes first, measured from the last service of that
 * type, or from registration when there is none. */
#ifndef VEHICLES_MAINTENANCE_H
#define VEHICLES_MAINTENANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "vehicles/reminders.h"

#define MAINT_RULES_MAX 64

struct maint_rule {
    char service_type[32];
    unsigned fuel_mask;      /* bit per fuel_type_bit() */
    int km;                  /* 0: no distance limit */
    int months;              /* 0: no time limit */
};

/* Where an interval starts: a service (date and odometer, either may be unknown) or the
 * registration (date, 0 km). */
struct maint_base {
    bool has_date;
    struct vdate date;
    bool has_km;
    int64_t km;
};

/* Parse the embedded schedule once, refusing service types missing from the catalog.
 * 0 or PS_E_INTERNAL. */
int maint_init(void);
/* Whether a service record of record_type restarts the interval of service_type: the same
 * type, or a service that includes it (data/service_covers.tsv: major_service covers
 * oil_change, ...). */
bool maint_covers(const char *record_type, const char *service_type);
/* Bit for "gasoline" | "diesel" | "hybrid" | "phev" | "bev"; 0 for anything else. */
unsigned fuel_type_bit(const char *fuel_type);
/* The rules that apply to fuel_type, in file order; returns how many were written. */
int maint_rules_for(const char *fuel_type, const struct maint_rule **out, int max);
/* The reminder for one rule from base, at odometer_km and today. */
void maint_reminder(const struct maint_rule *rule, const struct maint_base *base,
                    int64_t odometer_km, struct vdate today, struct reminder *out);

#endif
