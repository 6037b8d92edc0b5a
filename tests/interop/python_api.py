#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""python3-libvirt against sepvirt-frontd: connection, domain and network
API calls and lifecycle events through libvirt's default event loop.

    python_api.py URI DATADIR

Prints TAP.  Run with /usr/bin/python3 (the one python3-libvirt is built
for)."""
import sys
import threading
import time

import libvirt

URI, DATA = sys.argv[1], sys.argv[2]
n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    if cond:
        print(f"ok {n} - {what}")
    else:
        failed += 1
        print(f"not ok {n} - {what}")


def eq(got, want, what):
    ok(got == want, what if got == want else f"{what}: got {got!r}, want {want!r}")


def raises(fn, code, what, message=None):
    try:
        fn()
    except libvirt.libvirtError as e:
        good = e.get_error_code() == code and (message is None or e.get_error_message() == message)
        ok(good, what if good else
           f"{what}: got code {e.get_error_code()} '{e.get_error_message()}'")
        return
    ok(False, f"{what}: no error")


def read(name):
    with open(f"{DATA}/{name}") as f:
        return f.read()


# Errors are checked through exceptions; keep libvirt's own printing quiet.
libvirt.registerErrorHandler(lambda ctx, err: None, None)

# Events need the default loop registered before the connection opens.
libvirt.virEventRegisterDefaultImpl()
stop = False


def loop():
    while not stop:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=loop, daemon=True).start()

conn = libvirt.open(URI)
ok(conn is not None, "open")
eq(conn.listAllDomains(), [], "listAllDomains on an empty daemon")

events = []
seen = threading.Condition()


def on_lifecycle(c, dom, event, detail, opaque):
    with seen:
        events.append(("dom", dom.name(), event, detail))
        seen.notify_all()


def on_network(c, net, event, detail, opaque):
    with seen:
        events.append(("net", net.name(), event, detail))
        seen.notify_all()


cb = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)
ok(cb >= 0, "domainEventRegisterAny")
ncb = conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, on_network, None)
ok(ncb >= 0, "networkEventRegisterAny")

dom = conn.defineXML(read("vm1.xml"))
eq(dom.name(), "vm1", "defineXML returns the domain")
conn.defineXMLFlags(read("vm1.xml"), libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
conn.defineXML(read("vm2.xml"))

names = sorted(d.name() for d in conn.listAllDomains())
eq(names, ["vm1", "vm2"], "listAllDomains")
eq([d.name() for d in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)], [],
   "listAllDomains(ACTIVE)")
eq(len(conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_INACTIVE |
                           libvirt.VIR_CONNECT_LIST_DOMAINS_PERSISTENT)), 2,
   "listAllDomains(INACTIVE|PERSISTENT)")
eq(conn.listDefinedDomains(), ["vm1", "vm2"], "listDefinedDomains")
eq(conn.numOfDomains(), 0, "numOfDomains")
eq(conn.numOfDefinedDomains(), 2, "numOfDefinedDomains")
eq(conn.listDomainsID(), [], "listDomainsID")

d = conn.lookupByName("vm1")
eq(d.UUIDString(), "11111111-2222-3333-4444-555555555555", "lookupByName/UUIDString")
eq(conn.lookupByUUIDString("11111111-2222-3333-4444-555555555555").name(), "vm1",
   "lookupByUUIDString")
eq(d.ID(), -1, "ID of an inactive domain")
raises(lambda: conn.lookupByID(1), libvirt.VIR_ERR_NO_DOMAIN, "lookupByID of a missing id",
       "Domain not found: no domain with matching id 1")
raises(lambda: conn.lookupByName("nope"), libvirt.VIR_ERR_NO_DOMAIN, "lookupByName of a missing name",
       "Domain not found: no domain with matching name 'nope'")
eq(d.info(), [libvirt.VIR_DOMAIN_SHUTOFF, 131072, 131072, 2, 0], "info")
eq(d.state(), [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_UNKNOWN], "state")
eq(d.isActive(), 0, "isActive")
eq(d.isPersistent(), 1, "isPersistent")
eq(d.OSType(), "hvm", "OSType")
eq(d.maxMemory(), 131072, "maxMemory")
eq(d.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_CONFIG | libvirt.VIR_DOMAIN_VCPU_MAXIMUM), 2,
   "vcpusFlags(CONFIG|MAXIMUM)")
xml = d.XMLDesc(0)
ok("<name>vm1</name>" in xml and "<memory unit='KiB'>131072</memory>" in xml, "XMLDesc")
ok("<name>vm1</name>" in d.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE), "XMLDesc(INACTIVE)")

d.setAutostart(1)
eq(d.autostart(), 1, "setAutostart/autostart")
d.setAutostart(0)
eq(d.autostart(), 0, "autostart disabled")

d.setMetadata(libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, "described", None, None,
              libvirt.VIR_DOMAIN_AFFECT_CONFIG)
eq(d.metadata(libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, None), "described", "metadata description")
d.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, "<app><v>1</v></app>", "ex", "http://example.org/x",
              0)
eq(d.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, "http://example.org/x"),
   "<app>\n  <v>1</v>\n</app>", "metadata element")
raises(lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, "http://example.org/none"),
       libvirt.VIR_ERR_NO_DOMAIN_METADATA, "metadata element absent",
       "metadata not found: Requested metadata element is not present")

raises(lambda: d.create(), libvirt.VIR_ERR_NO_SUPPORT, "create without a hypervisor driver",
       "this function is not supported by the connection driver: virDomainCreate")
raises(lambda: conn.defineXML(read("vm1.xml").replace("11111111-", "99999999-")),
       libvirt.VIR_ERR_OPERATION_FAILED, "define a second uuid under one name",
       "operation failed: domain 'vm1' already exists with uuid 11111111-2222-3333-4444-555555555555")

conn.lookupByName("vm2").undefine()
d.undefineFlags(0)
eq(conn.listAllDomains(), [], "undefine/undefineFlags")

net = conn.networkDefineXML(read("net1.xml"))
eq(net.name(), "net1", "networkDefineXML")
eq([x.name() for x in conn.listAllNetworks()], ["net1"], "listAllNetworks")
eq((conn.listNetworks(), conn.listDefinedNetworks()), ([], ["net1"]),
   "listNetworks/listDefinedNetworks")
eq((conn.numOfNetworks(), conn.numOfDefinedNetworks()), (0, 1),
   "numOfNetworks/numOfDefinedNetworks")
eq(conn.networkLookupByUUIDString("aaaaaaaa-2222-3333-4444-555555555555").name(), "net1",
   "networkLookupByUUIDString")
net = conn.networkLookupByName("net1")
eq((net.isActive(), net.isPersistent(), net.autostart()), (0, 1, 0), "network flags")
eq(net.bridgeName(), "svtest0", "bridgeName")
net.setAutostart(1)
eq(net.autostart(), 1, "network setAutostart")
net.create()
eq(net.isActive(), 1, "network create (start)")
eq([x.name() for x in conn.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_ACTIVE)], ["net1"],
   "listAllNetworks(ACTIVE)")
ok("<name>net1</name>" in net.XMLDesc(0), "network XMLDesc")
net.destroy()
eq(net.isActive(), 0, "network destroy")
net.undefine()
eq(conn.listAllNetworks(), [], "network undefine")
raises(lambda: conn.networkLookupByName("net1"), libvirt.VIR_ERR_NO_NETWORK,
       "networkLookupByName of a missing name",
       "Network not found: no network with matching name 'net1'")

want = [("dom", "vm1", libvirt.VIR_DOMAIN_EVENT_DEFINED, libvirt.VIR_DOMAIN_EVENT_DEFINED_ADDED),
        ("dom", "vm1", libvirt.VIR_DOMAIN_EVENT_DEFINED, libvirt.VIR_DOMAIN_EVENT_DEFINED_UPDATED),
        ("dom", "vm2", libvirt.VIR_DOMAIN_EVENT_DEFINED, libvirt.VIR_DOMAIN_EVENT_DEFINED_ADDED),
        ("dom", "vm2", libvirt.VIR_DOMAIN_EVENT_UNDEFINED, libvirt.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED),
        ("dom", "vm1", libvirt.VIR_DOMAIN_EVENT_UNDEFINED, libvirt.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED),
        ("net", "net1", libvirt.VIR_NETWORK_EVENT_DEFINED, 0),
        ("net", "net1", libvirt.VIR_NETWORK_EVENT_STARTED, 0),
        ("net", "net1", libvirt.VIR_NETWORK_EVENT_STOPPED, 0),
        ("net", "net1", libvirt.VIR_NETWORK_EVENT_UNDEFINED, 0)]
deadline = time.monotonic() + 10
with seen:
    while len(events) < len(want) and time.monotonic() < deadline:
        seen.wait(0.2)
doms = [e for e in events if e[0] == "dom"]
nets = [e for e in events if e[0] == "net"]
eq(doms, [e for e in want if e[0] == "dom"], "domain lifecycle events, in order")
eq(nets, [e for e in want if e[0] == "net"], "network lifecycle events, in order")

conn.domainEventDeregisterAny(cb)
conn.networkEventDeregisterAny(ncb)
conn.close()
stop = True

ro = libvirt.openReadOnly(URI.replace("sepvirt-sock", "sepvirt-sock-ro"))
eq(ro.listAllDomains(), [], "read-only connection lists")
raises(lambda: ro.defineXML(read("vm1.xml")), libvirt.VIR_ERR_OPERATION_DENIED,
       "read-only connection cannot define",
       "operation forbidden: read only access prevents virDomainDefineXML")
ro.close()

print(f"1..{n}")
sys.exit(1 if failed else 0)
