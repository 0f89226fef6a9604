"""`collabcert lint FILE... [--role ROLE] [--field NAME=VALUE]... [--json]`: check files against
the products' rules. Exit 0 when there are only warnings and info, 1 when any error is found,
2 for bad usage (an unknown role) or unreadable input.

A file may carry its own role as FILE@ROLE (only when FILE itself does not exist and ROLE is a
role ID or one of trust, peer, trust-c, trust-e), for the rules that compare files: trunk vs load
balancer keys, DB server vs client CA, Expressway-C vs -E chat aliases, peers' tomcat-trust.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collabcert.lint import LintReport

HELP = "check keys, certificates, bundles and trust lists against the product rules"

LINT_FIELDS = (
    "lync-fqdn", "notify-days", "email-ids", "node", "node-name", "ocsp-mode",
    "ocsp-uri", "zone-peer-address", "traversal-peer-address", "tls-verify-name", "mra-domains",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="files to check (`-` reads standard input); FILE@ROLE gives a file "
                        "its own role")
    parser.add_argument("--role", help="the role the files are for (collabcert roles lists them)")
    parser.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                        help="a role field (fqdn, cluster-fqdn, chat-aliases ...) or a lint "
                        f"field ({', '.join(LINT_FIELDS)})")
    parser.add_argument("--trust", action="append", default=[], metavar="FILE",
                        help="the trust list of the box (Expressway-C trusted CA list for MRA, "
                        "CMS trust bundle, CUCM <type>-trust)")
    parser.add_argument("--mra-address", action="append", default=[], metavar="ADDR",
                        help="an address Expressway-C reaches the node by (repeat or comma "
                        "separate); gives the MRA verdict per certificate and address")
    parser.add_argument("--mra-ip", default="", metavar="IP",
                        help="the node's IP, for the emulated Expressway log line")
    parser.add_argument("--expressway-version", default="", metavar="X14.2",
                        help="the Expressway-C version (MRA checks are enforced from X14.2)")
    parser.add_argument("--verify-origin-server", choices=("on", "off"), default="on",
                        help="xConfiguration EdgeConfigServer VerifyOriginServer (default on)")
    parser.add_argument("--ciphers", metavar="STRING",
                        help="the Expressway-C cipher string(s), to tell RSA from ECDSA "
                        "preference")
    parser.add_argument("--openssl3", action="store_true",
                        help="spell emulated log errors the OpenSSL 3 way (self-signed)")
    parser.add_argument("--log", action="append", default=[], metavar="FILE",
                        help="an Expressway diagnostic log or pasted traffic-server lines")
    parser.add_argument("--password-file", metavar="F",
                        help="password for encrypted keys or PKCS#12 (content less one newline)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def split_role(arg: str, role_ids: set[str]) -> tuple[str, str | None]:
    """`FILE@ROLE` -> (FILE, ROLE) when ROLE is known and no file is named `FILE@ROLE` itself;
    else (arg, None)."""
    from collabcert.lint.context import PSEUDO_ROLES

    if "@" in arg and not os.path.exists(arg):
        path, _, role = arg.rpartition("@")
        if role.lower() in role_ids or role.lower() in PSEUDO_ROLES:
            return path, role.lower()
    return arg, None


def _fields(pairs: list[str], role_id: str | None) -> dict[str, str]:
    from collabcert.errors import InputError
    from collabcert.roles import get_role

    allowed = set(LINT_FIELDS)
    if role_id:
        allowed |= {f.name for f in get_role(role_id).fields}
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lower()
        if not sep or not name:
            raise InputError(f"--field {pair!r}: write it as NAME=VALUE")
        if name not in allowed:
            raise InputError(f"--field {name}: not a field of this role or of lint; known: "
                             f"{', '.join(sorted(allowed))}")
        out[name] = value
    return out


def _read(name: str, stdin_used: list[bool]) -> bytes:

    from collabcert.errors import InputError

    if name == "-":
        if stdin_used[0]:
            raise InputError("standard input (-) can be named only once")
        stdin_used[0] = True
        return sys.stdin.buffer.read()
    from collabcert.load import read_file

    return read_file(name)


def run(args: argparse.Namespace) -> int:
    from collabcert.cli.common import print_json, read_password_file
    from collabcert.lint import LintInput, LintOptions, run_lint
    from collabcert.roles import catalogue, get_role

    role_id = get_role(args.role).id if args.role else None  # unknown role: InputError, exit 2
    fields = _fields(args.field, role_id)
    ids = {r.id for r in catalogue()}
    stdin_used = [False]
    inputs = []
    for arg in args.files:
        path, role = split_role(arg, ids)
        name = "standard input" if path == "-" else path
        inputs.append(LintInput(name, _read(path, stdin_used), role))
    for path in args.trust:
        inputs.append(LintInput(path, _read(path, stdin_used), "trust"))
    logs = tuple((p, _read(p, stdin_used).decode("utf-8", "replace")) for p in args.log)
    addresses = tuple(a.strip() for arg in args.mra_address for a in arg.split(",") if a.strip())
    options = LintOptions(
        expressway_version=args.expressway_version, mra_addresses=addresses,
        mra_ip=args.mra_ip, verify_origin_server=args.verify_origin_server == "on",
        ciphers=args.ciphers, openssl3=args.openssl3, logs=logs,
        password=read_password_file(args.password_file),
    )
    report = run_lint(inputs, role=role_id, fields=fields, options=options)
    if args.json:
        print_json(report.to_json())
    else:
        _print_text(report)
    return 1 if report.failed else 0


def _print_text(report: LintReport) -> None:
    from collabcert.lint import finding_lines

    grouped = report.by_severity()
    for severity in ("error", "warning", "info"):
        for f in grouped[severity]:
            # The CLI has always printed the cite line, empty for the reader's own findings.
            print("\n".join(finding_lines(f, severity, cite_always=True)))
    for row in report.verdicts:
        print(row.text())
    counts = {k: len(v) for k, v in grouped.items()}
    print(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info "
          f"({len(report.checked)} files)")
