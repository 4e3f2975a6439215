/* All SQL of applications, providers, services, opening hours and staff (see
 * providers_internal.h). Statements are literals, always bound; each function has one exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/roles.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/pii.h"
#include "core/router.h"
#include "providers/providers_internal.h"
#include "providers/rank.h"
#include "providers/tz.h"
#include "search/search.h"

#define DB_RC(rc) ((rc) < 0 ? ps_db_err_to_ps(rc) : 0)

static bool is_pg(void)
{
    return ps_db_backend(ps_app()->db) == PS_DB_POSTGRES;
}

static const char *col_str(struct ps_db_stmt *s, int i)
{
    const char *v = ps_db_col_text(s, i);
    return v ? v : "";
}

static void copy_str(char *out, size_t outlen, const char *v)
{
    snprintf(out, outlen, "%s", v ? v : "");
}

/* --- access ------------------------------------------------------------------------ */

static const char SQL_PROVIDER_EXISTS[] = "SELECT status FROM providers WHERE id = $1";

int providers_check_staff(struct ps_db_conn *c, const char *provider_id, const char *user_id,
                          const char *roles_csv)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_PROVIDER_EXISTS, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, provider_id);
    rc = ps_db_step(s);
    ps_db_reset(s);
    if (rc < 0)
        return DB_RC(rc);
    if (rc != PS_DB_ROW)
        return PS_E_NOT_FOUND;
    return accounts_has_provider_role(c, user_id, provider_id, roles_csv) ? 0 : PS_E_FORBIDDEN;
}

/* --- applications -------------------------------------------------------------------- */

static const char SQL_PROVIDER_BY_USCC[] = "SELECT id FROM providers WHERE uscc = $1";
static const char SQL_APP_INSERT[] =
    "INSERT INTO provider_applications (id, applicant_id, business_name, uscc, address, city, "
    "lat, lng, phone_sealed, phone_masked, service_types, status, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12)";

int providers_store_application_add(struct ps_db_conn *c, const struct providers_application *a,
                                    char id_out[PS_ID_LEN + 1])
{
    struct ps_db_stmt *s;
    char *sealed = NULL, *types = NULL;
    char masked[64];
    int rc = ps_db_prepare(c, SQL_PROVIDER_BY_USCC, &s);
    if (rc)
        goto out;
    ps_db_bind_text(s, 1, a->uscc);
    rc = ps_db_step(s);
    ps_db_reset(s);
    if (rc < 0)
        goto out;
    if (rc == PS_DB_ROW) {
        rc = PS_E_DUPLICATE;
        goto out;
    }
    size_t slen = ps_pii_sealed_len(strlen(a->phone)) + 1;
    sealed = malloc(slen);
    types = json_dumps(a->service_types, JSON_COMPACT);
    if (!sealed || !types) {
        rc = PS_E_NOMEM;
        goto out;
    }
    if ((rc = ps_pii_seal(ps_app()->pii, a->phone, sealed, slen)) != 0)
        goto out;
    ps_mask_phone(a->phone, masked, sizeof masked);
    ps_id_new(id_out);
    if ((rc = ps_db_prepare(c, SQL_APP_INSERT, &s)) != 0)
        goto out;
    ps_db_bind_text(s, 1, id_out);
    ps_db_bind_text(s, 2, a->applicant_id);
    ps_db_bind_text(s, 3, a->business_name);
    ps_db_bind_text(s, 4, a->uscc);
    ps_db_bind_text(s, 5, a->address);
    ps_db_bind_text(s, 6, a->city);
    ps_db_bind_double(s, 7, a->lat);
    ps_db_bind_double(s, 8, a->lng);
    ps_db_bind_text(s, 9, sealed);
    ps_db_bind_text(s, 10, masked);
    ps_db_bind_text(s, 11, types);
    ps_db_bind_int64(s, 12, ps_now_ms());
    rc = ps_db_run(s, NULL);
out:
    free(sealed);
    free(types);
    return DB_RC(rc);
}

#define APP_COLS "id, applicant_id, business_name, uscc, address, city, lat, lng, phone_sealed, " \
                 "phone_masked, service_types, status, reason, provider_id, created_at, decided_at"
static const char SQL_APP_GET[] = "SELECT " APP_COLS " FROM provider_applications WHERE id = $1";
static const char SQL_APP_LIST[] =
    "SELECT " APP_COLS " FROM provider_applications WHERE ($1 = '' OR status = $1) "
    "AND ($2 = '' OR applicant_id = $2) AND ($3 = '' OR id > $3) ORDER BY id LIMIT $4";

