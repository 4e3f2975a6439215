/* `pitstop seed demo [--providers N]`: realistic, approved demo shops around ten Chinese
 * cities, with services and prices, opening hours, bays and rating aggregates. Everything is
 * derived from the shop's index through a fixed PRNG (splitmix64), ids included, so a second
 * run finds every row present and adds nothing. Writes go in chunks of CHUNK shops per
 * transaction (one group commit each). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/pii.h"
#include "core/router.h"
#include "providers/providers_internal.h"
#include "providers/seed.h"
#include "providers/uscc.h"

#define CHUNK 250
#define SEED_EPOCH_MS 1700000000000LL   /* ids of demo rows sort before any real one */
#define SEED_MAX 200000

struct city {
    const char *name, *prefix, *division;
    double lat, lng;
    const char *districts[6];
};

static const struct city cities[] = {
    { "上海", "上海市", "310115", 31.2304, 121.4737, { "浦东新区", "徐汇区", "静安区", "闵行区", "杨浦区", "长宁区" } },
    { "北京", "北京市", "110105", 39.9042, 116.4074, { "朝阳区", "海淀区", "丰台区", "东城区", "西城区", "通州区" } },
    { "广州", "广州市", "440106", 23.1291, 113.2644, { "天河区", "越秀区", "海珠区", "白云区", "番禺区", "荔湾区" } },
    { "深圳", "深圳市", "440305", 22.5431, 114.0579, { "南山区", "福田区", "罗湖区", "宝安区", "龙岗区", "龙华区" } },
    { "杭州", "杭州市", "330106", 30.2741, 120.1551, { "西湖区", "上城区", "拱墅区", "滨江区", "萧山区", "余杭区" } },
    { "成都", "成都市", "510107", 30.5728, 104.0668, { "武侯区", "锦江区", "青羊区", "金牛区", "成华区", "高新区" } },
    { "武汉", "武汉市", "420106", 30.5928, 114.3055, { "武昌区", "江汉区", "洪山区", "汉阳区", "江岸区", "东西湖区" } },
    { "南京", "南京市", "320106", 32.0603, 118.7969, { "鼓楼区", "玄武区", "秦淮区", "建邺区", "栖霞区", "江宁区" } },
    { "西安", "西安市", "610113", 34.3416, 108.9398, { "雁塔区", "碑林区", "莲湖区", "新城区", "未央区", "长安区" } },
    { "重庆", "重庆市", "500112", 29.5630, 106.5516, { "渝北区", "江北区", "渝中区", "南岸区", "沙坪坝区", "九龙坡区" } },
};
#define NCITIES (sizeof cities / sizeof cities[0])

static const char *const name_a[] = { "鑫", "顺", "安", "捷", "诚", "恒", "宏", "佳", "通", "骏", "瑞", "福", "众", "华", "联", "永" };
static const char *const name_b[] = { "达", "驰", "信", "宝", "泰", "盛", "程", "途", "力", "邦" };
static const char *const kinds[] = { "汽修厂", "汽车服务中心", "养车工坊", "快修店", "汽车维修中心",
                                     "轮胎店", "汽车美容店", "新能源汽车服务站", "汽车保养中心" };
static const char *const roads[] = { "人民路", "解放路", "建设路", "中山路", "长江路", "和平路", "光明路",
                                     "科技路", "创业路", "滨江大道", "工业园路", "东风路", "环城北路" };
static const char *const blurbs[] = {
    "原厂配件，明码标价，不做过度维修。", "技师持证上岗，施工全程可视。", "支持新能源车型，预约免排队。",
    "BYD、大众、丰田等主流车型经验丰富。", "Free inspection with every service.", "保养套餐含机油机滤，工时透明。",
};

