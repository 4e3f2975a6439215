/* Loader of the diagnosis rule base (format: docs/DIAGNOSIS.md). Everything is checked at
 * load time, so a mistake in the data file stops the server at start-up with the line
 * number, instead of silently matching nothing. */
#include "diagnosis/rules.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "diagnosis/dtc.h"

#define MAX_FIELDS 8

const char *diag_urgency_name(enum diag_urgency u)
{
    switch (u) {
    case DIAG_LOW: return "low";
    case DIAG_MEDIUM: return "medium";
    case DIAG_HIGH: return "high";
    default: return "stop_driving";
    }
}

int diag_fuel_bit(const char *name)
{
    static const struct { const char *name; int bit; } fuels[] = {
        { "gasoline", DIAG_FUEL_GASOLINE }, { "diesel", DIAG_FUEL_DIESEL },
        { "hybrid", DIAG_FUEL_HYBRID },     { "phev", DIAG_FUEL_PHEV },
        { "bev", DIAG_FUEL_BEV },           { "ev", DIAG_FUEL_BEV },
    };
    for (size_t i = 0; name && i < sizeof fuels / sizeof fuels[0]; i++)
        if (strcmp(name, fuels[i].name) == 0) return fuels[i].bit;
    return 0;
}

struct loader {
    struct diag_rules *rb;
    const char *file;
    int line;
    char *err;
    size_t errlen;
};

static int bad(struct loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct loader *L, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (L->err && L->errlen) snprintf(L->err, L->errlen, "%s:%d: %s", L->file, L->line, msg);
    return PS_E_BAD_REQUEST;
}

/* Split line in place at sep; returns the number of fields (at most max). */
static int split(char *line, char sep, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *q = strchr(p, sep);
        if (!q) break;
        *q = '\0';
        p = q + 1;
    }
    return n;
}

static bool copy_field(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n == 0 || n >= cap) return false;
    memcpy(dst, src, n + 1);
    return true;
}

static bool parse_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(d)) return false;
    *v = d;
    return true;
}

/* --- the service type catalog ------------------------------------------------------ */

static int load_catalog(struct loader *L, char *text)
{
    char *save = text;
    L->file = "service_types.tsv";
    L->line = 0;
    while (save) {
        char *line = save;
        char *nl = strchr(line, '\n');
        if (nl) { *nl = '\0'; save = nl + 1; } else save = NULL;
        L->line++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r') line[len - 1] = '\0';
        if (line[0] == '#' || line[0] == '\0') continue;
        char *f[MAX_FIELDS];
        int nf = split(line, '\t', f, MAX_FIELDS);
        if (nf < 4) return bad(L, "expected code, category, name_zh, name_en");
        if (L->rb->nservices == DIAG_MAX_SERVICE_TYPES) return bad(L, "too many service types");
        struct diag_service_type *st = &L->rb->services[L->rb->nservices];
        if (!copy_field(st->code, sizeof st->code, f[0]) ||
            !copy_field(st->name_zh, sizeof st->name_zh, f[2]) ||
            !copy_field(st->name_en, sizeof st->name_en, f[3]))
            return bad(L, "empty or overlong field");
        L->rb->nservices++;
    }
    return 0;
}

static int service_index(const struct diag_rules *rb, const char *code)
{
    for (int i = 0; i < rb->nservices; i++)
        if (strcmp(rb->services[i].code, code) == 0) return i;
    return -1;
}

/* --- rule file lines ---------------------------------------------------------------- */

int diag_rules_concept(const struct diag_rules *rb, const char *name)
{
    for (int i = 0; i < rb->nconcepts; i++)
        if (strcmp(rb->concepts[i].name, name) == 0) return i;
    return -1;
}

const struct diag_rule *diag_rules_find(const struct diag_rules *rb, const char *id)
{
    for (int i = 0; i < rb->nrules; i++)
        if (strcmp(rb->rules[i].id, id) == 0) return &rb->rules[i];
    return NULL;
}

