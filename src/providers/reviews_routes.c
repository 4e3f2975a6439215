/* Reviews: the owner of a completed order rates it once (1-5 stars and a comment); anyone
 * reads a provider's reviews; its provider_admins and advisors reply. */
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/router.h"
#include "providers/providers_internal.h"
#include "providers/providers_routes.h"
#include "providers/rank.h"

const struct ps_param providers_review_params[] = {
    { "rating", PS_INT, PS_REQUIRED, .min = 1, .max = 5 },
    { "comment", PS_STRING, PS_NULLABLE, .max = 1000 },
    PS_PARAM_END
};

const struct ps_param providers_reply_params[] = {
    { "text", PS_STRING, PS_REQUIRED, .min = 1, .max = 1000 },
    PS_PARAM_END
};

struct review_ctx {
    const char *order_id, *provider_id, *review_id, *user_id, *text;
    int rating;
    json_t *out;
};

static int review_tx(struct ps_db_conn *c, void *arg)
{
    struct review_ctx *x = arg;
    json_decref(x->out);              /* PostgreSQL may run this again after a retry */
    x->out = NULL;
    return providers_review_add(c, x->order_id, x->user_id, x->rating, x->text, &x->out);
}

int providers_review_create(struct ps_req *r)
{
    struct review_ctx x = { .order_id = ps_req_param(r, "id"), .user_id = ps_req_user(r),
                            .rating = (int)ps_json_int(r->json, "rating", 0),
                            .text = ps_json_str(r->json, "comment", NULL) };
    int rc = ps_db_write(ps_app()->db, review_tx, &x);
    if (rc == PS_E_DUPLICATE)
        return ps_reply_problem(r, rc, "this order has been reviewed already");
    if (rc == PS_E_INVALID_STATE)
        return ps_reply_problem(r, rc, "only a completed order can be reviewed");
    if (rc) {
        json_decref(x.out);
        return rc;
    }
    return ps_reply_json(r, 201, x.out);
}

int providers_reviews_get(struct ps_req *r)
{
    const char *id = ps_req_param(r, "id");
    char next[PS_ID_LEN + 1];
    struct ps_db_conn *c = ps_db_reader(ps_app()->db);
    json_t *p = providers_store_provider_get(c, id, false);
    json_t *items = p ? providers_reviews_list(c, id, ps_json_str(r->query, "cursor", ""),
                                               (int)ps_json_int(r->query, "limit", PS_LIST_DEFAULT), next)
                      : NULL;
    ps_db_release(c);
    if (!p)
        return PS_E_NOT_FOUND;
    json_t *o = json_pack("{s:o, s:o, s:O, s:O}", "items", items ? items : json_array(),
                          "next_cursor", items && next[0] ? json_string(next) : json_null(),
                          "rating", json_object_get(p, "rating"),
                          "review_count", json_object_get(p, "review_count"));
    json_decref(p);
    return ps_reply_json(r, 200, o);
}

static int reply_tx(struct ps_db_conn *c, void *arg)
{
    struct review_ctx *x = arg;
    json_decref(x->out);
    x->out = NULL;
    return providers_review_reply(c, x->provider_id, x->review_id, x->user_id, x->text, &x->out);
}

int providers_review_reply_post(struct ps_req *r)
{
    struct review_ctx x = { .provider_id = ps_req_param(r, "id"),
                            .review_id = ps_req_param(r, "review_id"), .user_id = ps_req_user(r),
                            .text = ps_json_str(r->json, "text", "") };
    int rc = ps_db_write(ps_app()->db, reply_tx, &x);
    if (rc) {
        json_decref(x.out);
        return rc;
    }
    return ps_reply_json(r, 200, x.out);
}