static json_t *app_row(struct ps_db_stmt *s, bool full_phone)
{
    char phone[128];
    copy_str(phone, sizeof phone, col_str(s, 9));
    if (full_phone && ps_pii_open(ps_app()->pii, col_str(s, 8), phone, sizeof phone) != 0)
        copy_str(phone, sizeof phone, col_str(s, 9));
    json_t *types = json_loads(col_str(s, 10), 0, NULL);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:s, s:o, s:s, s:o, s:o, s:o}",
        "id", col_str(s, 0), "applicant_id", col_str(s, 1), "business_name", col_str(s, 2),
        "uscc", col_str(s, 3), "address", col_str(s, 4), "city", col_str(s, 5),
        "lat", ps_db_col_double(s, 6), "lng", ps_db_col_double(s, 7), "phone", phone,
        "service_types", types ? types : json_array(), "status", col_str(s, 11),
        "reason", ps_db_col_is_null(s, 12) ? json_null() : json_string(col_str(s, 12)),
        "provider_id", ps_db_col_is_null(s, 13) ? json_null() : json_string(col_str(s, 13)),
        "created_at", providers_json_time(ps_db_col_int64(s, 14)));
    if (o)
        json_object_set_new(o, "decided_at", providers_json_time(ps_db_col_int64(s, 15)));
    return o;
}

json_t *providers_store_application_get(struct ps_db_conn *c, const char *id, bool full_phone,
                                        char applicant_out[PS_ID_LEN + 8])
{
    struct ps_db_stmt *s;
    json_t *o = NULL;
    if (ps_db_prepare(c, SQL_APP_GET, &s) != 0)
        return NULL;
    ps_db_bind_text(s, 1, id);
    if (ps_db_step(s) == PS_DB_ROW) {
        if (applicant_out)
            copy_str(applicant_out, PS_ID_LEN + 8, col_str(s, 1));
        o = app_row(s, full_phone);
    }
    ps_db_reset(s);
    return o;
}

json_t *providers_store_application_list(struct ps_db_conn *c, const char *status,
                                         const char *applicant_id, const char *cursor, int limit,
                                         char next[PS_ID_LEN + 1])
{
    struct ps_db_stmt *s;
    next[0] = '\0';
    if (ps_db_prepare(c, SQL_APP_LIST, &s) != 0)
        return NULL;
    ps_db_bind_text(s, 1, status ? status : "");
    ps_db_bind_text(s, 2, applicant_id ? applicant_id : "");
    ps_db_bind_text(s, 3, cursor ? cursor : "");
    ps_db_bind_int64(s, 4, limit + 1);
    json_t *items = json_array();
    int n = 0, rc;
    while ((rc = ps_db_step(s)) == PS_DB_ROW) {
        if (n++ == limit) {
            json_t *last = json_array_get(items, json_array_size(items) - 1);
            copy_str(next, PS_ID_LEN + 1, json_string_value(json_object_get(last, "id")));
            break;
        }
        json_array_append_new(items, app_row(s, false));
    }
    ps_db_reset(s);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return items;
}

static const char SQL_APP_DECIDE_APPROVE[] =
    "UPDATE provider_applications SET status = 'approved', provider_id = $2, decided_by = $3, "
    "decided_at = $4 WHERE id = $1 AND status = 'pending'";
static const char SQL_APP_DECIDE_REJECT[] =
    "UPDATE provider_applications SET status = 'rejected', reason = $2, decided_by = $3, "
    "decided_at = $4 WHERE id = $1 AND status = 'pending'";
static const char SQL_APP_FOR_PROVIDER[] =
    "SELECT applicant_id, business_name, uscc, address, city, lat, lng, phone_sealed, "
    "phone_masked FROM provider_applications WHERE id = $1";
static const char SQL_PROVIDER_INSERT[] =
    "INSERT INTO providers (id, application_id, name, uscc, address, city, lat, lng, "
    "phone_sealed, phone_masked, status, timezone, bays, is_open, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'approved', 'Asia/Shanghai', 1, 0, $11, $11)";
static const char SQL_STAFF_INSERT[] =
    "INSERT INTO provider_staff (provider_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (provider_id, user_id, role) DO NOTHING";

