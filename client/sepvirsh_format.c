/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sepvirsh_format.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "sv_buf.h"
#include "sv_util.h"

#define ENUM_STR(table, i) \
    ((i) >= 0 && (size_t)(i) < SV_ARRAY_SIZE(table) ? (table)[i] : NULL)

static const char *const state_names[] = {
    "no state", "running", "idle", "paused", "in shutdown", "shut off", "crashed",
    "pmsuspended",
};

const char *sh_domain_state_str(int state)
{
    const char *s = ENUM_STR(state_names, state);

    return s ? s : "no state";
}

static const char *const reason_nostate[] = { "unknown" };
static const char *const reason_running[] = {
    "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
    "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
    "post-copy failed",
};
static const char *const reason_blocked[] = { "unknown" };
static const char *const reason_paused[] = {
    "unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
    "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up",
    "post-copy", "post-copy failed",
};
static const char *const reason_shutdown[] = { "unknown", "user" };
static const char *const reason_shutoff[] = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
    "from snapshot", "daemon",
};
static const char *const reason_crashed[] = { "unknown", "panicked" };
static const char *const reason_pmsuspended[] = { "unknown" };

const char *sh_domain_reason_str(int state, int reason)
{
    const char *s = NULL;

    switch (state) {
    case SEPVIRT_DOMAIN_NOSTATE: s = ENUM_STR(reason_nostate, reason); break;
    case SEPVIRT_DOMAIN_RUNNING: s = ENUM_STR(reason_running, reason); break;
    case SEPVIRT_DOMAIN_BLOCKED: s = ENUM_STR(reason_blocked, reason); break;
    case SEPVIRT_DOMAIN_PAUSED: s = ENUM_STR(reason_paused, reason); break;
    case SEPVIRT_DOMAIN_SHUTDOWN: s = ENUM_STR(reason_shutdown, reason); break;
    case SEPVIRT_DOMAIN_SHUTOFF: s = ENUM_STR(reason_shutoff, reason); break;
    case SEPVIRT_DOMAIN_CRASHED: s = ENUM_STR(reason_crashed, reason); break;
    case SEPVIRT_DOMAIN_PMSUSPENDED: s = ENUM_STR(reason_pmsuspended, reason); break;
    default: break;
    }
    return s ? s : "unknown";
}

static const char *const event_names[] = {
    "Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped", "Shutdown",
    "PMSuspended", "Crashed",
};
static const char *const detail_defined[] = { "Added", "Updated", "Renamed", "Snapshot" };
static const char *const detail_undefined[] = { "Removed", "Renamed" };
static const char *const detail_started[] = {
    "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup",
};
static const char *const detail_suspended[] = {
    "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot", "API error",
    "Post-copy", "Post-copy Error",
};
static const char *const detail_resumed[] = {
    "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error",
};
static const char *const detail_stopped[] = {
    "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot",
};
static const char *const detail_shutdown[] = {
    "Finished", "Finished after guest request", "Finished after host request",
};
static const char *const detail_pmsuspended[] = { "Memory", "Disk" };
static const char *const detail_crashed[] = { "Panicked", "Crashloaded" };

const char *sh_domain_event_str(int event)
{
    const char *s = ENUM_STR(event_names, event);

    return s ? s : "unknown";
}

const char *sh_domain_event_detail_str(int event, int detail)
{
    const char *s = NULL;

    switch (event) {
    case SEPVIRT_DOMAIN_EVENT_DEFINED: s = ENUM_STR(detail_defined, detail); break;
    case SEPVIRT_DOMAIN_EVENT_UNDEFINED: s = ENUM_STR(detail_undefined, detail); break;
    case SEPVIRT_DOMAIN_EVENT_STARTED: s = ENUM_STR(detail_started, detail); break;
    case SEPVIRT_DOMAIN_EVENT_SUSPENDED: s = ENUM_STR(detail_suspended, detail); break;
    case SEPVIRT_DOMAIN_EVENT_RESUMED: s = ENUM_STR(detail_resumed, detail); break;
    case SEPVIRT_DOMAIN_EVENT_STOPPED: s = ENUM_STR(detail_stopped, detail); break;
    case SEPVIRT_DOMAIN_EVENT_SHUTDOWN: s = ENUM_STR(detail_shutdown, detail); break;
    case SEPVIRT_DOMAIN_EVENT_PMSUSPENDED: s = ENUM_STR(detail_pmsuspended, detail); break;
    case SEPVIRT_DOMAIN_EVENT_CRASHED: s = ENUM_STR(detail_crashed, detail); break;
    default: break;
    }
    return s ? s : "unknown";
}

