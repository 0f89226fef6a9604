"""Bundle targets: a chain turned into exactly the files a product wants, and the next steps.

- `fullchain`: one PEM, leaf, issuer, ..., root (the root only when asked).
- `expressway`: the server certificate (leaf only) and the trusted CA list (every CA of the
  chain, issuer first, root last), to be uploaded first (seed-001 F9-F11).
- `cms`: `<name>.crt` (leaf only) and `<name>bundle.crt` from the leaf's issuer to the root,
  root last and in by default (seed-003 §2.2-2.4).
- `cucm`: one file per certificate and an upload plan: root, then intermediates top-down to
  `<type>-trust`, then the leaf to `<type>` (seed-004 U6, AT02).

PEM output is pyca's per-certificate PEM (`-----BEGIN`, LF, 64 columns) concatenated: no blank
line between blocks and a final newline (seed-003 §2.3, B04-B06). Nothing is written here: the
caller passes `Bundle.files` to files.write_plan, which re-reads and counts the certificates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from collabcert import certparts, rules
from collabcert.chain import Chain, ChainLink
from collabcert.dn import cn as _cn
from collabcert.errors import InputError
from collabcert.files import PlannedFile
from collabcert.findings import Finding, Severity

TARGETS = ("fullchain", "expressway", "cms", "cucm")
ROOT_BY_DEFAULT = {"fullchain": False, "expressway": True, "cms": True, "cucm": True}
CMS_BASENAME = re.compile(r"^[A-Za-z0-9_-]+$")  # seed-003 G2, G16

# seed-004 §1.1 certificate purposes (Certificate Purpose names as CUCM spells them).
CUCM_TYPES = (
    "tomcat", "tomcat-ECDSA", "CallManager", "CallManager-ECDSA", "CAPF", "TVS", "ipsec",
    "cup", "cup-ECDSA", "cup-xmpp", "cup-xmpp-ECDSA", "cup-xmpp-s2s", "cup-xmpp-s2s-ECDSA",
)


@dataclass(frozen=True)
class UploadStep:
    """One upload, in order: which certificate, which file, and where it goes."""

    order: int
    purpose: str  # CUCM: "tomcat-trust" / "tomcat"; Expressway: the menu it goes to
    path: Path
    fingerprints: tuple[str, ...]
    subjects: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "order": self.order,
            "purpose": self.purpose,
            "file": str(self.path),
        }
        if len(self.fingerprints) == 1:
            data["fingerprint"] = self.fingerprints[0]
            data["subject"] = self.subjects[0]
        else:
            data["fingerprints"] = list(self.fingerprints)
            data["subjects"] = list(self.subjects)
        return data


@dataclass(frozen=True)
class Bundle:
    target: str
    chain: Chain
    include_root: bool
    files: tuple[PlannedFile, ...]
    upload_plan: tuple[UploadStep, ...]
    next_steps: tuple[str, ...]
    findings: tuple[Finding, ...]  # the chain's findings, then the target's

    def to_json(self) -> dict[str, object]:
        data = self.chain.to_json()
        data.update({
            "target": self.target,
            "root_included": self.include_root,
            "fingerprints": self.bundle_fingerprints,
            "files": [{"path": str(f.path), "certificates": f.certificates, "what": f.what}
                      for f in self.files],
            "upload_plan": [step.to_json() for step in self.upload_plan],
            "next_steps": list(self.next_steps),
            "findings": [f.to_json() for f in self.findings],
        })
        return data

    @property
    def bundle_fingerprints(self) -> list[str]:
        """The chain as written: leaf first, root only when included."""
        return [link.fingerprint for link in _written_links(self.chain, self.include_root)]


def pem(certificates: Sequence[x509.Certificate]) -> bytes:
    """PEM blocks back to back with a final newline (seed-003 §2.3)."""
    return b"".join(c.public_bytes(Encoding.PEM) for c in certificates)


def cucm_type(text: str) -> str:
    """The CUCM certificate purpose as CUCM spells it (`tomcat-ecdsa` -> `tomcat-ECDSA`)."""
    for known in CUCM_TYPES:
        if known.lower() == text.strip().lower():
            return known
    raise InputError(
        f"CUCM certificate type {text!r} is not known; use one of {', '.join(CUCM_TYPES)}"
    )


def cucm_trust_purpose(kind: str) -> str:
    """Where the CA certificates of a `kind` certificate go: tomcat-ECDSA's CAs go to
    tomcat-trust like tomcat's (seed-004 P4, L45); the others follow `<type>-trust` (L43)."""
    base = kind[: -len("-ECDSA")] if kind.endswith("-ECDSA") else kind
    if base == "cup-xmpp-s2s":
        base = "cup-xmpp"  # seed-004 §1.6 (inferred): there is no s2s trust store
    return f"{base}-trust"


