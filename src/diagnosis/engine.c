/* Scoring: for each rule, the evidence weights that match are summed (E); a rule with
 * E > 0 scores prior x (product of the factors of its conditions that hold) x exp(E).
 * Likelihoods are the scores normalised over all candidates plus a constant mass for
 * causes outside the rule base, so a lone weak match is not reported as a certainty. */
#include "diagnosis/engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnosis/text.h"

void diag_query_add_dtc(struct diag_query *q, const char *code)
{
    for (int i = 0; i < q->ndtcs; i++)
        if (strcmp(q->dtcs[i], code) == 0) return;
    if (q->ndtcs < DIAG_MAX_QUERY_DTCS) memcpy(q->dtcs[q->ndtcs++], code, DIAG_DTC_LEN + 1);
}

/* Codes typed into the text: a letter P/C/B/U and four hex digits, as a whole word. */
static void codes_from_text(const char *norm, struct diag_query *q)
{
    size_t n = strlen(norm);
    for (size_t i = 0; i + DIAG_DTC_LEN <= n; i++) {
        char c = norm[i];
        if (c != 'p' && c != 'c' && c != 'b' && c != 'u') continue;
        if (i > 0 && ((norm[i - 1] >= 'a' && norm[i - 1] <= 'z') || (norm[i - 1] >= '0' && norm[i - 1] <= '9')))
            continue;
        char after = norm[i + DIAG_DTC_LEN];
        if ((after >= 'a' && after <= 'z') || (after >= '0' && after <= '9')) continue;
        char word[DIAG_DTC_LEN + 1], code[DIAG_DTC_LEN + 1];
        memcpy(word, norm + i, DIAG_DTC_LEN);
        word[DIAG_DTC_LEN] = '\0';
        /* "p0301" yes, "cable" no: the digits after the letter must start with one */
        if (word[1] < '0' || word[1] > '9') continue;
        if (diag_dtc_normalise(word, code)) diag_query_add_dtc(q, code);
    }
}

/* Negation turns a match off: just before it ("不抖", "没有异响", "no noise", "doesn't
 * pull") or, in Chinese, just after it ("刹车没问题", "刹车正常"). */
static bool negated_cjk(const char *norm, const char *at, size_t len)
{
    static const char *const before[] = { "没有", "不是", "不会", "不", "没", "无", NULL };
    static const char *const after[] = { "没问题", "没有问题", "没毛病", "没事", "正常", "挺好", "很好", NULL };
    for (int i = 0; before[i]; i++) {
        size_t k = strlen(before[i]);
        if ((size_t)(at - norm) >= k && memcmp(at - k, before[i], k) == 0) return true;
    }
    const char *rest = at + len;
    if (*rest == ' ') rest++;
    for (int i = 0; after[i]; i++)
        if (strncmp(rest, after[i], strlen(after[i])) == 0) return true;
    return false;
}

static bool negation_word(const char *tok)
{
    static const char *const neg[] = { "no", "not", "without", "never", "t", "nor", NULL };
    for (int i = 0; neg[i]; i++)
        if (strcmp(tok, neg[i]) == 0) return true;
    return false;
}

static bool term_matches(const struct diag_term *t, const char *norm, const struct diag_tokens *toks)
{
    if (!t->latin) {
        for (const char *at = strstr(norm, t->text); at; at = strstr(at + 1, t->text))
            if (!negated_cjk(norm, at, strlen(t->text))) return true;
        return false;
    }
    for (int i = 0; i < toks->n; i++) {
        if (strcmp(toks->t[i], t->tok[0]) != 0) continue;
        /* the phrase's next words follow in order, each at most DIAG_PHRASE_GAP words
         * later: "steering heavy" also matches "steering is very heavy" */
        int at = i, k = 1;
        while (k < t->ntok) {
            int j = at + 1;
            while (j < toks->n && j <= at + 1 + DIAG_PHRASE_GAP && strcmp(toks->t[j], t->tok[k]) != 0) j++;
            if (j >= toks->n || j > at + 1 + DIAG_PHRASE_GAP) break;
            at = j;
            k++;
        }
        if (k < t->ntok) continue;
        /* "no noise", "not really pulling": a negation one or two words before */
        if ((i >= 1 && negation_word(toks->t[i - 1])) || (i >= 2 && negation_word(toks->t[i - 2])))
            continue;
        return true;
    }
    return false;
}

