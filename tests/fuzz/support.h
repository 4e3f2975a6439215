/* What the fuzz targets share: a route table that exercises every check of the router. */
#ifndef PS_FUZZ_SUPPORT_H
#define PS_FUZZ_SUPPORT_H

#include "core/router.h"

/* Registers the fuzzing routes once (safe to call on every input). */
void fuzz_routes_register(void);

#endif
