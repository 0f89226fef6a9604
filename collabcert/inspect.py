"""Inspect: the report of what was read, as text lines or a JSON document (no key material)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from collabcert.load import Item, ItemKind, Loaded
from collabcert.model import CertSummary, CsrSummary, colon_hex, describe_lines, summarize_item

_KIND_WORDS = {
    ItemKind.CERTIFICATE: "certificate",
    ItemKind.CSR: "certificate signing request (CSR)",
    ItemKind.PRIVATE_KEY: "private key",
    ItemKind.PUBLIC_KEY: "public key",
}


def item_title(item: Item) -> str:
    summary = summarize_item(item)
    where = item.encoding + (f", {item.form}" if item.form and item.form != item.encoding else "")
    if isinstance(summary, CertSummary):
        role = "CA certificate" if summary.is_ca else "certificate"
        if summary.self_signed:
            role = "root CA certificate" if summary.is_ca else "self-signed certificate"
        return f"{role} ({where}): {summary.subject_cn or summary.subject or '(no subject)'}"
    if isinstance(summary, CsrSummary):
        return f"CSR ({where}): {summary.subject_cn or summary.subject or '(no subject)'}"
    return f"{_KIND_WORDS[item.kind]} ({where}): {summary.key}"


def inspect_text(loaded: Sequence[Loaded], now: dt.datetime | None = None) -> str:
    lines: list[str] = []
    for source in loaded:
        count = len(source.items)
        lines.append(f"{source.source}: {count} object{'s' if count != 1 else ''}")
        for item in source.items:
            lines.append(f"  [{item.index}] {item_title(item)}")
            for label, value in describe_lines(summarize_item(item), now):
                lines.append(f"      {label}: {value}")
        for finding in source.findings:
            lines.append(f"  {finding.severity}: {finding.message}")
        lines.append("")
    return "\n".join(lines)


def item_json(item: Item) -> dict[str, Any]:
    summary = summarize_item(item).to_json()
    summary.update(kind=item.kind.value, encoding=item.encoding, index=item.index)
    if item.label:
        summary["friendly_name"] = item.label
    if "sha256" in summary and item.kind is ItemKind.CERTIFICATE:
        summary["sha256_colon"] = colon_hex(summary["sha256"])
    return summary


def inspect_json(loaded: Sequence[Loaded]) -> dict[str, Any]:
    return {
        "files": [
            {
                "source": source.source,
                "text_encoding": source.text_encoding,
                "items": [item_json(item) for item in source.items],
                "findings": [f.to_json() for f in source.findings],
            }
            for source in loaded
        ]
    }
