/* Uploads: POST /api/v1/uploads takes one image (multipart field `file`), checks its type by
 * magic bytes and stores it under the upload directory with a random id; GET serves it to the
 * uploader, and once attached to an order, to the order's owner and its provider's staff. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "accounts/roles.h"
#include "core/config.h"
#include "core/db.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "core/module.h"
#include "core/router.h"
#include "uploads/image_type.h"
#include "uploads/multipart.h"
#include "uploads/uploads.h"
#include "uploads/uploads_store.h"

#define STAFF_ROLES "provider_admin,advisor,technician,finance"

/* mkdir -p for the upload directory (created private to the server). */
static int ensure_dir(const char *dir)
{
    char path[600];
    int n = snprintf(path, sizeof path, "%s", dir);
    if (n <= 0 || (size_t)n >= sizeof path)
        return PS_E_INTERNAL;
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return PS_E_INTERNAL;
        *p = '/';
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return PS_E_INTERNAL;
    return 0;
}

/* Write data durably as dir/name: a temporary file, fsync, then rename into place. */
static int store_file(const char *dir, const char *name, const unsigned char *data, size_t len)
{
    char tmp[700], final[700];
    if (ensure_dir(dir))
        return PS_E_INTERNAL;
    int a = snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    int b = snprintf(final, sizeof final, "%s/%s", dir, name);
    if (a <= 0 || (size_t)a >= sizeof tmp || b <= 0 || (size_t)b >= sizeof final)
        return PS_E_INTERNAL;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return PS_E_INTERNAL;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int ok = done == len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, final) != 0) {
        unlink(tmp);
        return PS_E_INTERNAL;
    }
    /* Make the new directory entry itself durable. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

static int insert_tx(struct ps_db_conn *c, void *arg)
{
    return uploads_store_insert(c, arg);
}

static int upload_create(struct ps_req *r)
{
    char boundary[MULTIPART_MAX_BOUNDARY + 1];
    int rc = multipart_boundary(ps_req_header(r, "Content-Type"), boundary);
    if (rc)
        return ps_reply_problem(r, rc, "Content-Type needs a multipart/form-data boundary");
    struct multipart_part part;
    rc = multipart_find(r->body, r->body_len, boundary, "file", &part);
    if (rc == PS_E_NOT_FOUND)
        return ps_fail_field(r, "file", "send the image in the multipart field `file`");
    if (rc)
        return ps_reply_problem(r, PS_E_BAD_REQUEST, "malformed multipart body");
    if (part.len == 0)
        return ps_fail_field(r, "file", "the file is empty");
    if (part.len > PS_MAX_UPLOAD_BODY)
        return PS_E_TOO_LARGE;
    const char *type = image_type_sniff(part.data, part.len);
    if (!type)
        return ps_fail_field(r, "file", "only JPEG, PNG and WebP images are accepted");

    struct upload_row u = { 0 };
    ps_id_new(u.id);
    snprintf(u.uploader_id, sizeof u.uploader_id, "%s", ps_req_user(r));
    snprintf(u.content_type, sizeof u.content_type, "%s", type);
    u.size_bytes = (int64_t)part.len;
    u.created_at = ps_now_ms();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, part.data, part.len);
    sodium_bin2hex(u.sha256, sizeof u.sha256, digest, sizeof digest);

    const char *dir = ps_app()->cfg->upload_dir;
    rc = store_file(dir, u.id, part.data, part.len);
    if (rc) {
        ps_log_error("upload: cannot store a file in %s: %s", dir, strerror(errno));
        return rc;
    }
    rc = ps_db_write(ps_app()->db, insert_tx, &u);
    if (rc) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, u.id);
        unlink(path);
        return rc;
    }
    char url[64];
    snprintf(url, sizeof url, "/api/v1/uploads/%s", u.id);
    return ps_reply_json(r, 201, json_pack("{s:s, s:s, s:s, s:I}", "id", u.id, "url", url,
                                           "content_type", type, "size_bytes", (json_int_t)part.len));
}

/* The uploader, the owner of the order it is attached to, or that order's provider staff. */
static bool may_see(struct ps_db_conn *c, const struct upload_row *u, const char *user)
{
    if (strcmp(u->uploader_id, user) == 0)
        return true;
    if (u->owner_id[0] && strcmp(u->owner_id, user) == 0)
        return true;
    return u->provider_id[0] && accounts_has_provider_role(c, user, u->provider_id, STAFF_ROLES);
}

static int upload_get(struct ps_req *r)
{
    const char *id = ps_req_param(r, "id");
    if (!ps_id_valid(id))
        return PS_E_NOT_FOUND;
    struct upload_row u;
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    int rc = uploads_store_get(c, id, &u);
    bool allowed = rc == 0 && may_see(c, &u, ps_req_user(r));
    ps_db_release(c);
    if (rc)
        return rc;
    if (!allowed)
        return PS_E_NOT_FOUND;

    char path[700];
    snprintf(path, sizeof path, "%s/%s", ps_app()->cfg->upload_dir, u.id);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return PS_E_NOT_FOUND;
    struct stat st;
    unsigned char *data = NULL;
    size_t got = 0;
    if (fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size <= PS_MAX_UPLOAD_BODY) {
        data = malloc((size_t)st.st_size);
        while (data && got < (size_t)st.st_size) {
            ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
        }
    }
    close(fd);
    if (!data || got != (size_t)st.st_size) {
        free(data);
        return PS_E_INTERNAL;
    }
    ps_reply_header(r, "Cache-Control", "private, max-age=86400");
    ps_reply_header(r, "X-Content-Type-Options", "nosniff");
    ps_reply_raw(r, 200, ps_arena_strdup(&r->arena, u.content_type), data, got);
    free(data);
    return 0;
}

static const struct ps_route uploads_routes[] = {
    { PS_POST, "/api/v1/uploads", upload_create, PS_AUTH | PS_UPLOAD,
      .summary = "Upload an image (multipart field `file`: JPEG, PNG or WebP, at most 10 MiB)",
      .tag = "uploads", .response = "Upload", .status = 201, .errors = "400,413,415,422" },
    { PS_GET, "/api/v1/uploads/:id", upload_get, PS_AUTH,
      .summary = "Download an image (uploader, or the owner and provider staff of its order)",
      .tag = "uploads", .errors = "404" },
    PS_ROUTE_END
};

static void uploads_schemas(json_t *schemas)
{
    json_object_set_new(schemas, "Upload", json_pack(
        "{s:s, s:[s,s], s:{s:{s:s}, s:{s:s, s:s}, s:{s:s, s:[s,s,s]}, s:{s:s}}}",
        "type", "object", "required", "id", "url",
        "properties",
        "id", "type", "string",
        "url", "type", "string", "description", "where to GET the image (with a token)",
        "content_type", "type", "string", "enum", "image/jpeg", "image/png", "image/webp",
        "size_bytes", "type", "integer"));
}

const struct ps_module ps_module_uploads = {
    .name = "uploads",
    .routes = uploads_routes,
    .schemas = uploads_schemas,
};
