/* Annual inspection (年检) due dates for mainland China, as SPEC §4 states them:
 *  - private small and mini passenger cars (<= 9 seats): years 2 and 4 sticker only (no
 *    on-site test), years 6 and 8 on-site, every year from year 10 to 15, every 6 months
 *    after 15 years;
 *  - commercial (营运) vehicles: every year for the first 5 years, then every 6 months;
 *  - private passenger vehicles with more than 9 seats (SPEC is silent; national rule for
 *    large and medium non-operating passenger vehicles): every year for 10 years, then
 *    every 6 months.
 * Counted from the registration date; due in the registration month (the last day of that
 * month is the deadline); the inspection may be done from 3 months before the deadline. */
#ifndef VEHICLES_INSPECTION_H
#define VEHICLES_INSPECTION_H

#include <stdbool.h>

#include "vehicles/caldate.h"

enum inspection_kind { INSPECTION_STICKER = 1, INSPECTION_ON_SITE };

struct inspection_vehicle {
    struct vdate registered;
    bool commercial;
    int seats;                   /* 0 when unknown: treated as a small passenger car */
};

struct inspection_due {
    struct vdate due;            /* last day of the due month */
    struct vdate window_start;   /* due minus 3 months */
    enum inspection_kind kind;
    int months;                  /* months after registration */
};

/* The n-th (0-based) inspection of the vehicle's life. */
void inspection_nth(const struct inspection_vehicle *v, int n, struct inspection_due *out);
/* The first due date on or after today. */
void inspection_next(const struct inspection_vehicle *v, struct vdate today, struct inspection_due *out);
/* The last due date before today; false when none has passed yet. */
bool inspection_previous(const struct inspection_vehicle *v, struct vdate today, struct inspection_due *out);
const char *inspection_kind_name(enum inspection_kind k);   /* "sticker" | "on_site" */

#endif
