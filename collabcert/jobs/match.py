"""The match job: does a key (or CSR) belong to a certificate (or CSR)? Same public key?

`match_job(reference, other)` compares the key, CSR or certificate of `reference` with what
`other` holds (collabcert.match does the comparison of SubjectPublicKeyInfo DER) and returns a
MatchResult: the objects of both (collabcert.jobs.inspect.ItemView), whether they match, the
one sentence, the public key's SHA-256, and what to do next. Match writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from collabcert.files import PlannedFile
from collabcert.findings import Finding
from collabcert.jobs.inspect import ItemView, item_views
from collabcert.load import Loaded


@dataclass(frozen=True)
class MatchResult:
    items: tuple[ItemView, ...]  # the reference's objects, then the other's
    matches: bool
    message: str  # the one sentence both faces print
    spki_sha256: str  # of the reference's public key
    findings: tuple[Finding, ...]  # from reading
    next_steps: tuple[str, ...]
    planned: tuple[PlannedFile, ...] = ()
    blocked: str = "match only compares; nothing is written"
    compared: tuple[dict, ...] = ()  # collabcert.match.side_json of both sides

    def to_json(self) -> dict:
        """`match --json`: one document (match, both sides' files, fingerprints, key ids)."""
        reference, other = self.compared
        return {"match": self.matches, "message": self.message, "key_or_csr": reference,
                "cert": other, "findings": [f.to_json() for f in self.findings],
                "next_steps": list(self.next_steps)}


def match_job(reference: Loaded, other: Loaded) -> MatchResult:
    """Raises InputError when either side holds nothing with a public key."""
    from collabcert.match import match_files, side_json

    compared = match_files(reference, other)
    steps = () if compared.matches else (
        "Find the key that made this CSR or certificate (the node that generated the CSR, or "
        "another cluster peer), or make a new CSR with this key (collabcert csr ROLE "
        "--reuse-key KEY).",)
    return MatchResult(
        tuple(item_views([*reference.items, *other.items])), compared.matches, compared.message,
        compared.spki_sha256, tuple([*reference.findings, *other.findings]), steps,
        compared=(side_json(compared.reference, str(reference.source)),
                  side_json(compared.other, str(other.source))))
