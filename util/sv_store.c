/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sv_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "sv_error.h"
#include "sv_util.h"

#define TMP_MARK ".tmp-"

struct sv_store {
    char *dir;
    char *suffix;
    int dirfd;
};

/* ---- paths ---------------------------------------------------------- */

/* An XDG variable counts only when set to an absolute path. */
static const char *xdg_env(const char *var)
{
    const char *v = getenv(var);

    return v && v[0] == '/' ? v : NULL;
}

static int home_dir(const char **ret)
{
    const char *home = getenv("HOME");
    struct passwd *pw;

    if (home && home[0] == '/') {
        *ret = home;
        return 0;
    }
    pw = getpwuid(geteuid());
    if (!pw || !pw->pw_dir || pw->pw_dir[0] != '/') {
        sv_error_set(SV_FROM_CONF, SV_ERR_INTERNAL_ERROR,
                     "cannot determine the home directory of uid %u", (unsigned)geteuid());
        return -ENOENT;
    }
    *ret = pw->pw_dir;
    return 0;
}

/* $VAR/sepvirt, or $HOME/<fallback>/sepvirt when VAR is not usable. */
static int xdg_dir(const char *var, const char *fallback, const char *leaf, char **ret)
{
    const char *base = xdg_env(var), *home;
    int r;

    if (base) {
        *ret = sv_asprintf("%s/sepvirt%s", base, leaf);
        return 0;
    }
    r = home_dir(&home);
    if (r < 0)
        return r;
    *ret = sv_asprintf("%s/%s/sepvirt%s", home, fallback, leaf);
    return 0;
}

int sv_store_paths_get(bool session, const char *root, sv_store_paths *ret)
{
    sv_store_paths p = {0};
    int r;

    if (!root || !*root)
        root = getenv("SEPVIRT_ROOT");
    if (root && *root) {
        p.config = sv_asprintf("%s/config", root);
        p.state = sv_asprintf("%s/state", root);
        p.runtime = sv_asprintf("%s/run", root);
    } else if (!session) {
        p.config = sv_strdup("/etc/sepvirt");
        p.state = sv_strdup("/var/lib/sepvirt");
        p.runtime = sv_strdup("/run/sepvirt");
    } else {
        /* Without XDG_RUNTIME_DIR libvirt falls back to ~/.cache; so do we. */
        if ((r = xdg_dir("XDG_CONFIG_HOME", ".config", "", &p.config)) < 0 ||
            (r = xdg_dir("XDG_DATA_HOME", ".local/share", "", &p.state)) < 0 ||
            (r = xdg_env("XDG_RUNTIME_DIR")
                     ? xdg_dir("XDG_RUNTIME_DIR", NULL, "", &p.runtime)
                     : xdg_dir("XDG_CACHE_HOME", ".cache", "/run", &p.runtime)) < 0) {
            sv_store_paths_clear(&p);
            return r;
        }
    }
    *ret = p;
    return 0;
}

void sv_store_paths_clear(sv_store_paths *p)
{
    free(p->config);
    free(p->state);
    free(p->runtime);
    p->config = p->state = p->runtime = NULL;
}

/* ---- names and low-level file helpers -------------------------------- */

/* Why name is not acceptable, or NULL when it is. */
static const char *name_problem(const char *name)
{
    size_t len = name ? strlen(name) : 0;

    if (len == 0)
        return "it is empty";
    if (len > SV_STORE_NAME_MAX)
        return "it is too long";
    if (name[0] == '.')
        return "it starts with '.'";
    if (strchr(name, '/'))
        return "it contains '/'";
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return "it contains a control character";
    return NULL;
}

int sv_store_name_check(const char *name)
{
    const char *why = name_problem(name);

    if (!why)
        return 0;
    sv_error_set(SV_FROM_CONF, SV_ERR_INVALID_ARG, "invalid object name '%.*s': %s",
                 64, name ? name : "", why);
    return -EINVAL;
}

static int fsync_dir(int dirfd, const char *path)
{
    if (fsync(dirfd) < 0) {
        int e = errno;

        sv_error_set_errno(SV_FROM_CONF, e, "cannot sync directory '%s'", path);
        return -e;
    }
    return 0;
}

/* Make the entry of a just-created directory durable in its parent, so an
 * object saved into it right after does not vanish with the directory. */
static int sync_parent_of(const char *path)
{
    const char *last = strrchr(path, '/');
    _cleanup_free_ char *parent = !last ? sv_strdup(".") :
                                  last == path ? sv_strdup("/") :
                                  sv_strndup(path, (size_t)(last - path));
    _cleanup_close_ int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0) {
        int e = errno;

        sv_error_set_errno(SV_FROM_CONF, e, "cannot open directory '%s'", parent);
        return -e;
    }
    return fsync_dir(fd, parent);
}