static const char *const net_event_names[] = { "Defined", "Undefined", "Started", "Stopped" };

const char *sh_network_event_str(int event)
{
    const char *s = ENUM_STR(net_event_names, event);

    return s ? s : "unknown";
}

const char *const sh_domain_event_names[] = {
    "lifecycle", "reboot", "rtc-change", "watchdog", "io-error", "graphics",
    "io-error-reason", "control-error", "block-job", "disk-change", "tray-change",
    "pm-wakeup", "pm-suspend", "balloon-change", "pm-suspend-disk", "device-removed",
    "block-job-2", "tunable", "agent-lifecycle", "device-added", "migration-iteration",
    "job-completed", "device-removal-failed", "metadata-change", "block-threshold",
    "memory-failure", "memory-device-size-change",
};
const size_t sh_domain_event_count = SV_ARRAY_SIZE(sh_domain_event_names);

void sh_version_str(unsigned long v, char buf[32])
{
    snprintf(buf, 32, "%lu.%lu.%lu", v / 1000000, (v % 1000000) / 1000, v % 1000);
}

char *sh_format_nodeinfo(const sepvirt_node_info *info)
{
    sv_buf b = { 0 };

    sv_buf_printf(&b, "%-20s %s\n", "CPU model:", info->model);
    sv_buf_printf(&b, "%-20s %u\n", "CPU(s):", info->cpus);
    if (info->mhz)
        sv_buf_printf(&b, "%-20s %u MHz\n", "CPU frequency:", info->mhz);
    sv_buf_printf(&b, "%-20s %u\n", "CPU socket(s):", info->sockets);
    sv_buf_printf(&b, "%-20s %u\n", "Core(s) per socket:", info->cores);
    sv_buf_printf(&b, "%-20s %u\n", "Thread(s) per core:", info->threads);
    sv_buf_printf(&b, "%-20s %u\n", "NUMA cell(s):", info->nodes);
    sv_buf_printf(&b, "%-20s %llu KiB\n", "Memory size:", info->memory_kib);
    return sv_buf_steal(&b);
}

/* ---- Tables --------------------------------------------------------------- */

struct sh_table {
    size_t ncols;
    size_t nrows;      /* row 0 is the header */
    char ***rows;
};

static char **collect(const char *first, va_list ap, size_t *ret_n)
{
    size_t n = 0, cap = 4;
    char **cells = sv_calloc(cap, sizeof(*cells));

    for (const char *c = first; c; c = va_arg(ap, const char *)) {
        if (n == cap) {
            cap *= 2;
            cells = sv_realloc(cells, cap * sizeof(*cells));
        }
        cells[n++] = sv_strdup(c);
    }
    *ret_n = n;
    return cells;
}

static void append_row(sh_table *t, char **cells)
{
    t->rows = sv_realloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));
    t->rows[t->nrows++] = cells;
}

sh_table *sh_table_new(const char *first, ...)
{
    sh_table *t = sv_malloc0(sizeof(*t));
    va_list ap;

    va_start(ap, first);
    append_row(t, collect(first, ap, &t->ncols));
    va_end(ap);
    return t;
}

void sh_table_add(sh_table *t, const char *first, ...)
{
    va_list ap;
    size_t n;
    char **cells;

    va_start(ap, first);
    cells = collect(first, ap, &n);
    va_end(ap);
    if (n != t->ncols)
        abort();   /* programming error, like vshTable's internal error */
    append_row(t, cells);
}

