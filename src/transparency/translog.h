/* The verifiable service history: an append-only RFC 6962 Merkle log of service records. */
#ifndef PS_TRANSLOG_H
#define PS_TRANSLOG_H

#include <jansson.h>
#include <stdint.h>

struct ps_db_conn;

/* Append a completed order's service record (a JSON object: vin, provider_id, provider_name,
 * date, odometer_km, items, parts, technician, order_id) as the next leaf, inside the caller's
 * write transaction. The record is canonicalised (sorted keys, no spaces) before hashing; a
 * new signed tree head is stored. *leaf_index receives the leaf's index. */
int translog_append(struct ps_db_conn *c, const json_t *record, int64_t *leaf_index);

#endif
