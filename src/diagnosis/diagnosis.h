/* What other modules may ask of the diagnosis module (telemetry notifications, vehicle
 * health): the text of a trouble code. */
#ifndef PS_DIAGNOSIS_H
#define PS_DIAGNOSIS_H

#include <stddef.h>

struct ps_db_conn;

/* The description of a trouble code (any case, "p0301" is fine): the SAE generic text, else
 * the first manufacturer text. Writes a NUL-terminated, possibly cut, string into out.
 * PS_E_NOT_FOUND when the code is unknown (or the codes were never imported),
 * PS_E_VALIDATION when it is not shaped like a code. Works on any connection. */
int diagnosis_dtc_describe(struct ps_db_conn *c, const char *code, char *out, size_t cap);

#endif
