"""Inspect's report for the command line: the job's result (collabcert.jobs.inspect) as text
lines or a JSON document (never key material)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from collabcert.display import shown
from collabcert.jobs.inspect import (
    InspectResult,
    ItemView,
    inspect_files,
    item_title,
    place,
    related,
    same_name_row,
)
from collabcert.load import ItemKind, Loaded
from collabcert.model import colon_hex, describe_lines

__all__ = ["inspect_json", "inspect_text", "item_title", "result_json", "result_text"]


def result_text(result: InspectResult, now: dt.datetime | None = None) -> str:
    now = now or result.at
    lines: list[str] = []
    views = iter(result.items)
    for source in result.files:
        count = len(source.items)
        lines.append(f"{shown(source.source)}: {count} object{'s' if count != 1 else ''}")
        for _ in source.items:
            view = next(views)
            expiry = result.expiry(view)
            suffix = f"  ({expiry})" if expiry else ""
            lines.append(f"  [{view.index}] {shown(view.title)}{suffix}")
            for label, value in describe_lines(view.summary, now):
                lines.append(f"      {label}: {value}")
        for finding in source.findings:
            lines.append(f"  {finding.severity}: {shown(finding.message)}")
        lines.append("")
    if related(result.paths):
        lines.append("Certification path (root at the top)")
        for path in result.paths:
            if len(path.certificates) < 2:
                continue
            if not path.top_is_root:
                lines.append(f"  (not in the input: {shown(path.missing_issuer)})")
            for depth, summary in enumerate(path.certificates):
                name = summary.subject_cn or summary.subject or "(no subject)"
                lines.append(f"  {'  ' * depth}{shown(name)}")
        lines.append("")
    lines += triage_lines(result)
    if result.next_steps:
        lines.append("Next steps")
        lines.extend(f"  {n}. {shown(step)}" for n, step in enumerate(result.next_steps, 1))
        lines.append("")
    return "\n".join(lines)


def triage_lines(result: InspectResult) -> list[str]:
    """What the TUI's Inspect shows beside the objects (issue 12 item 7): the chains found,
    leaf first; which key belongs to which certificate and CSR; same-name pairs."""
    certificates = [v for v in result.items if v.item.kind is ItemKind.CERTIFICATE]
    lines: list[str] = []
    if certificates:
        lines.append("Chains found (leaf first)")
        lines += [f"  {result.chain_text(p)}" for p in result.chains] or [
            "  no chain: no certificate given was issued by another one given"]
        lines.append("")
    if result.pairs:
        lines.append("Keys and what they belong to (public-key match)")
        lines += [f"  {pair.text()}" for pair in result.pairs]
        lines.append("")
    if result.same_names:
        lines.append("Same name, different key (a renewal or a decoy; check which is which)")
        for group in result.same_names:
            lines.append(f"  {group.subject}")
            lines += [f"    {place(v)} {same_name_row(v, result.at)}" for v in group.views]
        lines.append("")
    return lines


def item_json(view: ItemView) -> dict[str, Any]:
    summary = view.summary.to_json()
    summary.update(kind=view.kind, encoding=view.encoding, index=view.index)
    if view.label:
        summary["friendly_name"] = view.label
    if "sha256" in summary and view.item.kind is ItemKind.CERTIFICATE:
        summary["sha256_colon"] = colon_hex(summary["sha256"])
    return summary


def result_json(result: InspectResult, *, lazy: bool = False) -> dict[str, Any]:
    """The JSON document. `lazy`: each file's items are an iterator, made one by one as the
    document is written (cli/common.print_json), so a 50,000-certificate store never holds
    every item's dict at once (issue 11 item 14)."""
    views = iter(result.items)

    def items(count: int) -> Any:
        made = (item_json(next(views)) for _ in range(count))
        return made if lazy else list(made)

    document: dict[str, Any] = {
        "files": [
            {
                "source": source.source,
                "text_encoding": source.text_encoding,
                "items": items(len(source.items)),
                "findings": [f.to_json() for f in source.findings],
            }
            for source in result.files
        ]
    }
    document["paths"] = [[c.sha256 for c in path.certificates] for path in result.paths
                         if len(path.certificates) > 1]
    document["key_pairs"] = [
        {"key": {"source": p.key.source, "index": p.key.index},
         "matches": [{"source": v.source, "index": v.index, "kind": v.kind} for v in p.matches]}
        for p in result.pairs if p.key is not None]
    document["same_name_different_key"] = [
        {"subject": g.subject, "certificates": [
            {"source": v.source, "index": v.index, "kind": v.kind, "sha256": v.summary.sha256,
             "spki_sha256": v.summary.spki_sha256, "serial": getattr(v.summary, "serial", ""),
             "expiry": result.expiry(v)} for v in g.views]} for g in result.same_names]
    document["next_steps"] = list(result.next_steps)
    return document


def inspect_text(loaded: Sequence[Loaded], now: dt.datetime | None = None) -> str:
    return result_text(inspect_files(loaded, at=now), now)


def inspect_json(loaded: Sequence[Loaded]) -> dict[str, Any]:
    return result_json(inspect_files(loaded))
