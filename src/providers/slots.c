/* The slot grid (see slot_grid.h): which starts fit the opening hours and have a free bay. */
#include "providers/slot_grid.h"

#include <string.h>

int providers_grid_cells(int duration_min)
{
    if (duration_min <= 0)
        return 1;
    return (duration_min + PROVIDERS_GRID_MIN - 1) / PROVIDERS_GRID_MIN;
}

int64_t providers_span_end(int64_t start_ms, int duration_min)
{
    return start_ms + (int64_t)providers_grid_cells(duration_min) * PROVIDERS_GRID_MS;
}

bool providers_span_fits(int64_t midnight_ms, const struct providers_interval *iv, int niv,
                         int64_t start_ms, int duration_min)
{
    int64_t off = start_ms - midnight_ms;
    if (off < 0 || off >= 86400000LL || off % PROVIDERS_GRID_MS != 0)
        return false;
    int start_min = (int)(off / 60000);
    int end_min = start_min + providers_grid_cells(duration_min) * PROVIDERS_GRID_MIN;
    for (int i = 0; i < niv; i++)
        if (start_min >= iv[i].open_min && end_min <= iv[i].close_min)
            return true;
    return false;
}

int providers_span_load(int64_t start_ms, int duration_min, const struct providers_span *busy,
                        int nbusy)
{
    int cells = providers_grid_cells(duration_min), worst = 0;
    for (int c = 0; c < cells; c++) {
        int64_t a = start_ms + c * PROVIDERS_GRID_MS, b = a + PROVIDERS_GRID_MS;
        int n = 0;
        for (int i = 0; i < nbusy; i++)
            if (busy[i].start_ms < b && busy[i].end_ms > a)
                n++;
        if (n > worst)
            worst = n;
    }
    return worst;
}

int providers_day_slots(int64_t midnight_ms, const struct providers_interval *iv, int niv,
                        int duration_min, int bays, const struct providers_span *busy, int nbusy,
                        int64_t not_before_ms, struct providers_slot *out, int max_out)
{
    /* Load of each cell of the day, computed once; a start's load is its cells' maximum. */
    int load[PROVIDERS_CELLS_PER_DAY];
    memset(load, 0, sizeof load);
    for (int i = 0; i < nbusy; i++) {
        int64_t a = busy[i].start_ms - midnight_ms, b = busy[i].end_ms - midnight_ms;
        for (int c = 0; c < PROVIDERS_CELLS_PER_DAY; c++) {
            int64_t ca = c * PROVIDERS_GRID_MS, cb = ca + PROVIDERS_GRID_MS;
            if (a < cb && b > ca)
                load[c]++;
        }
    }
    int cells = providers_grid_cells(duration_min), n = 0;
    for (int c = 0; c + cells <= PROVIDERS_CELLS_PER_DAY && n < max_out; c++) {
        int64_t start = midnight_ms + c * PROVIDERS_GRID_MS;
        if (start < not_before_ms || !providers_span_fits(midnight_ms, iv, niv, start, duration_min))
            continue;
        int worst = 0;
        for (int k = c; k < c + cells; k++)
            if (load[k] > worst)
                worst = load[k];
        if (worst < bays) {
            out[n].start_ms = start;
            out[n].free = bays - worst;
            n++;
        }
    }
    return n;
}

bool providers_intervals_valid(const struct providers_interval *iv, int niv)
{
    for (int i = 0; i < niv; i++) {
        if (iv[i].open_min < 0 || iv[i].close_min > 1440 || iv[i].open_min >= iv[i].close_min)
            return false;
        if (iv[i].open_min % PROVIDERS_GRID_MIN || iv[i].close_min % PROVIDERS_GRID_MIN)
            return false;
        for (int j = 0; j < i; j++)
            if (iv[i].open_min < iv[j].close_min && iv[j].open_min < iv[i].close_min)
                return false;
    }
    return true;
}
