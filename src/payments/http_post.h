/* A minimal HTTP/1.1 client for one thing: the sandbox gateway POSTing a signed webhook to the
 * server itself over loopback. One request per connection, bounded time and sizes. */
#ifndef PS_PAYMENTS_HTTP_POST_H
#define PS_PAYMENTS_HTTP_POST_H

#include <stddef.h>

#define HTTP_POST_TIMEOUT_S 5

/* POST body (application/json) to http://host:port/path with one extra header (name: value,
 * may be NULL). Returns the response status (100..599) or a negative PS_E_* code when the
 * connection or the response failed. */
int http_post_json(const char *host, int port, const char *path, const char *extra_header_name,
                   const char *extra_header_value, const char *body, size_t len);

#endif
