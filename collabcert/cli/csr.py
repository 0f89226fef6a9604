"""`collabcert csr ROLE`: write a private key (0600) and a CSR whose CN and SANs follow the role.

Prints the SAN preview, the on-box equivalent and the next steps. Every refusal (exit 2) happens
before anything is written, so the output folder is left untouched.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "make a private key and a CSR for a role (see `collabcert roles`)"

KEY_CHOICES = "rsa:2048|rsa:3072|rsa:4096|ec:p256|ec:p384|ec:p521"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("role", metavar="ROLE", nargs="?",
                        help="role id, for example expressway-e (default: the --answers file's)")
    parser.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                        help="answer one field; list values are comma separated; repeatable")
    parser.add_argument("--answers", metavar="FILE.toml",
                        help="answers saved earlier; --field values override them")
    parser.add_argument("--key", metavar="TYPE", help=f"key type: {KEY_CHOICES}")
    parser.add_argument("--digest", metavar="HASH", help="sha256 (default), sha384 or sha512")
    parser.add_argument("--out", metavar="DIR", default=".",
                        help="folder for <name>.key and <name>.csr, made if it is not there "
                        "(default: here)")
    parser.add_argument("--force", action="store_true", help="replace files that exist")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--reuse-key", metavar="KEY_FILE",
                        help="sign the CSR with this existing key instead of a new one")
    parser.add_argument("--password-file", metavar="F",
                        help="password of the --reuse-key file, if it is encrypted")
    parser.add_argument("--key-passphrase-file", metavar="F",
                        help="write the new key encrypted with this passphrase (Expressway and "
                        "Meeting Server need it unlocked for upload)")
    parser.add_argument("--save-answers", metavar="FILE.toml",
                        help="also save the answers to replay them with --answers")


def run(args: argparse.Namespace) -> int:
    from collabcert import answers as answers_file
    from collabcert import csr, roles
    from collabcert.cli.common import out_folder, read_password_file
    from collabcert.errors import InputError
    from collabcert.jobs.csr import review_csr, write_csr
    from collabcert.keys import check_passphrase, parse_key_spec

    role = roles.get_role(args.role) if args.role else None
    saved = answers_file.load(args.answers) if args.answers else answers_file.Answers()
    role = role or roles.get_role(role_of(saved, args.answers))
    cli_fields = parse_fields(role, args.field)
    if saved.role and saved.role != role.id:
        raise InputError(f"{args.answers}: the answers are for role {saved.role}, not {role.id}; "
                         f"run collabcert csr {saved.role} --answers {args.answers}")
    answers = answers_file.merged(saved.fields, cli_fields)

    key_text = args.key or saved.key or None
    reused = None
    if args.reuse_key:
        reused = csr.load_reuse_key(args.reuse_key, read_password_file(args.password_file))
        reused_spec = csr.reused_key_spec(reused)
        if args.key and str(parse_key_spec(args.key)) != str(reused_spec):
            raise InputError(f"--key {args.key} does not match the key of --reuse-key "
                             f"({reused_spec}); drop --key")
        key_text = str(reused_spec)
    elif args.password_file:
        raise InputError("--password-file is for reading the --reuse-key file; give --reuse-key "
                         "or drop --password-file")
    plan = roles.plan(role, answers, key=key_text, digest=args.digest or saved.digest or None)
    passphrase = None
    if args.key_passphrase_file:
        passphrase = read_password_file(args.key_passphrase_file)
        if not passphrase:
            raise InputError(f"{args.key_passphrase_file}: the passphrase file is empty")
        check_passphrase(passphrase, args.key_passphrase_file)

    out_folder(args.out, one_file_option=False)  # a FILE named by --out: one line
    review = review_csr(plan, args.out, reuse_key=reused, key_source=args.reuse_key,
                        encrypt=bool(passphrase), make_folder=True)
    if review.blocked:
        raise InputError(review.blocked)
    # the saved answers are part of the one plan: key, CSR and answers land together or not at all
    also = [answers_file.planned_file(plan, args.save_answers)] if args.save_answers else []
    read = [args.reuse_key, args.password_file, args.key_passphrase_file, args.answers]
    result = write_csr(review, passphrase=passphrase, force=args.force,
                       inputs=[name for name in read if name], also=also)
    answers_path = Path(args.save_answers) if args.save_answers else None
    if args.json:
        print(json.dumps(outcome_json(result, answers_path), indent=2))
    else:
        print(outcome_text(result, answers_path))
    return 0


def role_of(saved, answers_name: str | None) -> str:
    """The role when ROLE is not given: the answers file's (what --save-answers wrote)."""
    from collabcert.errors import InputError

    if saved.role:
        return saved.role
    if answers_name:
        raise InputError(f"{answers_name}: holds no role; give it: collabcert csr ROLE "
                         f"--answers {answers_name} (collabcert roles lists them)")
    raise InputError("give the ROLE (collabcert roles lists them), or --answers FILE saved "
                     "earlier with --save-answers")


