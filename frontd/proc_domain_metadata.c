/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* virDomainGetMetadata / virDomainSetMetadata: <description>, <title> and
 * the namespaced elements of <metadata>. */
#include "proc_domain.h"

#include <string.h>

#include "domain_metadata.h"
#include "sv_error.h"

/* virDomainMetadataType */
enum {
    METADATA_DESCRIPTION = 0,
    METADATA_TITLE = 1,
    METADATA_ELEMENT = 2,
};

static int check_type(int type)
{
    if (type < METADATA_DESCRIPTION || type > METADATA_ELEMENT) {
        sv_report(SV_FROM_DOMAIN, SV_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
        return -1;
    }
    return 0;
}

static int arg_missing(const char *arg, const char *api)
{
    sv_report(SV_FROM_DOMAIN, SV_ERR_INVALID_ARG, "%s in %s must not be NULL", arg, api);
    return -1;
}

static int not_present(void)
{
    sv_report(SV_FROM_DOMAIN, SV_ERR_NO_DOMAIN_METADATA, "%s",
              "Requested metadata element is not present");
    return -1;
}

/* An empty description or title is the same as none, as in libvirt. */
static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

static int metadata_get(const sv_domain_def *def, int type, const char *uri, char **ret)
{
    const char *s;
    int r;

    switch (type) {
    case METADATA_DESCRIPTION:
    case METADATA_TITLE:
        s = nonempty(type == METADATA_TITLE ? def->title : def->description);
        if (!s)
            return not_present();
        *ret = sv_strdup(s);
        return 0;
    default:
        r = sv_domain_metadata_get(def->metadata, uri, ret);
        if (r < 0)
            return -1;
        return r == 0 ? 0 : not_present();
    }
}

int sv_proc_domain_get_metadata(sv_client *c, void *a, void *r)
{
    remote_domain_get_metadata_args *args = a;
    remote_domain_get_metadata_ret *ret = r;
    const char *uri = args->uri ? *args->uri : NULL;
    unsigned flags = args->flags;
    const sv_domain_def *def;
    sv_domain_obj *d;
    int rc;

    if (sv_proc_check_flags(flags, SV_DOMAIN_AFFECT_LIVE | SV_DOMAIN_AFFECT_CONFIG,
                            "virDomainGetMetadata") < 0 ||
        check_type(args->type) < 0)
        return -1;
    if (args->type == METADATA_ELEMENT && !uri)
        return arg_missing("uri", "virDomainGetMetadata");
    if (!(d = sv_proc_domain_get(&args->dom)))
        return -1;
    def = sv_proc_domain_one_def(d, &flags);
    rc = def ? metadata_get(def, args->type, uri, &ret->metadata) : -1;
    sv_domain_obj_end(d);
    return rc;
}

/* The new value of the field type selects in def, as a malloc'd string
 * (NULL: field absent). */
static int metadata_compute(const sv_domain_def *def, int type, const char *value,
                            const char *key, const char *uri, char **ret)
{
    if (type != METADATA_ELEMENT) {
        *ret = nonempty(value) ? sv_strdup(value) : NULL;
        return 0;
    }
    return sv_domain_metadata_set(def->metadata, uri, key, value, ret);
}

static char **metadata_field(sv_domain_def *def, int type)
{
    switch (type) {
    case METADATA_DESCRIPTION: return &def->description;
    case METADATA_TITLE: return &def->title;
    default: return &def->metadata;
    }
}

static int check_set_args(const remote_domain_set_metadata_args *args, const char *value,
                          const char *key, const char *uri)
{
    const char *api = "virDomainSetMetadata";

    if (sv_proc_check_flags(args->flags, SV_DOMAIN_AFFECT_LIVE | SV_DOMAIN_AFFECT_CONFIG,
                            api) < 0 ||
        check_type(args->type) < 0)
        return -1;
    if (args->type == METADATA_TITLE && value && strchr(value, '\n')) {
        sv_report(SV_FROM_DOMAIN, SV_ERR_INVALID_ARG, "%s",
                  "metadata title can't contain newlines");
        return -1;
    }
    if (args->type == METADATA_ELEMENT) {
        if (!uri)
            return arg_missing("uri", api);
        if (value && !key)
            return arg_missing("key", api);
    }
    return 0;
}

int sv_proc_domain_set_metadata(sv_client *c, void *a, void *r)
{
    remote_domain_set_metadata_args *args = a;
    const char *value = args->metadata ? *args->metadata : NULL;
    const char *key = args->key ? *args->key : NULL;
    const char *uri = args->uri ? *args->uri : NULL;
    unsigned flags = args->flags;
    char *live_val = NULL, *conf_val = NULL;
    sv_domain_def *live = NULL, *conf = NULL;
    sv_domain_obj *d;
    int rc = -1;

    if (check_set_args(args, value, key, uri) < 0)
        return -1;
    if (!(d = sv_proc_domain_get(&args->dom)))
        return -1;
    /* The configs change: not while a lifecycle operation uses them. */
    if (sv_obj_begin_job(&d->obj) < 0) {
        sv_domain_obj_end(d);
        return -1;
    }
    if (sv_proc_domain_impact(d, &flags) < 0)
        goto out;
    /* Compute every new value before changing anything. */
    if (flags & SV_DOMAIN_AFFECT_LIVE) {
        live = sv_domain_obj_def(d);
        if (metadata_compute(live, args->type, value, key, uri, &live_val) < 0)
            goto out;
    }
    if (flags & SV_DOMAIN_AFFECT_CONFIG) {
        conf = sv_obj_persistent_def(&d->obj);
        if (metadata_compute(conf, args->type, value, key, uri, &conf_val) < 0)
            goto out;
    }
    if (conf) {
        /* Swap in and save; swap back if the store refuses. */
        char **field = metadata_field(conf, args->type);
        char *old = *field;

        *field = conf_val;
        if (sv_objlist_save(&d->obj) < 0) {
            *field = old;
            goto out;
        }
        conf_val = old;
    }
    if (live) {
        char **field = metadata_field(live, args->type);

        free(*field);
        *field = live_val;
        live_val = NULL;
    }
    rc = 0;

out:
    free(live_val);
    free(conf_val);
    sv_obj_end_job(&d->obj);
    sv_domain_obj_end(d);
    return rc;
}
