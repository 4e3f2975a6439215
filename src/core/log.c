/* JSON-lines logger on stderr. One write(2) per line keeps lines whole between threads. */
#include "core/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/errors.h"

static _Atomic int log_level = PS_LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

int ps_log_parse_level(const char *s, enum ps_log_level *out)
{
    for (int i = 0; i < 4; i++)
        if (s && strcmp(s, level_names[i]) == 0) {
            *out = (enum ps_log_level)i;
            return 0;
        }
    return PS_E_BAD_REQUEST;
}

void ps_log_set_level(enum ps_log_level lvl) { log_level = lvl; }
int ps_log_enabled(enum ps_log_level lvl) { return (int)lvl >= log_level; }

long long ps_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long ps_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void ps_format_time_ms(long long ms, char out[32])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
}

void ps_log_fields(enum ps_log_level lvl, const char *msg, json_t *fields)
{
    if (!ps_log_enabled(lvl)) {
        json_decref(fields);
        return;
    }
    char ts[32];
    ps_format_time_ms(ps_now_ms(), ts);
    json_t *line = json_object();
    json_object_set_new(line, "ts", json_string(ts));
    json_object_set_new(line, "level", json_string(level_names[lvl]));
    json_object_set_new(line, "msg", json_string(msg ? msg : ""));
    if (fields)
        json_object_update(line, fields);
    json_decref(fields);
    char *text = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(6));
    json_decref(line);
    if (!text)
        return;
    /* The NUL becomes the newline: json_dumps allocated len+1 bytes, all of them written. */
    size_t len = strlen(text);
    text[len] = '\n';
    ssize_t ignored = write(STDERR_FILENO, text, len + 1);
    (void)ignored;
    free(text);
}

void ps_logf(enum ps_log_level lvl, const char *fmt, ...)
{
    if (!ps_log_enabled(lvl))
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps_log_fields(lvl, msg, NULL);
}
