/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain XML behaviour the golden files cannot pin down: generated values
 * (UUID, MAC, OVS interfaceid), live versus inactive output, the deep
 * copy, the struct fields other modules read, and hostile input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain_conf.h"
#include "sv_buf.h"
#include "sv_error.h"

static int n_pass, n_fail;

#define CHECK(cond) check((cond), #cond, __LINE__)

static void check(bool ok, const char *what, int line)
{
    if (ok) {
        n_pass++;
        printf("ok %d - %s\n", n_pass + n_fail, what);
    } else {
        n_fail++;
        printf("not ok %d - line %d: %s (last error: %s)\n", n_pass + n_fail, line, what, sv_error_message());
    }
}

static sv_domain_def *parse(const char *xml, unsigned flags)
{
    sv_error_reset();
    return sv_domain_def_parse(xml, strlen(xml), flags);
}

static bool uuid_is_zero(const unsigned char *u)
{
    for (size_t i = 0; i < SV_UUID_LEN; i++)
        if (u[i])
            return false;
    return true;
}

/* Format, parse the output, format again: the two texts must match. */
static bool round_trips(const sv_domain_def *def, unsigned flags)
{
    char *a = sv_domain_def_format(def, flags);
    sv_domain_def *again = a ? parse(a, flags) : NULL;
    char *b = again ? sv_domain_def_format(again, flags) : NULL;
    bool ok = a && b && strcmp(a, b) == 0;

    free(a);
    free(b);
    sv_domain_def_free(again);
    return ok;
}

static const char generated_xml[] =
    "<domain type='kvm'>\n"
    "  <name>gen</name>\n"
    "  <memory unit='MiB'>64</memory>\n"
    "  <os><type>hvm</type></os>\n"
    "  <devices>\n"
    "    <interface type='network'><source network='default'/></interface>\n"
    "    <interface type='bridge'><source bridge='ovsbr0'/><virtualport type='openvswitch'/></interface>\n"
    "  </devices>\n"
    "</domain>\n";

static void test_generated(void)
{
    sv_domain_def *a = parse(generated_xml, 0);
    sv_domain_def *b = parse(generated_xml, 0);
    char uuid[SV_UUID_STRLEN], mac[SV_MAC_STRLEN], *xml;

    CHECK(a && b);
    if (!a || !b)
        goto out;
    CHECK(!uuid_is_zero(a->uuid));
    CHECK(memcmp(a->uuid, b->uuid, SV_UUID_LEN) != 0);
    CHECK(a->nnets == 2);
    CHECK(a->nets[0]->mac[0] == 0x52 && a->nets[0]->mac[1] == 0x54 && a->nets[0]->mac[2] == 0x00);
    CHECK(a->nets[1]->mac[0] == 0x52 && a->nets[1]->mac[1] == 0x54 && a->nets[1]->mac[2] == 0x00);
    CHECK(memcmp(a->nets[0]->mac, a->nets[1]->mac, SV_MAC_LEN) != 0);
    CHECK(memcmp(a->nets[0]->mac, b->nets[0]->mac, SV_MAC_LEN) != 0);
    /* the network may supply an interfaceid; a bridge port gets one */
    CHECK(!a->nets[0]->has_interfaceid);
    CHECK(a->nets[1]->virtualport == SV_DOMAIN_VPORT_OPENVSWITCH && a->nets[1]->has_interfaceid && !uuid_is_zero(a->nets[1]->interfaceid));
    CHECK(a->nets[0]->model == SV_DOMAIN_NET_MODEL_VIRTIO);

    xml = sv_domain_def_format(a, 0);
    sv_uuid_format(a->uuid, uuid);
    sv_mac_format(a->nets[0]->mac, mac);
    CHECK(xml && strstr(xml, uuid) && strstr(xml, mac));
    free(xml);
    sv_uuid_format(a->nets[1]->interfaceid, uuid);
    xml = sv_domain_def_format(a, 0);
    CHECK(xml && strstr(xml, uuid));
    free(xml);
    CHECK(round_trips(a, 0));
out:
    sv_domain_def_free(a);
    sv_domain_def_free(b);
}

