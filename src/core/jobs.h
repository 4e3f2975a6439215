/* The background job runner: one thread that runs every module's periodic jobs when they are
 * due. Jobs coordinate through the database, so several nodes may run the same job. */
#ifndef PS_JOBS_H
#define PS_JOBS_H

struct ps_app;

int ps_jobs_start(const struct ps_app *app);
/* Lets the job running now finish, then stops the thread. */
void ps_jobs_stop(void);

#endif
