"""`collabcert inspect FILE... [--password-file F] [--json]`: what is in these files."""

from __future__ import annotations

import argparse

HELP = "show what is inside certificate, CSR, key, PKCS#7 and PKCS#12 files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to read; - for stdin")
    parser.add_argument("--password-file", metavar="F", help="password for locked keys / PKCS#12")
    parser.add_argument("--at", metavar="TIME",
                        help="judge expiry at this UTC time (YYYY-MM-DD or ISO 8601; default: "
                        "now)")
    parser.add_argument("--fetch-missing", action="store_true",
                        help="download a missing issuer from its caIssuers URL (HTTP only) "
                        "and show it as one more input")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace) -> int:
    from collabcert.aia import as_loaded
    from collabcert.cli.common import (
        print_json,
        print_summary,
        read_inputs,
        read_password_file,
        report_problems,
    )
    from collabcert.inspect import result_json, result_text
    from collabcert.jobs.inspect import inspect_files

    loaded, problems = read_inputs(args.files, read_password_file(args.password_file))
    read = len(loaded)  # the inputs given; fetched issuers come on top
    from collabcert.cli.common import parse_at

    fetched = fetch_for_inputs(loaded) if args.fetch_missing else ()
    loaded += [as_loaded(item) for item in fetched if item.certificates]
    result = inspect_files(loaded, [sentence for _, sentence in problems], at=parse_at(args.at))
    if args.json:
        document = result_json(result, lazy=True)
        document["fetched"] = [item.to_json() for item in fetched]
        for entry in document["files"]:
            entry["status"] = "read"
        document["files"] += [{"source": name, "status": "unreadable", "error": sentence,
                               "items": [], "findings": []} for name, sentence in problems]
        document["summary"] = {"read": read, "unreadable": len(problems)}
        print_json(document)
    else:
        for item in fetched:
            print(item.sentence())
        if result.files:
            print(result_text(result), end="")
    code = report_problems(problems)
    if not args.json and len(args.files) > 1:
        print_summary(read, len(problems))
    return code


def fetch_for_inputs(loaded) -> tuple:
    """--fetch-missing: the caIssuers downloads for the certificates of these inputs."""
    from collabcert.aia import fetch_for_files

    return fetch_for_files([cert for one in loaded for cert in one.certificates])
