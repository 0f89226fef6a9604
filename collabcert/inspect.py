"""Inspect's report for the command line: the job's result (collabcert.jobs.inspect) as text
lines or a JSON document (never key material)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from collabcert.display import shown
from collabcert.jobs.inspect import InspectResult, ItemView, inspect_files, item_title, related
from collabcert.load import ItemKind, Loaded
from collabcert.model import colon_hex, describe_lines

__all__ = ["inspect_json", "inspect_text", "item_title", "result_json", "result_text"]


def result_text(result: InspectResult, now: dt.datetime | None = None) -> str:
    lines: list[str] = []
    views = iter(result.items)
    for source in result.files:
        count = len(source.items)
        lines.append(f"{shown(source.source)}: {count} object{'s' if count != 1 else ''}")
        for _ in source.items:
            view = next(views)
            lines.append(f"  [{view.index}] {shown(view.title)}")
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
    if result.next_steps:
        lines.append("Next steps")
        lines.extend(f"  {n}. {shown(step)}" for n, step in enumerate(result.next_steps, 1))
        lines.append("")
    return "\n".join(lines)


def item_json(view: ItemView) -> dict[str, Any]:
    summary = view.summary.to_json()
    summary.update(kind=view.kind, encoding=view.encoding, index=view.index)
    if view.label:
        summary["friendly_name"] = view.label
    if "sha256" in summary and view.item.kind is ItemKind.CERTIFICATE:
        summary["sha256_colon"] = colon_hex(summary["sha256"])
    return summary


def result_json(result: InspectResult) -> dict[str, Any]:
    views = iter(result.items)
    document: dict[str, Any] = {
        "files": [
            {
                "source": source.source,
                "text_encoding": source.text_encoding,
                "items": [item_json(next(views)) for _ in source.items],
                "findings": [f.to_json() for f in source.findings],
            }
            for source in result.files
        ]
    }
    document["paths"] = [[c.sha256 for c in path.certificates] for path in result.paths
                         if len(path.certificates) > 1]
    document["next_steps"] = list(result.next_steps)
    return document


def inspect_text(loaded: Sequence[Loaded], now: dt.datetime | None = None) -> str:
    return result_text(inspect_files(loaded, at=now), now)


def inspect_json(loaded: Sequence[Loaded]) -> dict[str, Any]:
    return result_json(inspect_files(loaded))
