#include "core/audit.h"

#include <stdlib.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"

static const char SQL_APPEND[] =
    "INSERT INTO audit_log (id, at, actor_id, action, object_type, object_id, detail) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";

int ps_audit(struct ps_db_conn *c, const char *actor_id, const char *action,
             const char *object_type, const char *object_id, json_t *detail)
{
    char id[PS_ID_LEN + 1];
    ps_id_new(id);
    if (!detail)
        detail = json_object();
    char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    if (!text)
        return PS_E_NOMEM;
    struct ps_db_stmt *s;
    int rc = ps_db_prepare(c, SQL_APPEND, &s);
    if (rc == 0) {
        ps_db_bind_text(s, 1, id);
        ps_db_bind_int64(s, 2, ps_now_ms());
        ps_db_bind_text(s, 3, actor_id ? actor_id : "");
        ps_db_bind_text(s, 4, action);
        ps_db_bind_text(s, 5, object_type);
        ps_db_bind_text(s, 6, object_id ? object_id : "");
        ps_db_bind_text(s, 7, text);
        rc = ps_db_step(s);
        ps_db_reset(s);
    }
    free(text);
    return rc < 0 ? ps_db_err_to_ps(rc) : 0;
}
