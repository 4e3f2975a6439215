/* Fixed-offset zones and civil-date arithmetic (see tz.h). */
#include "providers/tz.h"

#include <stdio.h>
#include <string.h>

struct zone { const char *name; int offset_min; };

/* Only zones without daylight saving, so one offset is always right. */
static const struct zone zones[] = {
    { "Asia/Shanghai", 480 },  { "Asia/Chongqing", 480 }, { "Asia/Harbin", 480 },
    { "Asia/Urumqi", 360 },    { "Asia/Kashgar", 360 },   { "Asia/Hong_Kong", 480 },
    { "Asia/Macau", 480 },     { "Asia/Taipei", 480 },    { "Asia/Singapore", 480 },
    { "Asia/Kuala_Lumpur", 480 }, { "Asia/Manila", 480 }, { "Asia/Tokyo", 540 },
    { "Asia/Seoul", 540 },     { "Asia/Bangkok", 420 },   { "Asia/Ho_Chi_Minh", 420 },
    { "Asia/Jakarta", 420 },   { "Asia/Kolkata", 330 },   { "Asia/Dubai", 240 },
    { "UTC", 0 },              { "Etc/UTC", 0 },
};

const char *const providers_tz_names[] = {
    "Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "Asia/Kashgar",
    "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei", "Asia/Singapore", "Asia/Kuala_Lumpur",
    "Asia/Manila", "Asia/Tokyo", "Asia/Seoul", "Asia/Bangkok", "Asia/Ho_Chi_Minh",
    "Asia/Jakarta", "Asia/Kolkata", "Asia/Dubai", "UTC", "Etc/UTC", NULL,
};

bool providers_tz_offset(const char *name, int *offset_min)
{
    for (size_t i = 0; name && i < sizeof zones / sizeof zones[0]; i++)
        if (!strcmp(zones[i].name, name)) {
            *offset_min = zones[i].offset_min;
            return true;
        }
    return false;
}

/* Howard Hinnant's days_from_civil / civil_from_days algorithms. */
int64_t providers_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void providers_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int providers_weekday(int y, int m, int d)
{
    int64_t days = providers_days_from_civil(y, m, d);
    /* 1970-01-01 was a Thursday (ISO 4). */
    int64_t w = (days + 3) % 7;
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

void providers_local_parts(int64_t ms, int offset_min, struct providers_local *out)
{
    int64_t local = ms + (int64_t)offset_min * 60000;
    int64_t days = floor_div(local, PROVIDERS_DAY_MS);
    int64_t in_day = local - days * PROVIDERS_DAY_MS;
    providers_civil_from_days(days, &out->y, &out->m, &out->d);
    out->weekday = providers_weekday(out->y, out->m, out->d);
    out->minute = (int)(in_day / 60000);
    out->ms_in_minute = in_day % 60000;
    out->midnight_ms = days * PROVIDERS_DAY_MS - (int64_t)offset_min * 60000;
}

int64_t providers_local_midnight(int y, int m, int d, int offset_min)
{
    return providers_days_from_civil(y, m, d) * PROVIDERS_DAY_MS - (int64_t)offset_min * 60000;
}

void providers_format_local(int64_t ms, int offset_min, char out[32])
{
    struct providers_local l;
    providers_local_parts(ms, offset_min, &l);
    int off = offset_min < 0 ? -offset_min : offset_min;
    char tmp[96];   /* roomy for the compiler's worst case; real output is 25 bytes */
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", l.y, l.m, l.d,
             l.minute / 60, l.minute % 60, (int)(l.ms_in_minute / 1000),
             offset_min < 0 ? '-' : '+', off / 60, off % 60);
    size_t n = strlen(tmp);
    if (n > 31)
        n = 31;
    memcpy(out, tmp, n);
    out[n] = '\0';
}

int providers_parse_hhmm(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return -1;
    return h * 60 + m;
}

void providers_format_hhmm(int minute, char out[6])
{
    if (minute < 0 || minute > 1440)
        minute = 0;
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%02d:%02d", minute / 60, minute % 60);
    memcpy(out, tmp, 5);
    out[5] = '\0';
}
