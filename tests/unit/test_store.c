/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The persistent config store: round trip, listing, names, corrupt files,
 * flags, and the two failure modes issue 2 asks about: a writer killed in
 * the middle of a save, and a save that runs out of space.  Each test works
 * in its own temporary directory, removed afterwards also on failure.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <cmocka.h>

#include "sv_error.h"
#include "sv_store.h"
#include "sv_util.h"

#define BIG (4u * 1024 * 1024)

typedef struct fixture {
    char dir[64];       /* the temporary root */
    char *objdir;       /* <dir>/qemu, the store's directory */
    sv_store *store;
} fixture;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path) < 0 ? -1 : 0;
}

static int setup(void **state)
{
    fixture *f = sv_malloc0(sizeof(*f));
    const char *tmp = getenv("TMPDIR");

    snprintf(f->dir, sizeof(f->dir), "%s/sv-store-XXXXXX", tmp && tmp[0] == '/' && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    f->objdir = sv_asprintf("%s/qemu", f->dir);
    if (sv_store_open(f->objdir, ".xml", &f->store) < 0) {
        nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(f->objdir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    sv_store_close(f->store);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f->objdir);
    free(f);
    return 0;
}

/* Write a file directly, bypassing the store (to plant corrupt objects). */
static void plant(const fixture *f, const char *file, const char *content)
{
    _cleanup_free_ char *path = sv_asprintf("%s/%s", f->objdir, file);
    _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
}

static bool path_exists(const fixture *f, const char *file)
{
    _cleanup_free_ char *path = sv_asprintf("%s/%s", f->objdir, file);
    struct stat st;

    return lstat(path, &st) == 0;
}

/* Number of entries whose name starts with '.', other than . and .. */
static int count_dotfiles(const char *dir)
{
    struct dirent **list;
    int n = 0, k = scandir(dir, &list, NULL, alphasort);

    if (k < 0)
        return -1;
    for (int i = 0; i < k; i++) {
        const char *d = list[i]->d_name;

        if (d[0] == '.' && strcmp(d, ".") != 0 && strcmp(d, "..") != 0)
            n++;
        free(list[i]);
    }
    free(list);
    return n;
}

static void assert_read(sv_store *s, const char *name, const void *want, size_t want_len)
{
    _cleanup_free_ char *data = NULL;
    size_t len = 0;

    assert_int_equal(sv_store_read(s, name, &data, &len), 0);
    assert_int_equal(len, want_len);
    assert_memory_equal(data, want, want_len);
    assert_int_equal(data[len], '\0');
}

/* ---------------------------------------------------------------------- */

static void test_paths(void **state)
{
    sv_store_paths p;

    unsetenv("SEPVIRT_ROOT");
    assert_int_equal(sv_store_paths_get(false, NULL, &p), 0);
    assert_string_equal(p.config, "/etc/sepvirt");
    assert_string_equal(p.state, "/var/lib/sepvirt");
    assert_string_equal(p.runtime, "/run/sepvirt");
    sv_store_paths_clear(&p);

    setenv("HOME", "/home/u", 1);
    setenv("XDG_CONFIG_HOME", "/x/conf", 1);
    setenv("XDG_DATA_HOME", "/x/data", 1);
    setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
    assert_int_equal(sv_store_paths_get(true, NULL, &p), 0);
    assert_string_equal(p.config, "/x/conf/sepvirt");
    assert_string_equal(p.state, "/x/data/sepvirt");
    assert_string_equal(p.runtime, "/run/user/1000/sepvirt");
    sv_store_paths_clear(&p);

    /* Unset or relative XDG variables fall back to the home directory. */
    unsetenv("XDG_CONFIG_HOME");
    setenv("XDG_DATA_HOME", "relative/data", 1);
    unsetenv("XDG_RUNTIME_DIR");
    unsetenv("XDG_CACHE_HOME");
    assert_int_equal(sv_store_paths_get(true, NULL, &p), 0);
    assert_string_equal(p.config, "/home/u/.config/sepvirt");
    assert_string_equal(p.state, "/home/u/.local/share/sepvirt");
    assert_string_equal(p.runtime, "/home/u/.cache/sepvirt/run");
    sv_store_paths_clear(&p);

    /* The override root, by argument and by environment, in both modes. */
    assert_int_equal(sv_store_paths_get(true, "/r", &p), 0);
    assert_string_equal(p.config, "/r/config");
    assert_string_equal(p.state, "/r/state");
    assert_string_equal(p.runtime, "/r/run");
    sv_store_paths_clear(&p);
    setenv("SEPVIRT_ROOT", "/env", 1);
    assert_int_equal(sv_store_paths_get(false, NULL, &p), 0);
    assert_string_equal(p.config, "/env/config");
    assert_string_equal(p.runtime, "/env/run");
    sv_store_paths_clear(&p);
    assert_null(p.config);
    unsetenv("SEPVIRT_ROOT");
}

static void test_round_trip(void **state)
{
    fixture *f = *state;
    static const char bin[] = "a\0b\0\xff";
    struct stat st;

    assert_int_equal(sv_store_write(f->store, "vm1", "<domain/>", 9), 0);
    assert_read(f->store, "vm1", "<domain/>", 9);
    assert_true(sv_store_exists(f->store, "vm1"));
    assert_false(sv_store_exists(f->store, "vm2"));

    /* Overwrite, shorter content, then empty and binary content. */
    assert_int_equal(sv_store_write(f->store, "vm1", "<d/>", 4), 0);
    assert_read(f->store, "vm1", "<d/>", 4);
    assert_int_equal(sv_store_write(f->store, "vm1", "", 0), 0);
    assert_read(f->store, "vm1", "", 0);
    assert_int_equal(sv_store_write(f->store, "bin", bin, sizeof(bin)), 0);
    assert_read(f->store, "bin", bin, sizeof(bin));

    /* File layout and modes: <dir>/<name><suffix>, 0600, directory 0700. */
    assert_true(path_exists(f, "vm1.xml"));
    assert_int_equal(stat(f->objdir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    {
        _cleanup_free_ char *p = sv_asprintf("%s/vm1.xml", f->objdir);

        assert_int_equal(stat(p, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
    }
    assert_int_equal(count_dotfiles(f->objdir), 0);
    assert_string_equal(sv_store_dir(f->store), f->objdir);

    /* Reading something absent: -ENOENT with a message naming the file. */
    {
        char *data = NULL;

        assert_int_equal(sv_store_read(f->store, "nope", &data, NULL), -ENOENT);
        assert_null(data);
        assert_non_null(strstr(sv_error_message(), "nope.xml"));
    }
}

static void test_nested_dir_created(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *deep = sv_asprintf("%s/a/b/c", f->dir);
    sv_store *s = NULL;

    assert_int_equal(sv_store_open(deep, NULL, &s), 0);
    assert_int_equal(sv_store_write(s, "x", "1", 1), 0);
    assert_read(s, "x", "1", 1);
    sv_store_close(s);
    {
        _cleanup_free_ char *p = sv_asprintf("%s/x", deep);
        struct stat st;

        assert_int_equal(stat(p, &st), 0);
    }
    /* A file where the directory should be. */
    plant(f, "file", "x");
    {
        _cleanup_free_ char *bad = sv_asprintf("%s/file/sub", f->objdir);

        assert_true(sv_store_open(bad, ".xml", &s) < 0);
        assert_non_null(strstr(sv_error_message(), "file"));
    }
    assert_true(sv_store_open("", ".xml", &s) < 0);
    assert_true(sv_store_open(f->dir, "a/b", &s) < 0);
}

static void test_list(void **state)
{
    fixture *f = *state;
    char **names = NULL;
    size_t n = 99;
    _cleanup_free_ char *sub = sv_asprintf("%s/dir.xml", f->objdir);
    _cleanup_free_ char *lnk = sv_asprintf("%s/link.xml", f->objdir);

    assert_int_equal(sv_store_list(f->store, &names, &n), 0);
    assert_int_equal(n, 0);
    assert_null(names[0]);
    sv_store_names_free(names);

    assert_int_equal(sv_store_write(f->store, "zeta", "z", 1), 0);
    assert_int_equal(sv_store_write(f->store, "alpha", "a", 1), 0);
    assert_int_equal(sv_store_write(f->store, "mid dle", "m", 1), 0);
    /* Things that are not objects: other suffix, dot-files, temp files of a
     * crashed writer, a directory and a symlink with the suffix. */
    plant(f, "notes.txt", "x");
    plant(f, ".hidden.xml", "x");
    plant(f, ".alpha.xml.tmp-0badf00d", "partial");
    plant(f, ".xml", "x");
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(symlink("alpha.xml", lnk), 0);

    assert_int_equal(sv_store_list(f->store, &names, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "alpha");
    assert_string_equal(names[1], "mid dle");
    assert_string_equal(names[2], "zeta");
    assert_null(names[3]);
    sv_store_names_free(names);
    /* Listing never removes anything. */
    assert_true(path_exists(f, ".alpha.xml.tmp-0badf00d"));
    sv_store_names_free(NULL);
}

static void test_delete(void **state)
{
    fixture *f = *state;
    char **names = NULL;
    size_t n;

    assert_int_equal(sv_store_write(f->store, "a", "1", 1), 0);
    assert_int_equal(sv_store_write(f->store, "b", "2", 1), 0);
    assert_int_equal(sv_store_delete(f->store, "a"), 0);
    assert_false(sv_store_exists(f->store, "a"));
    assert_false(path_exists(f, "a.xml"));
    assert_int_equal(sv_store_delete(f->store, "a"), -ENOENT);
    assert_non_null(strstr(sv_error_message(), "a.xml"));
    assert_int_equal(sv_store_list(f->store, &names, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "b");
    sv_store_names_free(names);
}

static void test_bad_names(void **state)
{
    fixture *f = *state;
    char long_name[SV_STORE_NAME_MAX + 2];
    char max_name[SV_STORE_NAME_MAX + 1];
    static const char *const bad[] = {
        "", ".", "..", ".hidden", "../escape", "a/b", "/abs", "tab\there", "nl\n", "del\x7f",
    };
    char *data = NULL;

    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    memset(max_name, 'y', sizeof(max_name) - 1);
    max_name[sizeof(max_name) - 1] = '\0';

    for (size_t i = 0; i < SV_ARRAY_SIZE(bad); i++) {
        sv_error_reset();
        assert_int_equal(sv_store_write(f->store, bad[i], "x", 1), -EINVAL);
        assert_int_equal(sv_error_last()->code, SV_ERR_INVALID_ARG);
        assert_non_null(strstr(sv_error_message(), "invalid object name"));
        assert_int_equal(sv_store_read(f->store, bad[i], &data, NULL), -EINVAL);
        assert_int_equal(sv_store_delete(f->store, bad[i]), -EINVAL);
        assert_int_equal(sv_store_set_flag(f->store, bad[i], SV_STORE_AUTOSTART, true), -EINVAL);
        assert_false(sv_store_exists(f->store, bad[i]));
    }
    assert_int_equal(sv_store_write(f->store, NULL, "x", 1), -EINVAL);
    assert_int_equal(sv_store_write(f->store, long_name, "x", 1), -EINVAL);
    assert_non_null(strstr(sv_error_message(), "too long"));
    assert_int_equal(sv_store_set_flag(f->store, "ok", "../up", true), -EINVAL);
    assert_null(data);

    /* Nothing was created, inside the directory or next to it. */
    {
        char **names;
        size_t n;

        assert_int_equal(sv_store_list(f->store, &names, &n), 0);
        assert_int_equal(n, 0);
        sv_store_names_free(names);
        assert_int_equal(count_dotfiles(f->objdir), 0);
        assert_int_equal(count_dotfiles(f->dir), 0);
        _cleanup_free_ char *escaped = sv_asprintf("%s/escape.xml", f->dir);
        assert_int_equal(access(escaped, F_OK), -1);
    }

    /* Boundary: the longest name and odd but harmless characters work. */
    assert_int_equal(sv_store_write(f->store, max_name, "m", 1), 0);
    assert_read(f->store, max_name, "m", 1);
    assert_int_equal(sv_store_write(f->store, "a.b-c_d:e é", "u", 1), 0);
    assert_read(f->store, "a.b-c_d:e é", "u", 1);
}

typedef struct load_log {
    int calls;
    char names[8][32];
    int errors[8];
    char messages[8][256];
} load_log;

/* Accepts objects that look like XML; everything else is "corrupt". */
static int load_cb(const char *name, const char *data, size_t len, int error, void *opaque)
{
    load_log *log = opaque;
    int i = log->calls++;

    assert_true(i < 8);
    snprintf(log->names[i], sizeof(log->names[i]), "%s", name);
    log->errors[i] = error;
    if (error < 0) {
        assert_null(data);
        snprintf(log->messages[i], sizeof(log->messages[i]), "%s", sv_error_message());
        return error;
    }
    if (len == 0 || data[0] != '<') {
        sv_error_set(SV_FROM_CONF, SV_ERR_XML_ERROR, "%s: not XML", name);
        snprintf(log->messages[i], sizeof(log->messages[i]), "%s", sv_error_message());
        return -EBADMSG;
    }
    return 0;
}

static void test_load_all_reports_corrupt(void **state)
{
    fixture *f = *state;
    load_log log = {0};
    size_t failed = 99;
    _cleanup_free_ char *huge = sv_asprintf("%s/huge.xml", f->objdir);

    assert_int_equal(sv_store_write(f->store, "good1", "<a/>", 4), 0);
    assert_int_equal(sv_store_write(f->store, "good2", "<b/>", 4), 0);
    plant(f, "corrupt.xml", "\x01\x02garbage");
    plant(f, "empty.xml", "");
    plant(f, ".good1.xml.tmp-12345678", "<a");      /* crashed writer */
    /* Too large to load: reported as unreadable, not loaded into memory. */
    {
        _cleanup_close_ int fd = open(huge, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

        assert_true(fd >= 0);
        assert_int_equal(ftruncate(fd, (off_t)SV_STORE_OBJECT_MAX + 1), 0);
    }

    assert_int_equal(sv_store_load_all(f->store, load_cb, &log, &failed), 0);
    assert_int_equal(log.calls, 5);
    assert_int_equal(failed, 3);
    assert_string_equal(log.names[0], "corrupt");
    assert_int_equal(log.errors[0], 0);
    assert_string_equal(log.messages[0], "corrupt: not XML");
    assert_string_equal(log.names[1], "empty");
    assert_string_equal(log.names[2], "good1");
    assert_int_equal(log.errors[2], 0);
    assert_string_equal(log.names[3], "good2");
    assert_string_equal(log.names[4], "huge");
    assert_int_equal(log.errors[4], -EFBIG);
    assert_non_null(strstr(log.messages[4], "huge.xml"));
    assert_non_null(strstr(log.messages[4], "larger than"));

    /* Corrupt files are kept for the administrator; the temp file is gone. */
    assert_true(path_exists(f, "corrupt.xml"));
    assert_true(path_exists(f, "empty.xml"));
    assert_true(path_exists(f, "huge.xml"));
    assert_false(path_exists(f, ".good1.xml.tmp-12345678"));
    assert_int_equal(count_dotfiles(f->objdir), 0);
    assert_read(f->store, "good1", "<a/>", 4);

    /* A second load sees the same thing: nothing was repaired behind us. */
    memset(&log, 0, sizeof(log));
    assert_int_equal(sv_store_load_all(f->store, load_cb, &log, NULL), 0);
    assert_int_equal(log.calls, 5);
}

/* The directory removed under an open store: nothing to load, and a save
 * fails with an error naming the directory instead of recreating it. */
static void test_dir_removed(void **state)
{
    fixture *f = *state;
    load_log log = {0};
    size_t failed = 9;

    assert_int_equal(rmdir(f->objdir), 0);
    assert_int_equal(sv_store_load_all(f->store, load_cb, &log, &failed), 0);
    assert_int_equal(log.calls, 0);
    assert_int_equal(failed, 0);
    assert_int_equal(sv_store_write(f->store, "x", "1", 1), -ENOENT);
    assert_non_null(strstr(sv_error_message(), f->objdir));
    assert_non_null(strstr(sv_error_message(), "No such file"));
    assert_int_equal(access(f->objdir, F_OK), -1);
}

static void test_flags(void **state)
{
    fixture *f = *state;
    char **names;
    size_t n;
    char target[64];
    ssize_t len;
    _cleanup_free_ char *link = sv_asprintf("%s/autostart/vm1.xml", f->objdir);

    /* No flag directory yet: nothing set, clearing succeeds, list empty. */
    assert_false(sv_store_get_flag(f->store, "vm1", SV_STORE_AUTOSTART));
    assert_int_equal(sv_store_set_flag(f->store, "vm1", SV_STORE_AUTOSTART, false), 0);
    assert_int_equal(sv_store_list_flag(f->store, SV_STORE_AUTOSTART, &names, &n), 0);
    assert_int_equal(n, 0);
    assert_null(names[0]);
    sv_store_names_free(names);

    assert_int_equal(sv_store_write(f->store, "vm1", "<a/>", 4), 0);
    assert_int_equal(sv_store_set_flag(f->store, "vm1", SV_STORE_AUTOSTART, true), 0);
    assert_int_equal(sv_store_set_flag(f->store, "vm1", SV_STORE_AUTOSTART, true), 0);
    assert_int_equal(sv_store_set_flag(f->store, "vm2", SV_STORE_AUTOSTART, true), 0);
    assert_true(sv_store_get_flag(f->store, "vm1", SV_STORE_AUTOSTART));
    assert_true(sv_store_get_flag(f->store, "vm2", SV_STORE_AUTOSTART));
    assert_false(sv_store_get_flag(f->store, "vm1", "other"));

    /* libvirt's layout: autostart/<name>.xml -> the config file. */
    len = readlink(link, target, sizeof(target) - 1);
    assert_true(len > 0);
    target[len] = '\0';
    assert_string_equal(target, "../vm1.xml");
    {
        _cleanup_free_ char *autodir = sv_asprintf("%s/autostart", f->objdir);

        assert_int_equal(count_dotfiles(autodir), 0);
    }

    assert_int_equal(sv_store_list_flag(f->store, SV_STORE_AUTOSTART, &names, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "vm1");
    assert_string_equal(names[1], "vm2");
    sv_store_names_free(names);
    /* The flag directory is not an object. */
    assert_int_equal(sv_store_list(f->store, &names, &n), 0);
    assert_int_equal(n, 1);
    sv_store_names_free(names);

    assert_int_equal(sv_store_set_flag(f->store, "vm1", SV_STORE_AUTOSTART, false), 0);
    assert_int_equal(sv_store_set_flag(f->store, "vm1", SV_STORE_AUTOSTART, false), 0);
    assert_false(sv_store_get_flag(f->store, "vm1", SV_STORE_AUTOSTART));
    assert_true(sv_store_get_flag(f->store, "vm2", SV_STORE_AUTOSTART));
    assert_int_equal(access(link, F_OK), -1);
}

/* ---- crash while saving -------------------------------------------------- */

/* Generation g of the big object: a header line, then a fill byte that
 * depends on g, so any mix of two generations or a truncation is seen. */
static void fill_gen(char *buf, unsigned g)
{
    int h = snprintf(buf, 32, "gen %08u\n", g);

    memset(buf + h, 'A' + (int)(g % 26), BIG - (size_t)h);
}

/* The generation number if data is one complete generation, else -1. */
static long check_gen(const char *data, size_t len)
{
    unsigned g;
    char fill;

    if (len != BIG || sscanf(data, "gen %08u\n", &g) != 1)
        return -1;
    fill = (char)('A' + (int)(g % 26));
    for (size_t i = 13; i < len; i++)
        if (data[i] != fill)
            return -1;
    return g;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define WRITER_READY UINT32_MAX

/* The writer: saves generation first, first+1, ... forever, telling the
 * parent over fd when it is about to start and after each completed save. */
static _Noreturn void writer_child(const char *dir, unsigned first, int fd)
{
    char *buf = sv_malloc0(BIG);
    sv_store *s;

    if (sv_store_open(dir, ".xml", &s) < 0)
        _exit(2);
    if (write(fd, &(unsigned){WRITER_READY}, sizeof(unsigned)) != sizeof(unsigned))
        _exit(4);
    for (unsigned g = first;; g++) {
        fill_gen(buf, g);
        if (sv_store_write(s, "big", buf, BIG) < 0)
            _exit(3);
        if (write(fd, &g, sizeof(g)) != sizeof(g))
            _exit(4);
    }
}

/* Fork with a pipe from child to parent.  Returns the pid (0 in the child);
 * *ret_fd is the write end in the child and the read end in the parent. */
static pid_t fork_piped(int *ret_fd)
{
    int fds[2];
    pid_t pid;

    assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
    pid = fork();
    assert_true(pid >= 0);
    close(fds[pid == 0 ? 0 : 1]);
    *ret_fd = fds[pid == 0 ? 1 : 0];
    return pid;
}

static void test_kill_during_save(void **state)
{
    fixture *f = *state;
    char *buf = sv_malloc0(BIG);
    double t0, save_time;
    long last = 0;
    int mid_write = 0, saves = 0;
    unsigned seed = (unsigned)getpid();
    const int iterations = 40;

    fill_gen(buf, 0);
    t0 = now_s();
    assert_int_equal(sv_store_write(f->store, "big", buf, BIG), 0);
    save_time = now_s() - t0;
    free(buf);

    for (int it = 0; it < iterations; it++) {
        int fd, status;
        unsigned g;
        _cleanup_free_ char *data = NULL;
        size_t len;
        long got;
        pid_t pid = fork_piped(&fd);

        if (pid == 0)
            writer_child(f->objdir, (unsigned)last + 1, fd);
        /* Kill at a moment spread over about three saves' duration from the
         * start of the first one; every fourth time before it has begun. */
        if (it % 4 != 0)
            assert_int_equal(read(fd, &g, sizeof(g)), sizeof(g));
        {
            double delay = save_time * 3.0 * (double)(rand_r(&seed) % 1000) / 1000.0;
            struct timespec ts = {
                .tv_sec = (time_t)delay,
                .tv_nsec = (long)((delay - (double)(time_t)delay) * 1e9),
            };

            if (it % 4 == 0)
                ts = (struct timespec){0, 0};     /* sometimes at once */
            nanosleep(&ts, NULL);
        }
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        while (read(fd, &g, sizeof(g)) == sizeof(g))
            if (g != WRITER_READY)
                saves++;
        close(fd);

        if (count_dotfiles(f->objdir) > 0)
            mid_write++;
        assert_int_equal(sv_store_read(f->store, "big", &data, &len), 0);
        got = check_gen(data, len);
        if (got < 0)
            fail_msg("iteration %d: object is not one complete generation (%zu bytes)", it, len);
        /* Never older than what was there before. */
        assert_true(got >= last);
        last = got;
        /* The start-up loader removes what the killed writer left. */
        assert_int_equal(sv_store_load_all(f->store, load_cb, &(load_log){0}, NULL), 0);
        assert_int_equal(count_dotfiles(f->objdir), 0);
    }
    print_message("kill test: %d kills, %d left a temp file, %d saves returned, "
                  "final generation %ld, one save %.1f ms\n",
                  iterations, mid_write, saves, last, save_time * 1000);
    /* The test must have hit writers mid-save, and saves must have landed. */
    assert_true(mid_write > 0);
    assert_true(last > 0);
}

/* ---- out of space -------------------------------------------------------- */

/* Run fn in a child; the child reports failure via exit status and message. */
typedef int (*child_fn)(const char *dir, char *msg, size_t msgsz);

static int run_child(const char *dir, child_fn fn, char *msg, size_t msgsz)
{
    int fd, status;
    ssize_t n;
    pid_t pid = fork_piped(&fd);

    if (pid == 0) {
        char m[512] = "";
        int rc = fn(dir, m, sizeof(m));

        if (write(fd, m, strlen(m)) < 0)
            rc = 99;
        _exit(rc);
    }
    n = read(fd, msg, msgsz - 1);
    msg[n > 0 ? n : 0] = '\0';
    close(fd);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* With a 1 MiB file size limit a 4 MiB save gets a short write, then EFBIG. */
static int rlimit_child(const char *dir, char *msg, size_t msgsz)
{
    struct rlimit rl = {.rlim_cur = 1024 * 1024, .rlim_max = 1024 * 1024};
    char *buf = sv_malloc0(BIG);
    sv_store *s;
    int r;

    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &rl) < 0 || sv_store_open(dir, ".xml", &s) < 0)
        return 2;
    fill_gen(buf, 7);
    r = sv_store_write(s, "big", buf, BIG);
    snprintf(msg, msgsz, "%s", sv_error_message());
    return r == -EFBIG ? 0 : 1;
}

static void test_write_past_file_size_limit(void **state)
{
    fixture *f = *state;
    char msg[512];
    char *old = sv_malloc0(BIG);

    fill_gen(old, 3);
    assert_int_equal(sv_store_write(f->store, "big", old, BIG), 0);
    assert_int_equal(run_child(f->objdir, rlimit_child, msg, sizeof(msg)), 0);
    /* The error names the object and the cause. */
    assert_non_null(strstr(msg, "big.xml"));
    assert_non_null(strstr(msg, "File too large"));
    assert_read(f->store, "big", old, BIG);
    assert_int_equal(count_dotfiles(f->objdir), 0);
    free(old);
}

static int write_text(const char *path, const char *text)
{
    _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

    return fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
}

/* A private mount namespace; without root, inside a user namespace that
 * maps our uid to itself (files cannot be created with an unmapped owner). */
static int private_mount_ns(void)
{
    char map[64];
    uid_t uid = getuid();
    gid_t gid = getgid();

    if (unshare(CLONE_NEWNS) == 0)
        return 0;
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
        return -1;
    snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
    if (write_text("/proc/self/uid_map", map) < 0 || write_text("/proc/self/setgroups", "deny") < 0)
        return -1;
    snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
    return write_text("/proc/self/gid_map", map);
}

/* A 1 MiB tmpfs in a private mount namespace: a real ENOSPC. */
static int enospc_child(const char *dir, char *msg, size_t msgsz)
{
    char *buf = sv_malloc0(BIG);
    sv_store *s;
    int r;

    if (private_mount_ns() < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("sv-test", dir, "tmpfs", 0, "size=1m,mode=0700") < 0) {
        snprintf(msg, msgsz, "cannot set up a private tmpfs: %s", strerror(errno));
        return 77;
    }
    if (sv_store_open(dir, ".xml", &s) < 0 || sv_store_write(s, "obj", "<old/>", 6) < 0)
        return 2;
    fill_gen(buf, 1);
    r = sv_store_write(s, "obj", buf, BIG);
    snprintf(msg, msgsz, "%s", sv_error_message());
    if (r != -ENOSPC)
        return 1;
    {
        _cleanup_free_ char *data = NULL;
        size_t len;

        if (sv_store_read(s, "obj", &data, &len) < 0 || len != 6 || memcmp(data, "<old/>", 6))
            return 3;
    }
    return count_dotfiles(dir) == 0 ? 0 : 4;
}

static void test_write_disk_full(void **state)
{
    fixture *f = *state;
    char msg[512];
    int rc = run_child(f->objdir, enospc_child, msg, sizeof(msg));

    if (rc == 77) {
        print_message("skipped: %s\n", msg);
        skip();
    }
    if (rc != 0)
        fail_msg("child status %d: %s", rc, msg);
    assert_non_null(strstr(msg, "No space left on device"));
    assert_non_null(strstr(msg, "obj.xml"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_dir_created, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_all_reports_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_during_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_past_file_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_disk_full, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
