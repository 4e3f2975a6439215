/* The providers module: onboarding, catalog and prices, schedules and slots, nearby search,
 * reviews, and the demo seed. Its one route table is here; handlers live in *_routes.c. */
#include "core/errors.h"
#include "core/module.h"
#include "providers/providers_internal.h"
#include "providers/providers_routes.h"

int providers_catalog_init(void);

static const struct ps_route providers_routes[] = {
    { PS_GET, "/api/v1/service-types", providers_service_types, PS_PUBLIC,
      .summary = "The platform's catalog of service types", .tag = "providers",
      .response = "ServiceTypes" },

    { PS_POST, "/api/v1/provider-applications", providers_app_create, PS_AUTH,
      .body = providers_app_params, .summary = "Apply to join as a service provider",
      .tag = "providers", .response = "ProviderApplication", .status = 201, .errors = "409,422" },
    { PS_GET, "/api/v1/provider-applications", providers_app_mine, PS_AUTH,
      .query = providers_page_query, .summary = "My provider applications", .tag = "providers",
      .response = "ProviderApplications" },
    { PS_GET, "/api/v1/provider-applications/:id", providers_app_get, PS_AUTH,
      .summary = "One application (its applicant or an operator)", .tag = "providers",
      .response = "ProviderApplication", .errors = "404" },
    { PS_GET, "/api/v1/admin/provider-applications", providers_app_queue, PS_AUTH,
      .query = providers_app_queue_query, .roles = "operator,reviewer",
      .summary = "The operator's review queue", .tag = "providers",
      .response = "ProviderApplications" },
    { PS_POST, "/api/v1/admin/provider-applications/:id/approve", providers_app_approve, PS_AUTH,
      .roles = "operator,reviewer", .summary = "Approve: the applicant becomes provider_admin",
      .tag = "providers", .response = "ApplicationDecision", .errors = "404,409" },
    { PS_POST, "/api/v1/admin/provider-applications/:id/reject", providers_app_reject, PS_AUTH,
      .body = providers_reject_params, .roles = "operator,reviewer",
      .summary = "Reject with a reason", .tag = "providers", .response = "ApplicationDecision",
      .errors = "404,409,422" },

    /* Before /providers/:id: the first matching pattern wins. */
    { PS_GET, "/api/v1/providers/nearby", providers_nearby_get, PS_PUBLIC,
      .query = providers_nearby_query,
      .summary = "Approved, open providers offering a service near a point", .tag = "providers",
      .response = "NearbyResults", .errors = "422" },
    { PS_GET, "/api/v1/providers/:id", providers_get, PS_AUTH_OPT | PS_PUBLIC,
      .summary = "A provider's public page: hours, services and prices, rating",
      .tag = "providers", .response = "Provider", .errors = "404" },
    { PS_GET, "/api/v1/providers/:id/services", providers_services_list, PS_PUBLIC,
      .summary = "A provider's live services with prices", .tag = "providers",
      .response = "Services", .errors = "404" },
    { PS_POST, "/api/v1/providers/:id/services", providers_service_add, PS_AUTH,
      .body = providers_service_params, .summary = "Publish a service and its price",
      .tag = "providers", .response = "Service", .status = 201, .errors = "403,404,409,422" },
    { PS_PATCH, "/api/v1/providers/:id/services/:service_id", providers_service_patch, PS_AUTH,
      .body = providers_service_patch_params, .summary = "Change a service or its price",
      .tag = "providers", .response = "Service", .errors = "403,404,422" },
    { PS_DELETE, "/api/v1/providers/:id/services/:service_id", providers_service_delete, PS_AUTH,
      .summary = "Withdraw a service", .tag = "providers", .status = 204, .errors = "403,404" },
    { PS_GET, "/api/v1/providers/:id/schedule", providers_schedule_get, PS_PUBLIC,
      .summary = "Time zone, bays, weekly hours and closed dates", .tag = "providers",
      .response = "Schedule", .errors = "404" },
    { PS_PUT, "/api/v1/providers/:id/schedule", providers_schedule_put, PS_AUTH,
      .body = providers_schedule_params, .summary = "Set time zone, bays, weekly hours and closed dates",
      .tag = "providers", .response = "Schedule", .errors = "403,404,422" },
    { PS_GET, "/api/v1/providers/:id/slots", providers_slots, PS_PUBLIC,
      .query = providers_slots_query,
      .summary = "Start times of a day with a bay free for the whole service", .tag = "providers",
      .response = "Slots", .errors = "404,422" },
    { PS_GET, "/api/v1/providers/:id/staff", providers_staff_list, PS_AUTH,
      .summary = "The provider's staff and their roles", .tag = "providers",
      .response = "StaffList", .errors = "403,404" },
    { PS_POST, "/api/v1/providers/:id/staff", providers_staff_add, PS_AUTH,
      .body = providers_staff_params, .summary = "Give a registered user a role at the provider",
      .tag = "providers", .response = "StaffMember", .status = 201, .errors = "403,404,422" },
    { PS_DELETE, "/api/v1/providers/:id/staff/:user_id", providers_staff_delete, PS_AUTH,
      .summary = "Remove a staff member's roles", .tag = "providers", .status = 204,
      .errors = "403,404,409" },

    { PS_POST, "/api/v1/orders/:id/review", providers_review_create, PS_AUTH,
      .body = providers_review_params, .summary = "Review a completed order (once)",
      .tag = "reviews", .response = "Review", .status = 201, .errors = "404,409,422" },
    { PS_GET, "/api/v1/providers/:id/reviews", providers_reviews_get, PS_PUBLIC,
      .query = providers_page_query, .summary = "A provider's reviews, newest first",
      .tag = "reviews", .response = "Reviews", .errors = "404" },
    { PS_POST, "/api/v1/providers/:id/reviews/:review_id/reply", providers_review_reply_post,
      PS_AUTH, .body = providers_reply_params, .summary = "The provider's reply to a review",
      .tag = "reviews", .response = "Review", .errors = "403,404,422" },
    PS_ROUTE_END
};

static const struct ps_command providers_commands[] = {
    { "seed", "seed demo [--providers N]",
      "create deterministic demo providers around Chinese cities (idempotent)",
      providers_seed_run, 1 },
    { "providers-explain", "providers-explain",
      "print the query plan of nearby search (checks the spatial index is used)",
      providers_explain_cmd, 1 },
    PS_COMMAND_END
};

static int providers_init(const struct ps_app *app)
{
    return providers_catalog_init() ? PS_E_INTERNAL : 0;
}

const struct ps_module ps_module_providers = {
    .name = "providers",
    .routes = providers_routes,
    .init = providers_init,
    .schemas = providers_schemas,
    .commands = providers_commands,
};