/* Moves a pending application to its decision; tells NOT_FOUND from INVALID_STATE. */
static int decide(struct ps_db_conn *c, const char *sql, const char *id, const char *arg,
                  const char *operator_id, char applicant_out[PS_ID_LEN + 8], char name_out[256])
{
    struct ps_db_stmt *s;
    int64_t changed = 0;
    int rc = ps_db_prepare(c, sql, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, id);
    ps_db_bind_text(s, 2, arg);
    ps_db_bind_text(s, 3, operator_id);
    ps_db_bind_int64(s, 4, ps_now_ms());
    if ((rc = ps_db_run(s, &changed)) != 0)
        return DB_RC(rc);
    if ((rc = ps_db_prepare(c, SQL_APP_FOR_PROVIDER, &s)) != 0)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, id);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        copy_str(applicant_out, PS_ID_LEN + 8, col_str(s, 0));
        copy_str(name_out, 256, col_str(s, 1));
    }
    ps_db_reset(s);
    if (rc < 0)
        return DB_RC(rc);
    if (rc != PS_DB_ROW)
        return PS_E_NOT_FOUND;
    return changed == 1 ? 0 : PS_E_INVALID_STATE;
}

int providers_store_approve(struct ps_db_conn *c, const char *application_id,
                            const char *operator_id, char provider_out[PS_ID_LEN + 1],
                            char applicant_out[PS_ID_LEN + 8], char name_out[256])
{
    struct ps_db_stmt *s;
    ps_id_new(provider_out);
    int rc = decide(c, SQL_APP_DECIDE_APPROVE, application_id, provider_out, operator_id,
                    applicant_out, name_out);
    if (rc)
        return rc;
    /* A provider with this code may exist already (approved from another application). */
    if ((rc = ps_db_prepare(c, SQL_APP_FOR_PROVIDER, &s)) != 0)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, application_id);
    if ((rc = ps_db_step(s)) != PS_DB_ROW) {
        ps_db_reset(s);
        return rc < 0 ? DB_RC(rc) : PS_E_NOT_FOUND;
    }
    struct ps_db_stmt *ins;
    char uscc[32], sealed[512], masked[64], name[256], address[512], city[128];
    double lat = ps_db_col_double(s, 5), lng = ps_db_col_double(s, 6);
    copy_str(name, sizeof name, col_str(s, 1));
    copy_str(uscc, sizeof uscc, col_str(s, 2));
    copy_str(address, sizeof address, col_str(s, 3));
    copy_str(city, sizeof city, col_str(s, 4));
    copy_str(sealed, sizeof sealed, col_str(s, 7));
    copy_str(masked, sizeof masked, col_str(s, 8));
    ps_db_reset(s);
    if ((rc = ps_db_prepare(c, SQL_PROVIDER_INSERT, &ins)) != 0)
        return DB_RC(rc);
    int64_t now = ps_now_ms();
    ps_db_bind_text(ins, 1, provider_out);
    ps_db_bind_text(ins, 2, application_id);
    ps_db_bind_text(ins, 3, name);
    ps_db_bind_text(ins, 4, uscc);
    ps_db_bind_text(ins, 5, address);
    ps_db_bind_text(ins, 6, city);
    ps_db_bind_double(ins, 7, lat);
    ps_db_bind_double(ins, 8, lng);
    ps_db_bind_text(ins, 9, sealed);
    ps_db_bind_text(ins, 10, masked);
    ps_db_bind_int64(ins, 11, now);
    if ((rc = ps_db_run(ins, NULL)) != 0)
        return DB_RC(rc);
    if ((rc = accounts_grant_role(c, applicant_out, "provider_admin", provider_out)) != 0)
        return rc;
    if ((rc = providers_store_staff_add(c, provider_out, applicant_out, "provider_admin")) != 0)
        return rc;
    return providers_store_reindex(c, provider_out);
}

int providers_store_reject(struct ps_db_conn *c, const char *application_id,
                           const char *operator_id, const char *reason,
                           char applicant_out[PS_ID_LEN + 8], char name_out[256])
{
    return decide(c, SQL_APP_DECIDE_REJECT, application_id, reason, operator_id, applicant_out,
                  name_out);
}

/* --- providers ------------------------------------------------------------------------ */

static const char SQL_PROVIDER_GET[] =
    "SELECT id, name, address, city, lat, lng, phone_sealed, phone_masked, timezone, bays, "
    "is_open, rating_sum, review_count, created_at FROM providers "
    "WHERE id = $1 AND status = 'approved'";
