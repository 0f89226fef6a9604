"""How each Meeting Server component takes its key and certificate: one table for every face.

The csr next steps (collabcert.roles), the import and bundle next steps (collabcert.bundle) all
render their MMP commands from `COMPONENTS`, so a component never gets another one's commands
(they used to print Web Bridge / Call Bridge lines for every component). Each row is the
component's own command from seed-003:

* webbridge: disable, certs, trust the Call Bridge certificate, enable (L1049, L1102-1105)
* xmpp: disable, `xmpp certs <key> <cert> [<bundle>]`, enable (L680-686)
* callbridge: certs, restart; every Web Bridge then trusts this certificate (L1049)
* turn: disable, `turn certs <key> <cert> [<bundle>]`, enable (L1285-1304)
* trunk / loadbalancer: `trunk auth <tag> core1.key core1.crt edge1.crt` and `loadbalancer auth
  <tag> edge1.key edge1.crt core1.crt`: the last file is the *peer's certificate*, not a CA
  bundle (L803-811, L884-892)
* database server: the five-argument `database cluster certs` on a disabled cluster
  (L1151, L1190); database client on a Call Bridge without a database: three arguments (L1246)
* recorder / streamer: installed per their deployment guide chapters, and they must trust the
  Call Bridge certificate (L241, L271-272)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Component:
    id: str
    label: str
    names: tuple[str, ...]  # file basenames that mean this component (role basename first)
    steps: tuple[str, ...]  # templates: {key} {crt} {bundle} (" <file>" or ""), {ca}


_WEBBRIDGE_TRUST = ("On every Web Bridge: webbridge disable, webbridge trust {crt}, webbridge "
                    "enable: each Web Bridge must trust the Call Bridge certificate (seed-003 "
                    "L1049, L1102-1105).")

COMPONENTS: tuple[Component, ...] = (
    Component("webbridge", "Web Bridge", ("webbridge",), (
        "MMP: webbridge disable",
        "MMP: webbridge certs {key} {crt}{bundle}",
        "MMP: webbridge trust callbridge.crt (the Call Bridge certificate: every Web Bridge "
        "trusts it, seed-003 L1049)",
        "MMP: webbridge enable",
    )),
    Component("xmpp", "XMPP server", ("xmppserver", "xmpp"), (
        "MMP: xmpp disable",
        "MMP: xmpp certs {key} {crt}{bundle} (seed-003 L686)",
        "MMP: xmpp enable",
    )),
    Component("callbridge", "Call Bridge", ("callbridge",), (
        "MMP: callbridge certs {key} {crt}{bundle}",
        "MMP: callbridge restart",
        _WEBBRIDGE_TRUST,
    )),
    Component("turn", "TURN server", ("turnserver", "turn"), (
        "MMP: turn disable",
        "MMP: turn certs {key} {crt}{bundle} (seed-003 L1294)",
        "MMP: turn enable",
    )),
    Component("trunk", "Trunk (Core server)", ("trunk",), (
        "MMP (Core): trunk auth <tag> {key} {crt} edge1.crt, where edge1.crt is the Edge "
        "load balancer's own certificate, not a CA bundle (seed-003 L884-892).",
    )),
    Component("loadbalancer", "Load balancer (Edge server)", ("loadbalancer",), (
        "MMP (Edge): loadbalancer auth <tag> {key} {crt} core1.crt, where core1.crt is the "
        "Core server's trunk certificate, not a CA bundle (seed-003 L803-811).",
    )),
    Component("dbserver", "Database cluster server", ("dbcluster_server",), (
        "Only on a disabled database cluster: if it is set up, run database cluster remove on "
        "every server first (seed-003 L1151).",
        "MMP on every database node: database cluster certs {key} {crt} dbcluster_client.key "
        "dbcluster_client.crt {ca} (seed-003 L1190).",
    )),
    Component("dbclient", "Database cluster client", ("dbcluster_client",), (
        "Only on a disabled database cluster (seed-003 L1151). On database nodes it is the "
        "client pair of database cluster certs <server key> <server cert> {key} {crt} {ca} "
        "(seed-003 L1190).",
        "MMP on each Call Bridge without a database: database cluster certs {key} {crt} {ca} "
        "(seed-003 L1246).",
    )),
    Component("webadmin", "Web Admin", ("webadmin",), (
        "Install {key} and {crt} as the Meeting Server Installation Guide describes "
        "(seed-003 L603).",
    )),
    Component("recorder", "Recorder", ("recorder",), (
        "Install the key and certificate ({key} {crt}{bundle}) on the recorder as the "
        "deployment guide's Recording Meetings chapter describes (seed-003 L241).",
        "Add the Call Bridge certificate to the recorder's trust store: the Call Bridge asks for "
        "the recorder's certificate and the recorder must trust the Call Bridge's "
        "(seed-003 L241, L271).",
    )),
    Component("streamer", "Streamer", ("streamer",), (
        "Install the key and certificate ({key} {crt}{bundle}) on the streamer as the "
        "deployment guide's Streaming Meetings chapter describes (seed-003 L241).",
        "Add the Call Bridge certificate to the streamer's trust store: the Call Bridge asks for "
        "the streamer's certificate and the streamer must trust the Call Bridge's "
        "(seed-003 L241, L272).",
    )),
)

_BY_ID = {c.id: c for c in COMPONENTS}
SHARED = ("webbridge", "xmpp", "callbridge", "turn")  # what a shared certificate serves


def component(component_id: str) -> Component:
    return _BY_ID[component_id]


def component_for(basename: str) -> Component | None:
    """The component a file basename names (`xmppserver` -> xmpp), or None."""
    lowered = basename.lower()
    return next((c for c in COMPONENTS if lowered in c.names), None)


def install_steps(component_id: str, key: str, crt: str, bundle: str = "") -> list[str]:
    """The component's MMP commands for these files; `bundle` is the CA bundle file or ''."""
    values = {"key": key, "crt": crt, "bundle": f" {bundle}" if bundle else "",
              "ca": bundle or "<ca bundle>"}
    return [step.format(**values) for step in _BY_ID[component_id].steps]


def shared_steps(key: str, crt: str, bundle: str = "") -> list[str]:
    """One certificate for several components: the same files in each one's certs command
    (seed-003 L398, R-SHARED)."""
    tail = f" {bundle}" if bundle else ""
    return [f"MMP: {c} certs {key} {crt}{tail} "
            + ("(then callbridge restart)" if c == "callbridge"
               else f"(between {c} disable and {c} enable)")
            for c in SHARED]
