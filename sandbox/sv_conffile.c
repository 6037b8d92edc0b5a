/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Line files: see sv_conffile.h. */
#include "sv_conffile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sv_conffile_read(const char *path, uid_t owner, size_t max, sv_conffile_fn fn,
                     void *opaque, unsigned *ret_lineno)
{
    struct stat st;
    char *buf = NULL, *next;
    unsigned lineno = 0;
    size_t len = 0;
    ssize_t n = 0;
    int r = 0, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        r = -EINVAL;
    else if (owner != SV_CONFFILE_ANY_OWNER &&
             (st.st_uid != owner || (st.st_mode & (S_IWGRP | S_IWOTH))))
        r = -EPERM;
    else if ((size_t)st.st_size > max)
        r = -EFBIG;
    else if (!(buf = malloc((size_t)st.st_size + 1)))
        r = -ENOMEM;
    while (r == 0 && len < (size_t)st.st_size &&
           (n = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
        len += (size_t)n;
    if (r == 0 && n < 0)
        r = -errno;
    if (r == 0)
        buf[len] = '\0';
    close(fd);
    for (char *line = buf; r == 0 && line < buf + len; line = next) {
        char *end = line + strcspn(line, "\n");

        *end = '\0';
        next = end + 1;
        lineno++;
        line[strcspn(line, "#")] = '\0';
        line += strspn(line, " \t");
        for (end = line + strlen(line); end > line && strchr(" \t\r", end[-1]);)
            *--end = '\0';
        if (*line)
            r = fn(line, lineno, opaque);
    }
    free(buf);
    if (r < 0 && ret_lineno)
        *ret_lineno = lineno;
    return r;
}