/* Appends to a fixed buffer; silently stops at its end. */
struct sbuf { char *p; size_t cap, len; };

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    if (b->len + 1 >= b->cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    b->len += (size_t)n;
    if (b->len >= b->cap) {
        /* cut at a character boundary so the text stays valid UTF-8 */
        size_t l = b->cap - 1;
        while (l > 0 && ((unsigned char)b->p[l] & 0xC0) == 0x80) l--;
        b->p[l] = '\0';
        b->len = b->cap;
    }
}

static const char *fuel_label(int fuels, enum diag_lang lang, char *buf, size_t cap)
{
    static const char *const en[] = { "gasoline", "diesel", "hybrid", "plug-in hybrid", "battery electric" };
    static const char *const zh[] = { "汽油", "柴油", "混动", "插电混动", "纯电" };
    struct sbuf b = { buf, cap, 0 };
    buf[0] = '\0';
    for (int i = 0; i < 5; i++) {
        if (!(fuels & (1 << i))) continue;
        sb_printf(&b, "%s%s", b.len ? "/" : "", lang == DIAG_LANG_ZH ? zh[i] : en[i]);
    }
    return buf;
}

/* The condition's text for an explanation, e.g. "mileage >= 100000 km". */
static void describe_cond(const struct diag_cond *c, const struct diag_facts *f, enum diag_lang lang,
                          struct sbuf *b)
{
    char fl[96];
    bool zh = lang == DIAG_LANG_ZH;
    switch (c->kind) {
    case DIAG_COND_KM:
        if (zh) sb_printf(b, "里程%lld公里（%s%.0f）", f->km, c->negate ? "<" : "≥", c->value);
        else sb_printf(b, "mileage %lld km (%s %.0f)", f->km, c->negate ? "<" : ">=", c->value);
        break;
    case DIAG_COND_AGE:
        if (zh) sb_printf(b, "车龄%.1f年（%s%.0f）", f->age_years, c->negate ? "<" : "≥", c->value);
        else sb_printf(b, "vehicle age %.1f years (%s %.0f)", f->age_years, c->negate ? "<" : ">=", c->value);
        break;
    case DIAG_COND_FUEL:
        fuel_label(f->fuel, lang, fl, sizeof fl);
        if (zh) sb_printf(b, "燃料类型：%s", fl);
        else sb_printf(b, "fuel type %s", fl);
        break;
    }
}

static bool cond_holds(const struct diag_cond *c, const struct diag_facts *f)
{
    switch (c->kind) {
    case DIAG_COND_KM:
        if (f->km < 0) return false;
        return c->negate ? (double)f->km < c->value : (double)f->km >= c->value;
    case DIAG_COND_AGE:
        if (f->age_years < 0) return false;
        return c->negate ? f->age_years < c->value : f->age_years >= c->value;
    case DIAG_COND_FUEL:
        if (!f->fuel) return false;
        return c->negate ? !(f->fuel & c->fuels) : (f->fuel & c->fuels) != 0;
    }
    return false;
}

struct match_state {
    const struct diag_rules *rb;
    const char *norm;
    struct diag_tokens toks;
    signed char concept_hit[DIAG_MAX_CONCEPTS];      /* -1 unknown, 0 no, 1 yes */
    int concept_term[DIAG_MAX_CONCEPTS];             /* the term that matched */
};

static bool concept_matches(struct match_state *m, int c)
{
    if (m->concept_hit[c] < 0) {
        const struct diag_concept *con = &m->rb->concepts[c];
        m->concept_hit[c] = 0;
        for (int i = 0; i < con->nterms; i++) {
            if (term_matches(&m->rb->terms[con->first_term + i], m->norm, &m->toks)) {
                m->concept_hit[c] = 1;
                m->concept_term[c] = con->first_term + i;
                break;
            }
        }
    }
    return m->concept_hit[c] == 1;
}

static bool dtc_in(const struct diag_evidence *e, const char *code)
{
    unsigned v = diag_dtc_value(code);
    for (int i = 0; i < e->nranges; i++)
        if (v >= e->ranges[i].lo && v <= e->ranges[i].hi) return true;
    return false;
}

/* Score one rule; fills the explanation. Returns false when the rule is no candidate. */
static bool score_rule(struct match_state *m, const struct diag_rule *r, const struct diag_query *q,
                       struct diag_cause *out)
{
    bool zh = q->lang == DIAG_LANG_ZH;
    double e = 0;
    bool any = false;
    struct sbuf b = { out->explanation, sizeof out->explanation, 0 };
    out->explanation[0] = '\0';
    sb_printf(&b, "%s", zh ? "依据：" : "Evidence: ");
    size_t start = b.len;

