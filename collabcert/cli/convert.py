"""`collabcert convert FILE... --to pem|der|p7b|p12 [-o FILE | --out DIR] [--key KEY]
[--password-file F] [--force]`: the same certificates in the shape the product wants."""

from __future__ import annotations

import argparse

HELP = "convert certificates, CSRs and keys between PEM, DER, PKCS#7 and PKCS#12"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to convert; - for stdin")
    parser.add_argument("--to", required=True, choices=("pem", "der", "p7b", "p12"))
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", dest="output", metavar="FILE", help="write one file with this name")
    where.add_argument("--out", dest="out_dir", metavar="DIR",
                       help="write into this folder (default: next to each input)")
    parser.add_argument("--key", metavar="KEY", help="the private key, for --to p12")
    parser.add_argument("--password-file", metavar="F",
                        help="password of locked inputs, and of the PKCS#12 written")
    parser.add_argument("--force", action="store_true", help="replace files that exist")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from collabcert.cli.common import (
        ask_new_password,
        load_input,
        read_inputs,
        read_password_file,
        report_problems,
    )
    from collabcert.convert import left_out
    from collabcert.errors import InputError
    from collabcert.files import folder_problem, write_plan
    from collabcert.jobs.convert import ConvertOptions, ReadBack, convert_files

    password = read_password_file(args.password_file)
    inputs, problems = read_inputs(args.files, password)
    if not inputs:
        return report_problems(problems)
    key = None
    if args.key:
        keys = load_input(args.key, password).keys
        if not keys:
            raise InputError(f"{args.key}: holds no private key")
        key = keys[0]
    if args.to == "p12" and password is None:
        password = ask_new_password()
    out_dir = Path(args.out_dir) if args.out_dir else None
    if out_dir is not None and folder_problem(out_dir):
        raise InputError(folder_problem(out_dir))
    result = convert_files(inputs, ConvertOptions(
        args.to, output=Path(args.output) if args.output else None, out_dir=out_dir, key=key,
        password=password))
    if result.blocked:
        report_problems(problems)
        raise InputError(result.blocked)
    back = ReadBack(result.planned)
    read = [*args.files, args.key, args.password_file]  # no output may be one of these
    written = write_plan(result.planned, force=args.force, count_certificates=back,
                         inputs=[name for name in read if name])
    for planned in result.planned:
        mode = " (mode 0600)" if planned.private else ""
        print(f"wrote {planned.path}: {planned.what}{mode}")
    # what is on disk now, read back: fingerprints never change in a conversion, compare them
    for path in written:
        for row in back.objects(path):
            print(f"  {row.line(str(path))}")
    for note in left_out(inputs, args.to, output=Path(args.output) if args.output else None,
                         out_dir=out_dir):
        print(note)
    for number, step in enumerate(result.next_steps, 1):
        print(f"next {number}. {step}")
    return report_problems(problems)  # the readable inputs are done; the others said why
