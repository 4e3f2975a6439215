#include "core/jobs.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "core/idempotency.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/module.h"

#define MAX_JOBS 64

static int purge_idempotency(const struct ps_app *app)
{
    (void)app;
    return ps_idem_purge();
}

/* The core's own housekeeping. */
static const struct ps_job core_jobs[] = {
    { "idempotency-purge", 10 * 60 * 1000, purge_idempotency },
    PS_JOB_END
};

struct scheduled { const struct ps_job *job; long long next_ms; };

static struct scheduled jobs[MAX_JOBS];
static int njobs;
static const struct ps_app *job_app;
static pthread_t thread;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool stopping, running;

static void add_table(const struct ps_job *table, long long now)
{
    for (const struct ps_job *j = table; j && j->name && njobs < MAX_JOBS; j++)
        jobs[njobs++] = (struct scheduled){ j, now + j->interval_ms };
}

static void run_due(long long now)
{
    for (int i = 0; i < njobs; i++) {
        if (jobs[i].next_ms > now)
            continue;
        int rc = jobs[i].job->run(job_app);
        ps_metrics_job(rc >= 0);
        if (rc < 0)
            ps_logf(PS_LOG_WARN, "job %s failed (%d)", jobs[i].job->name, rc);
        jobs[i].next_ms = ps_now_ms() + jobs[i].job->interval_ms;
    }
}

static long long next_due(void)
{
    long long next = ps_now_ms() + 60000;
    for (int i = 0; i < njobs; i++)
        if (jobs[i].next_ms < next)
            next = jobs[i].next_ms;
    return next;
}

static void *loop(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    while (!stopping) {
        long long due = next_due();
        struct timespec ts = { (time_t)(due / 1000), (long)(due % 1000) * 1000000L };
        pthread_cond_timedwait(&wake, &mu, &ts);
        if (stopping)
            break;
        pthread_mutex_unlock(&mu);
        run_due(ps_now_ms());
        pthread_mutex_lock(&mu);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

int ps_jobs_start(const struct ps_app *app)
{
    job_app = app;
    long long now = ps_now_ms();
    add_table(core_jobs, now);
    for (const struct ps_module *const *m = ps_modules; *m; m++)
        add_table((*m)->jobs, now);
    if (pthread_create(&thread, NULL, loop, NULL))
        return -1;
    running = true;
    return 0;
}

void ps_jobs_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&mu);
    stopping = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&mu);
    pthread_join(thread, NULL);
    running = false;
}
