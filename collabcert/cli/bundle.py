"""`collabcert bundle FILE... --target fullchain|expressway|cms|cucm [--root include|exclude]
[--key KEY | --csr CSR] [-o FILE | --out DIR] [--force] [--json]`: what the CA sent, ordered by
signature into the files the product wants, with the next steps.

Exit codes: 0 written and nothing wrong; 1 a check failed (missing issuer, `--root include`
with no root, a key that fits no certificate, an error finding), and then nothing is written
unless --anyway; 2 bad usage or unreadable input. Unused certificates are reported but do not
change the exit code.
"""

from __future__ import annotations

import argparse

HELP = "order certificates by signature and write the bundle files a product wants"

_EPILOG = """\
Output goes into --out DIR, or else next to the first input file (the current folder when the
first input is standard input). File names: fullchain <cn>-fullchain.pem; expressway
<cn>-server.pem and <cn>-trusted-ca.pem; cms <name>.crt and <name>bundle.crt; cucm
<n>-<purpose>-<cn>.pem, numbered in upload order; --trust-list trusted-ca-list.pem (expressway)
or one file per CA (cucm). The root is included by default for expressway, cms and cucm, and
left out for fullchain.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="certificates in any format and order (PEM, DER, PKCS#7, PKCS#12); "
                        "- for stdin")
    parser.add_argument("--target", required=True,
                        choices=("fullchain", "expressway", "cms", "cucm"))
    parser.add_argument("--root", choices=("include", "exclude"),
                        help="put the root CA certificate in or leave it out")
    leaf = parser.add_mutually_exclusive_group()
    leaf.add_argument("--key", metavar="KEY", help="the private key: picks the leaf")
    leaf.add_argument("--csr", metavar="CSR",
                      help="the CSR: picks the leaf and checks that its SANs are in it")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", dest="output", metavar="FILE",
                       help="the file to write (fullchain and --trust-list for expressway)")
    where.add_argument("--out", dest="out_dir", metavar="DIR", help="the folder to write into")
    parser.add_argument("--name", metavar="NAME",
                        help="cms: the basename of <name>.crt and <name>bundle.crt "
                        "([A-Za-z0-9_-]+; default: the key file's name, else the CN's first label)")
    parser.add_argument("--type", dest="cucm_type", default="tomcat", metavar="TYPE",
                        help="cucm: the certificate purpose, e.g. tomcat (default), "
                        "tomcat-ECDSA, CallManager, CAPF; CAs go to <type>-trust")
    parser.add_argument("--trust-list", action="store_true",
                        help="expressway or cucm: write every given certificate as a trust list "
                        "(checked for same-CN pairs, missing basicConstraints, expiry) instead "
                        "of one chain")
    parser.add_argument("--at", metavar="TIME",
                        help="judge validity at this UTC time (YYYY-MM-DD or ISO 8601; "
                        "default: now)")
    parser.add_argument("--password-file", metavar="F", help="password of locked inputs")
    parser.add_argument("--anyway", action="store_true",
                        help="write the files even when a check failed (the exit code stays 1)")
    parser.add_argument("--force", action="store_true", help="replace files that exist")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def run(args: argparse.Namespace) -> int:
    from collabcert.cli.common import load_inputs, read_password_file

    password = read_password_file(args.password_file)
    inputs = load_inputs(args.files, password)
    certificates = [(item.obj, loaded.source) for loaded in inputs for item in loaded.items
                    if item.kind == "certificate"]
    if not certificates:
        from collabcert.errors import InputError

        raise InputError(f"{', '.join(args.files)}: no certificates found; give the files the "
                         "CA sent back")
    source_findings = [f for loaded in inputs for f in loaded.findings]
    if args.trust_list:
        return _run_trust_list(args, certificates, source_findings)
    return _run_bundle(args, inputs, certificates, source_findings)


def _when(text: str | None):
    import datetime as dt

    from collabcert.errors import InputError

    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"--at {text!r} is not a date; write YYYY-MM-DD or "
                         "YYYY-MM-DDTHH:MM:SS") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _out_dir(args: argparse.Namespace):
    from pathlib import Path

    from collabcert.errors import InputError

    if args.out_dir:
        folder = Path(args.out_dir)
        if not folder.is_dir():
            raise InputError(f"{folder}: the output folder does not exist; create it first")
        return folder
    first = args.files[0]
    return Path(".") if first == "-" else Path(first).parent


def _leaf_key(args: argparse.Namespace, inputs, password):
    """(key or CSR used to pick the leaf, the CSR for SAN checks, the key file name)."""
    from collabcert.cli.common import load_input
    from collabcert.errors import InputError

    if args.key:
        keys = load_input(args.key, password).keys
        if not keys:
            raise InputError(f"{args.key}: holds no private key; give the key file with --key")
        return keys[0], None, args.key
    if args.csr:
        csrs = load_input(args.csr, password).csrs
        if not csrs:
            raise InputError(f"{args.csr}: holds no CSR; give the CSR file with --csr")
        return csrs[0], csrs[0], args.csr
    keys = [k for loaded in inputs for k in loaded.keys]
    if len(keys) == 1:  # a PKCS#12 or a PEM with the key in it: that key picks the leaf
        return keys[0], None, None
    return None, None, None


def _run_bundle(args, inputs, certificates, source_findings) -> int:
    import sys
    from pathlib import Path

    from collabcert.bundle import plan_bundle
    from collabcert.chain import LeafNotFound, build_chain
    from collabcert.cli.common import print_json, read_password_file
    from collabcert.files import write_plan
    from collabcert.findings import has_errors
    from collabcert.importcheck import check_import

    picker, csr, key_file = _leaf_key(args, inputs, read_password_file(args.password_file))
    try:
        chain = build_chain([c for c, _ in certificates], key=picker, at=_when(args.at))
    except LeafNotFound as exc:
        if args.json:
            print_json({"target": args.target, "key_matches": False, "error": str(exc),
                        "chain": [], "missing_issuer": None, "unused": []})
        print(f"collabcert: error: {exc}", file=sys.stderr)
        return 1
    include = None if args.root is None else args.root == "include"
    bundle = plan_bundle(
        chain, args.target, out_dir=_out_dir(args),
        output=Path(args.output) if args.output else None, include_root=include,
        name=args.name, cucm_kind=args.cucm_type, key_file=key_file,
    )
    extra = []
    if csr is not None:  # the SANs the CSR asked for (peers A.2 item 4)
        checked = check_import(chain.leaf.certificate, csr=csr, chain=chain)
        extra = [f for f in checked.findings if f not in chain.findings]
    findings = list(source_findings) + list(bundle.findings) + extra
    failed = chain.missing_issuer is not None or has_errors(findings)
    written = []
    if not failed or args.anyway:
        written = write_plan(list(bundle.files), force=args.force)
    if args.json:
        document = bundle.to_json()
        document["findings"] = [f.to_json() for f in findings]
        document["written"] = [str(p) for p in written]
        document["ok"] = not failed
        print_json(document)
    else:
        _print_bundle(bundle, findings, written)
    _print_errors(chain, findings)
    return 1 if failed else 0


def _print_bundle(bundle, findings, written) -> None:
    chain = bundle.chain
    print(f"Chain ({'complete' if chain.complete else 'incomplete'}), leaf first:")
    for number, link in enumerate(chain.links, start=1):
        print(f"  {number}. {link.position:<12} {link.subject}")
        print(f"     {link.how}; {link.validity} until {link.not_after:%Y-%m-%d}")
    if chain.missing_issuer:
        print(f"  missing: {chain.missing_issuer.subject}")
    if chain.unused:
        print("Not used:")
        for item in chain.unused:
            print(f"  {item.subject} ({item.reason})")
    if written:
        print("Wrote:")
        for planned in bundle.files:
            print(f"  {planned.path}: {planned.what}, {planned.certificates} certificate(s)")
        print("Next steps:")
        for line in bundle.next_steps:
            print(f"  {line}")
    else:
        print("Nothing was written (a check failed; --anyway writes the files regardless).")
    _print_findings(findings)


def _print_findings(findings) -> None:
    shown = [f for f in findings if f.id != "CHN-UNUSED"]
    if shown:
        print("Findings:")
        for f in shown:
            print(f"  {f.severity.upper()} {f.id}: {f.message}")
            if f.fix:
                print(f"    fix: {f.fix}")


def _print_errors(chain, findings) -> None:
    import sys

    from collabcert.findings import Severity

    if chain.missing_issuer:
        print(f"collabcert: error: chain incomplete: missing issuer {chain.missing_issuer.subject}"
              f" ({chain.missing_issuer.sentence})", file=sys.stderr)
    for f in findings:
        if f.severity is Severity.ERROR and f.id != "CHN-INCOMPLETE":
            print(f"collabcert: error: {f.id}: {f.message}", file=sys.stderr)


def _run_trust_list(args, certificates, source_findings) -> int:
    import sys
    from pathlib import Path

    from collabcert.cli.common import print_json
    from collabcert.errors import InputError
    from collabcert.files import write_plan
    from collabcert.findings import Severity, has_errors
    from collabcert.trustlist import build_trust_list, plan_trust_list

    if args.target not in ("expressway", "cucm"):
        raise InputError("--trust-list is for --target expressway or cucm")
    if args.output and args.target == "cucm":
        raise InputError("a CUCM trust set is one file per certificate; use --out DIR, not -o")
    trust = build_trust_list(certificates, product=args.target, at=_when(args.at))
    files, steps = plan_trust_list(
        trust, out_dir=_out_dir(args), output=Path(args.output) if args.output else None,
        kind=args.cucm_type,
    )
    findings = list(source_findings) + list(trust.findings)
    failed = has_errors(findings)
    written = write_plan(files, force=args.force) if not failed or args.anyway else []
    if args.json:
        document = trust.to_json()
        document.update({"findings": [f.to_json() for f in findings],
                         "files": [str(f.path) for f in files],
                         "written": [str(p) for p in written], "next_steps": steps,
                         "ok": not failed})
        print_json(document)
    else:
        print(f"Trust list for {args.target}: {len(trust.entries)} certificate(s)"
              + (f", {trust.duplicates} duplicate(s) merged" if trust.duplicates else ""))
        for entry in trust.entries:
            print(f"  {entry.subject}")
        if written:
            print("Wrote:")
            for planned in files:
                print(f"  {planned.path}")
            print("Next steps:")
            for line in steps:
                print(f"  {line}")
        else:
            print("Nothing was written (a check failed; --anyway writes the files regardless).")
        _print_findings(findings)
    for f in findings:
        if f.severity is Severity.ERROR:
            print(f"collabcert: error: {f.id}: {f.message}", file=sys.stderr)
    return 1 if failed else 0
