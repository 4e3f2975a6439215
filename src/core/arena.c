/* Chunked bump allocator with a hard cap; see arena.h. */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 8192
#define ALIGN 16

struct ps_arena_chunk {
    struct ps_arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

struct ps_arena_defer {
    struct ps_arena_defer *next;
    void (*fn)(void *);
    void *ptr;
};

void ps_arena_init(struct ps_arena *a, size_t cap)
{
    a->head = NULL;
    a->defers = NULL;
    a->total = 0;
    a->cap = cap;
}

void ps_arena_free(struct ps_arena *a)
{
    /* Deferred clean-ups may still read arena memory, so they run before the chunks go. */
    for (struct ps_arena_defer *d = a->defers; d; d = d->next)
        d->fn(d->ptr);
    a->defers = NULL;
    struct ps_arena_chunk *c = a->head;
    while (c) {
        struct ps_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

void *ps_arena_alloc(struct ps_arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - ALIGN)
        return NULL;
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    struct ps_arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
        /* Grow chunk sizes with the arena so big requests do not make many tiny mallocs. */
        if (a->total > size && a->total < 1024 * 1024)
            size = a->total;
        if (size < n)
            size = n;
        if (a->total + size + sizeof *c > a->cap) {
            if (a->total + n + sizeof *c > a->cap)
                return NULL;
            size = n;
        }
        c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
        a->total += size + sizeof *c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

void *ps_arena_calloc(struct ps_arena *a, size_t n)
{
    void *p = ps_arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *ps_arena_strndup(struct ps_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = ps_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ps_arena_strdup(struct ps_arena *a, const char *s)
{
    return s ? ps_arena_strndup(a, s, strlen(s)) : NULL;
}

char *ps_arena_printf(struct ps_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = NULL;
    if (n >= 0 && (p = ps_arena_alloc(a, (size_t)n + 1)) != NULL)
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

int ps_arena_defer(struct ps_arena *a, void (*fn)(void *), void *ptr)
{
    struct ps_arena_defer *d = ps_arena_alloc(a, sizeof *d);
    if (!d) {
        fn(ptr);
        return -1;
    }
    d->fn = fn;
    d->ptr = ptr;
    d->next = a->defers;
    a->defers = d;
    return 0;
}
