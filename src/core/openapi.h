/* The OpenAPI 3.1 document, generated from the route tables and parameter tables at start-up,
 * so it cannot drift from the code. */
#ifndef PS_OPENAPI_H
#define PS_OPENAPI_H

#include <jansson.h>

/* Build the document from every registered route (call after registration). New reference. */
json_t *ps_openapi_build(void);

#endif
