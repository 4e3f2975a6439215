/* Reminders, the annual inspection and the health report: reads that combine the vehicle,
 * its service history and its telemetry state with the pure rules (maintenance.c,
 * inspection.c, reminders.c, health.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "vehicles/catalog.h"
#include "vehicles/health.h"
#include "vehicles/maintenance.h"
#include "vehicles/vehicles_internal.h"

/* The latest service of each type, collected from vstore_last_services (newest first). */
struct last_service { char type[32]; struct vdate date; bool has_date; int64_t km; };
struct last_services { struct last_service s[64]; int n; };

static void keep_first(const char *type, const char *date, int64_t km, void *ctx)
{
    struct last_services *ls = ctx;
    for (int i = 0; i < ls->n; i++)
        if (strcmp(ls->s[i].type, type) == 0)
            return;
    if (ls->n >= (int)(sizeof ls->s / sizeof ls->s[0]))
        return;
    struct last_service *e = &ls->s[ls->n++];
    snprintf(e->type, sizeof e->type, "%s", type);
    e->has_date = vdate_parse(date, &e->date);
    e->km = km;
}

static const struct last_service *find_last(const struct last_services *ls, const char *type)
{
    for (int i = 0; i < ls->n; i++)
        if (strcmp(ls->s[i].type, type) == 0)
            return &ls->s[i];
    return NULL;
}

/* The latest record that restarts service_type's interval: its own type or a service that
 * includes it (a major service restarts the oil change). */
static const struct last_service *find_base(const struct last_services *ls, const char *service_type)
{
    const struct last_service *best = NULL;
    for (int i = 0; i < ls->n; i++) {
        const struct last_service *e = &ls->s[i];
        if (!maint_covers(e->type, service_type))
            continue;
        if (!best || (e->has_date && (!best->has_date || vdate_cmp(e->date, best->date) > 0))
            || (e->has_date && best->has_date && vdate_cmp(e->date, best->date) == 0 && e->km > best->km))
            best = e;
    }
    return best;
}

static struct inspection_vehicle inspection_input(const struct vehicle_row *v, struct vdate registered)
{
    struct inspection_vehicle iv = { registered, v->b.commercial, v->seats };
    return iv;
}

/* Worst status first, then the earliest due date, then the lowest due km. */
static int reminder_order(const void *pa, const void *pb)
{
    const struct reminder *a = pa, *b = pb;
    if (a->status != b->status)
        return (int)b->status - (int)a->status;
    if (a->has_due_date && b->has_due_date && vdate_cmp(a->due_date, b->due_date))
        return vdate_cmp(a->due_date, b->due_date);
    if (a->has_due_date != b->has_due_date)
        return a->has_due_date ? -1 : 1;
    if (a->has_due_km && b->has_due_km && a->due_km != b->due_km)
        return a->due_km < b->due_km ? -1 : 1;
    return strcmp(a->service_type, b->service_type);
}

int vehicles_reminders(struct ps_db_conn *c, const struct vehicle_row *v, struct vdate today,
                       struct reminder *out, int max, int *n)
{
    static _Thread_local struct last_services ls;   /* 64 entries: too big for a small stack */
    ls.n = 0;
    int rc = vstore_last_services(c, v->b.id, keep_first, &ls);
    if (rc)
        return rc;
    struct vdate registered;
    bool has_reg = vdate_parse(v->b.registration_date, &registered);
    const struct maint_rule *rules[MAINT_RULES_MAX];
    int nrules = maint_rules_for(v->b.fuel_type, rules, MAINT_RULES_MAX);
    *n = 0;
    for (int i = 0; i < nrules && *n < max; i++) {
        const struct last_service *last = find_base(&ls, rules[i]->service_type);
        struct maint_base base;
        if (last)
            base = (struct maint_base){ last->has_date, last->date, last->km >= 0, last->km };
        else    /* from registration: new car, 0 km */
            base = (struct maint_base){ has_reg, registered, true, 0 };
        maint_reminder(rules[i], &base, v->b.odometer_km, today, &out[(*n)++]);
    }
    if (has_reg && *n < max) {
        struct inspection_vehicle iv = inspection_input(v, registered);
        const struct last_service *done = find_last(&ls, SERVICE_INSPECTION);
        reminder_inspection(&iv, done && done->has_date, done ? done->date : today, today, &out[(*n)++]);
    }
    struct vdate expiry;
    if (vdate_parse(v->insurance_expiry, &expiry) && *n < max)
        reminder_insurance(expiry, today, &out[(*n)++]);
    qsort(out, (size_t)*n, sizeof out[0], reminder_order);
    return 0;
}