def check_cms_basename(name: str) -> str:
    if not CMS_BASENAME.match(name):
        raise InputError(
            f"CMS file name {name!r} may use only letters, digits, '-' and '_' (no dots); "
            "choose another --name"
        )
    return name


def default_basename(chain: Chain) -> str:
    """A file name part from the leaf's CN: `expe.example.com`, `wildcard.example.com`."""
    cn = _cn(chain.leaf.certificate) or "certificate"
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", cn.replace("*", "wildcard")).strip("._")
    return text or "certificate"


def _safe_base(text: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text or "").strip("._")


def default_cms_name(chain: Chain, key_file: str | Path | None = None) -> str:
    """`server` for server.key (seed-003 AT20), else the first label of the leaf's CN."""
    if key_file:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(key_file).stem).strip("_")
        if stem:
            return stem
    first = default_basename(chain).split(".")[0]
    return re.sub(r"[^A-Za-z0-9_-]+", "_", first) or "server"


def plan_bundle(
    chain: Chain,
    target: str,
    *,
    out_dir: Path = Path("."),
    output: Path | None = None,
    include_root: bool | None = None,
    name: str | None = None,
    cucm_kind: str = "tomcat",
    key_file: str | Path | None = None,
    basename: str | None = None,
) -> Bundle:
    """The files and steps of `target` for `chain`. `output` names the file of `fullchain`.
    `basename` names the files (the request's file, issue 12 item 8); None: the leaf's CN."""
    if target not in TARGETS:
        raise InputError(f"target {target!r} is not known; use one of {', '.join(TARGETS)}")
    if output is not None and target != "fullchain":
        raise InputError(f"-o names one file, but target {target} writes several; use --out DIR")
    root = ROOT_BY_DEFAULT[target] if include_root is None else include_root
    findings = list(chain.findings) + _root_findings(chain, target, root)
    make = {"fullchain": _fullchain, "expressway": _expressway, "cms": _cms, "cucm": _cucm}
    files, steps, plan, extra = make[target](
        chain, root, out_dir=out_dir, output=output, name=name, kind=cucm_kind,
        key_file=key_file, base=_safe_base(basename) or default_basename(chain),
    )
    return Bundle(target, chain, root, tuple(files), tuple(plan), tuple(steps),
                  tuple(findings + extra))


def _written_links(chain: Chain, include_root: bool) -> list[ChainLink]:
    links = list(chain.links)
    if not include_root and chain.complete and len(links) > 1:
        links = links[:-1]
    return links


def _cas(chain: Chain, include_root: bool) -> list[ChainLink]:
    """The chain's CAs issuer first; the root last, when it is there and wanted."""
    return _written_links(chain, include_root)[1:]


def _root_findings(chain: Chain, target: str, root: bool) -> list[Finding]:
    if root and not chain.complete:
        return [rules.get("BND-NO-ROOT").finding(
            "the root CA certificate was asked for, but no self-signed root was reached",
            fix="add the root CA certificate, or leave the root out (--root exclude)",
            where=chain.links[-1].subject,
        )]
    if not root and len(chain.links) > 1 and target == "expressway":
        # Expressway-C builds the chain from its own store only: the root must be in the
        # trusted CA list (seed 002 L140), so leaving it out is an error (issue 13 item 17)
        return [rules.get("BND-ROOT-LEFT-OUT").finding(
            "the root CA certificate is left out, but the Expressway trusted CA list must hold "
            "the root and every intermediate (seed 002 L140)",
            fix="include the root: drop --root exclude", where=chain.links[-1].subject,
            severity=Severity.ERROR,
        )]
    if not root and chain.complete and len(chain.links) > 1 and target == "cms":
        return [rules.get("BND-ROOT-LEFT-OUT").finding(
            f"the root CA certificate is left out, but {target} wants the whole chain up to "
            "the root",
            fix="include the root (--root include) unless it is already installed",
            where=chain.links[-1].subject,
        )]
    return []


