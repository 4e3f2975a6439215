/* The roles contract other modules call (roles.h): granting and revoking roles inside the
 * caller's transaction, and the database checks of provider roles. */
#include "roles.h"

#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "accounts_store.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/router.h"

/* Platform roles go without a provider, provider roles with one. */
static int check_role(const char *role, const char *provider_id)
{
    if (accounts_is_platform_role(role))
        return provider_id ? PS_E_VALIDATION : 0;
    if (accounts_is_provider_role(role))
        return provider_id && *provider_id ? 0 : PS_E_VALIDATION;
    return PS_E_VALIDATION;
}

int accounts_grant_role(struct ps_db_conn *c, const char *user_id, const char *role,
                        const char *provider_id)
{
    struct accounts_user u;
    int rc = check_role(role, provider_id);
    if (rc != 0)
        return rc;
    if (!user_id || (rc = accounts_store_user_by_id(c, user_id, &u)) != 0)
        return user_id ? rc : PS_E_NOT_FOUND;
    return accounts_store_role_add(c, user_id, role, provider_id, ps_now_ms());
}

int accounts_revoke_role(struct ps_db_conn *c, const char *user_id, const char *role,
                         const char *provider_id)
{
    int rc = check_role(role, provider_id);
    if (rc != 0)
        return rc;
    if (!user_id)
        return PS_E_NOT_FOUND;
    return accounts_store_role_remove(c, user_id, role, provider_id);
}

bool accounts_has_provider_role(struct ps_db_conn *c, const char *user_id,
                                const char *provider_id, const char *roles_csv)
{
    bool has = false;
    if (!user_id || !*user_id || !provider_id || !*provider_id || !roles_csv)
        return false;
    if (accounts_store_has_provider_role(c, user_id, provider_id, roles_csv, &has) != 0)
        return false;                  /* a failed check never grants anything */
    return has;
}

int accounts_find_by_login(struct ps_db_conn *c, const char *login, char user_id_out[27])
{
    char norm[ACCOUNTS_EMAIL_MAX + 2];
    struct accounts_user u;
    const struct ps_app *app = ps_app();
    int rc = PS_E_NOT_FOUND;

    user_id_out[0] = '\0';
    switch (accounts_classify_login(login, norm, sizeof norm)) {
    case ACCOUNTS_LOGIN_PHONE: {
        char idx[PS_PII_INDEX_LEN + 1];
        if (!app || !app->pii)
            return PS_E_INTERNAL;
        ps_pii_blind_index(app->pii, norm, idx);
        rc = accounts_store_user_by_phone_index(c, idx, &u);
        break;
    }
    case ACCOUNTS_LOGIN_EMAIL:
        rc = accounts_store_user_by_email(c, norm, &u);
        break;
    default:
        break;
    }
    if (rc == 0)
        snprintf(user_id_out, 27, "%s", u.id);
    return rc;
}

int accounts_user_name(struct ps_db_conn *c, const char *user_id, char *out, size_t outlen)
{
    struct accounts_user u;
    if (outlen)
        out[0] = '\0';
    if (!user_id)
        return PS_E_NOT_FOUND;
    int rc = accounts_store_user_by_id(c, user_id, &u);
    if (rc == 0 && outlen)
        snprintf(out, outlen, "%s", u.name);
    return rc;
}
