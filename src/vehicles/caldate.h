/* Calendar dates without time zones, for rules counted in days and months (inspection due
 * months, maintenance intervals, insurance expiry). Proleptic Gregorian; no HTTP, no SQL. */
#ifndef VEHICLES_CALDATE_H
#define VEHICLES_CALDATE_H

#include <stdbool.h>
#include <stdint.h>

struct vdate { int y, m, d; };

/* "YYYY-MM-DD" -> date; false when malformed or not a real day. */
bool vdate_parse(const char *s, struct vdate *out);
/* Writes "YYYY-MM-DD" (out needs 11 bytes). */
void vdate_format(struct vdate d, char out[11]);
/* Days since 1970-01-01 and back. */
int64_t vdate_to_days(struct vdate d);
struct vdate vdate_from_days(int64_t days);
int vdate_days_in_month(int y, int m);
/* Adds (or subtracts) whole months; the day is clamped to the end of the target month
 * (2024-01-31 + 1 month = 2024-02-29). */
struct vdate vdate_add_months(struct vdate d, int months);
struct vdate vdate_add_days(struct vdate d, int days);
struct vdate vdate_end_of_month(struct vdate d);
/* <0, 0, >0 like strcmp. */
int vdate_cmp(struct vdate a, struct vdate b);
/* Whole years from `from` to `to` (birthday rule: the anniversary counts on its day). */
int vdate_years_between(struct vdate from, struct vdate to);
/* The calendar date in China (UTC+8, no daylight saving) at ms since the epoch: the owners'
 * "today" for due dates. */
struct vdate vdate_china_from_ms(int64_t ms);

#endif
