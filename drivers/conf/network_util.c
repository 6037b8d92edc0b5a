/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "network_util.h"

#include <stdlib.h>

#include "sv_util.h"
#include "xml_util.h"

void *sv_netconf_grow(void *p, size_t n, size_t size)
{
    if (n & (n - 1))
        return p;
    if (n > SIZE_MAX / 2 / size)
        abort();
    return sv_realloc(p, (n ? 2 * n : 1) * size);
}

typedef struct dup_ctx {
    const char *base;
    size_t size;
    int (*cmp)(const void *, const void *);
} dup_ctx;

/* Equal elements end up adjacent, in array order. */
static int index_cmp(const void *a, const void *b, void *opaque)
{
    const dup_ctx *ctx = opaque;
    size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
    int r = ctx->cmp(ctx->base + ia * ctx->size, ctx->base + ib * ctx->size);

    if (r)
        return r;
    return ia < ib ? -1 : ia > ib;
}

ssize_t sv_netconf_first_duplicate(const void *base, size_t n, size_t size,
                                   int (*cmp)(const void *, const void *))
{
    dup_ctx ctx = {base, size, cmp};
    size_t *idx;
    ssize_t first = -1;

    if (n < 2)
        return -1;
    idx = sv_calloc(n, sizeof(*idx));
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, sizeof(*idx), index_cmp, &ctx);
    for (size_t i = 1; i < n; i++) {
        if (cmp(ctx.base + idx[i - 1] * size, ctx.base + idx[i] * size) == 0 &&
            (first < 0 || idx[i] < (size_t)first))
            first = (ssize_t)idx[i];
    }
    free(idx);
    return first;
}

int sv_netconf_parse_uuid(xmlNode *u, unsigned char *uuid)
{
    _cleanup_free_ char *s = NULL;

    if (!u)
        return sv_uuid_generate(uuid);
    if (sv_xml_check_attrs(u, NULL) < 0 || sv_xml_check_children(u, NULL, NULL) < 0)
        return -1;
    s = sv_xml_content(u);
    if (sv_uuid_parse(s, uuid) < 0)
        return sv_xml_error(u, "invalid UUID '%s'", s);
    return 0;
}
