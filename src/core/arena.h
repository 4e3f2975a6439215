/* Per-request arena: many small allocations, freed together when the request ends.
 * Memory is taken in chunks from malloc; the arena never grows past its cap, so a hostile
 * request cannot make one worker take unbounded memory. */
#ifndef PS_ARENA_H
#define PS_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct ps_arena_chunk;
struct ps_arena_defer;

struct ps_arena {
    struct ps_arena_chunk *head;
    struct ps_arena_defer *defers;
    size_t total;   /* bytes taken from malloc so far */
    size_t cap;     /* never take more than this */
};

void ps_arena_init(struct ps_arena *a, size_t cap);
/* Runs the deferred clean-ups (last registered first) and frees every chunk. */
void ps_arena_free(struct ps_arena *a);
/* Aligned memory owned by the arena, or NULL when the cap or malloc is exhausted. */
void *ps_arena_alloc(struct ps_arena *a, size_t n);
void *ps_arena_calloc(struct ps_arena *a, size_t n);
/* Copies owned by the arena (NULL in -> NULL out). */
char *ps_arena_strdup(struct ps_arena *a, const char *s);
char *ps_arena_strndup(struct ps_arena *a, const char *s, size_t n);
char *ps_arena_printf(struct ps_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Call fn(ptr) when the arena is freed (e.g. json_decref for a tree the request built).
 * Returns 0, or -1 if the arena is full (then fn(ptr) is called at once). */
int ps_arena_defer(struct ps_arena *a, void (*fn)(void *), void *ptr);

#endif
