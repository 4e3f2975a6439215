/* What an owner should do next and when: maintenance (maintenance.h), the annual inspection
 * and insurance renewal. Pure rules over dates and kilometres. */
#ifndef VEHICLES_REMINDERS_H
#define VEHICLES_REMINDERS_H

#include <stdbool.h>
#include <stdint.h>

#include "vehicles/caldate.h"
#include "vehicles/inspection.h"

#define REMINDER_SOON_KM   1000   /* due_soon within this many km ... */
#define REMINDER_SOON_DAYS 30     /* ... or this many days (SPEC §4) */

enum reminder_kind { REMINDER_MAINTENANCE = 1, REMINDER_INSPECTION, REMINDER_INSURANCE };
enum reminder_status { REMINDER_OK = 1, REMINDER_DUE_SOON, REMINDER_OVERDUE };

struct reminder {
    enum reminder_kind kind;
    char service_type[32];        /* catalog code, "" when none */
    const char *title;            /* static English title */
    const char *title_zh;         /* static Chinese title */
    bool has_due_date;
    struct vdate due_date;
    bool has_due_km;
    int64_t due_km;
    enum reminder_status status;
};

const char *reminder_kind_name(enum reminder_kind k);       /* maintenance | inspection | insurance */
const char *reminder_status_name(enum reminder_status s);   /* ok | due_soon | overdue */

/* Status of something due at due_date and/or due_km (either may be absent): overdue once
 * past it, due_soon within REMINDER_SOON_KM / REMINDER_SOON_DAYS of it, else ok. */
enum reminder_status reminder_status_for(bool has_date, struct vdate due_date, bool has_km,
                                         int64_t due_km, int64_t odometer_km, struct vdate today);

/* Annual inspection. last_done: the most recent recorded inspection (has_last false when
 * none). Overdue when a due date has passed with no inspection recorded since its window
 * opened; otherwise the next due date, due_soon once its 3-month window is open (and not
 * yet done in it). */
void reminder_inspection(const struct inspection_vehicle *v, bool has_last, struct vdate last_done,
                         struct vdate today, struct reminder *out);
/* Insurance renewal from its expiry date (overdue once expired, due_soon within 30 days). */
void reminder_insurance(struct vdate expiry, struct vdate today, struct reminder *out);

#endif
