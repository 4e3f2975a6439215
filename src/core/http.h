/* The HTTP transport on libmicrohttpd: turns connections into struct ps_req, enforces the
 * transport caps (URL, headers, body), serves the built front end, logs one JSON line per
 * request and feeds /metrics. Everything about routes and JSON lives in the router. */
#ifndef PS_HTTP_H
#define PS_HTTP_H

#include <stddef.h>

struct ps_config;
struct ps_http;

/* Starts listening on cfg->listen_host:cfg->listen_port. */
int ps_http_start(const struct ps_config *cfg, struct ps_http **out, char *err, size_t errlen);
/* Stops accepting, waits up to timeout_s for requests in flight, then closes everything. */
void ps_http_stop(struct ps_http *h, int timeout_s);

#endif
