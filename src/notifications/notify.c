/* notify_enqueue (core contract src/notifications/notify.h): one outbox row in the caller's
 * transaction; the delivery job moves it to the inbox. */
#include "notifications/notify.h"

#include <stdlib.h>

#include "core/errors.h"
#include "notifications/notifications_store.h"

int notify_enqueue(struct ps_db_conn *c, const char *user_id, const char *kind,
                   const char *title, json_t *payload)
{
    if (!c || !user_id || !*user_id || !kind || !title) {
        json_decref(payload);
        return PS_E_INTERNAL;
    }
    char *text = NULL;
    if (payload) {
        text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(payload);
        if (!text)
            return PS_E_NOMEM;
    }
    int rc = notifications_store_enqueue(c, user_id, kind, title, text ? text : "{}");
    free(text);
    return rc;
}
