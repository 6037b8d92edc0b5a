/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a jailed process sees, one "key=value" line each, for the jail and
 * launcher tests:
 *     jail_probe [--write PATH]... [--exec-again FD]
 * --write tries to create PATH and reports ok or the errno name;
 * --exec-again calls execveat(FD, NULL, ..., AT_EMPTY_PATH) and reports
 * its errno (the exec-once rule: the fd must be gone after exec).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static void print_status(void)
{
    static const char *const keys[] = {
        "CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:", "NoNewPrivs:", "Seccomp:",
    };
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");

    while (f && fgets(line, sizeof(line), f))
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
            if (strncmp(line, keys[i], strlen(keys[i])) == 0) {
                char *v = line + strlen(keys[i]);

                v += strspn(v, " \t");
                printf("%.*s=%s", (int)strlen(keys[i]) - 1, keys[i], v);
            }
    if (f)
        fclose(f);
}

static void print_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int self = d ? dirfd(d) : -1;

    struct stat st;

    printf("fds=");
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' && atoi(e->d_name) != self)
            printf("%s,", e->d_name);
    printf("\n");
    /* inode of each low fd, so a test can tell which file landed where */
    for (int fd = 0; fd < 8; fd++)
        if (fd != self && fstat(fd, &st) == 0)
            printf("ino%d=%llu\n", fd, (unsigned long long)st.st_ino);
    if (d)
        closedir(d);
}

/* /dev entries, recursively one level (net/tun), with owner uid. */
static void print_dev(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];
    struct stat st;

    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (lstat(path, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode) && strcmp(dir, "/dev") == 0)
            print_dev(path);
        else
            printf("dev=%s:%c:%u:%o\n", path + 5, S_ISCHR(st.st_mode) ? 'c' :
                   S_ISLNK(st.st_mode) ? 'l' : '?', (unsigned)st.st_uid,
                   (unsigned)(st.st_mode & 07777));
    }
    if (d)
        closedir(d);
}

/* Sanitizer builds: LeakSanitizer's exit-time scan needs clone and ptrace,
 * which the seccomp profiles this runs under do not allow. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0:symbolize=0";
}

int main(int argc, char **argv)
{
    struct rlimit nofile, core;
    char cg[256] = "";
    FILE *f;
    int n = 0;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--exec-again") == 0) {
            long r = syscall(SYS_execveat, atoi(argv[i + 1]), NULL,
                             (char *[]){ "x", NULL }, (char *[]){ NULL }, AT_EMPTY_PATH);

            printf("exec_again=%s\n", r < 0 ? strerrorname_np(errno) : "ok");
            return 0;
        }
    }
    printf("uid=%u\ngid=%u\ngroups=%d\n", (unsigned)getuid(), (unsigned)getgid(),
           getgroups(0, NULL));
    print_status();
    print_fds();
    for (char **e = environ; *e; e++)
        n++;
    printf("env=%d\n", n);
    getrlimit(RLIMIT_NOFILE, &nofile);
    getrlimit(RLIMIT_CORE, &core);
    printf("nofile=%llu/%llu\ncore=%llu\n", (unsigned long long)nofile.rlim_cur,
           (unsigned long long)nofile.rlim_max, (unsigned long long)core.rlim_cur);
    if ((f = fopen("/proc/self/cgroup", "r"))) {
        while (fgets(cg, sizeof(cg), f))
            if (strncmp(cg, "0::", 3) == 0)
                printf("cgroup=%s", cg + 3);
        fclose(f);
    }
    print_dev("/dev");
    for (int i = 1; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "--write") == 0) {
            int fd = open(argv[i + 1], O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

            printf("write:%s=%s\n", argv[i + 1], fd < 0 ? strerrorname_np(errno) : "ok");
            if (fd >= 0) {
                close(fd);
                unlink(argv[i + 1]);
            }
        }
    return 0;
}