static int add_term(struct loader *L, const char *raw)
{
    struct diag_rules *rb = L->rb;
    if (rb->nterms == DIAG_MAX_TERMS) return bad(L, "too many terms");
    struct diag_term *t = &rb->terms[rb->nterms];
    memset(t, 0, sizeof *t);
    diag_text_normalise(raw, t->text, sizeof t->text);
    if (t->text[0] == '\0') return bad(L, "empty term");
    if (strlen(t->text) >= sizeof t->text - 1) return bad(L, "term too long: %s", raw);
    t->latin = true;
    for (const unsigned char *p = (const unsigned char *)t->text; *p; p++)
        if (*p >= 0x80) t->latin = false;
    if (t->latin) {
        struct diag_tokens toks;
        diag_tokenise(t->text, &toks);
        if (toks.n == 0) return bad(L, "term without letters: %s", raw);
        if (toks.n > DIAG_MAX_TERM_TOKENS) return bad(L, "phrase has too many words: %s", raw);
        t->ntok = toks.n;
        for (int i = 0; i < toks.n; i++) memcpy(t->tok[i], toks.t[i], DIAG_MAX_TOKEN_LEN);
    }
    rb->nterms++;
    return 0;
}

/* concept <name> <term>|<term>|... (a later line with the same name adds terms, which
 * keeps long synonym lists readable; the lines of one concept must be adjacent) */
static int parse_concept(struct loader *L, char **f, int nf)
{
    struct diag_rules *rb = L->rb;
    if (nf != 3) return bad(L, "concept: expected a name and a term list");
    int idx = diag_rules_concept(rb, f[1]);
    struct diag_concept *c;
    if (idx >= 0) {
        c = &rb->concepts[idx];
        if (c->first_term + c->nterms != rb->nterms)
            return bad(L, "concept %s continued after other concepts", f[1]);
    } else {
        if (rb->nconcepts == DIAG_MAX_CONCEPTS) return bad(L, "too many concepts");
        c = &rb->concepts[rb->nconcepts];
        if (!copy_field(c->name, sizeof c->name, f[1])) return bad(L, "bad concept name");
        c->first_term = rb->nterms;
        c->nterms = 0;
        rb->nconcepts++;
    }
    char *terms[256];
    int nt = split(f[2], '|', terms, 256);
    for (int i = 0; i < nt; i++) {
        int rc = add_term(L, terms[i]);
        if (rc) return rc;
        c->nterms++;
    }
    return 0;
}

static int parse_urgency(const char *s, enum diag_urgency *u)
{
    static const char *const names[] = { "low", "medium", "high", "stop_driving" };
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) { *u = (enum diag_urgency)i; return 0; }
    return -1;
}

/* rule <id> <service_type> <urgency> <prior> <title_zh> <title_en> */
static int parse_rule(struct loader *L, char **f, int nf)
{
    struct diag_rules *rb = L->rb;
    if (nf != 7) return bad(L, "rule: expected id, service_type, urgency, prior, title_zh, title_en");
    if (rb->nrules == DIAG_MAX_RULES) return bad(L, "too many rules");
    if (diag_rules_find(rb, f[1])) return bad(L, "rule %s defined twice", f[1]);
    struct diag_rule *r = &rb->rules[rb->nrules];
    memset(r, 0, sizeof *r);
    if (!copy_field(r->id, sizeof r->id, f[1])) return bad(L, "bad rule id");
    if ((r->service = service_index(rb, f[2])) < 0)
        return bad(L, "unknown service type %s (see src/providers/service_types.tsv)", f[2]);
    if (parse_urgency(f[3], &r->urgency)) return bad(L, "urgency must be low|medium|high|stop_driving");
    if (!parse_double(f[4], &r->prior) || r->prior <= 0 || r->prior > 100)
        return bad(L, "prior must be a number in (0, 100]");
    if (!copy_field(r->title_zh, sizeof r->title_zh, f[5]) ||
        !copy_field(r->title_en, sizeof r->title_en, f[6]))
        return bad(L, "empty or overlong title");
    rb->nrules++;
    return 0;
}

static struct diag_rule *current(struct loader *L)
{
    return L->rb->nrules ? &L->rb->rules[L->rb->nrules - 1] : NULL;
}

static int parse_weight(struct loader *L, const char *s, double *w)
{
    if (!parse_double(s, w) || *w < -20 || *w > 20) return bad(L, "weight must be in [-20, 20]");
    return 0;
}

