/* The inspection schedule as a sequence of month offsets from registration; see
 * inspection.h for the rules and docs/VEHICLES.md for their sources. */
#include "vehicles/inspection.h"

/* Month offset and kind of the n-th inspection. */
static int schedule(const struct inspection_vehicle *v, int n, enum inspection_kind *kind)
{
    *kind = INSPECTION_ON_SITE;
    if (v->commercial) {
        if (n < 5)
            return 12 * (n + 1);                /* years 1..5 */
        return 60 + 6 * (n - 4);                /* then every 6 months */
    }
    if (v->seats > 9) {
        if (n < 10)
            return 12 * (n + 1);                /* years 1..10 */
        return 120 + 6 * (n - 9);
    }
    /* Private small and mini passenger cars. */
    static const int first[4] = { 24, 48, 72, 96 };
    if (n < 4) {
        *kind = n < 2 ? INSPECTION_STICKER : INSPECTION_ON_SITE;
        return first[n];
    }
    if (n < 10)
        return 120 + 12 * (n - 4);              /* years 10..15 */
    return 180 + 6 * (n - 9);                   /* after 15 years, every 6 months */
}

void inspection_nth(const struct inspection_vehicle *v, int n, struct inspection_due *out)
{
    out->months = schedule(v, n, &out->kind);
    out->due = vdate_end_of_month(vdate_add_months(v->registered, out->months));
    out->window_start = vdate_add_months(out->due, -3);
}

void inspection_next(const struct inspection_vehicle *v, struct vdate today, struct inspection_due *out)
{
    /* Due dates grow by at least 6 months a step, so this loop is short for any real car. */
    for (int n = 0;; n++) {
        inspection_nth(v, n, out);
        if (vdate_cmp(out->due, today) >= 0)
            return;
    }
}

bool inspection_previous(const struct inspection_vehicle *v, struct vdate today, struct inspection_due *out)
{
    bool found = false;
    struct inspection_due d;
    for (int n = 0;; n++) {
        inspection_nth(v, n, &d);
        if (vdate_cmp(d.due, today) >= 0)
            return found;
        *out = d;
        found = true;
    }
}

const char *inspection_kind_name(enum inspection_kind k)
{
    return k == INSPECTION_STICKER ? "sticker" : "on_site";
}