static const char SQL_SERVICES[] =
    "SELECT id, provider_id, service_type, name, description, labor_fen, parts_fen, price_fen, "
    "duration_min, active FROM provider_services WHERE provider_id = $1 AND active = 1 "
    "ORDER BY service_type, id";
static const char SQL_SERVICE_GET[] =
    "SELECT id, provider_id, service_type, name, description, labor_fen, parts_fen, price_fen, "
    "duration_min, active FROM provider_services WHERE id = $1 AND ($2 = '' OR provider_id = $2)";

static void service_row(struct ps_db_stmt *s, struct providers_service *out)
{
    memset(out, 0, sizeof *out);
    copy_str(out->id, sizeof out->id, col_str(s, 0));
    copy_str(out->provider_id, sizeof out->provider_id, col_str(s, 1));
    copy_str(out->service_type, sizeof out->service_type, col_str(s, 2));
    copy_str(out->name, sizeof out->name, col_str(s, 3));
    out->has_description = !ps_db_col_is_null(s, 4);
    copy_str(out->description, sizeof out->description, col_str(s, 4));
    out->labor_fen = ps_db_col_int64(s, 5);
    out->parts_fen = ps_db_col_int64(s, 6);
    out->price_fen = ps_db_col_int64(s, 7);
    out->duration_min = (int)ps_db_col_int64(s, 8);
    out->active = ps_db_col_int64(s, 9) != 0;
}

json_t *providers_service_json(const struct providers_service *s)
{
    const struct providers_service_type *t = providers_catalog_find(s->service_type);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:i}",
        "id", s->id, "provider_id", s->provider_id, "service_type", s->service_type,
        "category", t ? t->category : "", "name", s->name,
        "description", s->has_description ? json_string(s->description) : json_null(),
        "labor_fen", (json_int_t)s->labor_fen, "parts_fen", (json_int_t)s->parts_fen,
        "price_fen", (json_int_t)s->price_fen, "duration_min", s->duration_min);
}

json_t *providers_store_services(struct ps_db_conn *c, const char *provider_id)
{
    struct ps_db_stmt *s;
    if (ps_db_prepare(c, SQL_SERVICES, &s) != 0)
        return NULL;
    ps_db_bind_text(s, 1, provider_id);
    json_t *items = json_array();
    struct providers_service *row = malloc(sizeof *row);
    int rc;
    while (row && (rc = ps_db_step(s)) == PS_DB_ROW) {
        service_row(s, row);
        json_array_append_new(items, providers_service_json(row));
    }
    ps_db_reset(s);
    free(row);
    return items;
}

int providers_store_service_load(struct ps_db_conn *c, const char *provider_id,
                                 const char *service_id, struct providers_service *out)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_SERVICE_GET, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, service_id);
    ps_db_bind_text(s, 2, provider_id ? provider_id : "");
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW)
        service_row(s, out);
    ps_db_reset(s);
    return rc < 0 ? DB_RC(rc) : rc == PS_DB_ROW ? 0 : PS_E_NOT_FOUND;
}

static const char SQL_SERVICE_INSERT[] =
    "INSERT INTO provider_services (id, provider_id, service_type, name, description, labor_fen, "
    "parts_fen, price_fen, duration_min, active, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10)";
static const char SQL_SERVICE_UPDATE[] =
    "UPDATE provider_services SET name = $2, description = $3, labor_fen = $4, parts_fen = $5, "
    "price_fen = $6, duration_min = $7, updated_at = $8 WHERE id = $1 AND active = 1";
static const char SQL_SERVICE_DEACTIVATE[] =
    "UPDATE provider_services SET active = 0, updated_at = $2 WHERE id = $1 AND active = 1";

int providers_store_service_insert(struct ps_db_conn *c, const struct providers_service *v)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_SERVICE_INSERT, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, v->id);
    ps_db_bind_text(s, 2, v->provider_id);
    ps_db_bind_text(s, 3, v->service_type);
    ps_db_bind_text(s, 4, v->name);
    ps_db_bind_text(s, 5, v->has_description ? v->description : NULL);
    ps_db_bind_int64(s, 6, v->labor_fen);
    ps_db_bind_int64(s, 7, v->parts_fen);
    ps_db_bind_int64(s, 8, v->price_fen);
    ps_db_bind_int64(s, 9, v->duration_min);
    ps_db_bind_int64(s, 10, ps_now_ms());
    rc = ps_db_run(s, NULL);
    if (rc < 0)
        ps_logf(PS_LOG_DEBUG, "providers: service insert: %s", ps_db_errmsg(c));
    return DB_RC(rc);
}

