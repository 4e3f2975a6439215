/* Provider time zones as fixed offsets (no daylight saving): China has had none since 1991,
 * and the other zones listed are offered for shops near the border or abroad. Civil-date
 * arithmetic for the slot grid. Pure, no I/O. */
#ifndef PS_PROVIDERS_TZ_H
#define PS_PROVIDERS_TZ_H

#include <stdbool.h>
#include <stdint.h>

#define PROVIDERS_TZ_DEFAULT "Asia/Shanghai"
#define PROVIDERS_DAY_MS     86400000LL

/* Offset east of UTC in minutes for a supported zone name; false when unsupported. */
bool providers_tz_offset(const char *name, int *offset_min);
/* NULL-terminated list of the supported names (for docs and the 422 message). */
extern const char *const providers_tz_names[];

/* Days since 1970-01-01 of a civil date (proleptic Gregorian), and back. */
int64_t providers_days_from_civil(int y, int m, int d);
void providers_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Local wall-clock parts of an instant in a zone of the given offset. */
struct providers_local {
    int y, m, d;
    int weekday;        /* ISO: 1 = Monday ... 7 = Sunday */
    int minute;         /* minute of the day, 0..1439 */
    int64_t ms_in_minute;
    int64_t midnight_ms; /* the instant of that local day's 00:00 */
};
void providers_local_parts(int64_t ms, int offset_min, struct providers_local *out);
/* Instant of local 00:00 of y-m-d. */
int64_t providers_local_midnight(int y, int m, int d, int offset_min);
/* ISO weekday of a civil date. */
int providers_weekday(int y, int m, int d);
/* "2026-11-23T09:30:00+08:00" for an instant shown in that offset; out needs 26 bytes. */
void providers_format_local(int64_t ms, int offset_min, char out[32]);
/* "08:30" -> 510; -1 when malformed (HH 00-24, MM 00-59, 24:00 only as a closing time). */
int providers_parse_hhmm(const char *s);
void providers_format_hhmm(int minute, char out[6]);

#endif
