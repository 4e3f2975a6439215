/* What the providers module's files share: the service-type catalog, the store (all SQL of
 * the module, in *_store.c), access checks and small JSON helpers. Not for other modules:
 * they use slots.h. */
#ifndef PS_PROVIDERS_INTERNAL_H
#define PS_PROVIDERS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/id.h"
#include "providers/slot_grid.h"

struct ps_db_conn;
struct ps_app;

/* --- catalog (catalog.c) ----------------------------------------------------------- */

struct providers_service_type {
    char code[40], category[24], name_zh[64], name_en[96];
    int duration_min, commission_bps;
};
/* Parse the embedded service_types.tsv once (thread-safe). 0 or PS_E_INTERNAL. */
int providers_catalog_load(void);
const struct providers_service_type *providers_catalog_find(const char *code);
size_t providers_catalog_count(void);
const struct providers_service_type *providers_catalog_at(size_t i);

/* --- access (providers_store.c) ---------------------------------------------------- */

/* 0 when user_id holds one of roles_csv at the provider; PS_E_NOT_FOUND when there is no such
 * provider; PS_E_FORBIDDEN when the provider exists but the user is not its staff in one of
 * those roles (a provider is public, so its existence is no secret). */
int providers_check_staff(struct ps_db_conn *c, const char *provider_id, const char *user_id,
                          const char *roles_csv);

/* --- applications (providers_store.c) ---------------------------------------------- */

struct providers_application {
    const char *applicant_id, *business_name, *uscc, *address, *city, *phone;
    double lat, lng;
    json_t *service_types;     /* borrowed array of codes */
};
/* Insert a pending application; id_out receives its id. PS_E_DUPLICATE when this business
 * already has a pending application or is already a provider. */
int providers_store_application_add(struct ps_db_conn *c, const struct providers_application *a,
                                    char id_out[PS_ID_LEN + 1]);
/* The application as the API shows it (new reference) or NULL; *applicant_out (optional)
 * gets the applicant's id (arena-free: copied into the 27-byte buffer). full_phone: unmask. */
json_t *providers_store_application_get(struct ps_db_conn *c, const char *id, bool full_phone,
                                        char applicant_out[PS_ID_LEN + 8]);
/* A page of applications (status NULL = any, applicant NULL = anyone), newest first; *next
 * receives the cursor (copied into next, "" when done). */
json_t *providers_store_application_list(struct ps_db_conn *c, const char *status,
                                         const char *applicant_id, const char *cursor, int limit,
                                         char next[PS_ID_LEN + 1]);
/* Approve: creates the provider (and its search entry), marks the application; provider_out
 * gets the provider's id. PS_E_NOT_FOUND, PS_E_INVALID_STATE (not pending) or PS_E_DUPLICATE. */
int providers_store_approve(struct ps_db_conn *c, const char *application_id,
                            const char *operator_id, char provider_out[PS_ID_LEN + 1],
                            char applicant_out[PS_ID_LEN + 8], char name_out[256]);
int providers_store_reject(struct ps_db_conn *c, const char *application_id,
                           const char *operator_id, const char *reason,
                           char applicant_out[PS_ID_LEN + 8], char name_out[256]);

/* --- providers, services, schedule, staff (providers_store.c) ---------------------- */

/* Public view of a provider with hours and live services; full_phone for its staff. */
json_t *providers_store_provider_get(struct ps_db_conn *c, const char *id, bool full_phone);
json_t *providers_store_services(struct ps_db_conn *c, const char *provider_id);

struct providers_service {
    char id[PS_ID_LEN + 1];
    char provider_id[PS_ID_LEN + 8];
    char service_type[40];
    char name[256];
    char description[2048];
    bool has_description;
    int64_t labor_fen, parts_fen, price_fen;
    int duration_min;
    bool active;
};
/* Load one service of a provider (active or not); PS_E_NOT_FOUND if it is not that
 * provider's (provider_id NULL: any provider). */
int providers_store_service_load(struct ps_db_conn *c, const char *provider_id,
                                 const char *service_id, struct providers_service *out);
int providers_store_service_insert(struct ps_db_conn *c, const struct providers_service *s);
int providers_store_service_update(struct ps_db_conn *c, const struct providers_service *s);
int providers_store_service_deactivate(struct ps_db_conn *c, const char *service_id);
json_t *providers_service_json(const struct providers_service *s);