int providers_store_service_update(struct ps_db_conn *c, const struct providers_service *v)
{
    struct ps_db_stmt *s;
    int64_t changed = 0;
    int rc = ps_db_prepare(c, SQL_SERVICE_UPDATE, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, v->id);
    ps_db_bind_text(s, 2, v->name);
    ps_db_bind_text(s, 3, v->has_description ? v->description : NULL);
    ps_db_bind_int64(s, 4, v->labor_fen);
    ps_db_bind_int64(s, 5, v->parts_fen);
    ps_db_bind_int64(s, 6, v->price_fen);
    ps_db_bind_int64(s, 7, v->duration_min);
    ps_db_bind_int64(s, 8, ps_now_ms());
    rc = ps_db_run(s, &changed);
    return rc ? DB_RC(rc) : changed ? 0 : PS_E_NOT_FOUND;
}

int providers_store_service_deactivate(struct ps_db_conn *c, const char *service_id)
{
    struct ps_db_stmt *s;
    int64_t changed = 0;
    int rc = ps_db_prepare(c, SQL_SERVICE_DEACTIVATE, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, service_id);
    ps_db_bind_int64(s, 2, ps_now_ms());
    rc = ps_db_run(s, &changed);
    return rc ? DB_RC(rc) : changed ? 0 : PS_E_NOT_FOUND;
}

/* --- schedule ---------------------------------------------------------------------- */

static const char SQL_SCHED_PROVIDER[] =
    "SELECT timezone, bays, is_open FROM providers WHERE id = $1 AND status = 'approved'";
/* PostgreSQL: the provider row lock serialises bookings of one provider (slots_store.c);
 * NO KEY UPDATE so that inserts referencing the provider are not blocked. */
static const char SQL_SCHED_PROVIDER_LOCK[] =
    "SELECT timezone, bays, is_open FROM providers WHERE id = $1 AND status = 'approved' "
    "FOR NO KEY UPDATE";
static const char SQL_HOURS[] =
    "SELECT weekday, open_min, close_min FROM provider_hours WHERE provider_id = $1 "
    "ORDER BY weekday, open_min";

int providers_store_schedule_load(struct ps_db_conn *c, const char *provider_id,
                                  bool for_update, struct providers_schedule *out)
{
    struct ps_db_stmt *s;
    memset(out, 0, sizeof *out);
    int rc = ps_db_prepare(c, for_update && is_pg() ? SQL_SCHED_PROVIDER_LOCK : SQL_SCHED_PROVIDER, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, provider_id);
    rc = ps_db_step(s);
    if (rc == PS_DB_ROW) {
        copy_str(out->timezone, sizeof out->timezone, col_str(s, 0));
        out->bays = (int)ps_db_col_int64(s, 1);
        out->is_open = ps_db_col_int64(s, 2) != 0;
    }
    ps_db_reset(s);
    if (rc != PS_DB_ROW)
        return rc < 0 ? DB_RC(rc) : PS_E_NOT_FOUND;
    if (!providers_tz_offset(out->timezone, &out->offset_min))
        out->offset_min = 480;
    if ((rc = ps_db_prepare(c, SQL_HOURS, &s)) != 0)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, provider_id);
    int max = (int)(sizeof out->hours / sizeof out->hours[0]);
    while ((rc = ps_db_step(s)) == PS_DB_ROW && out->nhours < max) {
        out->hours[out->nhours].weekday = (int)ps_db_col_int64(s, 0);
        out->hours[out->nhours].open_min = (int)ps_db_col_int64(s, 1);
        out->hours[out->nhours].close_min = (int)ps_db_col_int64(s, 2);
        out->nhours++;
    }
    ps_db_reset(s);
    return rc < 0 ? DB_RC(rc) : 0;
}

static const char SQL_SCHED_UPDATE[] =
    "UPDATE providers SET timezone = $2, bays = $3, is_open = $4, updated_at = $5 WHERE id = $1";
static const char SQL_HOURS_CLEAR[] = "DELETE FROM provider_hours WHERE provider_id = $1";
static const char SQL_HOURS_ADD[] =
    "INSERT INTO provider_hours (provider_id, weekday, open_min, close_min) VALUES ($1, $2, $3, $4)";
static const char SQL_CLOSED_CLEAR[] = "DELETE FROM provider_closed_dates WHERE provider_id = $1";
static const char SQL_CLOSED_ADD[] =
    "INSERT INTO provider_closed_dates (provider_id, day) VALUES ($1, $2) "
    "ON CONFLICT (provider_id, day) DO NOTHING";