static const char live_xml[] =
    "<domain type='kvm' id='5'>\n"
    "  <name>live</name>\n"
    "  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n"
    "  <memory>65536</memory>\n"
    "  <os><type>hvm</type></os>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'><source file='/a.img'/><target dev='vda'/>"
    "<alias name='virtio-disk0'/></disk>\n"
    "    <interface type='network'><mac address='52:54:00:aa:bb:cc'/><source network='default'/>"
    "<target dev='vnet7'/><alias name='ua-mynic'/></interface>\n"
    "    <interface type='ethernet'><mac address='52:54:00:aa:bb:cd'/><target dev='mytap'/></interface>\n"
    "    <serial type='pty'><source path='/dev/pts/9'/></serial>\n"
    "    <graphics type='vnc' port='5907' autoport='yes'/>\n"
    "  </devices>\n"
    "</domain>\n";

static void test_live_inactive(void)
{
    sv_domain_def *def = parse(live_xml, 0);
    sv_domain_def *inactive = parse(live_xml, SV_DOMAIN_XML_INACTIVE);
    char *live_out = def ? sv_domain_def_format(def, 0) : NULL;
    char *inact_out = def ? sv_domain_def_format(def, SV_DOMAIN_XML_INACTIVE) : NULL;
    char *inact2 = inactive ? sv_domain_def_format(inactive, 0) : NULL;

    CHECK(def && inactive && live_out && inact_out && inact2);
    if (!def || !inactive || !live_out || !inact_out || !inact2)
        goto out;
    CHECK(def->id == 5);
    CHECK(inactive->id == -1);
    CHECK(strstr(live_out, "<domain type='kvm' id='5'>") != NULL);
    CHECK(strstr(live_out, "<target dev='vnet7'/>") != NULL);
    CHECK(strstr(live_out, "tty='/dev/pts/9'") != NULL);
    CHECK(strstr(live_out, "<alias name='virtio-disk0'/>") != NULL);
    CHECK(strstr(live_out, "port='5907' autoport='yes'") != NULL);

    CHECK(strncmp(inact_out, "<domain type='kvm'>\n", 20) == 0);
    CHECK(strstr(inact_out, "vnet7") == NULL);
    CHECK(strstr(inact_out, "<target dev='mytap'/>") != NULL);
    CHECK(strstr(inact_out, "/dev/pts/9") == NULL);
    CHECK(strstr(inact_out, "virtio-disk0") == NULL);
    CHECK(strstr(inact_out, "<alias name='ua-mynic'/>") != NULL);
    CHECK(strstr(inact_out, "port='-1' autoport='yes'") != NULL);
    /* parsing as inactive drops the same live-only data */
    CHECK(strcmp(inact_out, inact2) == 0);
    CHECK(round_trips(def, 0));
    CHECK(round_trips(def, SV_DOMAIN_XML_INACTIVE));
out:
    free(live_out);
    free(inact_out);
    free(inact2);
    sv_domain_def_free(def);
    sv_domain_def_free(inactive);
}

