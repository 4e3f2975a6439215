#include "core/http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/errors.h"
#include "core/id.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/router.h"
#include "core/static_files.h"

struct ps_http {
    struct MHD_Daemon *daemon;
    const struct ps_config *cfg;
};

/* Everything one request owns; freed when MHD reports the request completed. */
struct exchange {
    struct ps_req req;
    struct MHD_Connection *conn;
    struct ps_buf body;
    size_t cap;
    int reject;                  /* PS_E_TOO_LARGE / PS_E_URI_TOO_LONG decided early */
    long long t0_ns;
    bool is_static;
    size_t sent_bytes;
};

static const struct ps_config *g_cfg;

static const char *read_header(const struct ps_req *r, const char *name, int kind)
{
    struct MHD_Connection *conn = r->transport;
    if (!conn)
        return NULL;
    return MHD_lookup_connection_value(conn, kind == PS_QUERY ? MHD_GET_ARGUMENT_KIND : MHD_HEADER_KIND, name);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decoding of the path and query values. An escaped NUL ("%00") stays as it is
 * written: decoded, it would cut the C string short and "/vehicles/ID%00/devices/X" would
 * reach the route of "/vehicles/ID". Left escaped it is just an id that matches nothing. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *out = s;
    for (const char *in = s; *in; in++) {
        int hi, lo;
        if (in[0] == '%' && (hi = hex_value(in[1])) >= 0 && (lo = hex_value(in[2])) >= 0 && (hi | lo)) {
            *out++ = (char)(hi << 4 | lo);
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

static enum MHD_Result add_len(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 2;
    return MHD_YES;
}

static bool request_id_is_sane(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > 36)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(id[i] == '-' || id[i] == '_' || id[i] == '.' || (id[i] >= '0' && id[i] <= '9') ||
              (id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z')))
            return false;
    return true;
}

static void client_address(struct MHD_Connection *conn, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
}

static struct exchange *exchange_new(struct MHD_Connection *conn, const char *url, const char *method)
{
    struct exchange *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->conn = conn;
    x->t0_ns = ps_mono_ns();
    struct ps_req *r = &x->req;
    ps_arena_init(&r->arena, PS_MAX_ARENA_BYTES);
    r->transport = conn;
    r->route_id = PS_METRICS_UNMATCHED;
    r->method = ps_method_parse(method);
    r->path = ps_arena_strdup(&r->arena, url);
    const char *rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (request_id_is_sane(rid))
        snprintf(r->request_id, sizeof r->request_id, "%s", rid);
    else
        ps_id_new(r->request_id);
    client_address(conn, r->client_ip, sizeof r->client_ip);
    ps_metrics_inflight(1);
    return x;
}

static void exchange_free(struct exchange *x)
{
    ps_buf_free(&x->body);
    free(x->req.resp_body);
    ps_arena_free(&x->req.arena);
    free(x);
    ps_metrics_inflight(-1);
}

/* Route lookup and the transport caps, decided before any body byte is read. */
static void first_look(struct exchange *x)
{
    struct ps_req *r = &x->req;
    size_t url_len = strlen(r->path);
    MHD_get_connection_values(x->conn, MHD_GET_ARGUMENT_KIND, add_len, &url_len);
    if (url_len > PS_MAX_URL_LEN) {
        x->reject = PS_E_URI_TOO_LONG;
        return;
    }
    const char *allow = NULL;
    int rc = r->method ? ps_router_match(r, r->method, r->path, &allow) : PS_E_METHOD;
    if (rc == PS_E_METHOD) {
        if (allow)
            ps_reply_header(r, "Allow", allow);
        x->reject = PS_E_METHOD;
    } else if (rc == PS_E_NOT_FOUND) {
        bool api = strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/api") == 0;
        if (!api && (r->method == PS_GET || r->method == PS_HEAD))
            x->is_static = true;
        else
            x->reject = PS_E_NOT_FOUND;
    }
    x->cap = r->route && (r->route->flags & PS_UPLOAD) ? PS_MAX_UPLOAD_BODY : PS_MAX_JSON_BODY;
    const char *cl = MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "Content-Length");
    if (!x->reject && cl && strtoull(cl, NULL, 10) > x->cap)
        x->reject = PS_E_TOO_LARGE;
    ps_buf_init(&x->body, x->cap);
}

static enum MHD_Result send_reply(struct exchange *x)
{
    struct ps_req *r = &x->req;
    size_t len = r->resp_len;
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, r->resp_body ? r->resp_body : (void *)"",
                                                                r->resp_body ? MHD_RESPMEM_MUST_FREE
                                                                             : MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    r->resp_body = NULL;                  /* MHD frees it now */
    if (r->resp_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->resp_type);
    MHD_add_response_header(resp, "X-Request-Id", r->request_id);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->resp_headers[i][0], r->resp_headers[i][1]);
    x->sent_bytes = len;
    enum MHD_Result ok = MHD_queue_response(x->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result serve_static_file(struct exchange *x)
{
    struct ps_static_reply sr;
    const char *accept = MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "Accept-Encoding");
    if (ps_static_resolve(g_cfg->web_dir, x->req.path, accept, &sr) != 0) {
        ps_reply_raw(&x->req, 404, "text/plain; charset=utf-8", sr.message, strlen(sr.message));
        return send_reply(x);
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)sr.size, sr.fd);
    if (!resp) {
        close(sr.fd);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, sr.content_type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, sr.cache_control);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Request-Id", x->req.request_id);
    if (sr.content_encoding)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, sr.content_encoding);
    x->req.status = 200;
    x->req.route_id = PS_METRICS_STATIC;
    x->sent_bytes = (size_t)sr.size;
    enum MHD_Result ok = MHD_queue_response(x->conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct exchange *x = *con_cls;
    if (!x) {
        x = exchange_new(conn, url, method);
        if (!x)
            return MHD_NO;
        *con_cls = x;
        first_look(x);
        if (x->reject == PS_E_TOO_LARGE) {
            ps_reply_problem(&x->req, PS_E_TOO_LARGE, "the body may be at most %zu bytes", x->cap);
            return send_reply(x);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!x->reject && ps_buf_append(&x->body, upload_data, *upload_data_size))
            x->reject = PS_E_TOO_LARGE;   /* no or lying Content-Length: stop at the cap */
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct ps_req *r = &x->req;
    if (x->reject) {
        if (x->reject == PS_E_TOO_LARGE)
            ps_reply_problem(r, x->reject, "the body may be at most %zu bytes", x->cap);
        else
            ps_reply_problem(r, x->reject, NULL);
        return send_reply(x);
    }
    if (x->is_static)
        return serve_static_file(x);
    r->body = x->body.data;
    r->body_len = x->body.len;
    ps_router_dispatch(r);
    return send_reply(x);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    struct exchange *x = *con_cls;
    if (!x)
        return;
    *con_cls = NULL;
    struct ps_req *r = &x->req;
    long long ns = ps_mono_ns() - x->t0_ns;
    int status = r->status ? r->status : 499;   /* closed before a reply */
    ps_metrics_observe(r->route_id, status, ns);
    enum ps_log_level lvl = status >= 500 ? PS_LOG_ERROR : PS_LOG_INFO;
    if (ps_log_enabled(lvl)) {
        json_t *f = json_pack("{s:s,s:s,s:s,s:i,s:f,s:I,s:s,s:s}",
                              "method", ps_method_name(r->method), "path", r->path ? r->path : "",
                              "route", r->route ? r->route->pattern : (x->is_static ? "static" : ""),
                              "status", status, "ms", (double)(ns / 1000) / 1e3,
                              "bytes", (json_int_t)x->sent_bytes, "request_id", r->request_id,
                              "ip", r->client_ip);
        if (r->authenticated)
            json_object_set_new(f, "user", json_string(r->claims.sub));
        if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
            json_object_set_new(f, "aborted", json_true());
        ps_log_fields(lvl, "request", f);
    }
    exchange_free(x);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    ps_log_fields(PS_LOG_WARN, msg, json_pack("{s:s}", "source", "libmicrohttpd"));
}

static int resolve(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
    struct addrinfo *res = NULL;
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    if (getaddrinfo(host[0] ? host : NULL, portstr, &hints, &res) != 0 || !res)
        return -1;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

int ps_http_start(const struct ps_config *cfg, struct ps_http **out, char *err, size_t errlen)
{
    g_cfg = cfg;
    ps_router_set_header_reader(read_header);
    struct sockaddr_storage ss;
    socklen_t sslen;
    if (resolve(cfg->listen_host, cfg->listen_port, &ss, &sslen)) {
        snprintf(err, errlen, "cannot resolve the listen address '%s' (PITSTOP_LISTEN)", cfg->listen);
        return PS_E_BAD_REQUEST;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (cfg->threads == 0)
        flags |= MHD_USE_THREAD_PER_CONNECTION;
    else
        flags |= MHD_USE_EPOLL;
    struct ps_http *h = calloc(1, sizeof *h);
    if (!h)
        return PS_E_NOMEM;
    h->cfg = cfg;
    h->daemon = MHD_start_daemon(
        flags, (uint16_t)cfg->listen_port, NULL, NULL, on_request, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(PS_MAX_HEADER_BYTES + 16 * 1024),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)PS_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)PS_CONNECTION_TIMEOUT_S,
        MHD_OPTION_THREAD_STACK_SIZE, (size_t)PS_THREAD_STACK_BYTES,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
        cfg->threads > 0 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (unsigned)cfg->threads,
        MHD_OPTION_END);
    if (!h->daemon) {
        free(h);
        snprintf(err, errlen, "cannot listen on %s (PITSTOP_LISTEN): address in use or not allowed",
                 cfg->listen);
        return PS_E_UNAVAILABLE;
    }
    *out = h;
    return 0;
}

void ps_http_stop(struct ps_http *h, int timeout_s)
{
    if (!h)
        return;
    MHD_socket fd = MHD_quiesce_daemon(h->daemon);   /* no new connections from here on */
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    long long deadline = ps_mono_ns() + (long long)timeout_s * 1000000000LL;
    while (ps_metrics_inflight_now() > 0 && ps_mono_ns() < deadline)
        usleep(10 * 1000);
    MHD_stop_daemon(h->daemon);
    free(h);
}
