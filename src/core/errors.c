/* Look-ups over the error table in errors.def. */
#include "core/errors.h"

#include <stddef.h>

struct err_row { int code; int status; const char *slug; const char *title; const char *hint; };

static const struct err_row err_rows[] = {
#define PS_ERR(num, name, status, slug, title, hint) { -(num), status, slug, title, hint },
#include "core/errors.def"
#undef PS_ERR
};

#define N_ROWS (sizeof err_rows / sizeof err_rows[0])

static const struct err_row *find(int code)
{
    /* Codes are dense from -1 downwards, so the row is usually at index -code-1. */
    size_t guess = (size_t)(-code - 1);
    if (code < 0 && guess < N_ROWS && err_rows[guess].code == code)
        return &err_rows[guess];
    for (size_t i = 0; i < N_ROWS; i++)
        if (err_rows[i].code == code)
            return &err_rows[i];
    return NULL;
}

int ps_err_status(int code)
{
    const struct err_row *r = find(code);
    return r ? r->status : 500;
}

const char *ps_err_slug(int code)
{
    const struct err_row *r = find(code);
    return r ? r->slug : "internal";
}

const char *ps_err_title(int code)
{
    const struct err_row *r = find(code);
    return r ? r->title : "Internal error";
}

const char *ps_err_hint(int code)
{
    const struct err_row *r = find(code);
    return r ? r->hint : "";
}

int ps_err_at(int i, int *code, int *status, const char **slug, const char **title)
{
    if (i < 0 || (size_t)i >= N_ROWS)
        return -1;
    *code = err_rows[i].code;
    *status = err_rows[i].status;
    *slug = err_rows[i].slug;
    *title = err_rows[i].title;
    return 0;
}