/* Typical price of a service type in fen, and the parts share of it (per cent). */
static void base_price(const struct providers_service_type *t, int64_t *fen, int *parts_pct)
{
    if (!strcmp(t->category, "maintenance")) { *fen = 39800; *parts_pct = 65; }
    else if (!strcmp(t->category, "brakes")) { *fen = 45000; *parts_pct = 60; }
    else if (!strcmp(t->category, "tires")) { *fen = 12000; *parts_pct = 20; }
    else if (!strcmp(t->category, "electrical")) { *fen = 38000; *parts_pct = 70; }
    else if (!strcmp(t->category, "comfort")) { *fen = 22000; *parts_pct = 40; }
    else if (!strcmp(t->category, "repair")) { *fen = 88000; *parts_pct = 50; }
    else if (!strcmp(t->category, "inspection")) { *fen = 30000; *parts_pct = 0; }
    else { *fen = 5000; *parts_pct = 0; }
    if (!strcmp(t->code, "tire_replacement")) { *fen = 68000; *parts_pct = 85; }
    if (!strcmp(t->code, "car_wash")) *fen = 3500;
    if (!strcmp(t->code, "detailing")) *fen = 58000;
    if (!strcmp(t->code, "major_service")) *fen = 128000;
    if (!strcmp(t->code, "engine_repair")) *fen = 350000;
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double unit(uint64_t *st)
{
    return (double)(splitmix64(st) >> 11) / 9007199254740992.0;
}

/* A valid-looking deterministic id: 48 bits of "time" then 80 bits from the PRNG. */
static void seed_id(uint64_t n, uint64_t salt, char out[PS_ID_LEN + 1])
{
    static const char a[] = "0123456789abcdefghjkmnpqrstvwxyz";
    uint64_t t = (uint64_t)SEED_EPOCH_MS + n;
    uint64_t st = n * 1000003ULL + salt;
    uint64_t r1 = splitmix64(&st), r2 = splitmix64(&st);
    for (int i = 9; i >= 0; i--) {
        out[i] = a[t & 31];
        t >>= 5;
    }
    for (int i = 10; i < 26; i++) {
        uint64_t *src = i < 23 ? &r1 : &r2;
        out[i] = a[*src & 31];
        *src >>= 5;
    }
    out[PS_ID_LEN] = '\0';
}

static void make_provider(uint64_t i, struct providers_seed_provider *p)
{
    uint64_t st = 0x5EEDULL * 7919 + i;
    const struct city *c = &cities[i % NCITIES];
    memset(p, 0, sizeof *p);
    seed_id(i, 0xA11CE, p->id);
    const char *district = c->districts[splitmix64(&st) % 6];
    char short_d[32];
    /* "浦东新区" -> "浦东": the first two characters (6 bytes of UTF-8). */
    snprintf(short_d, sizeof short_d, "%.6s", district);
    snprintf(p->name, sizeof p->name, "%s%s%s%s", short_d, name_a[splitmix64(&st) % 16],
             name_b[splitmix64(&st) % 10], kinds[splitmix64(&st) % (sizeof kinds / sizeof kinds[0])]);
    snprintf(p->address, sizeof p->address, "%s%s%s%d号", c->prefix, district,
             roads[splitmix64(&st) % (sizeof roads / sizeof roads[0])], (int)(splitmix64(&st) % 2000) + 1);
    snprintf(p->city, sizeof p->city, "%s", c->name);
    /* Spread over roughly 28 x 28 km around the centre, denser near it. */
    double u = unit(&st) - 0.5, v = unit(&st) - 0.5, w = 0.35 + 0.65 * unit(&st);
    p->lat = c->lat + u * 0.25 * w;
    p->lng = c->lng + v * 0.29 * w;
    /* USCC: 91 + the city's division code + "MA" + the index in base 31, + check char. */
    static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char code[PROVIDERS_USCC_LEN + 1];
    snprintf(code, sizeof code, "91%sMA", c->division);
    uint64_t k = i;
    for (int d = 16; d >= 10; d--) {
        code[d] = alpha[k % 31];
        k /= 31;
    }
    code[17] = providers_uscc_check_char(code);
    code[18] = '\0';
    snprintf(p->uscc, sizeof p->uscc, "%s", code);
    char phone[16];
    snprintf(phone, sizeof phone, "1%d%09llu", 3 + (int)(splitmix64(&st) % 7),
             (unsigned long long)(splitmix64(&st) % 1000000000ULL));
    ps_pii_seal(ps_app()->pii, phone, p->phone_sealed, sizeof p->phone_sealed);
    ps_mask_phone(phone, p->phone_masked, sizeof p->phone_masked);
    p->bays = 2 + (int)(splitmix64(&st) % 5);
    p->review_count = (int64_t)(splitmix64(&st) % 320);
    double avg = 3.4 + 1.6 * unit(&st);
    p->rating_sum = (int64_t)(avg * (double)p->review_count + 0.5);
    if (p->rating_sum > 5 * p->review_count)
        p->rating_sum = 5 * p->review_count;
    p->created_at = SEED_EPOCH_MS + (int64_t)i;
    /* Services: oil change and car wash nearly everywhere, then a random handful. */
    size_t ncat = providers_catalog_count();
    double price_factor = 0.75 + 0.6 * unit(&st);
    for (size_t t = 0; t < ncat && p->nservices < PROVIDERS_SEED_MAX_SERVICES; t++) {
        const struct providers_service_type *ty = providers_catalog_at(t);
        bool common = !strcmp(ty->code, "oil_change") || !strcmp(ty->code, "car_wash") ||
                      !strcmp(ty->code, "minor_service") || !strcmp(ty->code, "brake_pads");
        if (unit(&st) > (common ? 0.92 : 0.22))
            continue;
        struct providers_service *s = &p->services[p->nservices];
        seed_id(i * 64 + t, 0x5E41CE, s->id);
        memcpy(s->provider_id, p->id, sizeof p->id);
        snprintf(s->service_type, sizeof s->service_type, "%s", ty->code);
        snprintf(s->name, sizeof s->name, "%s", ty->name_zh);
        s->has_description = true;
        snprintf(s->description, sizeof s->description, "%s %s",
                 blurbs[splitmix64(&st) % (sizeof blurbs / sizeof blurbs[0])], ty->name_en);
        int64_t fen;
        int parts_pct;
        base_price(ty, &fen, &parts_pct);
        s->price_fen = ((int64_t)((double)fen * price_factor * (0.85 + 0.3 * unit(&st))) / 100) * 100;
        s->parts_fen = s->price_fen * parts_pct / 100;
        s->labor_fen = s->price_fen - s->parts_fen;
        s->duration_min = ty->duration_min;
        s->active = true;
        p->nservices++;
    }
    /* Hours: 08:30-18:00 or 09:00-21:00; a fifth of the shops close on Sundays. */
    bool late = unit(&st) < 0.4, sunday_off = unit(&st) < 0.2;
    for (int d = 1; d <= 7; d++) {
        if (d == 7 && sunday_off)
            continue;
        p->hours[p->nhours].weekday = d;
        p->hours[p->nhours].open_min = late ? 540 : 510;
        p->hours[p->nhours].close_min = late ? 1260 : 1080;
        p->nhours++;
    }
}

struct chunk { uint64_t from, to; int inserted; };

static int chunk_tx(struct ps_db_conn *c, void *arg)
{
    struct chunk *ch = arg;
    struct providers_seed_provider *p = malloc(sizeof *p);
    if (!p)
        return PS_E_NOMEM;
    int rc = 0;
    ch->inserted = 0;
    for (uint64_t i = ch->from; i < ch->to && rc == 0; i++) {
        bool inserted = false;
        make_provider(i, p);
        rc = providers_seed_store_provider(c, p, &inserted);
        ch->inserted += inserted;
    }
    free(p);
    return rc;
}

int providers_seed_run(const struct ps_app *app, int argc, char **argv)
{
    long n = 1000;
    if (argc < 2 || strcmp(argv[1], "demo")) {
        fprintf(stderr, "usage: pitstop seed demo [--providers N]\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--providers") && i + 1 < argc) {
            char *end;
            n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > SEED_MAX) {
                fprintf(stderr, "seed: --providers takes 1..%d\n", SEED_MAX);
                return 2;
            }
        } else {
            fprintf(stderr, "seed: unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    if (providers_catalog_load())
        return 1;
    long long t0 = ps_mono_ns();
    int total = 0;
    for (uint64_t from = 0; from < (uint64_t)n; from += CHUNK) {
        struct chunk ch = { from, from + CHUNK < (uint64_t)n ? from + CHUNK : (uint64_t)n, 0 };
        int rc = ps_db_write(app->db, chunk_tx, &ch);
        if (rc) {
            fprintf(stderr, "seed: writing shops %llu-%llu failed (%d)\n", (unsigned long long)ch.from,
                    (unsigned long long)ch.to, rc);
            return 1;
        }
        total += ch.inserted;
    }
    printf("seed demo: %d of %ld providers added (%ld already present) in %.2f s\n", total, n,
           n - total, (double)(ps_mono_ns() - t0) / 1e9);
    return 0;
}
