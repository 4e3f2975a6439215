/* The dashboard's figures, computed from raw rows so the rules are testable without SQL:
 * days are calendar days in China Standard Time (UTC+8, the platform's business day), GMV is
 * what customers paid minus what was refunded to them. */
#ifndef PS_ADMIN_DASHBOARD_H
#define PS_ADMIN_DASHBOARD_H

#include <stdint.h>

#define ADMIN_TZ_OFFSET_MS (8LL * 3600 * 1000)
#define ADMIN_MAX_DAYS 366

/* Day number (days since 1970-01-01 in UTC+8) of a time in ms. */
int64_t admin_day_of(int64_t ms);
/* "YYYY-MM-DD" of a day number; out needs 11 bytes. */
void admin_day_format(int64_t day, char out[11]);
/* Net money of one order for GMV: paid - refunded, never below 0. */
int64_t admin_order_gmv(int64_t paid_fen, int64_t refunded_fen);

#endif