struct providers_schedule {
    char timezone[40];
    int offset_min;
    int bays;
    bool is_open;
    int nhours;
    struct { int weekday, open_min, close_min; } hours[7 * PROVIDERS_MAX_INTERVALS];
};
/* Hours, bays and zone of an approved provider; PS_E_NOT_FOUND when unknown or suspended.
 * for_update: lock the provider row (PostgreSQL) so bookings for it are serialised. */
int providers_store_schedule_load(struct ps_db_conn *c, const char *provider_id,
                                  bool for_update, struct providers_schedule *out);
int providers_store_schedule_save(struct ps_db_conn *c, const char *provider_id,
                                  const struct providers_schedule *s, json_t *closed_dates);
/* Closed dates from `from` (YYYY-MM-DD) on, as a new JSON array of strings. */
json_t *providers_store_closed_dates(struct ps_db_conn *c, const char *provider_id,
                                     const char *from);
bool providers_store_is_closed(struct ps_db_conn *c, const char *provider_id, const char *day);
json_t *providers_schedule_json(const struct providers_schedule *s, json_t *closed_dates);

int providers_store_staff_add(struct ps_db_conn *c, const char *provider_id,
                              const char *user_id, const char *role);
int providers_store_staff_remove(struct ps_db_conn *c, const char *provider_id,
                                 const char *user_id);
json_t *providers_store_staff_list(struct ps_db_conn *c, const char *provider_id);
/* Search entries of one provider / one live service (what the index shows and matches). */
int providers_index_provider(struct ps_db_conn *c, const char *id, const char *name,
                             const char *address, const char *city);
int providers_index_service(struct ps_db_conn *c, const char *provider_id, const char *pname,
                            const char *city, const char *sid, const char *type,
                            const char *sname, const char *desc, int64_t price);
/* Re-index a provider and its live services for full-text search. */
int providers_store_reindex(struct ps_db_conn *c, const char *provider_id);

/* --- slots (slots_store.c) --------------------------------------------------------- */

/* Offered starts of one local date for a service duration ({slots:[{start, available}]}). */
int providers_day_offer(struct ps_db_conn *c, const char *provider_id, const char *date,
                        int duration_min, json_t **out);

/* --- reviews (reviews_store.c) ----------------------------------------------------- */

int providers_review_add(struct ps_db_conn *c, const char *order_id, const char *user_id,
                         int rating, const char *comment, json_t **out);
json_t *providers_reviews_list(struct ps_db_conn *c, const char *provider_id,
                               const char *cursor, int limit, char next[PS_ID_LEN + 1]);
int providers_review_reply(struct ps_db_conn *c, const char *provider_id, const char *review_id,
                           const char *user_id, const char *text, json_t **out);

/* --- nearby (nearby_store.c) ------------------------------------------------------- */

struct providers_nearby_q {
    double lat, lng, radius_km;
    const char *service_type;
    int limit, sort;
};
/* Writes the whole JSON answer into b. */
int providers_nearby(struct ps_db_conn *c, const struct providers_nearby_q *q, struct ps_buf *b);
/* The nearby_generation counter (see nearby_cache.h). */
int providers_nearby_generation(struct ps_db_conn *c, int64_t *gen);
/* EXPLAIN (QUERY PLAN) of the nearby statement, one line per plan row, into b. */
int providers_nearby_explain(struct ps_db_conn *c, struct ps_buf *b);

/* --- seed (seed.c) ------------------------------------------------------------------ */
int providers_seed_run(const struct ps_app *app, int argc, char **argv);

/* --- JSON helpers (jsonw.c) --------------------------------------------------------- */
/* Append s as a JSON string literal (quoted, escaped). */
int providers_json_str(struct ps_buf *b, const char *s);
/* RFC 3339 UTC string for a time in ms, as a new JSON string (null for 0). */
json_t *providers_json_time(int64_t ms);
/* json_decref for ps_arena_defer. */
void providers_json_free(void *p);
/* A PostgreSQL text[] literal / SQLite text: the schema names in OpenAPI (schemas.c). */
void providers_schemas(json_t *components);
extern const char *const providers_staff_roles[];

#endif