int providers_store_schedule_save(struct ps_db_conn *c, const char *provider_id,
                                  const struct providers_schedule *v, json_t *closed_dates)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_SCHED_UPDATE, &s);
    if (rc)
        goto out;
    ps_db_bind_text(s, 1, provider_id);
    ps_db_bind_text(s, 2, v->timezone);
    ps_db_bind_int64(s, 3, v->bays);
    ps_db_bind_int64(s, 4, v->nhours > 0);
    ps_db_bind_int64(s, 5, ps_now_ms());
    if ((rc = ps_db_run(s, NULL)) != 0 || (rc = ps_db_prepare(c, SQL_HOURS_CLEAR, &s)) != 0)
        goto out;
    ps_db_bind_text(s, 1, provider_id);
    if ((rc = ps_db_run(s, NULL)) != 0)
        goto out;
    for (int i = 0; i < v->nhours; i++) {
        if ((rc = ps_db_prepare(c, SQL_HOURS_ADD, &s)) != 0)
            goto out;
        ps_db_bind_text(s, 1, provider_id);
        ps_db_bind_int64(s, 2, v->hours[i].weekday);
        ps_db_bind_int64(s, 3, v->hours[i].open_min);
        ps_db_bind_int64(s, 4, v->hours[i].close_min);
        if ((rc = ps_db_run(s, NULL)) != 0)
            goto out;
    }
    if ((rc = ps_db_prepare(c, SQL_CLOSED_CLEAR, &s)) != 0)
        goto out;
    ps_db_bind_text(s, 1, provider_id);
    if ((rc = ps_db_run(s, NULL)) != 0)
        goto out;
    size_t i;
    json_t *d;
    json_array_foreach(closed_dates, i, d) {
        if ((rc = ps_db_prepare(c, SQL_CLOSED_ADD, &s)) != 0)
            goto out;
        ps_db_bind_text(s, 1, provider_id);
        ps_db_bind_text(s, 2, json_string_value(d));
        if ((rc = ps_db_run(s, NULL)) != 0)
            goto out;
    }
out:
    return DB_RC(rc);
}

static const char SQL_CLOSED_FROM[] =
    "SELECT day FROM provider_closed_dates WHERE provider_id = $1 AND day >= $2 ORDER BY day";
static const char SQL_CLOSED_ONE[] =
    "SELECT 1 FROM provider_closed_dates WHERE provider_id = $1 AND day = $2";

json_t *providers_store_closed_dates(struct ps_db_conn *c, const char *provider_id,
                                     const char *from)
{
    struct ps_db_stmt *s;
    json_t *days = json_array();
    if (ps_db_prepare(c, SQL_CLOSED_FROM, &s) != 0)
        return days;
    ps_db_bind_text(s, 1, provider_id);
    ps_db_bind_text(s, 2, from);
    while (ps_db_step(s) == PS_DB_ROW)
        json_array_append_new(days, json_string(col_str(s, 0)));
    ps_db_reset(s);
    return days;
}

bool providers_store_is_closed(struct ps_db_conn *c, const char *provider_id, const char *day)
{
    struct ps_db_stmt *s;
    if (ps_db_prepare(c, SQL_CLOSED_ONE, &s) != 0)
        return true;                     /* cannot tell: offer nothing rather than too much */
    ps_db_bind_text(s, 1, provider_id);
    ps_db_bind_text(s, 2, day);
    bool closed = ps_db_step(s) == PS_DB_ROW;
    ps_db_reset(s);
    return closed;
}

json_t *providers_schedule_json(const struct providers_schedule *v, json_t *closed_dates)
{
    json_t *weekly = json_array();
    for (int i = 0; i < v->nhours; i++) {
        char open[6], close[6];
        providers_format_hhmm(v->hours[i].open_min, open);
        providers_format_hhmm(v->hours[i].close_min, close);
        json_array_append_new(weekly, json_pack("{s:i, s:s, s:s}", "weekday", v->hours[i].weekday,
                                                "open", open, "close", close));
    }
    return json_pack("{s:s, s:i, s:b, s:o, s:o}", "timezone", v->timezone, "bays", v->bays,
                     "is_open", v->nhours > 0, "weekly", weekly,
                     "closed_dates", closed_dates ? closed_dates : json_array());
}

