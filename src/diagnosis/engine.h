/* The diagnosis engine: scores every rule of a rule base against a query (symptom text,
 * trouble codes, vehicle facts) and returns the likely causes, best first, each with a
 * likelihood and an explanation of the evidence that matched. Pure: no I/O. */
#ifndef DIAG_ENGINE_H
#define DIAG_ENGINE_H

#include "diagnosis/dtc.h"
#include "diagnosis/rules.h"

#define DIAG_MAX_QUERY_DTCS      32     /* codes in one query (request + found in the text) */
#define DIAG_MAX_SYMPTOM_BYTES   4096   /* normalised symptom text considered */
#define DIAG_MAX_EXPLANATION     640
#define DIAG_OTHER_MASS          1.0    /* score kept for "something not in the rule base" */
#define DIAG_PHRASE_GAP          2      /* words allowed between the words of an English phrase */

enum diag_lang { DIAG_LANG_EN = 0, DIAG_LANG_ZH };

struct diag_facts {
    int fuel;                /* DIAG_FUEL_* bit, 0 when unknown */
    long long km;            /* odometer, -1 when unknown */
    double age_years;        /* -1 when unknown */
};

struct diag_query {
    const char *symptoms;    /* may be NULL */
    int ndtcs;
    char dtcs[DIAG_MAX_QUERY_DTCS][DIAG_DTC_LEN + 1];   /* normalised codes */
    struct diag_facts facts;
    enum diag_lang lang;     /* language of titles and explanations */
};

struct diag_cause {
    const struct diag_rule *rule;
    double score;            /* prior x condition factors x exp(evidence) */
    double likelihood;       /* score / (sum of scores + DIAG_OTHER_MASS) */
    char explanation[DIAG_MAX_EXPLANATION];
};

/* Add a code to the query unless it is already there or the list is full. code must be
 * normalised (diag_dtc_normalise). */
void diag_query_add_dtc(struct diag_query *q, const char *code);

/* Rank the rules for q into out (at most max causes, best first). Codes written in the
 * symptom text ("P0301") are added to q's codes. Returns the number of causes. */
int diag_rank(const struct diag_rules *rb, struct diag_query *q, struct diag_cause *out, int max);

#endif
