/* SQL of the demo seed: plain inserts that do nothing when the row exists, so running the
 * seed twice adds nothing (its ids are deterministic). */
#include "core/db.h"
#include "core/errors.h"
#include "providers/providers_internal.h"
#include "providers/seed.h"

#define DB_RC(rc) ((rc) < 0 ? ps_db_err_to_ps(rc) : 0)

static const char SQL_SEED_PROVIDER[] =
    "INSERT INTO providers (id, application_id, name, uscc, address, city, lat, lng, "
    "phone_sealed, phone_masked, status, timezone, bays, is_open, rating_sum, review_count, seed, "
    "created_at, updated_at) VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9, 'approved', "
    "'Asia/Shanghai', $10, 1, $11, $12, 1, $13, $13) ON CONFLICT DO NOTHING";
static const char SQL_SEED_SERVICE[] =
    "INSERT INTO provider_services (id, provider_id, service_type, name, description, labor_fen, "
    "parts_fen, price_fen, duration_min, active, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) ON CONFLICT DO NOTHING";
static const char SQL_SEED_HOURS[] =
    "INSERT INTO provider_hours (provider_id, weekday, open_min, close_min) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

int providers_seed_store_provider(struct ps_db_conn *c, const struct providers_seed_provider *p,
                                  bool *inserted)
{
    struct ps_db_stmt *s;
    *inserted = false;
    int rc = ps_db_prepare(c, SQL_SEED_PROVIDER, &s);
    if (rc)
        return DB_RC(rc);
    ps_db_bind_text(s, 1, p->id);
    ps_db_bind_text(s, 2, p->name);
    ps_db_bind_text(s, 3, p->uscc);
    ps_db_bind_text(s, 4, p->address);
    ps_db_bind_text(s, 5, p->city);
    ps_db_bind_double(s, 6, p->lat);
    ps_db_bind_double(s, 7, p->lng);
    ps_db_bind_text(s, 8, p->phone_sealed);
    ps_db_bind_text(s, 9, p->phone_masked);
    ps_db_bind_int64(s, 10, p->bays);
    ps_db_bind_int64(s, 11, p->rating_sum);
    ps_db_bind_int64(s, 12, p->review_count);
    ps_db_bind_int64(s, 13, p->created_at);
    rc = ps_db_step(s);
    *inserted = rc >= 0 && ps_db_changes(s) == 1;
    ps_db_reset(s);
    if (rc < 0 || !*inserted)
        return DB_RC(rc);
    for (int i = 0; i < p->nservices; i++) {
        const struct providers_service *v = &p->services[i];
        if ((rc = ps_db_prepare(c, SQL_SEED_SERVICE, &s)) != 0)
            return DB_RC(rc);
        ps_db_bind_text(s, 1, v->id);
        ps_db_bind_text(s, 2, p->id);
        ps_db_bind_text(s, 3, v->service_type);
        ps_db_bind_text(s, 4, v->name);
        ps_db_bind_text(s, 5, v->has_description ? v->description : NULL);
        ps_db_bind_int64(s, 6, v->labor_fen);
        ps_db_bind_int64(s, 7, v->parts_fen);
        ps_db_bind_int64(s, 8, v->price_fen);
        ps_db_bind_int64(s, 9, v->duration_min);
        ps_db_bind_int64(s, 10, p->created_at);
        rc = ps_db_step(s);
        ps_db_reset(s);
        if (rc < 0)
            return DB_RC(rc);
    }
    for (int i = 0; i < p->nhours; i++) {
        if ((rc = ps_db_prepare(c, SQL_SEED_HOURS, &s)) != 0)
            return DB_RC(rc);
        ps_db_bind_text(s, 1, p->id);
        ps_db_bind_int64(s, 2, p->hours[i].weekday);
        ps_db_bind_int64(s, 3, p->hours[i].open_min);
        ps_db_bind_int64(s, 4, p->hours[i].close_min);
        rc = ps_db_step(s);
        ps_db_reset(s);
        if (rc < 0)
            return DB_RC(rc);
    }
    /* Index straight from what was written, without reading it back. */
    if ((rc = providers_index_provider(c, p->id, p->name, p->address, p->city)) != 0)
        return rc;
    for (int i = 0; i < p->nservices && rc == 0; i++) {
        const struct providers_service *v = &p->services[i];
        rc = providers_index_service(c, p->id, p->name, p->city, v->id, v->service_type, v->name,
                                     v->has_description ? v->description : "", v->price_fen);
    }
    return rc;
}