    for (int i = 0; i < r->nev; i++) {
        const struct diag_evidence *ev = &r->ev[i];
        if (ev->kind == DIAG_EV_SYM) {
            int k = 0;
            while (k < ev->nconcepts && concept_matches(m, ev->concepts[k])) k++;
            if (k < ev->nconcepts) continue;
            e += ev->weight;
            any = true;
            if (ev->weight <= 0) continue;
            sb_printf(&b, "%s%s", b.len > start ? (zh ? "；" : "; ") : "", zh ? "症状" : "symptom ");
            for (k = 0; k < ev->nconcepts; k++)
                sb_printf(&b, "%s“%s”", k ? " + " : "", m->rb->terms[m->concept_term[ev->concepts[k]]].text);
        } else {
            bool first = true;
            for (int d = 0; d < q->ndtcs; d++) {
                if (!dtc_in(ev, q->dtcs[d])) continue;
                if (first) {
                    e += ev->weight;
                    any = true;
                    sb_printf(&b, "%s%s%s", b.len > start ? (zh ? "；" : "; ") : "",
                              zh ? "故障码 " : "trouble code ", q->dtcs[d]);
                    first = false;
                } else {
                    sb_printf(&b, ", %s", q->dtcs[d]);
                }
            }
        }
    }
    if (!any || e <= 0) return false;

    double factor = 1;
    for (int i = 0; i < r->nconds; i++) {
        const struct diag_cond *c = &r->conds[i];
        if (!cond_holds(c, &q->facts)) continue;
        factor *= c->factor;
        if (c->factor == 1) continue;
        sb_printf(&b, "%s", zh ? "；" : "; ");
        describe_cond(c, &q->facts, q->lang, &b);
        sb_printf(&b, "%s", c->factor > 1 ? (zh ? "，可能性更高" : ", more likely")
                                          : (zh ? "，可能性较低" : ", less likely"));
    }
    if (factor <= 0) return false;
    out->rule = r;
    out->score = r->prior * factor * exp(e);
    return true;
}

/* A fallback rule: offered when nothing else matched, still subject to its conditions. */
static bool score_fallback(const struct diag_rule *r, const struct diag_query *q, struct diag_cause *out)
{
    double factor = 1;
    for (int i = 0; i < r->nconds; i++)
        if (cond_holds(&r->conds[i], &q->facts)) factor *= r->conds[i].factor;
    if (factor <= 0) return false;
    out->rule = r;
    out->score = r->prior * factor * exp(r->fallback_weight);
    snprintf(out->explanation, sizeof out->explanation, "%s",
             q->lang == DIAG_LANG_ZH ? "没有规则与所给的症状或故障码相符，建议做一次全面检测"
                                     : "No rule matched the symptoms or codes given; a full check is the next step");
    return true;
}

static int by_score(const void *a, const void *b)
{
    const struct diag_cause *x = a, *y = b;
    if (x->score > y->score) return -1;
    if (x->score < y->score) return 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;   /* file order among equals */
}

int diag_rank(const struct diag_rules *rb, struct diag_query *q, struct diag_cause *out, int max)
{
    struct match_state *m = malloc(sizeof *m);
    struct diag_cause *all = malloc(sizeof *all * (size_t)(rb->nrules ? rb->nrules : 1));
    int n = 0;
    if (!m || !all || max <= 0) goto out;
    static char empty[] = "";
    char *norm = malloc(DIAG_MAX_SYMPTOM_BYTES);
    if (!norm) goto out;
    diag_text_normalise(q->symptoms ? q->symptoms : empty, norm, DIAG_MAX_SYMPTOM_BYTES);
    m->rb = rb;
    m->norm = norm;
    diag_tokenise(norm, &m->toks);
    memset(m->concept_hit, -1, sizeof m->concept_hit);
    codes_from_text(norm, q);

    for (int i = 0; i < rb->nrules; i++)
        if (!rb->rules[i].fallback && score_rule(m, &rb->rules[i], q, &all[n])) n++;
    if (n == 0)
        for (int i = 0; i < rb->nrules; i++)
            if (rb->rules[i].fallback && score_fallback(&rb->rules[i], q, &all[n])) n++;
    free(norm);

    double sum = DIAG_OTHER_MASS;
    for (int i = 0; i < n; i++) sum += all[i].score;
    for (int i = 0; i < n; i++) all[i].likelihood = all[i].score / sum;
    qsort(all, (size_t)n, sizeof *all, by_score);
    if (n > max) n = max;
    memcpy(out, all, sizeof *all * (size_t)n);
out:
    free(m);
    free(all);
    return n;
}