def _planned(path: Path, links: Sequence[ChainLink], what: str) -> PlannedFile:
    return PlannedFile(path, pem([link.certificate for link in links]),
                       certificates=len(links), what=what)


def _step(order: int, purpose: str, path: Path, links: Sequence[ChainLink]) -> UploadStep:
    return UploadStep(order, purpose, path, tuple(link.fingerprint for link in links),
                      tuple(link.subject for link in links))


def _fullchain(chain: Chain, root: bool, *, out_dir: Path, output: Path | None, base: str,
               **_: object):
    path = output or out_dir / f"{base}-fullchain.pem"
    links = _written_links(chain, root)
    steps = [
        f"{path.name} holds the leaf first, then each issuer"
        + (", then the root." if root and chain.complete and len(links) > 1 else
           "; the root is left out (--root include adds it)."),
        "Install it where the server takes a certificate chain, with the matching private key.",
    ]
    return [_planned(path, links, "certificate chain")], steps, [], []


def _expressway(chain: Chain, root: bool, *, out_dir: Path, base: str, **_: object):
    server = out_dir / f"{base}-server.pem"
    ca_list = out_dir / f"{base}-trusted-ca.pem"
    cas = _cas(chain, root)
    files, plan = [], []
    if cas:  # seed-001 F9: the CA list goes up before the server certificate
        files.append(_planned(ca_list, cas, "trusted CA list"))
        plan.append(_step(1, "Trusted CA certificate", ca_list, cas))
    files.append(_planned(server, chain.links[:1], "server certificate"))
    plan.append(_step(len(plan) + 1, "Server certificate", server, chain.links[:1]))
    steps = []
    if cas:
        steps += [
            f"1. First, on every Expressway of the cluster: Maintenance > Security > Trusted CA "
            f"certificate > Append CA certificate, with {ca_list.name} (seed-001 F9, F10).",
            "   Append does not replace: delete older entries with the same subject first "
            "(seed-001 CHN-REPLACE).",
        ]
    n = len(plan)
    steps += [
        f"{n}. Then Maintenance > Security > Server certificate: upload {server.name} with its "
        "private key (PEM, not password protected, seed-001 KEY-ENC).",
        f"{n + 1}. Restart the Expressway for the new server certificate to take effect; in a "
        "cluster, one node at a time (seed-001 F15).",
    ]
    steps += [f"{n + 2 + i}. {line}" for i, line in
              enumerate(_expressway_cross_trust(ca_list.name if cas else ""))]
    return files, steps, plan, []


def _expressway_cross_trust(ca_list: str) -> list[str]:
    """The other boxes must trust this one's CA too (seed-000-002 C7 and UCM-TRUST-EXPC: 000
    L215, L246)."""
    what = ca_list or "the CA certificates that issued it"
    return [
        f"Expressway-C and -E trust each other's CA: append {what} to the Trusted CA "
        "certificate list of the other Expressway (every node of its cluster) as well "
        "(seed-000-002 C7, 000 L215).",
        f"For MRA, when this is the Expressway-C: on Unified CM and IM and Presence upload "
        f"{what} as tomcat-trust and as CallManager-trust (Cisco Unified OS Administration > "
        "Security > Certificate Management), then restart the services it names (seed-000-002 "
        "UCM-TRUST-EXPC, 000 L246).",
    ]