void sh_table_addv(sh_table *t, const char *const *cells, size_t n)
{
    char **copy;

    if (n != t->ncols)
        abort();
    copy = sv_calloc(n, sizeof(*copy));
    for (size_t i = 0; i < n; i++)
        copy[i] = sv_strdup(cells[i]);
    append_row(t, copy);
}

/* How virsh's table code hex-escapes one byte: it formats the (signed)
 * char with %02x into a 5-byte buffer, so every byte >= 0x80 comes out
 * as "\xff". */
static void escape_byte(sv_buf *b, unsigned char c)
{
    if (c >= 0x80)
        sv_buf_add(b, "\\xff");
    else
        sv_buf_printf(b, "\\x%02x", c);
}

/* virsh escapes control characters (and a literal "\x") so that column
 * widths can be counted; other text counts by display width. */
static char *safe_encode(const char *s, size_t *ret_width)
{
    sv_buf b = { 0 };
    mbstate_t st;
    size_t width = 0;

    memset(&st, 0, sizeof(st));
    sv_buf_add(&b, "");
    while (*s) {
        wchar_t wc;
        size_t len;

        if ((s[0] == '\\' && s[1] == 'x') || iscntrl((unsigned char)*s)) {
            escape_byte(&b, (unsigned char)*s);
            width += 4;
            s++;
            continue;
        }
        len = mbrtowc(&wc, s, MB_CUR_MAX, &st);
        if (len == 0)
            break;
        if (len == (size_t)-1 || len == (size_t)-2) {
            if ((unsigned char)*s >= 0x80) {
                escape_byte(&b, (unsigned char)*s);
                width += 4;
            } else {
                sv_buf_addn(&b, s, 1);
                width++;
            }
            memset(&st, 0, sizeof(st));
            s++;
        } else if (!iswprint((wint_t)wc)) {
            for (size_t i = 0; i < len; i++)
                escape_byte(&b, (unsigned char)s[i]);
            width += 4 * len;
            s += len;
        } else {
            int w = wcwidth(wc);

            sv_buf_addn(&b, s, len);
            width += w > 0 ? (size_t)w : 0;
            s += len;
        }
    }
    *ret_width = width;
    return sv_buf_steal(&b);
}

char *sh_table_format(const sh_table *t, bool header)
{
    size_t *maxw = sv_calloc(t->ncols, sizeof(*maxw));
    size_t **w = sv_calloc(t->nrows, sizeof(*w));
    char ***enc = sv_calloc(t->nrows, sizeof(*enc));
    sv_buf b = { 0 };

    for (size_t r = 0; r < t->nrows; r++) {
        w[r] = sv_calloc(t->ncols, sizeof(**w));
        enc[r] = sv_calloc(t->ncols, sizeof(**enc));
        for (size_t c = 0; c < t->ncols; c++) {
            enc[r][c] = safe_encode(t->rows[r][c], &w[r][c]);
            /* Without a header, the header does not widen the columns. */
            if ((r > 0 || header) && w[r][c] > maxw[c])
                maxw[c] = w[r][c];
        }
    }

    sv_buf_add(&b, "");
    for (size_t r = header ? 0 : 1; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            sv_buf_printf(&b, " %s", enc[r][c]);
            if (c + 1 < t->ncols) {
                for (size_t k = 0; k < maxw[c] - w[r][c] + 2; k++)
                    sv_buf_add(&b, " ");
            }
        }
        sv_buf_add(&b, "\n");
        if (r == 0) {
            for (size_t c = 0; c < t->ncols; c++) {
                for (size_t k = 0; k < maxw[c] + 3; k++)
                    sv_buf_add(&b, "-");
            }
            sv_buf_add(&b, "\n");
        }
    }

    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++)
            free(enc[r][c]);
        free(enc[r]);
        free(w[r]);
    }
    free(enc);
    free(w);
    free(maxw);
    return sv_buf_steal(&b);
}

void sh_table_free(sh_table *t)
{
    if (!t)
        return;
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    free(t);
}
