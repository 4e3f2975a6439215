/* Calendar arithmetic over plain dates (days-from-civil, after H. Hinnant's public-domain
 * algorithm description). Used by the inspection, maintenance and insurance rules. */
#include "vehicles/caldate.h"

#include <stdio.h>
#include <string.h>

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int vdate_days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool vdate_parse(const char *s, struct vdate *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int v[3] = { 0, 0, 0 };
    const int start[3] = { 0, 5, 8 }, len[3] = { 4, 2, 2 };
    for (int f = 0; f < 3; f++) {
        for (int i = 0; i < len[f]; i++) {
            char c = s[start[f] + i];
            if (c < '0' || c > '9')
                return false;
            v[f] = v[f] * 10 + (c - '0');
        }
    }
    if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > vdate_days_in_month(v[0], v[1]))
        return false;
    out->y = v[0];
    out->m = v[1];
    out->d = v[2];
    return true;
}

void vdate_format(struct vdate d, char out[11])
{
    snprintf(out, 11, "%04d-%02d-%02d", d.y, d.m, d.d);
}

int64_t vdate_to_days(struct vdate dt)
{
    int64_t y = dt.y - (dt.m <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (dt.m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + dt.d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct vdate vdate_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    struct vdate r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    return r;
}

struct vdate vdate_add_months(struct vdate d, int months)
{
    int total = d.y * 12 + (d.m - 1) + months;
    struct vdate r = { total / 12, total % 12 + 1, d.d };
    int dim = vdate_days_in_month(r.y, r.m);
    if (r.d > dim)
        r.d = dim;
    return r;
}

struct vdate vdate_add_days(struct vdate d, int days)
{
    return vdate_from_days(vdate_to_days(d) + days);
}

struct vdate vdate_end_of_month(struct vdate d)
{
    d.d = vdate_days_in_month(d.y, d.m);
    return d;
}

int vdate_cmp(struct vdate a, struct vdate b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

int vdate_years_between(struct vdate from, struct vdate to)
{
    int years = to.y - from.y;
    if (to.m < from.m || (to.m == from.m && to.d < from.d))
        years--;
    return years;
}

struct vdate vdate_china_from_ms(int64_t ms)
{
    int64_t local = ms + 8LL * 3600 * 1000;
    int64_t days = local >= 0 ? local / 86400000 : -((-local + 86399999) / 86400000);
    return vdate_from_days(days);
}