static json_t *reminder_json(const struct reminder *rm)
{
    char due[11];
    json_t *o = json_pack("{s:s, s:o, s:s, s:o, s:s}", "kind", reminder_kind_name(rm->kind),
                          "service_type", rm->service_type[0] ? json_string(rm->service_type) : json_null(),
                          "title", rm->title ? rm->title : rm->service_type,
                          "title_zh", rm->title_zh ? json_string(rm->title_zh) : json_null(),
                          "status", reminder_status_name(rm->status));
    if (rm->has_due_date)
        vdate_format(rm->due_date, due);
    json_object_set_new(o, "due_date", rm->has_due_date ? json_string(due) : json_null());
    json_object_set_new(o, "due_km", rm->has_due_km ? json_integer(rm->due_km) : json_null());
    return o;
}

int vehicles_h_reminders(struct ps_req *r)
{
    struct vehicle_row v;
    int rc = vehicles_owned_from_path(r, &v);
    if (rc)
        return rc;
    struct reminder rs[VEHICLES_MAX_REMINDERS];
    int n = 0;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    rc = vehicles_reminders(c, &v, vehicles_today(), rs, VEHICLES_MAX_REMINDERS, &n);
    ps_db_release(c);
    if (rc)
        return rc;
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, reminder_json(&rs[i]));
    return ps_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

int vehicles_h_inspection(struct ps_req *r)
{
    struct vehicle_row v;
    int rc = vehicles_owned_from_path(r, &v);
    if (rc)
        return rc;
    struct vdate registered;
    if (!vdate_parse(v.b.registration_date, &registered))
        return ps_reply_problem(r, PS_E_INVALID_STATE, "the vehicle has no registration_date; set it "
                                "with PATCH /api/v1/vehicles/%s", v.b.id);
    struct inspection_vehicle iv = inspection_input(&v, registered);
    struct vdate today = vehicles_today();
    struct inspection_due d;
    inspection_next(&iv, today, &d);
    char due[11], window[11];
    vdate_format(d.due, due);
    vdate_format(d.window_start, window);
    const char *rule = v.b.commercial ? "commercial" : v.seats > 9 ? "private_large" : "private_small";
    return ps_reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:b, s:s, s:i}",
        "next_due_date", due, "kind", inspection_kind_name(d.kind), "window_start", window,
        "in_window", vdate_cmp(today, d.window_start) >= 0, "rule", rule,
        "months_since_registration", d.months));
}


/* {code, name_zh, name_en} as diagnoses give it, so clients read one shape; null for none. */
static json_t *service_type_ref(const char *code)
{
    if (!code[0] || !catalog_known(code))
        return json_null();
    return json_pack("{s:s,s:s,s:s}", "code", code, "name_zh", catalog_name_zh(code),
                     "name_en", catalog_name_en(code));
}

int vehicles_h_health(struct ps_req *r)
{
    struct vehicle_row v;
    int rc = vehicles_owned_from_path(r, &v);
    if (rc)
        return rc;
    struct vdate today = vehicles_today();
    struct reminder rs[VEHICLES_MAX_REMINDERS];
    char dtcs[VEHICLES_MAX_DTCS][8];
    int n = 0, ndtcs = 0;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    rc = vehicles_reminders(c, &v, today, rs, VEHICLES_MAX_REMINDERS, &n);
    if (rc == 0)
        rc = vstore_active_dtcs(c, v.b.id, dtcs, VEHICLES_MAX_DTCS, &ndtcs);
    ps_db_release(c);
    if (rc)
        return rc;
    struct vdate registered;
    int age = -1;
    if (vdate_parse(v.b.registration_date, &registered))
        age = vdate_years_between(registered, today);
    else if (v.b.model_year)
        age = today.y - v.b.model_year;
    bool electric = strcmp(v.b.fuel_type, "bev") == 0 || strcmp(v.b.fuel_type, "phev") == 0;
    struct health_input in = {
        .reminders = rs, .nreminders = n, .dtcs = (const char (*)[8])dtcs, .ndtcs = ndtcs,
        .has_soh = electric && !isnan(v.battery_soh_pct), .soh_pct = v.battery_soh_pct,
        .age_years = age, .odometer_km = v.b.odometer_km,
    };
    static _Thread_local struct health_report report;   /* ~13 KB */
    health_assess(&in, &report);
    json_t *findings = json_array();
    for (int i = 0; i < report.nfindings; i++) {
        const struct health_finding *f = &report.findings[i];
        json_array_append_new(findings, json_pack("{s:s, s:s, s:o}",
            "severity", health_severity_name(f->severity), "title", f->title,
            "recommended_service_type", service_type_ref(f->service_type)));
    }
    return ps_reply_json(r, 200, json_pack("{s:i, s:o}", "score", report.score, "findings", findings));
}
