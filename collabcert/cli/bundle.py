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
import sys
from pathlib import Path

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
    where.add_argument("--out", dest="out_dir", metavar="DIR",
                       help="the folder to write into, made if it is not there")
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
    parser.add_argument("--exclude", action="append", default=[], metavar="FINGERPRINT",
                        help="leave this certificate out (SHA-256 in hex, colons allowed, or a "
                        "unique prefix of 8 or more digits); repeat for several")
    parser.add_argument("--password-file", metavar="F", help="password of locked inputs")
    parser.add_argument("--fetch-missing", action="store_true",
                        help="download a missing issuer from its caIssuers URL (HTTP only); "
                        "what was fetched, and from where, is said")
    parser.add_argument("--anyway", action="store_true",
                        help="write the files even when a check failed (the exit code stays 1)")
    parser.add_argument("--force", action="store_true", help="replace files that exist")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def run(args: argparse.Namespace) -> int:
    from collabcert.aia import as_loaded
    from collabcert.cli.common import print_summary, read_batch, read_password_file
    from collabcert.errors import NothingReadable

    password = read_password_file(args.password_file)
    batch = read_batch(args.files, password)
    if not batch.read:
        raise NothingReadable([(u.name, u.reason) for u in batch.unreadable])
    args.batch = batch  # the per-file statuses of --json
    sources = list(batch.read)
    if args.trust_list:
        code = _run_trust_list(args, sources)
    else:
        fetched = _fetched(args, batch.loaded)
        sources += [(f"fetched from {item.url}", as_loaded(item)) for item in fetched
                    if item.certificates]
        code = _run_bundle(args, sources, password, fetched)
    # DESIGN.md: several FILEs; the readable ones were done, each bad one gets its line
    for bad in batch.unreadable:
        print(f"collabcert: error: {bad.reason}", file=sys.stderr)
    if not args.json and len(args.files) > 1:
        print_summary(len(batch.read), len(batch.unreadable))
    return 2 if batch.unreadable else code


def _statuses(args: argparse.Namespace) -> list[dict[str, object]]:
    batch = args.batch
    bad = {u.name: u for u in batch.unreadable}
    return [bad[name].to_json() if name in bad else {"source": name, "status": "read"}
            for name in batch.order]


def _fetched(args: argparse.Namespace, inputs) -> tuple:
    """--fetch-missing: the caIssuers downloads the chain needs (never without the flag)."""
    if not args.fetch_missing:
        return ()
    from collabcert.cli.inspect import fetch_for_inputs

    return fetch_for_inputs(inputs)


def _inputs(args: argparse.Namespace) -> list[str]:
    """Every file this run read: no output may be one of them (DESIGN.md)."""
    names = [*args.files, getattr(args, "key", None), getattr(args, "csr", None),
             args.password_file]
    return [name for name in names if name]


def _no_certificates(args: argparse.Namespace, sources) -> None:
    from collabcert.errors import InputError
    from collabcert.jobs.importing import certificates_of

    if not certificates_of(sources):
        raise InputError(f"{', '.join(args.files)}: no certificates found; give the files the "
                         "CA sent back")


def _when(text: str | None):
    from collabcert.cli.common import parse_at

    return parse_at(text)


def _out_dir(args: argparse.Namespace):
    from pathlib import Path

    from collabcert.cli.common import out_folder

    if args.out_dir:
        return out_folder(args.out_dir)  # made when writing if it is not there yet
    from collabcert.jobs.bundle import default_folder

    return default_folder([None if f == "-" else Path(f) for f in args.files], Path("."))


def _request(args: argparse.Namespace, password):
    """The --key or --csr file as the job's Request; None when neither was given."""
    from collabcert.cli.common import load_input
    from collabcert.errors import InputError
    from collabcert.jobs.importing import Request

    if args.key:
        loaded = load_input(args.key, password)
        if not loaded.keys:
            raise InputError(f"{args.key}: holds no private key; give the key file with --key")
        return Request(key=loaded.keys[0], key_file=Path(args.key), names=(args.key,))
    if args.csr:
        loaded = load_input(args.csr, password)
        if not loaded.csrs:
            raise InputError(f"{args.csr}: holds no CSR; give the CSR file with --csr")
        return Request(csr=loaded.csrs[0], names=(args.csr,), csr_file=Path(args.csr))
    return None


def _run_bundle(args, sources, password, fetched=()) -> int:
    from collabcert.cli.common import print_json
    from collabcert.files import write_plan
    from collabcert.jobs.bundle import BundleOptions, bundle_job

    _no_certificates(args, sources)
    request = _request(args, password)
    options = BundleOptions(
        args.target, out_dir=_out_dir(args), output=Path(args.output) if args.output else None,
        include_root=None if args.root is None else args.root == "include", name=args.name,
        cucm_type=args.cucm_type,
    )
    result = bundle_job(sources, options, request, at=_when(args.at), exclude=args.exclude)
    failed = bool(result.blocked)
    files = list(result.to_write(args.anyway))
    _refuse_or_say_replaced(args, files, result.replaces if files else ())
    written = write_plan(files, force=args.force, inputs=_inputs(args),
                         make_folders=True) if files else []
    if args.json:
        document = result.to_json()
        document["written"] = [str(p) for p in written]
        document["ok"] = not failed
        document["inputs"] = _statuses(args)
        document["fetched"] = [item.to_json() for item in fetched]
        print_json(document)
    else:
        for item in fetched:
            print(item.sentence())
        _print_bundle(result, written)
    _print_errors(result, result.chain.missing_issuer)
    return 1 if failed else 0


