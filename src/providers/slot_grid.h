/* The slot grid: every provider day is cut into PROVIDERS_GRID_MIN-minute cells from local
 * midnight; a booking starts on a cell boundary inside an opening interval and occupies
 * ceil(duration / grid) whole cells. A start is offered when, in every cell it would occupy,
 * fewer bookings than bays overlap. Pure, no I/O (the SQL lives in slots_store.c). */
#ifndef PS_PROVIDERS_SLOT_GRID_H
#define PS_PROVIDERS_SLOT_GRID_H

#include <stdbool.h>
#include <stdint.h>

#define PROVIDERS_GRID_MIN      30
#define PROVIDERS_GRID_MS       (PROVIDERS_GRID_MIN * 60000LL)
#define PROVIDERS_CELLS_PER_DAY (1440 / PROVIDERS_GRID_MIN)
#define PROVIDERS_MAX_DURATION  480     /* minutes: longest bookable service */
#define PROVIDERS_MAX_INTERVALS 4       /* opening intervals per weekday */
#define PROVIDERS_MAX_BAYS      50

struct providers_interval { int open_min, close_min; };   /* local minutes, open < close */
struct providers_span { int64_t start_ms, end_ms; };        /* a booking that counts, [start, end) */
struct providers_slot { int64_t start_ms; int free; };      /* an offered start, free bays */

/* Cells a service of duration_min occupies (at least 1). */
int providers_grid_cells(int duration_min);
/* Span end of a booking: start + its whole cells. */
int64_t providers_span_end(int64_t start_ms, int duration_min);

/* True when [start, start + cells) lies inside one of the day's intervals and start is on the
 * grid. midnight_ms: that local day's 00:00. */
bool providers_span_fits(int64_t midnight_ms, const struct providers_interval *iv, int niv,
                         int64_t start_ms, int duration_min);
/* The most bookings that overlap any one cell of [start, start + cells). */
int providers_span_load(int64_t start_ms, int duration_min, const struct providers_span *busy,
                        int nbusy);
/* Offered starts of one local day, earliest first, skipping starts before not_before_ms and
 * starts without a free bay. Returns how many were written (at most max_out). */
int providers_day_slots(int64_t midnight_ms, const struct providers_interval *iv, int niv,
                        int duration_min, int bays, const struct providers_span *busy, int nbusy,
                        int64_t not_before_ms, struct providers_slot *out, int max_out);
/* Intervals valid: each open < close, on the grid, within 00:00-24:00, none overlapping. */
bool providers_intervals_valid(const struct providers_interval *iv, int niv);

#endif
