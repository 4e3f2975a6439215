/* Status rules shared by every reminder, plus the inspection and insurance reminders. */
#include "vehicles/reminders.h"

#include "vehicles/catalog.h"

#include <stdio.h>
#include <string.h>

const char *reminder_kind_name(enum reminder_kind k)
{
    switch (k) {
    case REMINDER_MAINTENANCE: return "maintenance";
    case REMINDER_INSPECTION: return "inspection";
    case REMINDER_INSURANCE: return "insurance";
    }
    return "maintenance";
}

const char *reminder_status_name(enum reminder_status s)
{
    switch (s) {
    case REMINDER_OK: return "ok";
    case REMINDER_DUE_SOON: return "due_soon";
    case REMINDER_OVERDUE: return "overdue";
    }
    return "ok";
}

enum reminder_status reminder_status_for(bool has_date, struct vdate due_date, bool has_km,
                                         int64_t due_km, int64_t odometer_km, struct vdate today)
{
    if ((has_km && odometer_km > due_km) || (has_date && vdate_cmp(today, due_date) > 0))
        return REMINDER_OVERDUE;
    if ((has_km && odometer_km >= due_km - REMINDER_SOON_KM)
        || (has_date && vdate_cmp(today, vdate_add_days(due_date, -REMINDER_SOON_DAYS)) >= 0))
        return REMINDER_DUE_SOON;
    return REMINDER_OK;
}

void reminder_inspection(const struct inspection_vehicle *v, bool has_last, struct vdate last_done,
                         struct vdate today, struct reminder *out)
{
    memset(out, 0, sizeof *out);
    out->kind = REMINDER_INSPECTION;
    snprintf(out->service_type, sizeof out->service_type, "%s", SERVICE_INSPECTION);
    out->has_due_date = true;
    struct inspection_due prev, next;
    if (inspection_previous(v, today, &prev)
        && (!has_last || vdate_cmp(last_done, prev.window_start) < 0)) {
        out->due_date = prev.due;
        out->status = REMINDER_OVERDUE;
        out->title = prev.kind == INSPECTION_STICKER ? "Annual inspection (sticker only)"
                                                     : "Annual inspection (on-site test)";
        out->title_zh = prev.kind == INSPECTION_STICKER ? "年检（免上线检测，申领检验标志）" : "年检（上线检测）";
        return;
    }
    inspection_next(v, today, &next);
    if (has_last && vdate_cmp(last_done, next.window_start) >= 0) {
        /* Already done inside this window: the following one is what comes next. */
        inspection_next(v, vdate_add_days(next.due, 1), &next);
    }
    out->due_date = next.due;
    out->status = vdate_cmp(today, next.window_start) >= 0 ? REMINDER_DUE_SOON : REMINDER_OK;
    out->title = next.kind == INSPECTION_STICKER ? "Annual inspection (sticker only)"
                                                 : "Annual inspection (on-site test)";
    out->title_zh = next.kind == INSPECTION_STICKER ? "年检（免上线检测，申领检验标志）" : "年检（上线检测）";
}

void reminder_insurance(struct vdate expiry, struct vdate today, struct reminder *out)
{
    memset(out, 0, sizeof *out);
    out->kind = REMINDER_INSURANCE;
    out->title = "Insurance renewal";
    out->title_zh = "车险续保";
    out->has_due_date = true;
    out->due_date = expiry;
    out->status = reminder_status_for(true, expiry, false, 0, 0, today);
}
