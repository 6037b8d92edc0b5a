/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "hostinfo.h"

#include <ctype.h>
#include <limits.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sv_error.h"
#include "sv_util.h"

#define PROC_FILE_MAX (4u * 1024 * 1024)
#define QEMU_OUTPUT_MAX (256u * 1024)
#define MAX_CPUS 4096

extern char **environ;

char *sv_host_proc_field(const char *data, const char *key)
{
    size_t klen = strlen(key);

    for (const char *line = data; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        const char *p;
        size_t n;

        if (strncmp(line, key, klen) != 0)
            continue;
        p = line + klen;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != ':')
            continue;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        n = strcspn(p, "\n");
        return sv_strndup(p, n);
    }
    return NULL;
}

static uint64_t meminfo_kib(const char *key)
{
    _cleanup_free_ char *data = NULL, *v = NULL;
    uint64_t n = 0;

    if (sv_read_file("/proc/meminfo", PROC_FILE_MAX, &data, NULL) < 0)
        return 0;
    v = sv_host_proc_field(data, key);
    if (v)
        n = strtoull(v, NULL, 10);
    return n;
}

uint64_t sv_host_free_memory(void)
{
    uint64_t kib = meminfo_kib("MemAvailable");

    if (kib == 0)
        kib = meminfo_kib("MemFree");
    return kib * 1024;
}

static int read_sysfs_int(const char *path, int *ret)
{
    _cleanup_free_ char *data = NULL;

    if (sv_read_file(path, 4096, &data, NULL) < 0)
        return -1;
    data[strcspn(data, "\n")] = '\0';
    return sv_parse_int(data, ret) < 0 ? -1 : 0;
}

static int count_nodes(void)
{
    DIR *d = opendir("/sys/devices/system/node");
    struct dirent *de;
    int n = 0;

    if (!d)
        return 1;
    while ((de = readdir(d)))
        if (strncmp(de->d_name, "node", 4) == 0 && isdigit((unsigned char)de->d_name[4]))
            n++;
    closedir(d);
    return n > 0 ? n : 1;
}

/* Count distinct packages and distinct (package, core) pairs of online CPUs. */
static void count_topology(int cpus, int *ret_packages, int *ret_cores)
{
    int *pkg = sv_calloc(MAX_CPUS, sizeof(int));
    int *core = sv_calloc(MAX_CPUS, sizeof(int));
    int npkg = 0, ncore = 0, seen = 0;

    for (int cpu = 0; cpu < MAX_CPUS && seen < cpus; cpu++) {
        char path[128];
        int p, c, online = 1;
        bool newpkg = true, newcore = true;

        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
        if (read_sysfs_int(path, &p) < 0)
            continue;
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
        if (read_sysfs_int(path, &online) == 0 && !online)
            continue;
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
        if (read_sysfs_int(path, &c) < 0)
            c = cpu;
        seen++;
        for (int i = 0; i < ncore; i++)
            if (pkg[i] == p && core[i] == c)
                newcore = false;
        for (int i = 0; i < ncore; i++)
            if (pkg[i] == p)
                newpkg = false;
        if (newpkg)
            npkg++;
        if (newcore) {
            pkg[ncore] = p;
            core[ncore] = c;
            ncore++;
        }
    }
    free(pkg);
    free(core);
    *ret_packages = npkg;
    *ret_cores = ncore;
}

