"""`collabcert ca init DIR` and `collabcert ca sign CSR --ca DIR`: a lab CA.

init makes a root (and with --intermediate an issuing CA under it) in DIR; sign issues a
certificate for a CSR with the role's key usage, keeping every SAN of the CSR (a CSR the role
cannot take is refused, exit 2, never trimmed). The job (collabcert.jobs.ca) does the work; this
module parses and prints. Every refusal happens before anything is written.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "a lab CA: make one (ca init DIR) and sign CSRs with it (ca sign CSR --ca DIR)"

KEY_CHOICES = "rsa:2048|rsa:3072|rsa:4096|ec:p256|ec:p384|ec:p521"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="ca_verb", metavar="SUBVERB", required=True,
                                  parser_class=type(parser))
    init = verbs.add_parser("init", help="make a root CA (and an intermediate) in DIR",
                            description="Make a lab root CA in DIR: root.key (0600), root.crt, "
                            "and with --intermediate intermediate.key and intermediate.crt; "
                            "ca-chain.crt holds the CA chain, issuer first.")
    init.add_argument("folder", metavar="DIR", help="the CA folder (made when missing)")
    init.add_argument("--name", metavar="CN", help="the root's common name "
                      "(default: collabcert lab CA)")
    init.add_argument("--key", metavar="TYPE", help=f"key type: {KEY_CHOICES} (default "
                      "rsa:3072: every product trusts an RSA CA)")
    init.add_argument("--intermediate", action="store_true",
                      help="also make an intermediate CA, which then signs")
    init.add_argument("--force", action="store_true", help="replace a CA already in DIR")
    init.add_argument("--json", action="store_true", help="print one JSON document")

    sign = verbs.add_parser("sign", help="sign a CSR with the lab CA in DIR",
                            description="Sign a CSR (PEM or DER) with the lab CA: the role's "
                            "EKU and key usage, every SAN of the CSR kept.")
    sign.add_argument("csr", metavar="CSR", help="the CSR file (`-` reads standard input)")
    sign.add_argument("--ca", required=True, metavar="DIR", help="the folder of `ca init`")
    sign.add_argument("--role", metavar="ROLE", help="the role (collabcert roles); without it "
                      "a plain serverAuth+clientAuth certificate")
    sign.add_argument("--days", type=int, metavar="N", help="days of validity (default 397, "
                      "at most 825; never past 2049-12-31)")
    sign.add_argument("--out", metavar="DIR", help="folder for the files (default: the CSR's)")
    sign.add_argument("--name", metavar="NAME",
                      help="basename of the files (default: the CSR file's name)")
    sign.add_argument("--force", action="store_true", help="replace files that exist")
    sign.add_argument("--json", action="store_true", help="print one JSON document")


def run(args: argparse.Namespace) -> int:
    return _init(args) if args.ca_verb == "init" else _sign(args)


def _init(args: argparse.Namespace) -> int:
    from collabcert.jobs.ca import init_ca, write_ca

    result = init_ca(args.folder, name=args.name, key=args.key,
                     intermediate=args.intermediate, force=args.force)
    write_ca(result, force=args.force)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
        return 0
    from collabcert.ca import DEFAULT_KEY

    why = (" (the default: every product trusts an RSA CA; CUCM wants RSA certificates "
           "signed by RSA, seed-004 L63)" if not args.key or args.key == DEFAULT_KEY else "")
    lines = [f"Lab CA in {result.folder}", f"Key {result.to_json()['key']}{why}", ""]
    for planned in result.files:
        mode = " (mode 0600)" if planned.private else ""
        lines.append(f"  {planned.what:<28} {planned.path}{mode}")
    lines += ["", "Next steps"]
    lines += [f"  {n}. {step}" for n, step in enumerate(result.next_steps, 1)]
    print("\n".join(lines))
    return 0


def _sign(args: argparse.Namespace) -> int:
    from collabcert.ca import DEFAULT_DAYS, read_csr
    from collabcert.files import write_plan
    from collabcert.jobs.ca import SignRequest, sign_csr

    request = SignRequest(read_csr(args.csr), args.csr, Path(args.ca), role=args.role,
                          days=DEFAULT_DAYS if args.days is None else args.days,
                          out_dir=Path(args.out) if args.out else None, basename=args.name)
    result = sign_csr(request)
    write_plan(list(result.files), force=args.force, inputs=[args.csr])
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
        return 0
    data = result.to_json()
    lines = [
        f"Subject   {data['subject']}",
        f"Issuer    {data['issuer']}",
        f"SANs      {', '.join(result.sans) or '(none)'}",
        f"Role      {data['role'] or '(none: plain TLS certificate)'}",
        f"EKU       {', '.join(data['eku'])}",  # type: ignore[arg-type]
        f"Valid to  {result.certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC",
        f"SHA-256   {data['fingerprint']}",
        "",
        "Written",
    ]
    lines += [f"  {planned.what:<28} {planned.path}" for planned in result.files]
    if result.notes:
        lines += ["", "Notes"] + [f"  {note}" for note in result.notes]
    lines += ["", "Next steps"]
    lines += [f"  {n}. {step}" for n, step in enumerate(result.next_steps, 1)]
    print("\n".join(lines))
    return 0
