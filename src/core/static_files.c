#include "core/static_files.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct { const char *ext, *type; } mime_types[] = {
    { ".html", "text/html; charset=utf-8" },   { ".js", "text/javascript; charset=utf-8" },
    { ".mjs", "text/javascript; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
    { ".json", "application/json" },            { ".webmanifest", "application/manifest+json" },
    { ".svg", "image/svg+xml" },                { ".png", "image/png" },
    { ".jpg", "image/jpeg" },                   { ".jpeg", "image/jpeg" },
    { ".webp", "image/webp" },                  { ".ico", "image/x-icon" },
    { ".woff2", "font/woff2" },                 { ".woff", "font/woff" },
    { ".txt", "text/plain; charset=utf-8" },    { ".map", "application/json" },
    { ".wasm", "application/wasm" },
};

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof mime_types / sizeof mime_types[0]; i++)
            if (strcasecmp(dot, mime_types[i].ext) == 0)
                return mime_types[i].type;
    return "application/octet-stream";
}

int ps_static_path_unsafe(const char *path)
{
    if (!path || path[0] != '/' || strchr(path, '\\'))
        return 1;
    for (const char *p = path; (p = strstr(p, "/..")) != NULL; p += 3)
        if (p[3] == '/' || p[3] == '\0')
            return 1;
    return 0;
}

static int open_regular(const char *file, off_t *size)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    *size = st.st_size;
    return fd;
}

static int accepts(const char *accept_encoding, const char *coding)
{
    return accept_encoding && strstr(accept_encoding, coding) != NULL;
}

/* The file itself, or its precompressed sibling when the client takes it. */
static int open_best(const char *file, const char *accept, struct ps_static_reply *out)
{
    static const struct { const char *coding, *suffix; } variants[] = { { "br", ".br" }, { "gzip", ".gz" } };
    char alt[PATH_MAX];
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        if (!accepts(accept, variants[i].coding))
            continue;
        if (snprintf(alt, sizeof alt, "%s%s", file, variants[i].suffix) >= (int)sizeof alt)
            continue;
        out->fd = open_regular(alt, &out->size);
        if (out->fd >= 0) {
            out->content_encoding = variants[i].coding;
            return 0;
        }
    }
    out->fd = open_regular(file, &out->size);
    return out->fd >= 0 ? 0 : -1;
}

int ps_static_resolve(const char *web_dir, const char *path, const char *accept_encoding,
                      struct ps_static_reply *out)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    out->message = "Not found";
    if (ps_static_path_unsafe(path))
        return -1;
    char file[PATH_MAX];
    const char *rel = strcmp(path, "/") == 0 ? "/index.html" : path;
    if (snprintf(file, sizeof file, "%s%s", web_dir, rel) >= (int)sizeof file)
        return -1;
    bool hashed = strncmp(rel, "/assets/", 8) == 0;
    out->cache_control = hashed ? "public, max-age=31536000, immutable" : "no-cache";
    out->content_type = type_of(file);
    if (open_best(file, accept_encoding, out) == 0)
        return 0;
    /* A path without an extension is a page of the single-page app: send the app. */
    const char *last = strrchr(rel, '/');
    if (strchr(last ? last : rel, '.'))
        return -1;
    if (snprintf(file, sizeof file, "%s/index.html", web_dir) >= (int)sizeof file)
        return -1;
    out->content_type = "text/html; charset=utf-8";
    out->cache_control = "no-cache";
    if (open_best(file, accept_encoding, out) == 0)
        return 0;
    out->message = "The web front end is not built yet: run `make run` (or `make web`).";
    return -1;
}