void sv_host_topology_get(sv_host_topology *t)
{
    struct utsname u;
    _cleanup_free_ char *cpuinfo = NULL;
    int packages = 0, cores = 0;

    memset(t, 0, sizeof(*t));
    if (uname(&u) == 0)
        snprintf(t->arch, sizeof(t->arch), "%s", u.machine);
    t->memory_kib = meminfo_kib("MemTotal");
    t->cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (t->cpus < 1)
        t->cpus = 1;

    if (sv_read_file("/proc/cpuinfo", PROC_FILE_MAX, &cpuinfo, NULL) == 0) {
        _cleanup_free_ char *mhz = sv_host_proc_field(cpuinfo, "cpu MHz");
        if (mhz)
            t->mhz = atoi(mhz);
    }
    if (t->mhz == 0) {
        int khz;
        if (read_sysfs_int("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", &khz) == 0)
            t->mhz = khz / 1000;
    }

    t->nodes = count_nodes();
    count_topology(t->cpus, &packages, &cores);
    if (packages > 0 && cores > 0 && packages % t->nodes == 0 && t->cpus % cores == 0) {
        t->sockets = packages / t->nodes;
        t->cores = cores / packages;
        t->threads = t->cpus / cores;
    }
    /* libvirt's rule: if the numbers do not multiply up, report a flat
     * topology rather than a wrong one. */
    if (t->sockets < 1 || t->cores < 1 || t->threads < 1 ||
        t->nodes * t->sockets * t->cores * t->threads != t->cpus) {
        t->nodes = 1;
        t->sockets = 1;
        t->cores = t->cpus;
        t->threads = 1;
    }
}

char *sv_host_name(void)
{
    char name[HOST_NAME_MAX + 1] = "";

    /* Not cached: the host may be renamed while the daemon runs. */
    if (gethostname(name, sizeof(name)) < 0 || !*name)
        snprintf(name, sizeof(name), "localhost");
    name[HOST_NAME_MAX] = '\0';
    return sv_strdup(name);
}

/* ---- QEMU probing ------------------------------------------------------ */

static struct {
    pthread_once_t once;
    bool probed;            /* atomic: set once the fields below are final */
    char *binary;
    unsigned long version;
    sv_host_machine *machines;
} qemu = { .once = PTHREAD_ONCE_INIT };

static char *find_in_path(const char *name)
{
    const char *path = getenv("PATH");
    _cleanup_free_ char *copy = sv_strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
    char *save = NULL;

    for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char *full;
        if (dir[0] != '/')
            continue;
        full = sv_asprintf("%s/%s", dir, name);
        if (access(full, X_OK) == 0)
            return full;
        free(full);
    }
    return NULL;
}

