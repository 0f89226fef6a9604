"""`collabcert convert FILE... --to pem|der|p7b|p12 [-o FILE | --out DIR] [--key KEY]
[--password-file F] [--force]`: the same certificates in the shape the product wants."""

from __future__ import annotations

import argparse

HELP = "convert certificates, CSRs and keys between PEM, DER, PKCS#7 and PKCS#12"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to convert; - for stdin")
    parser.add_argument("--to", required=True, choices=("pem", "der", "p7b", "p12"))
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", dest="output", metavar="FILE",
                       help="write one file with this name (- writes PEM to standard output)")
    where.add_argument("--out", dest="out_dir", metavar="DIR",
                       help="write into this folder, made if it is not there (default: next to "
                       "each input)")
    parser.add_argument("--key", metavar="KEY", help="the private key, for --to p12")
    parser.add_argument("--password-file", metavar="F",
                        help="password of locked inputs (tried for each), and of the PKCS#12 "
                        "written")
    parser.add_argument("--p12-legacy", action="store_true",
                        help="with --to p12: 3DES/SHA-1 instead of AES-256, only for importers "
                        "that refuse the modern file (Windows Server 2016 and older, older Cisco "
                        "and Java importers)")
    parser.add_argument("--force", action="store_true", help="replace files that exist")
    parser.add_argument("--json", action="store_true",
                        help="one JSON document: per input its status, the outputs with their "
                        "fingerprints, the renamed and the skipped")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from collabcert.cli.common import ask_new_password, load_input, out_folder, read_password_file
    from collabcert.cli.common import read_batch as read_all
    from collabcert.errors import InputError, NothingReadable
    from collabcert.jobs.convert import ConvertOptions, convert_files

    to_stdout = args.output == "-"
    if to_stdout and args.to != "pem":
        raise InputError(f"-o - writes PEM text only; a {args.to.upper()} file is binary, "
                         "so give it a name with -o FILE")
    if to_stdout and args.json:
        raise InputError("-o - and --json both want standard output; choose one")
    if args.p12_legacy and args.to != "p12":
        raise InputError(f"--p12-legacy is for --to p12, not --to {args.to}; drop it")
    password = read_password_file(args.password_file)
    batch = read_all(args.files, password)
    problems = [(u.name, u.reason) for u in batch.unreadable]
    if not batch.read:
        raise NothingReadable(problems)
    key = None
    if args.key:
        keys = load_input(args.key, password).keys
        if not keys:
            raise InputError(f"{args.key}: holds no private key")
        key = keys[0]
    if args.to == "p12" and password is None:
        password = ask_new_password()
    out_dir = out_folder(args.out_dir)  # made when writing if it is not there yet
    output = Path(args.output) if args.output and not to_stdout else None
    result = convert_files(batch.loaded, ConvertOptions(
        args.to, output=output or (Path("-") if to_stdout else None), out_dir=out_dir, key=key,
        password=password, p12_legacy=args.p12_legacy), problems)
    if result.blocked:
        _report(problems)
        raise InputError(result.blocked)
    if to_stdout:
        import sys

        sys.stdout.buffer.write(b"".join(p.data for p in result.planned))
        sys.stdout.flush()
        _report(problems)
        return 2 if problems else 0
    return _write_and_say(args, result, problems, len(batch.read))


def _write_and_say(args: argparse.Namespace, result, problems, read: int) -> int:
    from pathlib import Path

    from collabcert.cli.common import print_json, print_summary
    from collabcert.convert import left_out
    from collabcert.files import write_plan
    from collabcert.jobs.convert import ReadBack

    back = ReadBack(result.planned)
    inputs = [*args.files, args.key, args.password_file]  # no output may be one of these
    written = write_plan(result.planned, force=args.force, count_certificates=back,
                         inputs=[name for name in inputs if name], make_folders=True)
    rows = [row for path in written for row in back.objects(path)]
    if args.json:
        print_json(result.to_json(rows))
        _report(problems)
        return 2 if problems else 0
    for renamed in result.renamed:
        print(f"renamed: {renamed.sentence()}")
    for planned in result.planned:
        mode = " (mode 0600)" if planned.private else ""
        print(f"wrote {planned.path}: {planned.what}{mode}")
        # what is on disk now, read back: its fingerprints right under its own "wrote" line
        for row in back.objects(planned.path):
            print(f"  {row.line(str(planned.path))}")
    for note in result.notes:
        print(f"note: {note}")
    output = Path(args.output) if args.output else None
    out_dir = Path(args.out_dir) if args.out_dir else None
    for note in left_out(list(result.read), args.to, output=output, out_dir=out_dir):
        print(note)
    read_names = {loaded.source for loaded in result.read}
    for skipped in result.skipped:
        if skipped.source in read_names:  # the unreadable ones get their error line below
            print(f"skipped: {skipped.reason}")
    for number, step in enumerate(result.next_steps, 1):
        print(f"next {number}. {step}")
    _report(problems)
    if len(args.files) > 1:
        print_summary(read, len(problems))
    return 2 if problems else 0  # the readable inputs are done; the others said why


def _report(problems) -> None:
    from collabcert.cli.common import report_problems

    report_problems(problems)
