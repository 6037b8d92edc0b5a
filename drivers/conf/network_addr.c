/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "network_addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

int sv_ip_addr_parse(const char *s, int family, sv_ip_addr *ret)
{
    sv_ip_addr a = {0};

    if (!s)
        return -EINVAL;
    if ((family == AF_UNSPEC || family == AF_INET) && inet_pton(AF_INET, s, &a.u.v4) == 1) {
        a.family = AF_INET;
    } else if ((family == AF_UNSPEC || family == AF_INET6) && inet_pton(AF_INET6, s, &a.u.v6) == 1) {
        a.family = AF_INET6;
    } else {
        return -EINVAL;
    }
    *ret = a;
    return 0;
}

void sv_ip_addr_format(const sv_ip_addr *a, char out[SV_IP_ADDR_STRLEN])
{
    out[0] = '\0';
    if (a->family == AF_INET || a->family == AF_INET6)
        inet_ntop(a->family, &a->u, out, SV_IP_ADDR_STRLEN);
}

bool sv_ip_addr_is_set(const sv_ip_addr *a)
{
    return a->family == AF_INET || a->family == AF_INET6;
}

unsigned sv_ip_addr_bits(const sv_ip_addr *a)
{
    return a->family == AF_INET ? 32 : a->family == AF_INET6 ? 128 : 0;
}

static const unsigned char *addr_bytes(const sv_ip_addr *a)
{
    return a->family == AF_INET ? (const unsigned char *)&a->u.v4 : (const unsigned char *)&a->u.v6;
}

int sv_ip_addr_cmp(const sv_ip_addr *a, const sv_ip_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    if (!sv_ip_addr_is_set(a))
        return 0;
    /* Network byte order makes memcmp a numeric comparison. */
    return memcmp(addr_bytes(a), addr_bytes(b), sv_ip_addr_bits(a) / 8);
}

int sv_ip_netmask_prefix(const sv_ip_addr *mask)
{
    const unsigned char *p = addr_bytes(mask);
    unsigned nbytes = sv_ip_addr_bits(mask) / 8;
    int prefix = 0;
    unsigned i = 0;

    if (nbytes == 0)
        return -1;
    while (i < nbytes && p[i] == 0xff) {
        prefix += 8;
        i++;
    }
    if (i < nbytes) {
        unsigned char b = p[i];

        while (b & 0x80) {
            prefix++;
            b = (unsigned char)(b << 1);
        }
        if (b)
            return -1;
        for (i++; i < nbytes; i++)
            if (p[i])
                return -1;
    }
    return prefix;
}

/* Byte i of a netmask with `prefix` leading one bits. */
static unsigned char mask_byte(unsigned prefix, unsigned i)
{
    if (prefix >= (i + 1) * 8)
        return 0xff;
    if (prefix <= i * 8)
        return 0;
    return (unsigned char)(0xff << (8 - (prefix - i * 8)));
}

bool sv_ip_addr_in_subnet(const sv_ip_addr *addr, const sv_ip_addr *net, unsigned prefix)
{
    const unsigned char *a, *n;
    unsigned nbytes;

    if (addr->family != net->family || !sv_ip_addr_is_set(addr) || prefix > sv_ip_addr_bits(addr))
        return false;
    a = addr_bytes(addr);
    n = addr_bytes(net);
    nbytes = sv_ip_addr_bits(addr) / 8;
    for (unsigned i = 0; i < nbytes; i++)
        if ((a[i] & mask_byte(prefix, i)) != (n[i] & mask_byte(prefix, i)))
            return false;
    return true;
}

unsigned sv_ip_default_prefix(const sv_ip_addr *addr)
{
    if (addr->family == AF_INET6)
        return 64;
    if (addr->family == AF_INET) {
        unsigned char first = addr_bytes(addr)[0];

        if (first < 128)
            return 8;
        if (first < 192)
            return 16;
        return 24;
    }
    return 0;
}

static bool host_bits_all(const sv_ip_addr *addr, unsigned prefix, unsigned char want)
{
    const unsigned char *a = addr_bytes(addr);
    unsigned nbytes = sv_ip_addr_bits(addr) / 8;

    if (nbytes == 0 || prefix >= nbytes * 8)
        return false;
    for (unsigned i = 0; i < nbytes; i++) {
        unsigned char host = (unsigned char)~mask_byte(prefix, i);

        if ((a[i] & host) != (want & host))
            return false;
    }
    return true;
}

bool sv_ip_addr_is_network(const sv_ip_addr *addr, unsigned prefix)
{
    return host_bits_all(addr, prefix, 0x00);
}

bool sv_ip_addr_is_broadcast(const sv_ip_addr *addr, unsigned prefix)
{
    return addr->family == AF_INET && host_bits_all(addr, prefix, 0xff);
}
