/* The append-only audit log (SPEC §2): every operator action and every unmasked read of
 * someone else's personal data by staff. The table refuses UPDATE and DELETE (triggers on
 * SQLite, a rule-raising trigger on PostgreSQL), so history cannot be rewritten through SQL
 * the application runs. */
#ifndef PS_AUDIT_H
#define PS_AUDIT_H

#include <jansson.h>

struct ps_db_conn;

/* Append one entry inside the caller's write transaction. actor_id is the user acting,
 * action a dotted verb ("provider.approve", "user.read_phone"), object_type/object_id what it
 * touched; detail is any JSON (stolen, may be NULL). Returns 0 or a PS_E_* code. */
int ps_audit(struct ps_db_conn *c, const char *actor_id, const char *action,
             const char *object_type, const char *object_id, json_t *detail);

#endif
