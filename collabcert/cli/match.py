"""`collabcert match KEY_OR_CSR CERT`: exit 0 when the public keys are the same, 1 when not."""

from __future__ import annotations

import argparse

HELP = "check that a private key or CSR belongs to a certificate (same public key)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key_or_csr", metavar="KEY_OR_CSR", help="private key or CSR file")
    parser.add_argument("cert", metavar="CERT", help="certificate file")
    parser.add_argument("--password-file", metavar="F", help="password of a locked key")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON document: match, both files, fingerprints, key ids")


def run(args: argparse.Namespace) -> int:
    from collabcert.cli.common import load_input, print_json, read_password_file
    from collabcert.jobs.match import match_job

    password = read_password_file(args.password_file)
    result = match_job(load_input(args.key_or_csr, password), load_input(args.cert, password))
    if args.json:
        print_json(result.to_json())
        return 0 if result.matches else 1
    print(result.message)
    for number, step in enumerate(result.next_steps, 1):
        print(f"next {number}. {step}")
    return 0 if result.matches else 1
