/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The host side of a guest's interfaces.  frontd never creates a device
 * itself: taps and macvtaps come from the net helper (which names them and
 * owns them), passt comes from the spawn helper; QEMU receives only fds.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helper_conn.h"
#include "network_registry.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "sv_error.h"
#include "sv_util.h"

/* Where a network-type interface plugs in: a bridge, or a macvtap. */
typedef struct net_target {
    char bridge[IFNAMSIZ];
    char parent[IFNAMSIZ];
    uint32_t macv_mode;
} net_target;

static int unsupported(const char *what)
{
    sv_report(SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, "%s", what);
    return -1;
}

static uint32_t macv_mode(sv_domain_direct_mode m)
{
    switch (m) {
    case SV_DOMAIN_DIRECT_VEPA: return SV_NET_MACV_VEPA;
    case SV_DOMAIN_DIRECT_PRIVATE: return SV_NET_MACV_PRIVATE;
    case SV_DOMAIN_DIRECT_PASSTHROUGH: return SV_NET_MACV_PASSTHRU;
    case SV_DOMAIN_DIRECT_BRIDGE: break;
    }
    return SV_NET_MACV_BRIDGE;
}

static int copy_ifname(char out[IFNAMSIZ], const char *name)
{
    if (!name || !*name || strlen(name) >= IFNAMSIZ)
        return unsupported("interface name missing or too long");
    snprintf(out, IFNAMSIZ, "%s", name);
    return 0;
}

/* An active network's bridge or macvtap parent. */
static int resolve_network(const char *name, net_target *t)
{
    sv_network_obj *n = sv_network_find_name(name);
    const sv_network_def *def;
    int r = 0;

    if (!n) {
        sv_obj_error_no_name(sv_network_class(), name);
        return -1;
    }
    def = sv_network_obj_def(n);
    if (!n->obj.active) {
        sv_report(SV_FROM_NETWORK, SV_ERR_OPERATION_INVALID, "network '%s' is not active", name);
        r = -1;
    } else if (def->virtualport) {
        r = unsupported("interfaces on a network with <virtualport type='openvswitch'>");
    } else if (sv_network_mode_has_own_bridge(def->forward.mode) ||
               (def->forward.mode == SV_NETWORK_FORWARD_BRIDGE && def->bridge_name)) {
        r = copy_ifname(t->bridge, def->bridge_name);
    } else if (def->forward.n_ifs > 0) {
        r = copy_ifname(t->parent, def->forward.ifs[0].dev);
        t->macv_mode = def->forward.mode == SV_NETWORK_FORWARD_VEPA ? SV_NET_MACV_VEPA
                       : def->forward.mode == SV_NETWORK_FORWARD_PRIVATE ? SV_NET_MACV_PRIVATE
                       : def->forward.mode == SV_NETWORK_FORWARD_PASSTHROUGH ? SV_NET_MACV_PASSTHRU
                       : SV_NET_MACV_BRIDGE;
    } else {
        sv_report(SV_FROM_NETWORK, SV_ERR_INTERNAL_ERROR,
                  "network '%s' has no bridge and no forward interface", name);
        r = -1;
    }
    sv_network_obj_end(n);
    return r;
}

static void add_ifname(qemu_vm *vm, const char *name)
{
    vm->ifnames = sv_realloc(vm->ifnames, (vm->nifnames + 1) * sizeof(*vm->ifnames));
    snprintf(vm->ifnames[vm->nifnames++], IFNAMSIZ, "%s", name);
}

/* A tap or macvtap for n; its queue fd goes to *ret_fd. */
static int make_device(const sv_domain_net_def *n, const net_target *t, qemu_vm *vm, int *ret_fd)
{
    sv_net_client *net = sv_helper_conn_net();
    char name[IFNAMSIZ];
    int fds[SV_NET_MAX_QUEUES];
    size_t nfds = 0;
    /* The host end gets the guest MAC with 0xfe first, so a bridge never
     * takes the guest's address as its own (libvirt does the same). */
    uint8_t host_mac[SV_MAC_LEN];
    int r;

    if (!net)
        return -1;
    memcpy(host_mac, n->mac, SV_MAC_LEN);
    host_mac[0] = 0xfe;
    if (t->parent[0]) {
        sv_net_macvtap_opts o = { .parent = t->parent, .mode = t->macv_mode,
                                  .flags = SV_NET_MACV_VNET_HDR, .queues = 1, .mac = n->mac };

        r = sv_net_macvtap_create(net, &o, name, fds, &nfds);
    } else {
        sv_net_tap_opts o = { .flags = SV_NET_TAP_VNET_HDR, .queues = 1, .mac = host_mac,
                              .bridge = t->bridge[0] ? t->bridge : NULL };

        r = sv_net_tap_create(net, &o, name, fds, &nfds);
    }
    if (r < 0)
        return -1;
    add_ifname(vm, name);
    for (size_t i = 1; i < nfds; i++)
        close(fds[i]);
    if (nfds == 0) {
        sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "the net helper returned no fd for %s", name);
        return -1;
    }
    *ret_fd = fds[0];
    return 0;
}

/* passt on one end of a socketpair; the other end goes to *ret_fd.  1 when
 * passt cannot be used here (kind not configured): QEMU's user networking
 * is the fallback. */
