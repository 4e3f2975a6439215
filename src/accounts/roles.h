/* Roles other modules grant and check. Platform roles (operator, reviewer, support, analyst)
 * and `owner` travel in the access token; provider roles (provider_admin, advisor, technician,
 * finance) are held per provider and always checked against the database, so revoking one
 * takes effect at once. */
#ifndef PS_ACCOUNTS_ROLES_H
#define PS_ACCOUNTS_ROLES_H

#include <stdbool.h>
#include <stddef.h>

struct ps_db_conn;

/* Grant role to user_id inside the caller's write transaction; provider_id is required for
 * provider roles and NULL for platform roles. Granting a role held already is a no-op.
 * PS_E_NOT_FOUND for an unknown user, PS_E_VALIDATION for an unknown role. */
int accounts_grant_role(struct ps_db_conn *c, const char *user_id, const char *role,
                        const char *provider_id);
int accounts_revoke_role(struct ps_db_conn *c, const char *user_id, const char *role,
                         const char *provider_id);
/* True when user_id holds one of the comma-separated roles at provider_id. */
bool accounts_has_provider_role(struct ps_db_conn *c, const char *user_id,
                                const char *provider_id, const char *roles_csv);
/* Find a user by phone or email (as typed at login); PS_E_NOT_FOUND if none. */
int accounts_find_by_login(struct ps_db_conn *c, const char *login, char user_id_out[27]);
/* Display name of a user ("" if unknown), for staff lists and order views. */
int accounts_user_name(struct ps_db_conn *c, const char *user_id, char *out, size_t outlen);

#endif