def parse_fields(role, items: list[str]) -> dict[str, str]:
    """`NAME=VALUE` items; a list field given twice gets both values (comma joined)."""
    from collabcert.errors import InputError
    from collabcert.roles import normalize_field_name

    fields: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--field {item!r} has no NAME=VALUE form; write for example "
                             "--field fqdn=expe.example.com")
        name = normalize_field_name(name)
        spec = role.field(name)
        if name in fields and spec is not None and spec.is_list and value.strip():
            fields[name] = f"{fields[name]},{value}" if fields[name].strip() else value
        else:
            fields[name] = value
    return fields


def _mode(path: Path) -> str:
    try:
        return oct(path.stat().st_mode & 0o777)[2:]
    except OSError:
        return "?"


def outcome_json(result, answers_path: Path | None) -> dict:
    """`result` is the csr job's CsrResult."""
    outcome, box = result.outcome, result.onbox
    plan = outcome.plan
    return {
        "role": plan.role.id,
        "cn": plan.cn,
        "sans": list(plan.sans),
        "san_preview": plan.san_preview,
        "subject": {k: v for k, v in plan.subject},
        "subject_text": plan.subject_text,
        "key": {"type": str(plan.key_spec), "label": outcome.key_label,
                "reused": outcome.key_reused, "encrypted": outcome.key_encrypted},
        "digest": plan.digest,
        "key_usage": list(plan.role.usage_for(plan.key_spec)),
        "eku": list(plan.role.eku),
        "files": [str(p) for p in outcome.written],
        "key_file": str(outcome.key_path),
        "csr_file": str(outcome.csr_path),
        "answers_file": str(answers_path) if answers_path else None,
        "findings": [f.to_json() for f in outcome.findings],
        "onbox": {"kind": box.kind, "command": box.command, "config": box.config,
                  "fields": [list(row) for row in box.fields], "text": box.text},
        "next_steps": list(result.next_steps),
    }


def outcome_text(result, answers_path: Path | None) -> str:
    """`result` is the csr job's CsrResult."""
    from collabcert.report import finding_lines
    outcome, box = result.outcome, result.onbox
    plan = outcome.plan
    key_how = "reused" if outcome.key_reused else "new"
    locked = ", encrypted" if outcome.key_encrypted else ""
    key_line = f"{outcome.key_label} ({key_how}{locked})"
    if outcome.key_path in outcome.written:
        key_line += f" -> {outcome.key_path} (mode {_mode(outcome.key_path)})"
    else:
        key_line += f", kept in {outcome.key_path}"
    lines = [
        f"Role     {plan.role.id}: {plan.role.title}",
        f"Subject  {plan.subject_text}",
        f"SANs     {plan.san_preview or '(none)'}",
        f"Key      {key_line}",
        f"CSR      {plan.digest.upper()} -> {outcome.csr_path}",
    ]
    if box.kind == "cucm":
        lines.append("         (key and CSR for a lab or to check the profile only: CUCM and IM "
                     "and Presence take no private key upload)")
    if answers_path:
        lines.append(f"Answers  {answers_path}")
    if outcome.findings:
        lines += ["", "Findings"]
        lines += [f"  {line}" for line in finding_lines(outcome.findings, lower=True)]
    if box.kind == "cucm":
        # CUCM / IM&P: the node makes its own key; the files above are for a lab or a profile
        # check (seed-004 CU-LOCAL-KEY), so the on-node plan is the main path
        lines += ["", "On the node (the main path: the certificate must be for a CSR the node "
                  "generates, seed-004 CU-LOCAL-KEY)"]
    else:
        lines += ["", "On-box equivalent"]
    lines.extend(f"  {line}" if line else "" for line in box.text.splitlines())
    lines += ["", "Next steps"]
    lines.extend(f"  {i}. {step}" for i, step in enumerate(result.next_steps, 1))
    return "\n".join(lines)

