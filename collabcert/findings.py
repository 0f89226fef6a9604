"""Findings: what the engine has to say about a file, a chain or a plan.

The same value is used by the reader (blocks it could not read), the role plan (warnings) and lint.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    id: str
    severity: Severity
    message: str
    fix: str = ""
    cite: str = ""
    where: str = ""  # file name, block number or field the finding is about

    def to_json(self) -> dict[str, str]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
