/* Logging: one JSON object per line on stderr, so log shippers need no parsing rules.
 * Each line has ts (RFC 3339, UTC, ms), level and msg, plus any fields the caller adds. */
#ifndef PS_LOG_H
#define PS_LOG_H

#include <jansson.h>

enum ps_log_level { PS_LOG_DEBUG, PS_LOG_INFO, PS_LOG_WARN, PS_LOG_ERROR };

/* "debug" | "info" | "warn" | "error" -> 0, else PS_E_BAD_REQUEST. */
int ps_log_parse_level(const char *s, enum ps_log_level *out);
void ps_log_set_level(enum ps_log_level lvl);
int ps_log_enabled(enum ps_log_level lvl);
/* Log msg with extra fields; takes ownership of fields (may be NULL). */
void ps_log_fields(enum ps_log_level lvl, const char *msg, json_t *fields);
void ps_logf(enum ps_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ps_log_info(...)  ps_logf(PS_LOG_INFO, __VA_ARGS__)
#define ps_log_warn(...)  ps_logf(PS_LOG_WARN, __VA_ARGS__)
#define ps_log_error(...) ps_logf(PS_LOG_ERROR, __VA_ARGS__)

/* Current time helpers used across the core. */
long long ps_now_ms(void);           /* wall clock, ms since the epoch */
long long ps_mono_ns(void);          /* monotonic, for durations */
/* RFC 3339 UTC with milliseconds, e.g. 2026-11-23T03:38:44.123Z; out needs 32 bytes. */
void ps_format_time_ms(long long ms, char out[32]);

#endif
