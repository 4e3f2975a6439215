/* Every cap the server enforces, in one place (see docs/ARCHITECTURE.md, "Caps").
 * A buffer that grows is given one of these as its ceiling; nothing grows without one. */
#ifndef PS_LIMITS_H
#define PS_LIMITS_H

#define PS_MAX_JSON_BODY        (1024 * 1024)        /* JSON request body: 1 MiB, else 413 */
#define PS_MAX_UPLOAD_BODY      (10 * 1024 * 1024)   /* multipart uploads: 10 MiB, else 413 */
#define PS_MAX_URL_LEN          4096                 /* request target incl. query, else 414 */
#define PS_MAX_HEADER_BYTES     (32 * 1024)          /* all request headers (MHD memory limit) */
#define PS_MAX_PATH_SEGMENTS    16                   /* /a/b/c... in a route or a request path */
#define PS_MAX_ROUTE_PARAMS     8                    /* :params in one route */
#define PS_MAX_QUERY_PARAMS     32                   /* distinct query parameters kept */
#define PS_MAX_JSON_DEPTH       32                   /* nesting accepted in request JSON */
#define PS_MAX_VALIDATION_ERRS  32                   /* field errors listed in one 422 */
#define PS_MAX_ARENA_BYTES      (16 * 1024 * 1024)   /* one request's scratch memory */
#define PS_MAX_RESPONSE_BYTES   (8 * 1024 * 1024)    /* one JSON response */
#define PS_MAX_CONNECTIONS      1024                 /* concurrent client connections */
#define PS_THREAD_STACK_BYTES   (512 * 1024)         /* per connection thread */
#define PS_CONNECTION_TIMEOUT_S 30                   /* idle keep-alive connections */
#define PS_MAX_ROLES            16                   /* roles carried in one access token */
#define PS_MAX_ROLE_LEN         64
#define PS_MAX_SQL_PARAMS       32                   /* bound parameters in one statement */
#define PS_DB_STMT_CACHE        128                  /* prepared statements kept per connection */
#define PS_DB_GROUP_MAX         256                  /* write transactions per group commit */
#define PS_LIST_DEFAULT         20                   /* ?limit= default for lists */
#define PS_LIST_MAX             100                  /* ?limit= maximum */
#define PS_DRAIN_TIMEOUT_S      30                   /* SIGTERM: wait this long for requests */

#endif
