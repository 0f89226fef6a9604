"""The PEM block scan is one linear pass (issue 11 item 14): BEGIN, then the first END or BEGIN
after it, never a backtrack over the rest of the text. Checked by counting the characters the
searches go over (pem.Scanner.scanned), not by timing; bench/bench_pem_scan.py has the times."""

from __future__ import annotations

import re

import pytest
from pki import issue, name, pem_of

from collabcert import pem
from collabcert.pem import BadBlock, PemBlock, Scanner

BEGIN = "-----BEGIN CERTIFICATE-----\n"
BODY = "MIIBszCCAVmgAwIBAgIUQw==\n"
# The scan before issue 11: a lazy body with a back-reference (quadratic on hostile text).
OLD_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 #_/-]{1,64})-----(.*?)-----END \1-----", re.DOTALL)

HOSTILE = {
    "begin lines without end": BEGIN * 20_000,
    "mismatched end labels": (BEGIN + BODY + "-----END X509 CRL-----\n") * 5_000,
    "begins then one end": BEGIN * 10_000 + BODY + "-----END CERTIFICATE-----\n",
    "ends without begin": "-----END CERTIFICATE-----\n" * 20_000,
    "alternating unclosed and closed": (BEGIN + BEGIN + BODY + "-----END CERTIFICATE-----\n")
    * 5_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_character_is_searched_at_most_twice(text: str) -> None:
    scanner = Scanner(text)
    list(scanner.blocks())
    assert scanner.scanned <= 2 * len(text)


@pytest.mark.parametrize("count", [100, 1_000, 10_000])
def test_work_grows_with_the_text_not_its_square(count: int) -> None:
    small, large = Scanner(BEGIN * count), Scanner(BEGIN * count * 10)
    list(small.blocks()), list(large.blocks())
    assert large.scanned <= 10 * small.scanned + 100


def test_same_blocks_as_the_old_scan_on_ordinary_text() -> None:
    cert = issue(name("Scan Test")).cert
    one = pem_of(cert).decode()
    text = (
        "junk before\r\n" + one + "text between\n" + one
        + "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
        + "AAAA\n-----END RSA PRIVATE KEY-----\n" + one.rstrip("\n") + one
        + "> " + one.replace("\n", "\n> ") + "tail"
    )
    new = [(label, body) for label, body, _end in Scanner(text).blocks()]
    old = [(m.group(1), m.group(2)) for m in OLD_BLOCK.finditer(text)]
    assert new == old
    blocks = pem.find_blocks(text)
    assert [type(b) for b in blocks] == [PemBlock] * 6
    assert [b.index for b in blocks] == [1, 2, 3, 4, 5, 6]


def test_an_unclosed_begin_does_not_swallow_the_next_block() -> None:
    """The old scan took `BEGIN ... BEGIN ... END` as one block with a broken body."""
    cert = issue(name("After The Unclosed One")).cert
    text = BEGIN + "no end here\n" + pem_of(cert).decode()
    (block,) = pem.find_blocks(text)
    assert isinstance(block, PemBlock) and block.index == 1


def test_a_mismatched_end_label_is_named_and_the_next_block_still_read() -> None:
    cert = issue(name("After The Bad One")).cert
    text = BEGIN + BODY + "-----END X509 CRL-----\n" + pem_of(cert).decode()
    bad, good = pem.find_blocks(text)
    assert isinstance(bad, BadBlock) and "END line names 'X509 CRL'" in bad.reason
    assert isinstance(good, PemBlock) and good.index == 2


def test_blocks_come_one_at_a_time() -> None:
    """A store is read block by block: the decoded bodies are never all held at once."""
    blocks = pem.iter_blocks(BEGIN + BODY + "-----END CERTIFICATE-----\n")
    assert not isinstance(blocks, list | tuple)
    assert isinstance(next(blocks), PemBlock)
