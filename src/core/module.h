/* A business domain plugs into the binary through one descriptor. Every src/<name>/ folder
 * defines `const struct ps_module ps_module_<name>`; CMake lists the folders and generates
 * the table main() walks, so adding a domain never means editing the core.
 *
 *     const struct ps_module ps_module_vehicles = {
 *         .name = "vehicles", .routes = vehicle_routes, .init = vehicles_init,
 *         .schemas = vehicles_schemas, .commands = vehicle_commands, .jobs = vehicle_jobs,
 *     };
 */
#ifndef PS_MODULE_H
#define PS_MODULE_H

#include <jansson.h>

#include "core/router.h"

/* A `pitstop <name> ...` subcommand. argv[0] is the command name. Return the exit code. */
struct ps_command {
    const char *name;                  /* "import-dtc", "seed", "verify-log" */
    const char *usage;                 /* "import-dtc [FILE]" */
    const char *help;                  /* one line for --help */
    int (*run)(const struct ps_app *app, int argc, char **argv);
    int needs_db;                      /* open + migrate the database before run */
};
#define PS_COMMAND_END { NULL, NULL, NULL, NULL, 0 }

/* A periodic background job, run by the core's job thread every interval_ms. It must be safe
 * when several nodes run it at once (claim rows with a conditional UPDATE). */
struct ps_job {
    const char *name;
    int interval_ms;
    int (*run)(const struct ps_app *app);
};
#define PS_JOB_END { NULL, 0, NULL }

struct ps_module {
    const char *name;
    const struct ps_route *routes;               /* NULL-terminated, may be NULL */
    int (*init)(const struct ps_app *app);       /* after the database is open; may be NULL */
    void (*schemas)(json_t *components_schemas); /* add OpenAPI schemas named by .response */
    const struct ps_command *commands;           /* may be NULL */
    const struct ps_job *jobs;                   /* may be NULL */
    int (*sqlite_init)(void *sqlite3_handle);    /* per SQLite connection (tokenizers); may be NULL */
};

/* Generated: every module of the build, in folder-name order, NULL-terminated. */
extern const struct ps_module *const ps_modules[];

#endif