json_t *providers_store_provider_get(struct ps_db_conn *c, const char *id, bool full_phone)
{
    struct ps_db_stmt *s;
    json_t *o = NULL;
    if (ps_db_prepare(c, SQL_PROVIDER_GET, &s) != 0)
        return NULL;
    ps_db_bind_text(s, 1, id);
    if (ps_db_step(s) == PS_DB_ROW) {
        char phone[128];
        copy_str(phone, sizeof phone, col_str(s, 7));
        if (full_phone && !ps_db_col_is_null(s, 6) &&
            ps_pii_open(ps_app()->pii, col_str(s, 6), phone, sizeof phone) != 0)
            copy_str(phone, sizeof phone, col_str(s, 7));
        o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:s, s:f, s:I}",
            "id", col_str(s, 0), "name", col_str(s, 1), "address", col_str(s, 2),
            "city", col_str(s, 3), "lat", ps_db_col_double(s, 4), "lng", ps_db_col_double(s, 5),
            "phone", phone,
            "rating", providers_bayes_rating(ps_db_col_int64(s, 11), ps_db_col_int64(s, 12)),
            "review_count", (json_int_t)ps_db_col_int64(s, 12));
    }
    ps_db_reset(s);
    if (!o)
        return NULL;
    struct providers_schedule sch;
    if (providers_store_schedule_load(c, id, false, &sch) == 0) {
        struct providers_local l;
        providers_local_parts(ps_now_ms(), sch.offset_min, &l);
        char today[16];
        snprintf(today, sizeof today, "%04d-%02d-%02d", l.y % 10000, l.m % 100, l.d % 100);
        json_t *sj = providers_schedule_json(&sch, providers_store_closed_dates(c, id, today));
        json_object_set(o, "timezone", json_object_get(sj, "timezone"));
        json_object_set(o, "bays", json_object_get(sj, "bays"));
        json_object_set(o, "is_open", json_object_get(sj, "is_open"));
        json_object_set(o, "opening_hours", json_object_get(sj, "weekly"));
        json_object_set(o, "closed_dates", json_object_get(sj, "closed_dates"));
        json_decref(sj);
    }
    json_object_set_new(o, "services", providers_store_services(c, id));
    return o;
}

/* --- staff ------------------------------------------------------------------------- */

static const char SQL_STAFF_LIST[] =
    "SELECT user_id, role, created_at FROM provider_staff WHERE provider_id = $1 "
    "ORDER BY created_at, user_id, role";
static const char SQL_STAFF_ROLES[] =
    "SELECT role FROM provider_staff WHERE provider_id = $1 AND user_id = $2 ORDER BY role";
static const char SQL_STAFF_DELETE[] =
    "DELETE FROM provider_staff WHERE provider_id = $1 AND user_id = $2";

int providers_store_staff_add(struct ps_db_conn *c, const char *provider_id,
                              const char *user_id, const char *role)
{
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_STAFF_INSERT, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, provider_id);
    ps_db_bind_text(s, 2, user_id);
    ps_db_bind_text(s, 3, role);
    ps_db_bind_int64(s, 4, ps_now_ms());
    return DB_RC(ps_db_run(s, NULL));
}

int providers_store_staff_remove(struct ps_db_conn *c, const char *provider_id,
                                 const char *user_id)
{
    struct ps_db_stmt *s;
    char roles[8][32];
    int n = 0, rc = ps_db_prepare(c, SQL_STAFF_ROLES, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, provider_id);
    ps_db_bind_text(s, 2, user_id);
    while ((rc = ps_db_step(s)) == PS_DB_ROW && n < 8)
        copy_str(roles[n++], sizeof roles[0], col_str(s, 0));
    ps_db_reset(s);
    if (rc < 0)
        return DB_RC(rc);
    if (n == 0)
        return PS_E_NOT_FOUND;
    for (int i = 0; i < n; i++)
        if ((rc = accounts_revoke_role(c, user_id, roles[i], provider_id)) != 0 &&
            rc != PS_E_NOT_FOUND)
            return rc;
    if ((rc = ps_db_prepare(c, SQL_STAFF_DELETE, &s)) != 0)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, provider_id);
    ps_db_bind_text(s, 2, user_id);
    return DB_RC(ps_db_run(s, NULL));
}

