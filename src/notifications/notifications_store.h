/* All of the notifications module's SQL: the outbox (written in callers' transactions), the
 * delivery of outbox rows into inboxes, and inbox reads. Returns 0 or a PS_E_* code. */
#ifndef NOTIFICATIONS_STORE_H
#define NOTIFICATIONS_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct ps_db_conn;

#define NOTIFY_BATCH 200              /* outbox rows delivered per transaction */
#define NOTIFY_CLAIM_MS (30 * 1000)   /* a claim older than this was lost with its node */

int notifications_store_enqueue(struct ps_db_conn *c, const char *user_id, const char *kind,
                                const char *title, const char *payload_json);
/* Deliver up to NOTIFY_BATCH undelivered outbox rows into inboxes, inside the caller's write
 * transaction. *delivered gets how many rows were moved. */
int notifications_store_deliver(struct ps_db_conn *c, int64_t now, int *delivered);
/* Cheap look on a reader: is anything waiting for delivery? (The job skips the write
 * transaction when not.) */
int notifications_store_pending(struct ps_db_conn *c, bool *any);
/* The user's inbox, newest first, ids below cursor (NULL: from the newest), at most limit
 * items; appends objects to items and sets *more when another page exists. */
int notifications_store_list(struct ps_db_conn *c, const char *user_id, const char *cursor,
                             bool unread_only, int limit, json_t *items, bool *more);
/* Mark one of the user's notifications read; PS_E_NOT_FOUND when it is not theirs.
 * The notification as it now is goes into *out (new reference). */
int notifications_store_mark_read(struct ps_db_conn *c, const char *user_id, const char *id,
                                  int64_t now, json_t **out);

#endif
