"""`collabcert probe TARGET... [--sni NAME] [--starttls auto|none|xmpp|xmpp-server] [--timeout S]
[--role ROLE] [--field NAME=VALUE]... [--trust FILE]... [--trust-system] [--targets FILE]
[--warn-days N] [--save DIR] [--compare FILE] [--fetch-missing] [--json]`: what live servers
present, judged by collabcert (never by the TLS library).

Exit 0: every target reached and nothing wrong; 1: a check failed (expired or within
--warn-days, name mismatch, incomplete or untrusted chain, a lint error); 2: a target could not
be reached (the others are still probed and reported) or bad usage.

This module parses and prints; the job (collabcert.jobs.probe) connects, judges and decides.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collabcert.jobs.probe import ProbeRequest, ProbeResult

HELP = "read the certificate chain a live server presents and check it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help="host[:port] (port 443 by default; IPv6 as [address]:port)")
    parser.add_argument("--targets", dest="targets_file", metavar="FILE",
                        help="more targets, one per line (# starts a comment)")
    parser.add_argument("--sni", metavar="NAME",
                        help="the server name to send (default: the host when it is a name, "
                        "none for an address, as Expressway-C X14.2 does)")
    parser.add_argument("--starttls", default="auto",
                        choices=("auto", "none", "xmpp", "xmpp-server"),
                        help="auto: XMPP on 5222 (client) and 5269 (server), else direct TLS")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="S",
                        help="seconds for each target, connect to chain (default 5)")
    parser.add_argument("--role", help="judge the leaf as this role (collabcert roles)")
    parser.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                        help="a role field (fqdn, cluster-fqdn ...) or a lint field")
    parser.add_argument("--trust", action="append", default=[], metavar="FILE",
                        help="CA certificates the clients trust (repeat for several files)")
    parser.add_argument("--trust-system", action="store_true",
                        help="also trust this machine's CA store")
    parser.add_argument("--warn-days", type=int, metavar="N",
                        help="fail (exit 1) when any certificate presented ends within N days")
    parser.add_argument("--save", metavar="DIR",
                        help="write each presented chain as one PEM, leaf first")
    parser.add_argument("--force", action="store_true", help="replace files --save finds")
    parser.add_argument("--compare", metavar="FILE",
                        help="say what changed against an earlier --save or a new certificate")
    parser.add_argument("--fetch-missing", action="store_true",
                        help="download a missing issuer from its caIssuers URL (HTTP only)")
    parser.add_argument("--mra", action="store_true",
                        help="the targets are Unified CM / IM&P nodes: judge tomcat and "
                        "tomcat-ECDSA as Expressway-C would for MRA (--trust is its trusted "
                        "CA list)")
    parser.add_argument("--expressway-version", default="X14.2", metavar="X14.2",
                        help="--mra: the Expressway-C version (checks enforced from X14.2)")
    parser.add_argument("--concurrency", type=int, default=32, metavar="N",
                        help="targets probed at once (default 32)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def request_of(args: argparse.Namespace) -> ProbeRequest:
    from collabcert.cli.lint import _field_pairs
    from collabcert.errors import InputError
    from collabcert.jobs.lint import LintFile
    from collabcert.jobs.probe import ProbeRequest, targets_in

    targets = list(args.targets)
    if args.targets_file:
        targets += targets_in(_read_text(args.targets_file))
    if args.warn_days is not None and args.warn_days < 0:
        raise InputError("--warn-days must be 0 or more")
    if args.concurrency < 1:
        raise InputError("--concurrency must be 1 or more")
    if args.save and not Path(args.save).is_dir():
        raise InputError(f"{args.save}: the --save folder does not exist; create it first")
    return ProbeRequest(
        tuple(targets), sni=args.sni, starttls=args.starttls, timeout=args.timeout,
        role=args.role, fields=_field_pairs(args.field),
        trust=tuple(LintFile(p, Path(p)) for p in args.trust), trust_system=args.trust_system,
        warn_days=args.warn_days, save_dir=Path(args.save) if args.save else None,
        compare=LintFile(args.compare, Path(args.compare)) if args.compare else None,
        fetch_missing=args.fetch_missing, concurrency=args.concurrency, mra=args.mra,
        expressway_version=args.expressway_version)


def _read_text(name: str) -> str:
    from collabcert.errors import InputError
    from collabcert.load import read_file

    data = sys.stdin.buffer.read() if name == "-" else read_file(name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: is not a text file of targets (one host[:port] a line)") \
            from exc


def run(args: argparse.Namespace) -> int:
    from collabcert.cli import EXIT_USAGE, fail
    from collabcert.errors import WriteRefused
    from collabcert.files import write_plan
    from collabcert.jobs.probe import run as probe

    result = probe(request_of(args))
    try:
        written = write_plan(result.files, force=args.force) if result.files else []
    except WriteRefused as exc:
        _report(args, result, [])
        return fail(str(exc), EXIT_USAGE)
    _report(args, result, written)
    return result.exit_code


def _report(args: argparse.Namespace, result: ProbeResult, written: list[Path]) -> None:
    from collabcert.cli import fail
    from collabcert.cli.common import print_json
    from collabcert.probe_report import clean, mra_lines, record_lines, summary

    if args.json:
        document = result.to_json()
        document["written"] = [str(p) for p in written]
        print_json(document)
    else:
        for record in result.records:
            if record.reached:
                print("\n".join(record_lines(record)))
        for path in written:
            print(f"wrote {path}")
        for line in mra_lines(result):
            print(line)
        print(summary(result))
    for record in result.unreachable:
        fail(f"{clean(record.capture.target.text)}: {clean(record.capture.error)}")
    for sentence in result.mra_unseen:
        fail(clean(sentence))