def _cms(chain: Chain, root: bool, *, out_dir: Path, name: str | None,
         key_file: str | Path | None, base: str, **_: object):
    if name:
        base = check_cms_basename(name)
    elif key_file or base == default_basename(chain):
        base = default_cms_name(chain, key_file)
    else:  # the request's file (a CSR made by `pki csr <basename>`): its CMS-safe stem
        base = re.sub(r"[^A-Za-z0-9_-]+", "_", base).strip("_") or default_cms_name(chain)
    cert_path = out_dir / f"{base}.crt"
    bundle_path = out_dir / f"{base}bundle.crt"
    cas = _cas(chain, root)
    files = [_planned(cert_path, chain.links[:1], "certificate")]
    if cas:
        files.append(_planned(bundle_path, cas, "certificate bundle"))
    # The key keeps the name it has on the MMP (`pki csr <name>` wrote <name>.key); a key file
    # given by path is named as it is, whatever --name says.
    key = Path(key_file).name if key_file and Path(key_file).suffix == ".key" else f"{base}.key"
    bundle_arg = f" {bundle_path.name}" if cas else ""
    shown = f"{cert_path.name}, {bundle_path.name}" if cas else cert_path.name
    steps = [
        f"1. Copy {shown} and the private key {key} to the Meeting Server by SFTP "
        "(seed-003 G22).",
        "2. On the MMP: pki list (the files are there)",
        f"3. pki match {key} {cert_path.name} (key and certificate belong together)",
    ]
    if cas:
        steps.append(f"4. pki verify {cert_path.name} {bundle_path.name} (the bundle completes "
                     "the chain, seed-003 B01)")
    steps += _cms_install(base, key, cert_path.name, bundle_arg, len(steps) + 1)
    return files, steps, [], []


def _cms_install(base: str, key: str, cert: str, bundle_arg: str, n: int) -> list[str]:
    """The component's own MMP commands (collabcert.cms_install), numbered from n."""
    from collabcert import cms_install

    found = cms_install.component_for(base)
    bundle = bundle_arg.strip()
    if base.lower() == "one-cert":
        lines = cms_install.shared_steps(key, cert, bundle)
    elif found is not None:
        lines = cms_install.install_steps(found.id, key, cert, bundle)
    else:
        lines = [f"Install it on the component that uses it, with that component's own command "
                 f"(seed-003 §4), for example: webbridge certs {key} {cert}"
                 f"{bundle_arg}; xmpp certs ... (L686); turn certs ... (L1294); "
                 "name the files after the component (--name) to see its exact commands."]
    return [f"{n + i}. {line.removeprefix('MMP: ')}" for i, line in enumerate(lines)]


def _cucm(chain: Chain, root: bool, *, out_dir: Path, kind: str, base: str, **_: object):
    kind = cucm_type(kind)
    trust = cucm_trust_purpose(kind)
    # seed-004 U6 / AT02: root first, then intermediates top-down, then the leaf.
    cas_top_down = list(reversed(_cas(chain, root)))
    ordered = [(link, trust) for link in cas_top_down] + [(chain.leaf, kind)]
    files, plan = [], []
    for order, (link, purpose) in enumerate(ordered, start=1):
        label = default_basename_of(link) if link is not chain.leaf else base
        path = out_dir / f"{order}-{purpose}-{label}.pem"
        files.append(_planned(path, [link], f"{purpose} upload"))
        plan.append(_step(order, purpose, path, [link]))
    steps = [
        f"{s.order}. OS Administration > Security > Certificate Management > Upload "
        f"Certificate/Certificate chain: purpose {s.purpose}, file {s.path.name}"
        for s in plan
    ]
    findings = _cucm_findings(chain, kind)  # refuses an RSA leaf for -ECDSA before the steps
    steps += _cucm_after(kind, len(plan) + 1)
    if kind.startswith("tomcat"):
        steps += _expressway_c_trusts_cucm(chain, plan)
    return files, numbered(steps), plan, findings


def numbered(steps: Sequence[str]) -> list[str]:
    """Every step that is not a sub-line ("   ...") gets the next number, so the last ones
    (check in CCMAdmin, Expressway-C's trust list) read as steps too when said aloud."""
    out, last = [], 0
    for step in steps:
        head, dot, rest = step.partition(". ")
        if dot and head.isdigit():
            last = int(head)
            out.append(step)
        elif step.startswith(" "):
            out.append(step)
        else:
            last += 1
            out.append(f"{last}. {step}")
    return out


def _expressway_c_trusts_cucm(chain: Chain, plan: Sequence[UploadStep]) -> list[str]:
    """MRA: Expressway-C checks the CUCM / IM&P tomcat certificate (port 8443) against its own
    trust list, so the CA chain, or a self-signed certificate itself, goes there on every
    Expressway-C node (seed-000-002 L140, L638)."""
    cas = [s.path.name for s in plan if s.purpose.endswith("-trust")]
    if chain.leaf.self_signed or not cas:
        what = (f"this self-signed certificate itself ({plan[-1].path.name})"
                if chain.leaf.self_signed else "the CA certificates that issued it")
    else:
        what = f"the root and every intermediate ({', '.join(cas)})"
    return [f"For MRA, on every Expressway-C node: Maintenance > Security > Trusted CA "
            f"certificate: append {what}, so that Expressway-C trusts this node's "
            "tomcat certificate (seed-000-002: 002 L140, L638)."]


