/* The built front end (web/dist) as static files: safe path mapping, precompressed variants,
 * caching headers and the single-page-app fallback to index.html. */
#ifndef PS_STATIC_FILES_H
#define PS_STATIC_FILES_H

#include <sys/types.h>

struct ps_static_reply {
    int fd;                         /* open file to send (the caller owns it) */
    off_t size;
    const char *content_type;
    const char *cache_control;
    const char *content_encoding;   /* "gzip", "br" or NULL */
    const char *message;            /* why nothing is served (on failure) */
};

/* Map a request path under web_dir. Returns 0 with an open fd, or -1 with a message. */
int ps_static_resolve(const char *web_dir, const char *path, const char *accept_encoding,
                      struct ps_static_reply *out);
/* True for a request path that could never name a file under the root ("..", NUL, "\"). */
int ps_static_path_unsafe(const char *path);

#endif
