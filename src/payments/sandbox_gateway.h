/* The built-in sandbox gateway: it "collects" every payment and refund at once by queueing a
 * signed webhook that a job POSTs to this server over loopback, so the whole flow runs with no
 * outside service. */
#ifndef PS_SANDBOX_GATEWAY_H
#define PS_SANDBOX_GATEWAY_H

#include "core/router.h"
#include "payments/payments.h"

extern const struct payments_gateway sandbox_gateway;

/* The delivery job: sends due webhooks, retries failures with backoff. */
int sandbox_deliver_job(const struct ps_app *app);

#endif