static void test_fields_copy_lookup(void)
{
    static const char xml[] =
        "<domain type='qemu'>\n"
        "  <name>fields</name>\n"
        "  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n"
        "  <memory unit='GiB'>1</memory>\n"
        "  <vcpu current='1'>2</vcpu>\n"
        "  <os><type>hvm</type><kernel>/k</kernel><cmdline>console=ttyS0</cmdline></os>\n"
        "  <devices>\n"
        "    <disk type='block' device='disk'><source dev='/dev/sdz'/><target dev='sda'/></disk>\n"
        "    <disk type='file' device='cdrom'><target dev='hdc'/></disk>\n"
        "    <interface type='user'><mac address='52:54:00:01:02:03'/></interface>\n"
        "    <console type='pty'/>\n"
        "  </devices>\n"
        "</domain>\n";
    static const unsigned char mac[SV_MAC_LEN] = {0x52, 0x54, 0x00, 0x01, 0x02, 0x03};
    static const unsigned char other[SV_MAC_LEN] = {0x52, 0x54, 0x00, 0x01, 0x02, 0x04};
    sv_domain_def *def = parse(xml, 0);
    sv_domain_def *copy = def ? sv_domain_def_copy(def) : NULL;
    char *a = def ? sv_domain_def_format(def, 0) : NULL;
    char *b = copy ? sv_domain_def_format(copy, 0) : NULL;

    CHECK(def && copy && a && b);
    if (!def || !copy || !a || !b)
        goto out;
    CHECK(strcmp(def->name, "fields") == 0);
    CHECK(def->virt_type == SV_DOMAIN_VIRT_QEMU);
    CHECK(def->memory_kib == 1048576 && def->current_memory_kib == 1048576);
    CHECK(def->vcpus == 2 && def->vcpus_current == 1);
    CHECK(def->os.type == SV_DOMAIN_OS_HVM && def->os.arch == SV_DOMAIN_ARCH_X86_64);
    CHECK(strcmp(def->os.kernel, "/k") == 0 && strcmp(def->os.cmdline, "console=ttyS0") == 0);
    CHECK(def->on_poweroff == SV_DOMAIN_LIFECYCLE_DESTROY && def->on_reboot == SV_DOMAIN_LIFECYCLE_RESTART);
    CHECK(def->ndisks == 2 && def->disks[0]->bus == SV_DOMAIN_DISK_BUS_SCSI &&
          def->disks[0]->type == SV_DOMAIN_DISK_BLOCK);
    CHECK(def->disks[1]->device == SV_DOMAIN_DISK_DEVICE_CDROM && def->disks[1]->readonly && !def->disks[1]->src);
    CHECK(def->nserials == 1 && def->nconsoles == 1 && def->serials[0]->type == SV_DOMAIN_CHR_PTY &&
          def->serials[0]->target_port == 0);
    CHECK(def->memballoon && def->memballoon->model == SV_DOMAIN_MEMBALLOON_VIRTIO);
    CHECK(sv_domain_def_find_disk(def, "hdc") == def->disks[1]);
    CHECK(sv_domain_def_find_disk(def, "vda") == NULL);
    CHECK(sv_domain_def_find_net(def, mac) == def->nets[0]);
    CHECK(sv_domain_def_find_net(def, other) == NULL);
    CHECK(strcmp(a, b) == 0);
    CHECK(copy->disks[0] != def->disks[0] && copy->name != def->name);
out:
    free(a);
    free(b);
    sv_domain_def_free(def);
    sv_domain_def_free(copy);
}

static void test_hostile(void)
{
    static const char head[] = "<domain type='kvm'><name>h</name><memory>1024</memory><os><type>hvm</type></os>";
    sv_buf b = {0};
    sv_domain_def *def;
    char *xml;

    /* nesting far deeper than libxml2's limit: refused, no crash */
    sv_buf_add(&b, head);
    sv_buf_add(&b, "<metadata>");
    for (int i = 0; i < 5000; i++)
        sv_buf_add(&b, "<x:a xmlns:x='urn:x'>");
    for (int i = 0; i < 5000; i++)
        sv_buf_add(&b, "</x:a>");
    sv_buf_add(&b, "</metadata></domain>");
    xml = sv_buf_steal(&b);
    def = parse(xml, 0);
    CHECK(def == NULL);
    sv_domain_def_free(def);
    free(xml);

    /* more devices than the limit: refused with a message */
    sv_buf_add(&b, head);
    sv_buf_add(&b, "<devices>");
    for (int i = 0; i <= SV_DOMAIN_MAX_DEVICES; i++)
        sv_buf_add(&b, "<input type='mouse'/>");
    sv_buf_add(&b, "</devices></domain>");
    xml = sv_buf_steal(&b);
    def = parse(xml, 0);
    CHECK(def == NULL && strstr(sv_error_message(), "too many input devices"));
    sv_domain_def_free(def);
    free(xml);

    /* many unindexed controllers: indexes assigned quickly, then exhausted */
    sv_buf_add(&b, head);
    sv_buf_add(&b, "<devices>");
    for (int i = 0; i < 300; i++)
        sv_buf_add(&b, "<controller type='scsi'/>");
    sv_buf_add(&b, "</devices></domain>");
    xml = sv_buf_steal(&b);
    def = parse(xml, 0);
    CHECK(def == NULL && strstr(sv_error_message(), "no free index"));
    sv_domain_def_free(def);
    free(xml);

    /* an external entity is not loaded */
    def = parse("<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
                "<domain type='kvm'><name>&e;</name><memory>1024</memory><os><type>hvm</type></os></domain>",
                0);
    CHECK(def == NULL || strstr(def->name, "root:") == NULL);
    sv_domain_def_free(def);
}

int main(void)
{
    test_generated();
    test_live_inactive();
    test_fields_copy_lookup();
    test_hostile();
    printf("1..%d\n", n_pass + n_fail);
    printf("# %d passed, %d failed\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}