/* mkdir -p with mode 0700 for the components it creates. */
static int mkdir_parents(const char *dir)
{
    _cleanup_free_ char *p = sv_strdup(dir);

    for (char *slash = p + 1;; slash++) {
        char saved;

        slash = strchrnul(slash, '/');
        saved = *slash;
        *slash = '\0';
        if (p[0] && mkdir(p, 0700) == 0) {
            int r = sync_parent_of(p);

            if (r < 0)
                return r;
        } else if (p[0] && errno != EEXIST) {
            int e = errno;

            sv_error_set_errno(SV_FROM_CONF, e, "cannot create directory '%s'", p);
            return -e;
        }
        *slash = saved;
        if (!saved)
            return 0;
    }
}

/* Open (creating when asked) the sub-directory sub of the store. */
static int open_subdir(sv_store *s, const char *sub, bool create, int *ret_fd)
{
    int fd;

    if (create && mkdirat(s->dirfd, sub, 0700) == 0) {
        int r = fsync_dir(s->dirfd, s->dir);

        if (r < 0)
            return r;
    } else if (create && errno != EEXIST) {
        int e = errno;

        sv_error_set_errno(SV_FROM_CONF, e, "cannot create directory '%s/%s'", s->dir, sub);
        return -e;
    }
    fd = openat(s->dirfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        int e = errno;

        sv_error_set_errno(SV_FROM_CONF, e, "cannot open directory '%s/%s'", s->dir, sub);
        return -e;
    }
    *ret_fd = fd;
    return 0;
}

static char *file_name(const sv_store *s, const char *name)
{
    return sv_asprintf("%s%s", name, s->suffix);
}

/* ".<file>.tmp-XXXXXXXX": a dot-name, so never a valid object name. */
static char *tmp_name(const char *file)
{
    uint32_t rnd;

    if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
        rnd = (uint32_t)getpid() ^ (uint32_t)(uintptr_t)&rnd;
    return sv_asprintf(".%s" TMP_MARK "%08x", file, rnd);
}

static bool is_tmp_name(const char *file)
{
    return file[0] == '.' && strstr(file, TMP_MARK);
}

/* ---- open/close ------------------------------------------------------ */

int sv_store_open(const char *dir, const char *suffix, sv_store **ret)
{
    sv_store *s;
    int fd, r;

    if (!dir || dir[0] == '\0') {
        sv_error_set(SV_FROM_CONF, SV_ERR_INVALID_ARG, "store directory is empty");
        return -EINVAL;
    }
    if (suffix && strchr(suffix, '/')) {
        sv_error_set(SV_FROM_CONF, SV_ERR_INVALID_ARG, "store suffix '%s' contains '/'", suffix);
        return -EINVAL;
    }
    r = mkdir_parents(dir);
    if (r < 0)
        return r;
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;

        sv_error_set_errno(SV_FROM_CONF, e, "cannot open directory '%s'", dir);
        return -e;
    }
    s = sv_malloc0(sizeof(*s));
    s->dir = sv_strdup(dir);
    s->suffix = sv_strdup(suffix ? suffix : "");
    s->dirfd = fd;
    *ret = s;
    return 0;
}

void sv_store_close(sv_store *s)
{
    if (!s)
        return;
    close(s->dirfd);
    free(s->dir);
    free(s->suffix);
    free(s);
}

const char *sv_store_dir(const sv_store *s)
{
    return s->dir;
}

/* ---- write ----------------------------------------------------------- */

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len > (1u << 30) ? (1u << 30) : len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        /* A zero-length write of a non-empty buffer means no space. */
        if (n == 0)
            return -ENOSPC;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Create the temporary file; retried on the unlikely name collision. */
