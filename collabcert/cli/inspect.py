"""`collabcert inspect FILE... [--password-file F] [--json]`: what is in these files."""

from __future__ import annotations

import argparse

HELP = "show what is inside certificate, CSR, key, PKCS#7 and PKCS#12 files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to read; - for stdin")
    parser.add_argument("--password-file", metavar="F", help="password for locked keys / PKCS#12")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> int:
    from collabcert.cli.common import print_json, read_inputs, read_password_file, report_problems
    from collabcert.inspect import result_json, result_text
    from collabcert.jobs.inspect import inspect_files

    loaded, problems = read_inputs(args.files, read_password_file(args.password_file))
    result = inspect_files(loaded, [sentence for _, sentence in problems])
    if args.json:
        document = result_json(result, lazy=True)
        for entry in document["files"]:
            entry["status"] = "read"
        document["files"] += [{"source": name, "status": "unreadable", "error": sentence,
                               "items": [], "findings": []} for name, sentence in problems]
        print_json(document)
    elif result.files:
        print(result_text(result), end="")
    return report_problems(problems)
