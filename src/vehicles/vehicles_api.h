/* What other modules may ask of the vehicles module (orders, diagnosis, telemetry). */
#ifndef PS_VEHICLES_API_H
#define PS_VEHICLES_API_H

#include <stdbool.h>
#include <stdint.h>

struct ps_db_conn;

struct vehicle_brief {
    char id[27];
    char owner_id[27];
    char vin[18];
    char plate[16];
    char make[64];
    char model[64];
    int model_year;                 /* 0 when unknown */
    char fuel_type[16];             /* gasoline | diesel | hybrid | phev | bev */
    int64_t odometer_km;
    char registration_date[11];     /* YYYY-MM-DD or "" */
    bool commercial;                /* operating (营运) vehicle: other inspection rules */
};

/* Load an active vehicle of owner_id. PS_E_NOT_FOUND when it does not exist, was removed or
 * belongs to someone else (callers answer 404 either way). Works on any connection. */
int vehicles_load_owned(struct ps_db_conn *c, const char *owner_id, const char *vehicle_id,
                        struct vehicle_brief *out);
/* Load any active vehicle by id (provider staff working on an order for it). */
int vehicles_load(struct ps_db_conn *c, const char *vehicle_id, struct vehicle_brief *out);
/* Record an odometer reading inside the caller's write transaction (source: "owner",
 * "telemetry", "service"). A reading below the current odometer is refused with
 * PS_E_VALIDATION and stored as a rollback alert (the alert row commits even though the
 * reading is refused: the caller must still commit). */
int vehicles_record_odometer(struct ps_db_conn *c, const char *vehicle_id, int64_t km,
                             const char *source);

#endif
