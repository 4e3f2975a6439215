/* Prometheus metrics: request counts and latency histograms by route and status, requests in
 * flight, the database pool and the job runner. Counters are lock-free atomics. */
#ifndef PS_METRICS_H
#define PS_METRICS_H

#include <stddef.h>

/* Pseudo route ids for requests no route table matched. */
enum { PS_METRICS_UNMATCHED = -1, PS_METRICS_STATIC = -2 };

void ps_metrics_observe(int route_id, int status, long long duration_ns);
void ps_metrics_inflight(int delta);
int ps_metrics_inflight_now(void);
void ps_metrics_job(int ok);
/* The text exposition format; malloc'ed, caller frees. */
char *ps_metrics_render(size_t *len);

#endif
