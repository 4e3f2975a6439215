/* The router: matching, path parameters, 405 with Allow, and the checks it runs for every
 * route (content type, JSON shape, declared parameters) before any handler. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>

#include "core/errors.h"
#include "core/module.h"
#include "core/router.h"
#include "core/static_files.h"

const struct ps_module *const ps_modules[] = { NULL };

static int handled;
static int ok_handler(struct ps_req *r)
{
    handled++;
    return ps_reply_json(r, 200, json_pack("{s:s}", "id", ps_req_param(r, "id") ? ps_req_param(r, "id") : ""));
}

static const struct ps_param body[] = {
    { "name", PS_STRING, PS_REQUIRED, .min = 1, .max = 8 },
    { "n", PS_INT, 0, .min = 0, .max = 10 },
    PS_PARAM_END
};

static const struct ps_route routes[] = {
    { PS_GET, "/api/v1/cars/:id", ok_handler, 0, .tag = "test" },
    { PS_DELETE, "/api/v1/cars/:id", ok_handler, 0, .tag = "test" },
    { PS_POST, "/api/v1/cars", ok_handler, 0, .tag = "test", .body = body },
    { PS_GET, "/api/v1/cars/:id/logs/:log", ok_handler, 0, .tag = "test" },
    { PS_GET, "/api/v1/private", ok_handler, PS_AUTH, .tag = "test" },
    PS_ROUTE_END
};

static const char *content_type = "application/json";
static const char *reader(const struct ps_req *r, const char *name, int kind)
{
    return kind == PS_HDR && strcasecmp(name, "Content-Type") == 0 ? content_type : NULL;
}

static int setup(void **state)
{
    static int once;
    if (!once++) {
        assert_int_equal(ps_router_add(routes), 0);
        ps_router_set_header_reader(reader);
    }
    handled = 0;
    content_type = "application/json";
    return 0;
}

static void run(struct ps_req *r, enum ps_method m, const char *path, const char *bodytext)
{
    memset(r, 0, sizeof *r);
    ps_arena_init(&r->arena, PS_MAX_ARENA_BYTES);
    r->method = m;
    r->path = path;
    r->body = bodytext;
    r->body_len = bodytext ? strlen(bodytext) : 0;
    const char *allow = NULL;
    int rc = ps_router_match(r, m, path, &allow);
    if (rc == 0)
        ps_router_dispatch(r);
    else
        ps_reply_problem(r, rc, "%s", allow ? allow : "");
}

static void done(struct ps_req *r)
{
    free(r->resp_body);
    ps_arena_free(&r->arena);
}

static void test_match_binds_params(void **state)
{
    struct ps_req r;
    run(&r, PS_GET, "/api/v1/cars/abc/logs/7", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(ps_req_param(&r, "id"), "abc");
    assert_string_equal(ps_req_param(&r, "log"), "7");
    done(&r);
}

static void test_unknown_and_trailing_slash_are_404(void **state)
{
    struct ps_req r;
    run(&r, PS_GET, "/api/v1/cars/abc/", NULL);
    assert_int_equal(r.status, 404);
    done(&r);
    run(&r, PS_GET, "/api/v1/cars//logs/1", NULL);
    assert_int_equal(r.status, 404);
    done(&r);
    run(&r, PS_GET, "/api/v1/trucks/1", NULL);
    assert_int_equal(r.status, 404);
    done(&r);
}

static void test_wrong_method_lists_allowed(void **state)
{
    struct ps_req r;
    memset(&r, 0, sizeof r);
    ps_arena_init(&r.arena, 4096);
    const char *allow = NULL;
    assert_int_equal(ps_router_match(&r, PS_PATCH, "/api/v1/cars/1", &allow), PS_E_METHOD);
    assert_string_equal(allow, "GET, DELETE");
    ps_arena_free(&r.arena);
}

static void test_body_checks_before_handler(void **state)
{
    struct ps_req r;
    run(&r, PS_POST, "/api/v1/cars", "{\"name\": 5, \"extra\": 1}");
    assert_int_equal(r.status, 422);
    assert_int_equal(handled, 0);
    assert_non_null(strstr(r.resp_body, "\"field\":\"name\""));
    assert_non_null(strstr(r.resp_body, "\"field\":\"extra\""));
    done(&r);

    run(&r, PS_POST, "/api/v1/cars", "{\"name\": ");
    assert_int_equal(r.status, 400);
    done(&r);

    content_type = "text/plain";
    run(&r, PS_POST, "/api/v1/cars", "{\"name\":\"a\"}");
    assert_int_equal(r.status, 415);
    done(&r);

    content_type = "application/json; charset=utf-8";
    run(&r, PS_POST, "/api/v1/cars", "{\"name\":\"a\",\"n\":3}");
    assert_int_equal(r.status, 200);
    assert_int_equal(handled, 1);
    done(&r);
}

static void test_auth_required(void **state)
{
    struct ps_req r;
    run(&r, PS_GET, "/api/v1/private", NULL);
    assert_int_equal(r.status, 401);
    assert_int_equal(handled, 0);
    assert_string_equal(r.resp_type, "application/problem+json");
    done(&r);
}

static void test_static_paths(void **state)
{
    assert_true(ps_static_path_unsafe("/../etc/passwd"));
    assert_true(ps_static_path_unsafe("/assets/../../x"));
    assert_true(ps_static_path_unsafe("/a\\b"));
    assert_true(ps_static_path_unsafe("relative"));
    assert_false(ps_static_path_unsafe("/assets/app..js"));
    assert_false(ps_static_path_unsafe("/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_match_binds_params, setup),
        cmocka_unit_test_setup(test_unknown_and_trailing_slash_are_404, setup),
        cmocka_unit_test_setup(test_wrong_method_lists_allowed, setup),
        cmocka_unit_test_setup(test_body_checks_before_handler, setup),
        cmocka_unit_test_setup(test_auth_required, setup),
        cmocka_unit_test_setup(test_static_paths, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