static int start_passt(qemu_vm *vm, int log_fd, int *ret_fd)
{
    static const char *const args[] = { "--foreground", "--one-off", "--quiet", "--fd", "3", NULL };
    sv_spawn_client *spawn = sv_helper_conn_spawn();
    int sv[2], fds[2], pidfd, r;
    pid_t pid;

    if (!spawn)
        return -1;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        sv_error_set_errno(SV_FROM_QEMU, errno, "cannot create a socket pair for passt");
        return -1;
    }
    fds[0] = log_fd;
    fds[1] = sv[1];
    r = sv_spawn_start(spawn, "passt", args, fds, 2, SV_SPAWN_LOG_FD, &pid, &pidfd);
    close(sv[1]);
    if (r < 0) {
        close(sv[0]);
        return r == -ENOENT ? 1 : -1;
    }
    vm->aux = sv_realloc(vm->aux, (vm->naux + 1) * sizeof(*vm->aux));
    vm->aux[vm->naux++] = (qemu_proc){ pid, pidfd, qemu_proc_starttime(pid) };
    *ret_fd = sv[0];
    return 0;
}

static int check_features(const sv_domain_net_def *n)
{
    if (n->inbound || n->outbound)
        return unsupported("<bandwidth> on an interface is not implemented by this driver yet");
    if (n->filter)
        return unsupported("<filterref> on an interface is not implemented by this driver yet");
    if (n->virtualport == SV_DOMAIN_VPORT_OPENVSWITCH)
        return unsupported("<virtualport type='openvswitch'> is not implemented by this driver yet");
    /* A name we did not generate would be a device we do not own. */
    if (n->ifname && strncmp(n->ifname, "vnet", 4) != 0 && strncmp(n->ifname, "macvtap", 7) != 0) {
        sv_report(SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED,
                  "interface target dev '%s': the net helper names host devices itself", n->ifname);
        return -1;
    }
    return 0;
}

int qemu_net_prepare(const sv_domain_def *def, qemu_vm *vm, int log_fd,
                     sv_qemu_net_backend *backends, int *fds, size_t *nfds, size_t max_fds,
                     int first_fd)
{
    for (size_t i = 0; i < def->nnets; i++) {
        const sv_domain_net_def *n = def->nets[i];
        net_target t = { 0 };
        int fd = -1, r;

        if (check_features(n) < 0)
            return -1;
        switch (n->type) {
        case SV_DOMAIN_NET_USER:
            r = start_passt(vm, log_fd, &fd);
            if (r < 0)
                return -1;
            backends[i].kind = r == 0 ? SV_QEMU_NET_PASST : SV_QEMU_NET_USER;
            backends[i].fd = -1;
            if (r == 1)
                continue;
            break;
        case SV_DOMAIN_NET_NETWORK:
            if (resolve_network(n->source, &t) < 0 || make_device(n, &t, vm, &fd) < 0)
                return -1;
            backends[i].kind = SV_QEMU_NET_TAP;
            break;
        case SV_DOMAIN_NET_BRIDGE:
            if (copy_ifname(t.bridge, n->source) < 0 || make_device(n, &t, vm, &fd) < 0)
                return -1;
            backends[i].kind = SV_QEMU_NET_TAP;
            break;
        case SV_DOMAIN_NET_ETHERNET:
            if (make_device(n, &t, vm, &fd) < 0)
                return -1;
            backends[i].kind = SV_QEMU_NET_TAP;
            break;
        case SV_DOMAIN_NET_DIRECT:
            if (copy_ifname(t.parent, n->source) < 0)
                return -1;
            t.macv_mode = macv_mode(n->direct_mode);
            if (make_device(n, &t, vm, &fd) < 0)
                return -1;
            backends[i].kind = SV_QEMU_NET_TAP;
            break;
        }
        if (*nfds == max_fds) {
            close(fd);
            sv_report(SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED,
                      "too many devices that need a file descriptor (at most %zu per guest)",
                      max_fds - 1);
            return -1;
        }
        fds[*nfds] = fd;
        backends[i].fd = first_fd + (int)*nfds;
        (*nfds)++;
    }
    return 0;
}

void qemu_net_release(qemu_vm *vm)
{
    sv_net_client *net = vm->nifnames ? sv_helper_conn_net() : NULL;

    /* passt --one-off ends with QEMU's connection; this is for the rest. */
    for (size_t i = 0; i < vm->naux; i++)
        if (!qemu_proc_wait(&vm->aux[i], 1000) &&
            !qemu_proc_end(&vm->aux[i], SIGTERM, QEMU_KILL_TIMEOUT_MS))
            qemu_proc_end(&vm->aux[i], SIGKILL, QEMU_KILL_TIMEOUT_MS);
    /* A tap goes away with QEMU's last fd; a macvtap stays until deleted.
     * The helper refuses names it does not own, so asking is always safe. */
    for (size_t i = 0; net && i < vm->nifnames; i++) {
        int r = sv_net_link_delete(net, vm->ifnames[i]);

        if (r < 0 && r != -ENODEV && r != -ENOENT && r != -ENXIO)
            fprintf(stderr, "sepvirt-frontd: deleting %s: %s\n", vm->ifnames[i], sv_error_message());
    }
}