json_t *providers_store_staff_list(struct ps_db_conn *c, const char *provider_id)
{
    struct ps_db_stmt *s;
    if (ps_db_prepare(c, SQL_STAFF_LIST, &s) != 0)
        return NULL;
    ps_db_bind_text(s, 1, provider_id);
    /* Names come from accounts after the rows are read (one statement at a time). */
    json_t *items = json_array();
    while (ps_db_step(s) == PS_DB_ROW)
        json_array_append_new(items, json_pack("{s:s, s:s, s:o}", "user_id", col_str(s, 0),
                              "role", col_str(s, 1), "added_at",
                              providers_json_time(ps_db_col_int64(s, 2))));
    ps_db_reset(s);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        char name[256];
        accounts_user_name(c, json_string_value(json_object_get(it, "user_id")), name, sizeof name);
        json_object_set_new(it, "name", json_string(name));
    }
    return items;
}

/* --- search entries ---------------------------------------------------------------- */

static const char SQL_PROVIDER_DOC[] =
    "SELECT name, address, city, status FROM providers WHERE id = $1";
static const char SQL_SERVICE_DOCS[] =
    "SELECT id, service_type, name, description, price_fen, active FROM provider_services "
    "WHERE provider_id = $1 ORDER BY id";

int providers_index_provider(struct ps_db_conn *c, const char *id, const char *name,
                             const char *address, const char *city)
{
    char body[1024];
    snprintf(body, sizeof body, "%s %s", address, city);
    return search_index_put(c, "provider", id, id, name, body, address);
}

/* A service is found by its name, the catalog's Chinese and English names, its description
 * and its shop's name and city; a hit shows the shop and the price. */
int providers_index_service(struct ps_db_conn *c, const char *provider_id, const char *pname,
                            const char *city, const char *sid, const char *type,
                            const char *sname, const char *desc, int64_t price)
{
    const struct providers_service_type *t = providers_catalog_find(type);
    char title[512], body[3072], snippet[512];
    bool extra = t && strcmp(sname, t->name_zh);
    snprintf(title, sizeof title, "%s%s%s", sname, extra ? " " : "", extra ? t->name_zh : "");
    snprintf(body, sizeof body, "%s %s %s %s", t ? t->name_en : "", desc ? desc : "", pname, city);
    snprintf(snippet, sizeof snippet, "%s · ¥%lld.%02lld", pname, (long long)(price / 100),
             (long long)(price % 100));
    return search_index_put(c, "service", sid, provider_id, title, body, snippet);
}

int providers_store_reindex(struct ps_db_conn *c, const char *provider_id)
{
    struct ps_db_stmt *s;
    char name[256], address[512], city[128];
    int rc = ps_db_prepare(c, SQL_PROVIDER_DOC, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, provider_id);
    rc = ps_db_step(s);
    bool approved = rc == PS_DB_ROW && !strcmp(col_str(s, 3), "approved");
    if (rc == PS_DB_ROW) {
        copy_str(name, sizeof name, col_str(s, 0));
        copy_str(address, sizeof address, col_str(s, 1));
        copy_str(city, sizeof city, col_str(s, 2));
    }
    ps_db_reset(s);
    if (rc != PS_DB_ROW)
        return rc < 0 ? DB_RC(rc) : PS_E_NOT_FOUND;
    rc = approved ? providers_index_provider(c, provider_id, name, address, city)
                  : search_index_delete(c, "provider", provider_id);
    if (rc)
        return rc;
    /* Services: read them all first, then write (one statement busy at a time). */
    if ((rc = ps_db_prepare(c, SQL_SERVICE_DOCS, &s)) != 0)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, provider_id);
    json_t *rows = json_array();
    while ((rc = ps_db_step(s)) == PS_DB_ROW)
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b}", "id", col_str(s, 0),
                              "type", col_str(s, 1), "name", col_str(s, 2), "desc", col_str(s, 3),
                              "price", (json_int_t)ps_db_col_int64(s, 4),
                              "active", ps_db_col_int64(s, 5) != 0));
    ps_db_reset(s);
    rc = rc < 0 ? DB_RC(rc) : 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        const char *sid = json_string_value(json_object_get(r, "id"));
        if (rc)
            break;
        if (!approved || !json_is_true(json_object_get(r, "active")))
            rc = search_index_delete(c, "service", sid);
        else
            rc = providers_index_service(c, provider_id, name, city, sid,
                                         json_string_value(json_object_get(r, "type")),
                                         json_string_value(json_object_get(r, "name")),
                                         json_string_value(json_object_get(r, "desc")),
                                         json_integer_value(json_object_get(r, "price")));
    }
    json_decref(rows);
    return rc;
}