/* sym <weight> <concept>+<concept>... */
static int parse_sym(struct loader *L, char **f, int nf)
{
    struct diag_rule *r = current(L);
    if (!r) return bad(L, "sym before any rule");
    if (nf != 3) return bad(L, "sym: expected a weight and concepts");
    if (r->nev == DIAG_MAX_EVIDENCE) return bad(L, "too many evidence lines in rule %s", r->id);
    struct diag_evidence *e = &r->ev[r->nev];
    memset(e, 0, sizeof *e);
    e->kind = DIAG_EV_SYM;
    int rc = parse_weight(L, f[1], &e->weight);
    if (rc) return rc;
    char *names[DIAG_MAX_SYM_CONCEPTS + 1];
    int n = split(f[2], '+', names, DIAG_MAX_SYM_CONCEPTS + 1);
    if (n > DIAG_MAX_SYM_CONCEPTS) return bad(L, "too many concepts in one sym line");
    for (int i = 0; i < n; i++) {
        int c = diag_rules_concept(L->rb, names[i]);
        if (c < 0) return bad(L, "unknown concept %s", names[i]);
        e->concepts[e->nconcepts++] = c;
    }
    r->nev++;
    return 0;
}

/* One pattern: P0420 | P0300-P0308 | P03* (any number of trailing digits as a wildcard) */
static int parse_pattern(struct loader *L, const char *p, struct diag_range *out)
{
    char a[DIAG_DTC_LEN + 1], b[DIAG_DTC_LEN + 1];
    const char *dash = strchr(p, '-');
    const char *star = strchr(p, '*');
    if (dash) {
        char lo[8] = "", hi[8] = "";
        size_t ln = (size_t)(dash - p);
        if (ln >= sizeof lo || strlen(dash + 1) >= sizeof hi) return bad(L, "bad range %s", p);
        memcpy(lo, p, ln);
        memcpy(hi, dash + 1, strlen(dash + 1) + 1);
        if (!diag_dtc_normalise(lo, a) || !diag_dtc_normalise(hi, b) || a[0] != b[0])
            return bad(L, "bad range %s", p);
    } else if (star) {
        size_t k = (size_t)(star - p);
        if (k < 1 || k > DIAG_DTC_LEN || star[1] != '\0') return bad(L, "bad wildcard %s", p);
        char lo[DIAG_DTC_LEN + 1], hi[DIAG_DTC_LEN + 1];
        memcpy(lo, p, k);
        memcpy(hi, p, k);
        for (size_t i = k; i < DIAG_DTC_LEN; i++) { lo[i] = '0'; hi[i] = 'F'; }
        lo[DIAG_DTC_LEN] = hi[DIAG_DTC_LEN] = '\0';
        if (!diag_dtc_normalise(lo, a) || !diag_dtc_normalise(hi, b)) return bad(L, "bad wildcard %s", p);
    } else {
        if (!diag_dtc_normalise(p, a)) return bad(L, "bad code %s", p);
        memcpy(b, a, sizeof b);
    }
    out->lo = diag_dtc_value(a);
    out->hi = diag_dtc_value(b);
    if (out->lo > out->hi) return bad(L, "empty range %s", p);
    return 0;
}

/* dtc <weight> <pattern>,<pattern>,... */
static int parse_dtc(struct loader *L, char **f, int nf)
{
    struct diag_rule *r = current(L);
    if (!r) return bad(L, "dtc before any rule");
    if (nf != 3) return bad(L, "dtc: expected a weight and code patterns");
    if (r->nev == DIAG_MAX_EVIDENCE) return bad(L, "too many evidence lines in rule %s", r->id);
    struct diag_evidence *e = &r->ev[r->nev];
    memset(e, 0, sizeof *e);
    e->kind = DIAG_EV_DTC;
    int rc = parse_weight(L, f[1], &e->weight);
    if (rc) return rc;
    char *pats[DIAG_MAX_DTC_RANGES + 1];
    int n = split(f[2], ',', pats, DIAG_MAX_DTC_RANGES + 1);
    if (n > DIAG_MAX_DTC_RANGES) return bad(L, "too many patterns in one dtc line");
    for (int i = 0; i < n; i++) {
        if ((rc = parse_pattern(L, pats[i], &e->ranges[i])) != 0) return rc;
        e->nranges++;
    }
    r->nev++;
    return 0;
}

