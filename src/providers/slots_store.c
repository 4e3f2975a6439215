/* Bay capacity (slots.h) and the slots offered for a day. Each booking is a row in
 * slot_bookings over whole grid cells; a new one is admitted when, in every cell it covers,
 * fewer live bookings (firm, or holds not yet expired) overlap than the provider has bays.
 * Atomicity: SQLite has one writer, so check-then-insert inside its transaction cannot
 * interleave; on PostgreSQL the provider row is locked first (SELECT ... FOR NO KEY UPDATE),
 * which serialises every booking of that provider, and the overlap query that follows (READ
 * COMMITTED: a fresh snapshot per statement) sees every booking committed before the lock
 * was granted. See docs/PROVIDERS.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/router.h"
#include "providers/providers_internal.h"
#include "providers/slot_grid.h"
#include "providers/slots.h"
#include "providers/tz.h"

#define DB_RC(rc) ((rc) < 0 ? ps_db_err_to_ps(rc) : 0)
#define SEARCH_DAYS 14

/* Live bookings that start in [from, to) and end after `after`. */
static const char SQL_BUSY[] =
    "SELECT start_ms, end_ms FROM slot_bookings WHERE provider_id = $1 AND start_ms >= $2 "
    "AND start_ms < $3 AND end_ms > $4 AND released = 0 AND (hold_until = 0 OR hold_until > $5) "
    "AND booking_id <> $6 ORDER BY start_ms, booking_id";

static int load_busy(struct ps_db_conn *c, const char *provider_id, int64_t from, int64_t to,
                     int64_t after, const char *except, struct providers_span **out, int *n)
{
    struct ps_db_stmt *s;
    *out = NULL;
    *n = 0;
    int rc = ps_db_prepare(c, SQL_BUSY, &s);
    if (rc)
        return DB_RC(rc);
    struct providers_span *v = malloc(sizeof *v * 64);
    int cap = 64;
    if (!v) {
        ps_db_reset(s);
        return PS_E_NOMEM;
    }
    ps_db_bind_text(s, 1, provider_id);
    ps_db_bind_int64(s, 2, from);
    ps_db_bind_int64(s, 3, to);
    ps_db_bind_int64(s, 4, after);
    ps_db_bind_int64(s, 5, ps_now_ms());
    ps_db_bind_text(s, 6, except ? except : "");
    while ((rc = ps_db_step(s)) == PS_DB_ROW && *n < MAX_BUSY) {
        if (*n == cap) {
            struct providers_span *bigger = realloc(v, sizeof *v * (size_t)cap * 2);
            if (!bigger) {
                rc = PS_E_NOMEM;
                break;
            }
            v = bigger;
            cap *= 2;
        }
        v[*n].start_ms = ps_db_col_int64(s, 0);
        v[*n].end_ms = ps_db_col_int64(s, 1);
        (*n)++;
    }
    ps_db_reset(s);
    if (rc < 0) {
        free(v);
        *n = 0;
        return rc == PS_E_NOMEM ? rc : DB_RC(rc);
    }
    *out = v;
    return 0;
}

/* The opening intervals of one ISO weekday. */
static int day_intervals(const struct providers_schedule *sch, int weekday,
                         struct providers_interval iv[PROVIDERS_MAX_INTERVALS])
{
    int n = 0;
    for (int i = 0; i < sch->nhours && n < PROVIDERS_MAX_INTERVALS; i++)
        if (sch->hours[i].weekday == weekday) {
            iv[n].open_min = sch->hours[i].open_min;
            iv[n].close_min = sch->hours[i].close_min;
            n++;
        }
    return n;
}

static void format_day(const struct providers_local *l, char out[16])
{
    snprintf(out, 16, "%04d-%02d-%02d", l->y % 10000, l->m % 100, l->d % 100);
}

