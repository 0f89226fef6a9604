"""`collabcert lint FILE... [--role ROLE] [--field NAME=VALUE]... [--json]`: check files against
the products' rules. Exit 0 when there are only warnings and info, 1 when any error is found,
2 for bad usage (an unknown role) or unreadable input.

A file may carry its own role as FILE@ROLE (only when FILE itself does not exist and ROLE is a
role ID or one of trust, peer, trust-c, trust-e), for the rules that compare files: trunk vs load
balancer keys, DB server vs client CA, Expressway-C vs -E chat aliases, peers' tomcat-trust.

This module parses and prints; the job (collabcert.jobs.lint) reads, checks and decides.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collabcert.jobs.lint import LintResult

HELP = "check keys, certificates, bundles and trust lists against the product rules"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from collabcert.jobs.lint_fields import LINT_FIELDS

    # "*": a log alone (--log FILE, no certificate) gets the log's verdict (issue 13 item 9)
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="files to check (`-` reads standard input); FILE@ROLE gives a file "
                        "its own role; none when only --log is given")
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
    parser.add_argument("--publisher-address", default="", metavar="ADDR",
                        help="the Unified CM publisher address as entered on Expressway-C "
                        "(with --tls-verify-mode on: which addresses discovery checked)")
    parser.add_argument("--tls-verify-mode", choices=("on", "off"), default="off",
                        help="TLS Verify Mode of that Unified CM server on Expressway-C "
                        "(default off)")
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


def _field_pairs(pairs: list[str]) -> dict[str, str]:
    """`NAME=VALUE` arguments as a mapping (the job checks names and values)."""
    from collabcert.errors import InputError

    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--field {pair!r}: write it as NAME=VALUE")
        out[name.strip().lower()] = value
    return out


class _Inputs:
    """FILE arguments as the job's LintFile values; `-` (standard input) read once, here."""

    def __init__(self) -> None:
        self.stdin_used = False

    def file(self, arg: str, role: str | None = None):
        from collabcert.errors import InputError
        from collabcert.jobs.lint import LintFile
        from collabcert.load import read_stdin

        if arg != "-":
            return LintFile(arg, Path(arg), role=role)
        if self.stdin_used:
            raise InputError("standard input (-) can be named only once")
        self.stdin_used = True
        return LintFile("standard input", data=read_stdin(), role=role)  # bounded, as files


def request_of(args: argparse.Namespace):
    """The lint job's request for these arguments (collabcert.jobs.lint.LintRequest)."""
    from collabcert.cli.common import read_password_file
    from collabcert.errors import InputError
    from collabcert.jobs.lint import LintRequest, addresses_of, role_id_of
    from collabcert.lint import LintOptions
    from collabcert.roles import catalogue

    role_id = role_id_of(args.role)  # an unknown role: InputError, exit 2
    if not args.files and not args.log:
        raise InputError("give a FILE to check, or --log FILE to read a log alone")
    ids = {r.id for r in catalogue()}
    given = _Inputs()
    files = tuple(given.file(*split_role(arg, ids)) for arg in args.files)
    options = LintOptions(
        expressway_version=args.expressway_version,
        mra_addresses=addresses_of(args.mra_address), mra_ip=args.mra_ip,
        verify_origin_server=args.verify_origin_server == "on", ciphers=args.ciphers,
        openssl3=args.openssl3, publisher_address=args.publisher_address.strip(),
        tls_verify_mode=args.tls_verify_mode == "on",
        password=read_password_file(args.password_file))
    return LintRequest(files, role=role_id, fields=_field_pairs(args.field),
                       trust=tuple(given.file(p) for p in args.trust),
                       logs=tuple(given.file(p) for p in args.log), options=options)


def run(args: argparse.Namespace) -> int:
    from collabcert.cli.common import print_json, print_summary, report_problems
    from collabcert.jobs.lint import run as lint

    result = lint(request_of(args))
    if args.json:
        document = result.to_json()
        document["inputs"] = _statuses(result)
        print_json(document)
    else:
        _print_text(result)
    report_problems(result.problems)
    if not args.json and len(args.files) > 1:
        print_summary(len(args.files) - len(result.problems), len(result.problems))
    return result.exit_code


def _statuses(result: LintResult) -> list[dict[str, str]]:
    """Per input: read, or unreadable and why (DESIGN.md: a per-file status in --json)."""
    bad = dict(result.problems)
    out = [{"source": name, "status": "read"} for name in result.checked]
    return out + [{"source": name, "status": "unreadable", "error": why}
                  for name, why in bad.items()]


def _print_text(result: LintResult) -> None:
    from collabcert.report import finding_lines, summary_line

    # The label is the JSON severity (`error`), so `grep '^error '` finds what --json says.
    for line in finding_lines(result.findings, lower=True):
        print(line)
    for row in result.verdicts:
        print(row.text())
    print(summary_line(result.findings, len(result.checked)))
