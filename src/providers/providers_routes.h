/* Handlers and parameter tables of the providers module, gathered into one route table by
 * providers_module.c. */
#ifndef PS_PROVIDERS_ROUTES_H
#define PS_PROVIDERS_ROUTES_H

#include "core/router.h"

/* applications_routes.c */
int providers_app_create(struct ps_req *r);
int providers_app_mine(struct ps_req *r);
int providers_app_get(struct ps_req *r);
int providers_app_queue(struct ps_req *r);
int providers_app_approve(struct ps_req *r);
int providers_app_reject(struct ps_req *r);
extern const struct ps_param providers_app_params[];
extern const struct ps_param providers_app_queue_query[];
extern const struct ps_param providers_reject_params[];
extern const struct ps_param providers_page_query[];

/* providers_routes.c */
int providers_service_types(struct ps_req *r);
int providers_get(struct ps_req *r);
int providers_services_list(struct ps_req *r);
int providers_service_add(struct ps_req *r);
int providers_service_patch(struct ps_req *r);
int providers_service_delete(struct ps_req *r);
int providers_schedule_get(struct ps_req *r);
int providers_schedule_put(struct ps_req *r);
int providers_staff_list(struct ps_req *r);
int providers_staff_add(struct ps_req *r);
int providers_staff_delete(struct ps_req *r);
int providers_slots(struct ps_req *r);
extern const struct ps_param providers_service_params[];
extern const struct ps_param providers_service_patch_params[];
extern const struct ps_param providers_schedule_params[];
extern const struct ps_param providers_staff_params[];
extern const struct ps_param providers_slots_query[];

/* nearby_routes.c */
int providers_nearby_get(struct ps_req *r);
extern const struct ps_param providers_nearby_query[];
int providers_explain_cmd(const struct ps_app *app, int argc, char **argv);

/* reviews_routes.c */
int providers_review_create(struct ps_req *r);
int providers_reviews_get(struct ps_req *r);
int providers_review_reply_post(struct ps_req *r);
extern const struct ps_param providers_review_params[];
extern const struct ps_param providers_reply_params[];

#endif
