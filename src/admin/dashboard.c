#include "admin/dashboard.h"

#include <stdio.h>

int64_t admin_day_of(int64_t ms)
{
    int64_t local = ms + ADMIN_TZ_OFFSET_MS;
    return local >= 0 ? local / 86400000 : -((-local + 86399999) / 86400000);
}

/* Civil date from days since the epoch (Howard Hinnant's well-known algorithm, restated). */
void admin_day_format(int64_t day, char out[11])
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    snprintf(out, 11, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

int64_t admin_order_gmv(int64_t paid_fen, int64_t refunded_fen)
{
    int64_t net = paid_fen - refunded_fen;
    return net > 0 ? net : 0;
}