def default_basename_of(link: ChainLink) -> str:
    cn = _cn(link.certificate) or link.fingerprint[:16]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", cn).strip("._") or link.fingerprint[:16]


def _cucm_after(kind: str, n: int) -> list[str]:
    steps = [
        f"{n}. Upload on each node the certificate is for; CAPF: the publisher only "
        "(seed-004 U5). tomcat-trust and CallManager-trust reach every node by themselves "
        "(seed-004 A6).",
    ]
    if kind.startswith("tomcat"):
        steps.append(f"{n + 1}. Restart Cisco Tomcat (utils service restart Cisco Tomcat), "
                     "then disable and enable the Cisco TFTP service (seed-004 CU-N02).")
        if kind == "tomcat-ECDSA":
            steps.append("   Turn on the EC ciphers in the enterprise parameter HTTPS Ciphers "
                         "and restart Cisco Tomcat on all nodes (seed-004 CU-N03).")
        # no Unified Intelligence Center line: seed-004 L163 (CU-N11) came in from the CUIC
        # guide and is about that product, not CUCM or IM and Presence (seed-004 E6)
    elif kind == "CallManager-ECDSA":
        steps.append(f"{n + 1}. Restart the Cisco CallManager service, and update the CTL file "
                     "or re-run the CTL client if one is configured (seed-004 CU-N04, CU-N07).")
    elif kind == "CallManager":
        # Table 3 gives CallManager no related service ("N/A", L234); only its -ECDSA twin
        # restarts Cisco CallManager (seed-004 E12, CU-N07)
        steps.append(f"{n + 1}. No service restart: Table 3 lists none for CallManager (seed-004 "
                     "L234). Update the CTL file or re-run the CTL client if one is configured "
                     "(seed-004 CU-N04).")
    elif kind == "CAPF":
        steps.append(f"{n + 1}. No service restart: Table 3 lists none for CAPF (seed-004 L235). "
                     "Update the CTL file or re-run the CTL client if one is configured "
                     "(seed-004 CU-N04).")
        steps.append("   The CAPF root uploaded to CAPF-trust is copied into CallManager-trust "
                     "by itself; it need not be uploaded there again (seed-004 P5, L47).")
    if kind in ("CAPF", "TVS"):
        steps.append("   Phones reset by themselves after this change unless the enterprise "
                     "parameter says otherwise (seed-004 CU-N06).")
    steps.append("Then check in CCMAdmin or CCMUser that the new certificate is in use "
                 "(seed-004 CU-N01).")
    return steps


def _cucm_findings(chain: Chain, kind: str) -> list[Finding]:
    from collabcert.keys import key_type

    public = certparts.public_key(chain.leaf.certificate)
    if public is None:
        return []  # a key pyca refuses: certparts names it; no key-type advice to give
    leaf_type = key_type(public)
    ecdsa = kind.endswith("-ECDSA")
    if leaf_type == "rsa" and ecdsa:
        # an -ECDSA purpose can never take an RSA certificate: refused as `csr` refuses the
        # pair (seed-004 CU-P04), before any file is planned
        raise InputError(
            f"{kind} is an ECDSA certificate type and needs an EC certificate, but "
            f"{chain.leaf.subject} has an RSA key (seed-004 CU-P04); choose the purpose "
            f"{kind[: -len('-ECDSA')]} (--type {kind[: -len('-ECDSA')]})")
    if leaf_type == "ec" and not ecdsa and f"{kind}-ECDSA" in CUCM_TYPES:
        better = f"{kind}-ECDSA"
    else:
        return []
    # An EC leaf for the RSA name only warns (the wizard's default purpose is tomcat): lint
    # reports it as the error CU-P04 for an uploaded file.
    return [rules.get("CU-P04").finding(
        f"the leaf has an {leaf_type.upper()} key but the purpose is {kind}",
        fix=f"choose --type {better}", where=chain.leaf.subject, severity=Severity.WARNING,
    )]


