/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The line files of the privileged processes (spawn.conf, net.conf, the
 * net helper's state file), read one way: at once, never through a
 * symlink, checked for owner and mode before a byte is used, and split
 * into lines with '#' comments, surrounding blanks and empty lines dropped.
 * libc only: linked into the launcher and the net helper.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* owner for a file the caller itself wrote (in a directory only it can
 * write): no owner or mode check. */
#define SV_CONFFILE_ANY_OWNER ((uid_t)-1)

/* Called per line (NUL-terminated, may be changed); a negative return
 * stops the reading and is returned. */
typedef int (*sv_conffile_fn)(char *line, unsigned lineno, void *opaque);

/*
 * Read path, a regular file of at most max bytes, and call fn for each
 * line that is left non-empty.  Unless owner is SV_CONFFILE_ANY_OWNER the
 * file must belong to owner and be writable by nobody else.  Returns 0,
 * fn's negative return (*ret_lineno, if not NULL, is then its line), or
 * -ENOENT (missing), -EINVAL (not a regular file), -EPERM (owner or mode),
 * -EFBIG (larger than max), another -errno.
 */
int sv_conffile_read(const char *path, uid_t owner, size_t max, sv_conffile_fn fn,
                     void *opaque, unsigned *ret_lineno);
