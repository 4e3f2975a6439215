/* The diagnosis module's SQL: trouble codes and their manufacturer variants. */
#ifndef DIAG_DTC_STORE_H
#define DIAG_DTC_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "diagnosis/dtc.h"

struct ps_db_conn;

#define DIAG_MAX_VARIANTS 64     /* manufacturer texts returned for one code */

/* One row to import: a generic text (seq 0 goes to dtc_codes; a second generic text of the
 * same code is kept as a "Generic" variant) or a manufacturer variant. */
struct dtc_import_row {
    const struct diag_dtc_entry *e;   /* borrowed */
    int seq;                          /* 0, 1, ... among the texts of (code, manufacturer) */
};

/* Upsert rows inside the caller's write transaction. *changed receives how many rows were
 * inserted or had a different text (0 when the database already matches). */
int dtc_store_import(struct ps_db_conn *c, const struct dtc_import_row *rows, int n, int64_t *changed);

struct dtc_variant { const char *manufacturer, *description; };
struct dtc_record {
    char code[DIAG_DTC_LEN + 1];
    char system[16];
    const char *description;          /* generic text, NULL when none (arena) */
    int nvariants;
    struct dtc_variant *variants;     /* arena-owned, manufacturer then seq order */
};

/* Look a normalised code up. PS_E_NOT_FOUND when it is not in the table. Strings live in a. */
int dtc_store_lookup(struct ps_db_conn *c, struct ps_arena *a, const char *code, struct dtc_record *out);

/* Number of codes in the table (0 before the first import). */
int dtc_store_count(struct ps_db_conn *c, int64_t *n);

#endif
