/* PostgreSQL driver (work in progress). */
#include "core/db_internal.h"
#include "core/errors.h"

int ps_db_pg_open(const char *url, const struct ps_db_options *opt, struct ps_db **out,
                  char *err, size_t errlen)
{
    ps_db_open_err(err, errlen, "postgres: not implemented yet");
    return PS_E_UNAVAILABLE;
}
