/* The diagnosis rule base: concepts (synonym lists in Chinese and English), rules (a fault,
 * its service type, urgency and prior) and the evidence that points to each rule (symptom
 * concepts, trouble-code ranges, vehicle conditions). Loaded from the text format described
 * in docs/DIAGNOSIS.md; the engine (engine.h) scores rules against a query. */
#ifndef DIAG_RULES_H
#define DIAG_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnosis/text.h"

#define DIAG_MAX_SERVICE_TYPES   64    /* catalog rows */
#define DIAG_MAX_CONCEPTS        200
#define DIAG_MAX_TERMS           3000  /* all concepts together */
#define DIAG_MAX_TERM_BYTES      64
#define DIAG_MAX_TERM_TOKENS     4     /* words in an English phrase term */
#define DIAG_MAX_RULES           200
#define DIAG_MAX_EVIDENCE        16    /* sym + dtc lines per rule */
#define DIAG_MAX_CONDS           8     /* cond lines per rule */
#define DIAG_MAX_SYM_CONCEPTS    4     /* concepts joined by + in one sym line */
#define DIAG_MAX_DTC_RANGES      16    /* patterns in one dtc line */
#define DIAG_MAX_RULES_LINE      2048  /* bytes in one line of the rule file */

enum diag_urgency { DIAG_LOW = 0, DIAG_MEDIUM, DIAG_HIGH, DIAG_STOP_DRIVING };
const char *diag_urgency_name(enum diag_urgency u);

/* Fuel types as bits, so a condition can name several. */
enum {
    DIAG_FUEL_GASOLINE = 1 << 0,
    DIAG_FUEL_DIESEL   = 1 << 1,
    DIAG_FUEL_HYBRID   = 1 << 2,
    DIAG_FUEL_PHEV     = 1 << 3,
    DIAG_FUEL_BEV      = 1 << 4,
};
/* "gasoline" | "diesel" | "hybrid" | "phev" | "bev" (also "ev") -> bit, 0 when unknown. */
int diag_fuel_bit(const char *name);

struct diag_service_type {
    char code[32];
    char name_zh[64];
    char name_en[64];
};

struct diag_term {
    char text[DIAG_MAX_TERM_BYTES];        /* normalised; CJK terms match as substrings */
    bool latin;                            /* ASCII only: matched as stemmed words */
    int ntok;
    char tok[DIAG_MAX_TERM_TOKENS][DIAG_MAX_TOKEN_LEN];
};

struct diag_concept {
    char name[32];
    int first_term, nterms;                /* slice of diag_rules.terms */
};

struct diag_range { unsigned lo, hi; };    /* diag_dtc_value()s, inclusive */

enum diag_ev_kind { DIAG_EV_SYM = 1, DIAG_EV_DTC };
struct diag_evidence {
    enum diag_ev_kind kind;
    double weight;                         /* added to the rule's evidence when it matches */
    int nconcepts;
    int concepts[DIAG_MAX_SYM_CONCEPTS];   /* SYM: every one must match */
    int nranges;
    struct diag_range ranges[DIAG_MAX_DTC_RANGES];   /* DTC: any one matches */
};

enum diag_cond_kind { DIAG_COND_KM = 1, DIAG_COND_AGE, DIAG_COND_FUEL };
struct diag_cond {
    enum diag_cond_kind kind;
    bool negate;                           /* FUEL: != ; KM/AGE: < instead of >= */
    double value;                          /* KM/AGE threshold */
    int fuels;                             /* FUEL: bits */
    double factor;                         /* multiplies the score when the test holds */
};

struct diag_rule {
    char id[48];
    int service;                           /* index into diag_rules.services */
    enum diag_urgency urgency;
    double prior;
    char title_zh[128];
    char title_en[128];
    int nev;
    struct diag_evidence ev[DIAG_MAX_EVIDENCE];
    int nconds;
    struct diag_cond conds[DIAG_MAX_CONDS];
    bool fallback;                         /* offered only when no other rule matched */
    double fallback_weight;
};

struct diag_rules {
    int nservices;
    struct diag_service_type services[DIAG_MAX_SERVICE_TYPES];
    int nconcepts;
    struct diag_concept concepts[DIAG_MAX_CONCEPTS];
    int nterms;
    struct diag_term terms[DIAG_MAX_TERMS];
    int nrules;
    struct diag_rule rules[DIAG_MAX_RULES];
};

/* Parse the service type catalog (src/providers/service_types.tsv) and then the rule file
 * into a new rule base. On error returns PS_E_BAD_REQUEST (err names the line and the
 * problem) or PS_E_NOMEM. Caller frees with diag_rules_free(). */
int diag_rules_load(const char *catalog_tsv, const char *rules_text, struct diag_rules **out,
                    char *err, size_t errlen);
void diag_rules_free(struct diag_rules *rb);

/* Index of a concept by name, -1 when unknown. */
int diag_rules_concept(const struct diag_rules *rb, const char *name);
const struct diag_rule *diag_rules_find(const struct diag_rules *rb, const char *id);

#endif