/* Checks a span against hours, closed dates and capacity; the caller holds the lock. */
static int admit(struct ps_db_conn *c, const char *provider_id, const struct providers_schedule *sch,
                 const char *booking_id, int64_t start_ms, int duration_min)
{
    struct providers_local l;
    struct providers_interval iv[PROVIDERS_MAX_INTERVALS];
    char day[16];
    providers_local_parts(start_ms, sch->offset_min, &l);
    int niv = day_intervals(sch, l.weekday, iv);
    if (!providers_span_fits(l.midnight_ms, iv, niv, start_ms, duration_min))
        return PS_E_VALIDATION;
    format_day(&l, day);
    if (providers_store_is_closed(c, provider_id, day))
        return PS_E_VALIDATION;
    int64_t end = providers_span_end(start_ms, duration_min);
    struct providers_span *busy;
    int n;
    int rc = load_busy(c, provider_id, start_ms - PROVIDERS_MAX_DURATION * 60000LL - PROVIDERS_GRID_MS,
                       end, start_ms, booking_id, &busy, &n);
    if (rc)
        return rc;
    int load = providers_span_load(start_ms, duration_min, busy, n);
    free(busy);
    return load < sch->bays ? 0 : PS_E_SLOT_FULL;
}

static const char SQL_BOOK[] =
    "INSERT INTO slot_bookings (booking_id, provider_id, start_ms, end_ms, hold_until, released, "
    "created_at) VALUES ($1, $2, $3, $4, $5, 0, $6)";

int providers_reserve_slot(struct ps_db_conn *c, const char *provider_id, const char *booking_id,
                           int64_t start_ms, int duration_min, int64_t hold_until_ms)
{
    struct providers_schedule sch;
    if (!provider_id || !booking_id || !*booking_id)
        return PS_E_NOT_FOUND;
    if (duration_min <= 0 || duration_min > PROVIDERS_MAX_DURATION || start_ms < ps_now_ms())
        return PS_E_VALIDATION;
    int rc = providers_store_schedule_load(c, provider_id, true, &sch);
    if (rc)
        return rc;
    if ((rc = admit(c, provider_id, &sch, booking_id, start_ms, duration_min)) != 0)
        return rc;
    struct ps_db_stmt *s;
    if ((rc = ps_db_prepare(c, SQL_BOOK, &s)) != 0)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, booking_id);
    ps_db_bind_text(s, 2, provider_id);
    ps_db_bind_int64(s, 3, start_ms);
    ps_db_bind_int64(s, 4, providers_span_end(start_ms, duration_min));
    ps_db_bind_int64(s, 5, hold_until_ms > 0 ? hold_until_ms : 0);
    ps_db_bind_int64(s, 6, ps_now_ms());
    rc = ps_db_step(s);
    ps_db_reset(s);
    return DB_RC(rc);
}

static const char SQL_BOOKING_GET[] =
    "SELECT provider_id, start_ms, end_ms, hold_until, released FROM slot_bookings "
    "WHERE booking_id = $1";
static const char SQL_BOOKING_FIRM[] =
    "UPDATE slot_bookings SET hold_until = 0, released = 0 WHERE booking_id = $1";
static const char SQL_BOOKING_RELEASE[] =
    "UPDATE slot_bookings SET released = 1 WHERE booking_id = $1";

int providers_confirm_slot(struct ps_db_conn *c, const char *booking_id)
{
    struct ps_db_stmt *s;
    char provider_id[64];
    int rc = ps_db_prepare(c, SQL_BOOKING_GET, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, booking_id);
    rc = ps_db_step(s);
    int64_t start = 0, end = 0, hold = 0, released = 0;
    if (rc == PS_DB_ROW) {
        snprintf(provider_id, sizeof provider_id, "%s", ps_db_col_text(s, 0));
        start = ps_db_col_int64(s, 1);
        end = ps_db_col_int64(s, 2);
        hold = ps_db_col_int64(s, 3);
        released = ps_db_col_int64(s, 4);
    }
    ps_db_reset(s);
    if (rc != PS_DB_ROW)
        return rc < 0 ? DB_RC(rc) : PS_E_NOT_FOUND;
    if (!released && hold == 0)
        return 0;                                  /* firm already */
    if (released || hold <= ps_now_ms()) {
        /* The hold lapsed: the bay may have gone to someone else meanwhile; take it again
         * only if it is still free (capacity rules as for a new booking, minus the grid and
         * opening-hours checks, which held when it was made). */
        struct providers_schedule sch;
        if ((rc = providers_store_schedule_load(c, provider_id, true, &sch)) != 0)
            return rc;
        struct providers_span *busy;
        int n;
        int duration = (int)((end - start) / 60000);
        rc = load_busy(c, provider_id, start - PROVIDERS_MAX_DURATION * 60000LL - PROVIDERS_GRID_MS,
                       end, start, booking_id, &busy, &n);
        if (rc)
            return rc;
        int load = providers_span_load(start, duration, busy, n);
        free(busy);
        if (load >= sch.bays)
            return PS_E_SLOT_FULL;
    }
    if ((rc = ps_db_prepare(c, SQL_BOOKING_FIRM, &s)) != 0)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, booking_id);
    rc = ps_db_step(s);
    ps_db_reset(s);
    return DB_RC(rc);
}

