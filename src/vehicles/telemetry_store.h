/* Telemetry ingest: a batch of readings from one device goes into the database in one write
 * transaction -- the readings themselves, the vehicle's latest state, its odometer, its
 * trouble codes, and the owner's notifications. */
#ifndef VEHICLES_TELEMETRY_STORE_H
#define VEHICLES_TELEMETRY_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct ps_db_conn;

#define TELEMETRY_DTC_TEXT 200       /* "P0301,P0420,..." for up to 32 codes */

struct telemetry_reading {
    int64_t at;                      /* ms since the epoch */
    int64_t odometer_km;             /* -1: absent */
    double fuel_level_pct, battery_soc_pct, battery_soh_pct, coolant_temp_c, voltage;  /* NAN: absent */
    int ndtcs;                       /* -1: no dtcs member; 0: [] (clears) */
    char dtcs[TELEMETRY_DTC_TEXT];   /* comma-separated codes */
};

struct telemetry_batch {
    char device_id[27];
    char vehicle_id[27];
    char owner_id[27];
    const struct telemetry_reading *readings;
    int n;
    bool postgres;
};

/* The device holding token_hash (not revoked, vehicle active); PS_E_NOT_FOUND otherwise.
 * Runs on a reader. */
int telemetry_find_device(struct ps_db_conn *c, const char *token_hash, char device_id[27],
                          char vehicle_id[27], char owner_id[27]);
/* Everything a batch changes, inside the caller's write transaction. */
int telemetry_ingest(struct ps_db_conn *c, const struct telemetry_batch *b);

#endif