static int create_tmp(sv_store *s, const char *file, char **ret_tmp, int *ret_fd)
{
    for (int attempt = 0; attempt < 16; attempt++) {
        _cleanup_free_ char *tmp = tmp_name(file);
        int fd = openat(s->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

        if (fd >= 0) {
            *ret_tmp = tmp;
            tmp = NULL;
            *ret_fd = fd;
            return 0;
        }
        if (errno != EEXIST) {
            int e = errno;

            sv_error_set_errno(SV_FROM_CONF, e, "cannot create a temporary file in '%s'", s->dir);
            return -e;
        }
    }
    sv_error_set(SV_FROM_CONF, SV_ERR_INTERNAL_ERROR,
                 "cannot create a unique temporary file in '%s'", s->dir);
    return -EEXIST;
}

int sv_store_write(sv_store *s, const char *name, const void *data, size_t len)
{
    _cleanup_free_ char *file = NULL, *tmp = NULL;
    const char *step;
    int fd = -1, r;

    r = sv_store_name_check(name);
    if (r < 0)
        return r;
    file = file_name(s, name);
    r = create_tmp(s, file, &tmp, &fd);
    if (r < 0)
        return r;

    step = "write";
    r = write_all(fd, data, len);
    if (r == 0) {
        step = "sync";
        r = fsync(fd) < 0 ? -errno : 0;
    }
    /* close() can report a deferred write error (NFS); keep the first.
     * EINTR is not one: Linux has closed the descriptor anyway. */
    if (close(fd) < 0 && errno != EINTR && r == 0) {
        step = "close";
        r = -errno;
    }
    if (r == 0) {
        step = "rename";
        r = renameat(s->dirfd, tmp, s->dirfd, file) < 0 ? -errno : 0;
    }
    if (r < 0) {
        unlinkat(s->dirfd, tmp, 0);
        sv_error_set_errno(SV_FROM_CONF, -r, "cannot save '%s/%s' (%zu bytes; %s failed)",
                           s->dir, file, len, step);
        return r;
    }
    return fsync_dir(s->dirfd, s->dir);
}

/* ---- read, delete ---------------------------------------------------- */

int sv_store_read(sv_store *s, const char *name, char **ret_data, size_t *ret_len)
{
    _cleanup_free_ char *path = NULL;
    int r;

    r = sv_store_name_check(name);
    if (r < 0)
        return r;
    path = sv_asprintf("%s/%s%s", s->dir, name, s->suffix);
    r = sv_read_file(path, SV_STORE_OBJECT_MAX, ret_data, ret_len);
    if (r == -EFBIG)
        sv_error_set(SV_FROM_CONF, SV_ERR_OPERATION_FAILED,
                     "cannot read '%s': larger than %u bytes", path, SV_STORE_OBJECT_MAX);
    else if (r < 0)
        sv_error_set_errno(SV_FROM_CONF, -r, "cannot read '%s'", path);
    return r;
}

bool sv_store_exists(sv_store *s, const char *name)
{
    _cleanup_free_ char *file = NULL;
    struct stat st;

    if (sv_store_name_check(name) < 0)
        return false;
    file = file_name(s, name);
    return fstatat(s->dirfd, file, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

int sv_store_delete(sv_store *s, const char *name)
{
    _cleanup_free_ char *file = NULL;
    int r;

    r = sv_store_name_check(name);
    if (r < 0)
        return r;
    file = file_name(s, name);
    if (unlinkat(s->dirfd, file, 0) < 0) {
        int e = errno;

        sv_error_set_errno(SV_FROM_CONF, e, "cannot delete '%s/%s'", s->dir, file);
        return -e;
    }
    return fsync_dir(s->dirfd, s->dir);
}

/* ---- listing --------------------------------------------------------- */

static int names_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void sv_store_names_free(char **names)
{
    if (!names)
        return;
    for (char **n = names; *n; n++)
        free(*n);
    free(names);
}

/* Names of entries of dirfd (consumed) whose file name is <name><suffix>
 * with a valid name and whose type is want (DT_REG or DT_LNK).  Temporary
 * files are unlinked when clean_tmp is set. */
static int list_dir(sv_store *s, int dirfd, const char *path, unsigned char want,
                    bool clean_tmp, char ***ret_names, size_t *ret_n)
{
    size_t slen = strlen(s->suffix), n = 0, cap = 8;
    char **names;
    struct dirent *e;
    DIR *d = fdopendir(dirfd);

    if (!d) {
        int err = errno;

        close(dirfd);
        sv_error_set_errno(SV_FROM_CONF, err, "cannot read directory '%s'", path);
        return -err;
    }
    names = sv_calloc(cap, sizeof(*names));
    while ((errno = 0, e = readdir(d))) {
        size_t len = strlen(e->d_name);
        unsigned char type = e->d_type;
        struct stat st;

        if (clean_tmp && is_tmp_name(e->d_name)) {
            unlinkat(dirfd, e->d_name, 0);
            continue;
        }
        if (e->d_name[0] == '.' || len <= slen || strcmp(e->d_name + len - slen, s->suffix) != 0)
            continue;
        if (type == DT_UNKNOWN) {
            if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                continue;
            type = S_ISREG(st.st_mode) ? DT_REG : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
        }
        if (type != want)
            continue;
        names[n] = sv_strndup(e->d_name, len - slen);
        if (name_problem(names[n])) {
            free(names[n]);
            names[n] = NULL;
            continue;
        }
        if (++n + 1 > cap) {
            cap *= 2;
            names = sv_realloc(names, cap * sizeof(*names));
        }
    }
    if (errno) {
        int err = errno;

        names[n] = NULL;
        sv_store_names_free(names);
        closedir(d);
        sv_error_set_errno(SV_FROM_CONF, err, "cannot read directory '%s'", path);
        return -err;
    }
    closedir(d);
    names[n] = NULL;
    qsort(names, n, sizeof(*names), names_cmp);
    *ret_names = names;
    if (ret_n)
        *ret_n = n;
    return 0;
}

static int list_objects(sv_store *s, bool clean_tmp, char ***ret_names, size_t *ret_n)
{
    int fd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0) {
        int e = errno;

        sv_error_set_errno(SV_FROM_CONF, e, "cannot open directory '%s'", s->dir);
        return -e;
    }
    return list_dir(s, fd, s->dir, DT_REG, clean_tmp, ret_names, ret_n);
}

int sv_store_list(sv_store *s, char ***ret_names, size_t *ret_n)
{
    return list_objects(s, false, ret_names, ret_n);
}

int sv_store_load_all(sv_store *s, sv_store_load_cb cb, void *opaque, size_t *ret_failed)
{
    char **names = NULL;
    size_t failed = 0;
    int r;

    r = list_objects(s, true, &names, NULL);
    if (r < 0)
        return r;
    for (char **n = names; *n; n++) {
        _cleanup_free_ char *data = NULL;
        size_t len = 0;

        sv_error_reset();
        r = sv_store_read(s, *n, &data, &len);
        if (r < 0) {
            cb(*n, NULL, 0, r, opaque);
            failed++;
        } else if (cb(*n, data, len, 0, opaque) < 0) {
            failed++;
        }
    }
    sv_store_names_free(names);
    if (ret_failed)
        *ret_failed = failed;
    return 0;
}

/* ---- flags ----------------------------------------------------------- */

int sv_store_set_flag(sv_store *s, const char *name, const char *flag, bool on)
{
    _cleanup_free_ char *file = NULL, *target = NULL, *tmp = NULL, *fpath = NULL;
    _cleanup_close_ int fd = -1;
    int r;

    if ((r = sv_store_name_check(name)) < 0 || (r = sv_store_name_check(flag)) < 0)
        return r;
    r = open_subdir(s, flag, on, &fd);
    if (r == -ENOENT && !on) {
        sv_error_reset();
        return 0;
    }
    if (r < 0)
        return r;
    file = file_name(s, name);
    fpath = sv_asprintf("%s/%s", s->dir, flag);
    if (!on) {
        if (unlinkat(fd, file, 0) < 0) {
            int e = errno;

            if (e == ENOENT)
                return 0;
            sv_error_set_errno(SV_FROM_CONF, e, "cannot clear flag '%s' of '%s'", flag, name);
            return -e;
        }
        return fsync_dir(fd, fpath);
    }
    /* symlink() cannot replace, so create under a temporary name and rename. */
    target = sv_asprintf("../%s", file);
    for (int attempt = 0; attempt < 16; attempt++) {
        free(tmp);
        tmp = tmp_name(file);
        r = symlinkat(target, fd, tmp) < 0 ? -errno : 0;
        if (r != -EEXIST)
            break;
    }
    if (r == 0 && renameat(fd, tmp, fd, file) < 0) {
        r = -errno;
        unlinkat(fd, tmp, 0);
    }
    if (r < 0) {
        sv_error_set_errno(SV_FROM_CONF, -r, "cannot set flag '%s' of '%s'", flag, name);
        return r;
    }
    return fsync_dir(fd, fpath);
}

bool sv_store_get_flag(sv_store *s, const char *name, const char *flag)
{
    _cleanup_free_ char *path = NULL;
    struct stat st;

    if (sv_store_name_check(name) < 0 || sv_store_name_check(flag) < 0)
        return false;
    path = sv_asprintf("%s/%s%s", flag, name, s->suffix);
    return fstatat(s->dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

int sv_store_list_flag(sv_store *s, const char *flag, char ***ret_names, size_t *ret_n)
{
    _cleanup_free_ char *path = NULL;
    int fd = -1, r;

    r = sv_store_name_check(flag);
    if (r < 0)
        return r;
    path = sv_asprintf("%s/%s", s->dir, flag);
    r = open_subdir(s, flag, false, &fd);
    if (r == -ENOENT) {
        sv_error_reset();
        *ret_names = sv_calloc(1, sizeof(char *));
        if (ret_n)
            *ret_n = 0;
        return 0;
    }
    if (r < 0)
        return r;
    return list_dir(s, fd, path, DT_LNK, false, ret_names, ret_n);
}