int providers_release_slot(struct ps_db_conn *c, const char *booking_id)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_BOOKING_RELEASE, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, booking_id);
    rc = ps_db_step(s);
    ps_db_reset(s);
    return DB_RC(rc);
}

/* Offered starts of one local day; closed days offer nothing. */
static int day_offer(struct ps_db_conn *c, const char *provider_id,
                     const struct providers_schedule *sch, int64_t midnight, int duration_min,
                     const struct providers_span *busy, int nbusy, int64_t not_before,
                     struct providers_slot *out, int max_out)
{
    struct providers_local l;
    struct providers_interval iv[PROVIDERS_MAX_INTERVALS];
    char day[16];
    providers_local_parts(midnight, sch->offset_min, &l);
    int niv = day_intervals(sch, l.weekday, iv);
    if (niv == 0)
        return 0;
    format_day(&l, day);
    if (providers_store_is_closed(c, provider_id, day))
        return 0;
    return providers_day_slots(midnight, iv, niv, duration_min, sch->bays, busy, nbusy, not_before,
                               out, max_out);
}

int providers_next_free_slot(struct ps_db_conn *c, const char *provider_id, int duration_min,
                             int64_t from_ms, int64_t *out_ms)
{
    struct providers_schedule sch;
    *out_ms = 0;
    if (duration_min <= 0 || duration_min > PROVIDERS_MAX_DURATION)
        return PS_E_VALIDATION;
    int rc = providers_store_schedule_load(c, provider_id, false, &sch);
    if (rc)
        return rc;
    if (sch.nhours == 0)
        return 0;
    int64_t now = ps_now_ms();
    if (from_ms < now)
        from_ms = now;
    struct providers_local l;
    providers_local_parts(from_ms, sch.offset_min, &l);
    int64_t first = l.midnight_ms, last = first + (SEARCH_DAYS + 1) * PROVIDERS_DAY_MS;
    struct providers_span *busy;
    int n;
    rc = load_busy(c, provider_id, first - PROVIDERS_MAX_DURATION * 60000LL - PROVIDERS_GRID_MS,
                   last, first, NULL, &busy, &n);
    if (rc)
        return rc;
    for (int d = 0; d <= SEARCH_DAYS && !*out_ms; d++) {
        struct providers_slot slot;
        if (day_offer(c, provider_id, &sch, first + d * PROVIDERS_DAY_MS, duration_min, busy, n,
                      from_ms, &slot, 1) == 1)
            *out_ms = slot.start_ms;
    }
    free(busy);
    return 0;
}

int providers_day_offer(struct ps_db_conn *c, const char *provider_id, const char *date,
                        int duration_min, json_t **out)
{
    struct providers_schedule sch;
    int y, m, d;
    *out = NULL;
    if (!ps_valid_date(date, &y, &m, &d))
        return PS_E_VALIDATION;
    int rc = providers_store_schedule_load(c, provider_id, false, &sch);
    if (rc)
        return rc;
    int64_t midnight = providers_local_midnight(y, m, d, sch.offset_min);
    struct providers_span *busy;
    int n;
    rc = load_busy(c, provider_id, midnight - PROVIDERS_MAX_DURATION * 60000LL - PROVIDERS_GRID_MS,
                   midnight + PROVIDERS_DAY_MS, midnight, NULL, &busy, &n);
    if (rc)
        return rc;
    struct providers_slot slots[PROVIDERS_CELLS_PER_DAY];
    int k = day_offer(c, provider_id, &sch, midnight, duration_min, busy, n, ps_now_ms(), slots,
                      PROVIDERS_CELLS_PER_DAY);
    free(busy);
    json_t *arr = json_array();
    for (int i = 0; i < k; i++) {
        char start[32];
        providers_format_local(slots[i].start_ms, sch.offset_min, start);
        json_array_append_new(arr, json_pack("{s:s, s:i}", "start", start, "available", slots[i].free));
    }
    *out = json_pack("{s:s, s:s, s:i, s:o}", "date", date, "timezone", sch.timezone,
                     "duration_min", duration_min, "slots", arr);
    return 0;
}
