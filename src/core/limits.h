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
#define PS_MAX_PASSWORD_HASHES  2                    /* argon2id runs at once (19 MiB each) */

/* Caps of the domains (each keeps the name its module uses). */
#define TELEMETRY_MAX_READINGS      1000                 /* readings in one telemetry batch */
#define TELEMETRY_MAX_DTCS          32                   /* trouble codes in one reading */
#define DIAG_MAX_REQUEST_DTCS       20                   /* codes in one diagnosis request */
#define DIAG_MAX_SYMPTOM_CHARS      1000                 /* symptom text, in characters */
#define DIAG_DF_MAX_BYTES           (64 * 1024 * 1024)   /* a trouble-code datafile, unpacked */
#define TRANSLOG_MAX_LEAF_BYTES     (64 * 1024)          /* one service record in the Merkle log */
#define MULTIPART_MAX_BOUNDARY      70                   /* RFC 2046 section 5.1.1 */
#define MULTIPART_MAX_PARTS         16                   /* parts looked at in one upload */
#define MULTIPART_MAX_HEADERS       4096                 /* bytes of headers in one part */
#define ORDER_TEXT_MAX              2048                 /* note, cancel reason (500 characters) */
#define NEARBY_MAX_CANDIDATES       20000                /* rows read for one nearby answer */
#define MAX_BUSY                    8192                 /* live bookings read for one slot decision */
#define SEARCH_MAX_QUERY_TOKENS     16                   /* tokens of one search query */
#define LEDGER_MAX_AMOUNT_FEN       1000000000000LL      /* any single ledger amount */
#define MAX_FEN                     100000000LL          /* any single price: one million yuan */

#endif
