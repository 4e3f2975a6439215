/* The uploads module's SQL. Returns 0 or a PS_E_* code. */
#ifndef UPLOADS_STORE_H
#define UPLOADS_STORE_H

#include <stdint.h>

#include "core/id.h"

struct ps_db_conn;

struct upload_row {
    char id[PS_ID_LEN + 1];
    char uploader_id[PS_ID_LEN + 1];
    char content_type[32];
    int64_t size_bytes;
    char sha256[65];
    char owner_id[PS_ID_LEN + 1];      /* "" until attached to an order */
    char provider_id[PS_ID_LEN + 1];   /* "" until attached to an order */
    int64_t created_at;
};

int uploads_store_insert(struct ps_db_conn *c, const struct upload_row *u);
/* PS_E_NOT_FOUND when there is no such upload. */
int uploads_store_get(struct ps_db_conn *c, const char *id, struct upload_row *out);

#endif