/* Run argv (no shell), return its stdout (bounded), NULL on failure. */
static char *run_capture(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    int pipefd[2];
    pid_t pid;
    char *out = sv_malloc0(QEMU_OUTPUT_MAX + 1);
    size_t len = 0;
    int status, devnull;

    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        free(out);
        return NULL;
    }
    devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
    if (devnull >= 0) {
        posix_spawn_file_actions_adddup2(&fa, devnull, STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&fa, devnull, STDERR_FILENO);
    }
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
        pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (devnull >= 0)
        close(devnull);
    if (pid < 0) {
        close(pipefd[0]);
        free(out);
        return NULL;
    }
    for (;;) {
        ssize_t n = read(pipefd[0], out + len, QEMU_OUTPUT_MAX - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        if (len == QEMU_OUTPUT_MAX)
            break;
    }
    close(pipefd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* "QEMU emulator version 7.2.22 (Debian ...)" -> 7002022 */
static unsigned long parse_qemu_version(const char *out)
{
    const char *p = strstr(out, "version ");
    unsigned major = 0, minor = 0, micro = 0;

    if (!p || sscanf(p + 8, "%u.%u.%u", &major, &minor, &micro) < 2)
        return 0;
    return major * 1000000ul + minor * 1000ul + micro;
}

/* Lines of "-machine help": "NAME   description [(alias of X)] [(default)]". */
static sv_host_machine *parse_machines(const char *out)
{
    sv_host_machine *m = sv_calloc(1, sizeof(*m));
    size_t n = 0;

    for (const char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        size_t linelen = strcspn(line, "\n");
        size_t namelen = strcspn(line, " \n");
        _cleanup_free_ char *text = sv_strndup(line, linelen);
        const char *alias;

        if (namelen == 0 || namelen == linelen || strncmp(line, "Supported machines", 18) == 0)
            continue;
        m = sv_realloc(m, (n + 2) * sizeof(*m));
        memset(&m[n], 0, 2 * sizeof(*m));
        alias = strstr(text, "(alias of ");
        if (alias) {
            /* Record the alias on the machine it names. */
            const char *target = alias + 10;
            size_t tlen = strcspn(target, ")");
            m[n].name = sv_strndup(target, tlen);
            m[n].alias = sv_strndup(line, namelen);
        } else {
            m[n].name = sv_strndup(line, namelen);
        }
        m[n].is_default = strstr(text, "(default)") != NULL;
        n++;
    }
    return m;
}

static void qemu_probe(void)
{
    char *out;

    qemu.binary = find_in_path("qemu-system-x86_64");
    if (!qemu.binary && access("/usr/libexec/qemu-kvm", X_OK) == 0)
        qemu.binary = sv_strdup("/usr/libexec/qemu-kvm");
    if (!qemu.binary) {
        qemu.machines = sv_calloc(1, sizeof(*qemu.machines));
        __atomic_store_n(&qemu.probed, true, __ATOMIC_RELEASE);
        return;
    }
    out = run_capture((char *const[]){ qemu.binary, (char *)"--version", NULL });
    if (out)
        qemu.version = parse_qemu_version(out);
    free(out);
    out = run_capture((char *const[]){ qemu.binary, (char *)"-machine", (char *)"help", NULL });
    qemu.machines = parse_machines(out ? out : "");
    free(out);
    __atomic_store_n(&qemu.probed, true, __ATOMIC_RELEASE);
}

bool sv_host_qemu_probed(void)
{
    return __atomic_load_n(&qemu.probed, __ATOMIC_ACQUIRE);
}

const char *sv_host_qemu_binary(void)
{
    pthread_once(&qemu.once, qemu_probe);
    return qemu.binary;
}

unsigned long sv_host_qemu_version(void)
{
    pthread_once(&qemu.once, qemu_probe);
    return qemu.version;
}

const sv_host_machine *sv_host_qemu_machines(void)
{
    pthread_once(&qemu.once, qemu_probe);
    return qemu.machines;
}

bool sv_host_has_kvm(void)
{
    return access("/dev/kvm", F_OK) == 0;
}

/* KVM_CHECK_EXTENSION(KVM_CAP_MAX_VCPUS), without pulling in linux/kvm.h. */
#define SV_KVM_CHECK_EXTENSION 0xAE03
#define SV_KVM_CAP_NR_VCPUS 9
#define SV_KVM_CAP_MAX_VCPUS 66

int sv_host_max_vcpus(const char *type)
{
    int fd, n;

    /* libvirt's qemu driver answers 16 for TCG. */
    if (!type || strcasecmp(type, "qemu") == 0)
        return 16;
    if (strcasecmp(type, "kvm") != 0) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_INVALID_ARG, "invalid argument: unknown type '%s'", type);
        return -1;
    }
    fd = open("/dev/kvm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 255;
    n = ioctl(fd, SV_KVM_CHECK_EXTENSION, SV_KVM_CAP_MAX_VCPUS);
    if (n <= 0)
        n = ioctl(fd, SV_KVM_CHECK_EXTENSION, SV_KVM_CAP_NR_VCPUS);
    close(fd);
    return n > 0 ? n : 4;
}

static unsigned char host_uuid[16];
static pthread_once_t host_uuid_once = PTHREAD_ONCE_INIT;

static int uuid_from_file(const char *path)
{
    _cleanup_free_ char *data = NULL;

    if (sv_read_file(path, 4096, &data, NULL) < 0)
        return -1;
    data[strcspn(data, "\n")] = '\0';
    return sv_uuid_parse(data, host_uuid);
}

static void host_uuid_init(void)
{
    if (uuid_from_file("/sys/class/dmi/id/product_uuid") == 0)
        return;
    if (uuid_from_file("/etc/machine-id") == 0)
        return;
    sv_uuid_generate(host_uuid);
}

void sv_host_uuid(unsigned char uuid[16])
{
    pthread_once(&host_uuid_once, host_uuid_init);
    memcpy(uuid, host_uuid, 16);
}
