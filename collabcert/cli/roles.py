"""`collabcert roles [--json]`: the role IDs, titles and fields that `csr` takes."""

from __future__ import annotations

import argparse

HELP = "list the certificate roles (IDs, titles and fields) that `collabcert csr` takes"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def run(args: argparse.Namespace) -> int:
    from collabcert import roles

    catalogue = roles.catalogue()
    if args.json:
        from collabcert.display import json_text

        print(json_text({"roles": [role_json(r) for r in catalogue]}, indent=2, ensure_ascii=True))
        return 0
    print("\n\n".join(role_text(r) for r in catalogue))
    print("\nEvery role also takes o, ou, l, st, c (subject) and name (file basename). "
          "Required fields are marked *.")
    return 0


def role_json(role) -> dict:
    return {
        "id": role.id,
        "product": role.product,
        "product_label": role.product_label,
        "title": role.title,
        "when": role.when,
        "fields": [
            {
                "name": f.name,
                "label": f.label,
                "help": f.help,
                "required": f.required,
                "list": f.is_list,
                "group": f.group,
                "choices": list(f.choices),
                "default": f.default,
                "depends_on": f.depends_on or None,
            }
            for f in role.fields
        ],
        "cn": f"always {role.fixed_cn}" if role.fixed_cn else " or ".join(role.cn_from),
        "key_types": list(role.key_types),
        "default_key": role.default_key,
        "digests": list(role.digests),
        "default_digest": role.default_digest,
        "key_usage": list(role.key_usage),
        "eku": list(role.eku),
        "basename": role.basename,
        "multi_server": role.multi_server,
        "certificate_purpose": role.cucm_type or None,
    }


def role_text(role) -> str:
    own = ", ".join(f.name + ("*" if f.required else "") for f in role.role_fields) or "(none)"
    lines = [
        f"{role.id:<24} {role.product_label:<22} {role.title}",
        f"    {role.when}",
        f"    fields: {own}",
        f"    key: {role.default_key} (offered: {', '.join(role.key_types)}); "
        f"digest: {role.default_digest}",
    ]
    if role.fixed_cn:
        lines.append(f"    CN: always {role.fixed_cn}")
    if role.multi_server is not None:
        lines.append(f"    multi-server: {'yes' if role.multi_server else 'no'}")
    return "\n".join(lines)