/* cond <factor> km>=N | km<N | age>=N | age<N | fuel=a|b | fuel!=a|b */
static int parse_cond(struct loader *L, char **f, int nf)
{
    struct diag_rule *r = current(L);
    if (!r) return bad(L, "cond before any rule");
    if (nf != 3) return bad(L, "cond: expected a factor and a test");
    if (r->nconds == DIAG_MAX_CONDS) return bad(L, "too many cond lines in rule %s", r->id);
    struct diag_cond *c = &r->conds[r->nconds];
    memset(c, 0, sizeof *c);
    if (!parse_double(f[1], &c->factor) || c->factor < 0 || c->factor > 100)
        return bad(L, "factor must be in [0, 100]");
    char *t = f[2];
    if (strncmp(t, "fuel", 4) == 0) {
        c->kind = DIAG_COND_FUEL;
        const char *v;
        if (strncmp(t + 4, "!=", 2) == 0) { c->negate = true; v = t + 6; }
        else if (t[4] == '=') v = t + 5;
        else return bad(L, "fuel test must be fuel=... or fuel!=...");
        char buf[128];
        if (strlen(v) >= sizeof buf) return bad(L, "fuel list too long");
        memcpy(buf, v, strlen(v) + 1);
        char *names[8];
        int n = split(buf, '|', names, 8);
        for (int i = 0; i < n; i++) {
            int bit = diag_fuel_bit(names[i]);
            if (!bit) return bad(L, "unknown fuel type %s", names[i]);
            c->fuels |= bit;
        }
    } else {
        const char *v;
        if (strncmp(t, "km", 2) == 0) { c->kind = DIAG_COND_KM; v = t + 2; }
        else if (strncmp(t, "age", 3) == 0) { c->kind = DIAG_COND_AGE; v = t + 3; }
        else return bad(L, "test must start with km, age or fuel");
        if (strncmp(v, ">=", 2) == 0) v += 2;
        else if (v[0] == '<') { c->negate = true; v += 1; }
        else return bad(L, "km and age tests use >= or <");
        if (!parse_double(v, &c->value) || c->value < 0) return bad(L, "bad threshold %s", v);
    }
    r->nconds++;
    return 0;
}

/* fallback <weight> */
static int parse_fallback(struct loader *L, char **f, int nf)
{
    struct diag_rule *r = current(L);
    if (!r) return bad(L, "fallback before any rule");
    if (nf != 2) return bad(L, "fallback: expected a weight");
    r->fallback = true;
    return parse_weight(L, f[1], &r->fallback_weight);
}

static int load_rules(struct loader *L, char *text)
{
    L->file = "rules.tsv";
    L->line = 0;
    char *save = text;
    while (save) {
        char *line = save;
        char *nl = strchr(line, '\n');
        if (nl) { *nl = '\0'; save = nl + 1; } else save = NULL;
        L->line++;
        size_t len = strlen(line);
        if (len >= DIAG_MAX_RULES_LINE) return bad(L, "line too long");
        if (len && line[len - 1] == '\r') line[--len] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;          /* evidence lines may be indented */
        if (*p == '#' || *p == '\0') continue;
        char *f[MAX_FIELDS];
        int nf = split(p, '\t', f, MAX_FIELDS);
        int rc;
        if (strcmp(f[0], "concept") == 0) rc = parse_concept(L, f, nf);
        else if (strcmp(f[0], "rule") == 0) rc = parse_rule(L, f, nf);
        else if (strcmp(f[0], "sym") == 0) rc = parse_sym(L, f, nf);
        else if (strcmp(f[0], "dtc") == 0) rc = parse_dtc(L, f, nf);
        else if (strcmp(f[0], "cond") == 0) rc = parse_cond(L, f, nf);
        else if (strcmp(f[0], "fallback") == 0) rc = parse_fallback(L, f, nf);
        else rc = bad(L, "unknown line kind %s", f[0]);
        if (rc) return rc;
    }
    for (int i = 0; i < L->rb->nrules; i++) {
        const struct diag_rule *r = &L->rb->rules[i];
        if (r->nev == 0 && !r->fallback)
            return bad(L, "rule %s has no evidence (sym, dtc or fallback)", r->id);
    }
    return 0;
}

int diag_rules_load(const char *catalog_tsv, const char *rules_text, struct diag_rules **out,
                    char *err, size_t errlen)
{
    struct diag_rules *rb = calloc(1, sizeof *rb);
    char *cat = strdup(catalog_tsv);
    char *txt = strdup(rules_text);
    int rc = PS_E_NOMEM;
    if (!rb || !cat || !txt) goto out;
    struct loader L = { rb, "", 0, err, errlen };
    if ((rc = load_catalog(&L, cat)) != 0) goto out;
    rc = load_rules(&L, txt);
out:
    free(cat);
    free(txt);
    if (rc) { free(rb); return rc; }
    *out = rb;
    return 0;
}

void diag_rules_free(struct diag_rules *rb)
{
    free(rb);
}