def _refuse_or_say_replaced(args, files, replaces) -> None:
    """A file of another peer is replaced only with --force, and then said (issue 12 item 8).
    The plan's own checks first: an output that is an input is refused as such."""
    from collabcert.errors import WriteRefused
    from collabcert.files import check_plan

    if not replaces:
        return
    check_plan(files, True, _inputs(args), make_folders=True)  # existing files: below
    if not args.force:
        raise WriteRefused(f"{replaces[0]}; use --force to replace it, or --out another folder")
    for sentence in replaces:
        print(f"replacing: {sentence}", file=sys.stderr)


def _print_bundle(result, written) -> None:
    chain = result.chain
    print(f"Chain ({'complete' if chain.complete else 'incomplete'}), leaf first:")
    for number, link in enumerate(chain.links, start=1):
        print(f"  {number}. {link.position:<12} {link.subject}")
        print(f"     {link.how}; {link.validity} until {link.not_after:%Y-%m-%d}")
    if chain.missing_issuer:
        print(f"  missing: {chain.missing_issuer.subject}")
    if chain.unused:
        print("Not used:")
        for item in chain.unused:
            print(f"  {item.said}: {item.reason}")
    _print_outcome(result, written, [f"{planned.path}: {planned.what}"
                                     + ("" if planned.private else
                                        f", {planned.certificates} certificate(s)")
                                     for planned in result.files])


def _print_outcome(result, written, lines) -> None:
    """What was written (`lines`, one per file) and the next steps, or why nothing was; then
    the findings. Bundles and trust lists end the same way."""
    if written:
        print("Wrote:")
        for line in lines:
            print(f"  {line}")
        print("Next steps:")
        for line in result.next_steps:
            print(f"  {line}")
    else:
        _print_nothing_written(result)
    _print_findings(result.findings)


def _print_nothing_written(result) -> None:
    if not result.files:
        print(f"Nothing was written: {result.blocked}.")
    else:
        print(f"Nothing was written: {result.blocked} (--anyway writes the files regardless).")


def _print_findings(findings) -> None:
    from collabcert.report import finding_lines

    shown = [f for f in findings if f.id != "CHN-UNUSED"]  # the chain listing says it already
    if shown:
        print("Findings:")
        for line in finding_lines(shown):
            print(f"  {line}")


def _print_errors(result, missing=None) -> None:
    """One `collabcert: error:` line per error finding; the missing issuer with its subject."""
    import sys

    if missing:
        print(f"collabcert: error: chain incomplete: missing issuer {missing.subject}"
              f" ({missing.sentence})", file=sys.stderr)
    for f in result.errors:
        if not (missing and f.id == "CHN-INCOMPLETE"):
            print(f"collabcert: error: {f.id}: {f.message}", file=sys.stderr)


def _print_suggestions(result) -> None:
    """Keep/drop per same-name pair, and the --exclude that does it (issue 12 item 11)."""
    if not result.suggestions:
        return
    from collabcert.jobs.trustlist import short_fingerprint

    print("Same name, different certificates; suggested:")
    for s in result.suggestions:
        short = short_fingerprint(s.fingerprint, result.certificates)
        print(f"  {s.action:<4}  {s.subject} [{short}] from {', '.join(s.sources)}: {s.reason}")
    if result.drops:
        print(f"  to drop them, run again with: {result.exclude_arguments()}")


def _run_trust_list(args, sources) -> int:
    from collabcert.cli.common import print_json
    from collabcert.errors import InputError
    from collabcert.files import write_plan
    from collabcert.jobs.trustlist import trust_list_job

    if args.target not in ("expressway", "cucm"):
        raise InputError("--trust-list is for --target expressway or cucm")
    if args.output and args.target == "cucm":
        raise InputError("a CUCM trust set is one file per certificate; use --out DIR, not -o")
    _no_certificates(args, sources)
    result = trust_list_job(
        sources, product=args.target, out_dir=_out_dir(args),
        output=Path(args.output) if args.output else None, cucm_type=args.cucm_type,
        at=_when(args.at), exclude=args.exclude,
    )
    failed = bool(result.blocked)
    files = list(result.to_write(args.anyway))
    written = write_plan(files, force=args.force, inputs=_inputs(args),
                         make_folders=True) if files else []
    if args.json:
        document = result.to_json()
        document.update({"written": [str(p) for p in written], "ok": not failed,
                         "inputs": _statuses(args)})
        print_json(document)
    else:
        trust = result.trust
        print(f"Trust list for {args.target}: {len(trust.entries)} certificate(s)"
              + (f", {trust.duplicates} duplicate(s) merged" if trust.duplicates else ""))
        for entry in trust.entries:
            print(f"  {entry.subject}")
        for gone in result.excluded:
            print(f"  left out (--exclude): {gone.subject} [{gone.fingerprint[:16]}] from "
                  f"{', '.join(gone.sources)}")
        _print_suggestions(result)
        _print_outcome(result, written, [str(planned.path) for planned in result.files])
    _print_errors(result)
    return 1 if failed else 0
