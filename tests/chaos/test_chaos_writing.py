"""Safe writing under attack and bad luck (issue 11), each a real `collabcert` process on real
files: a symlink swapped in for a temp file, concurrent runs into one folder, an output that is
an input, SIGINT/SIGTERM/SIGHUP in the middle of a batch, and `kill -9` leaving temp files."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
from chaos_support import (
    TEMP,
    finish,
    spawn,
    state,
    temps,
    wait_until_paused,
)
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pki import pem_of

INTERRUPTED = "collabcert: error: interrupted; nothing was changed"
E_ARGS = ["--field", "fqdn=expe.example.com", "--field", "ucm-domains=example.com",
          "--field", "xmpp-domains=example.com", "--key", "ec:p256"]
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
BATCH = 40  # more than collabcert.files._BATCH: the one-flush path


def _inputs(folder: Path, pki, count: int = BATCH) -> list[str]:
    folder.mkdir()
    names = []
    for number in range(count):
        path = folder / f"c{number}.pem"
        path.write_bytes(pem_of(pki.leaf.cert))
        names.append(str(path))
    return names


# --- item 1: modes are set on the descriptor, never through a name ---------------------------


def test_a_symlink_swapped_in_for_a_temp_file_never_changes_its_victim(tmp_path, chaos_pki):
    victim = tmp_path / "victim.key"
    victim.write_bytes(b"someone else's key")
    victim.chmod(0o600)
    big = tmp_path / "many.pem"
    big.write_bytes(pem_of(*[chaos_pki.leaf.cert] * 300))
    out = tmp_path / "out"
    out.mkdir()
    running = threading.Event()
    running.set()

    def swap() -> None:  # the attacker: every temp file of ours becomes a link to the victim
        while running.is_set():
            for entry in os.scandir(out):
                if TEMP.match(entry.name) and not entry.is_symlink():
                    try:
                        os.unlink(entry.path)
                        os.symlink(victim, entry.path)
                    except OSError:
                        pass

    attacker = threading.Thread(target=swap)
    attacker.start()
    try:
        for _run in range(3):  # more chances for the attacker; any one hit used to be enough
            code, _, err = finish(spawn("convert", str(big), "--to", "der", "--out", str(out),
                                        "--force"))
            assert code in (0, 2), err
            assert "Traceback" not in err
    finally:
        running.clear()
        attacker.join()
    assert victim.read_bytes() == b"someone else's key"
    assert victim.stat().st_mode & 0o777 == 0o600  # whatever the interleaving


# --- item 3: no-replace placement -------------------------------------------------------------


def test_concurrent_csr_runs_into_one_folder_never_both_succeed(tmp_path):
    pairs = []
    for number in range(20):
        out = tmp_path / f"run{number}"
        out.mkdir()
        pairs.append((out, [spawn("csr", "expressway-e", *E_ARGS, "--out", str(out))
                            for _ in range(2)]))
    for out, children in pairs:
        results = [finish(child) for child in children]
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 2], [err for _, _, err in results]
        loser = next(err for code, _, err in results if code == 2)
        assert loser.count("\n") == 1 and loser.startswith("collabcert: error: ")
        assert sorted(p.name for p in out.iterdir()) == ["expressway-e.csr", "expressway-e.key"]
        key = serialization.load_pem_private_key((out / "expressway-e.key").read_bytes(), None)
        request = x509.load_pem_x509_csr((out / "expressway-e.csr").read_bytes())
        assert request.public_key() == key.public_key()  # the key and its own CSR, never mixed


# --- item 4: an output that is an input -------------------------------------------------------


def test_an_output_that_is_an_input_is_refused_in_a_real_run(tmp_path, chaos_pki):
    (tmp_path / "pw.txt").write_bytes(b"pw\n")
    (tmp_path / "leaf.key").write_bytes(chaos_pki.leaf.key_pem)
    (tmp_path / "chain.pem").write_bytes(pem_of(*chaos_pki.chain))
    code, _, err = finish(spawn("convert", str(tmp_path / "chain.pem"), "--key",
                                str(tmp_path / "leaf.key"), "--to", "p12", "-o",
                                str(tmp_path / "k.p12"), "--password-file",
                                str(tmp_path / "pw.txt")))
    assert code == 0, err
    before = state(tmp_path)
    runs = [
        ("convert", str(tmp_path / "k.p12"), "--to", "p7b", "-o", str(tmp_path / "k.p12"),
         "--force", "--password-file", str(tmp_path / "pw.txt")),
        ("bundle", str(tmp_path / "chain.pem"), "--target", "fullchain", "-o",
         str(tmp_path / "chain.pem"), "--force"),
        ("convert", str(tmp_path / "chain.pem"), "--to", "pem", "-o", str(tmp_path / "leaf.key"),
         "--key", str(tmp_path / "leaf.key"), "--force"),
    ]
    for argv in runs:
        code, _, err = finish(spawn(*argv))
        assert code == 2 and err.count("\n") == 1 and "is one of the inputs" in err, err
    assert state(tmp_path) == before


# --- item 5: interrupts roll the whole plan back ----------------------------------------------


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
@pytest.mark.parametrize("step", [1, BATCH, BATCH + 1, 2 * BATCH - 1])
def test_a_signal_during_a_batch_convert_leaves_the_old_files(tmp_path, chaos_pki, sig, step):
    names = _inputs(tmp_path / "in", chaos_pki)
    out = tmp_path / "out"
    out.mkdir()
    for number in range(0, BATCH, 2):  # half the outputs are there already, with their modes
        old = out / f"c{number}.der"
        old.write_bytes(f"old {number}".encode())
        old.chmod(0o640 if number % 4 else 0o604)
    before = state(out)
    child = spawn("convert", *names, "--to", "der", "--out", str(out), "--force", pause=step)
    wait_until_paused(child)
    child.send_signal(sig)
    code, _, err = finish(child)
    assert code == 2 and err.strip().splitlines()[-1] == INTERRUPTED, err
    assert state(out) == before
    assert temps(out) == []


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
@pytest.mark.parametrize("step", [1, 2, 3, 4])  # stage key, stage CSR, place key, place CSR
def test_a_signal_during_csr_force_keeps_the_old_key_and_csr(tmp_path, sig, step):
    code, _, err = finish(spawn("csr", "expressway-e", *E_ARGS, "--out", str(tmp_path)))
    assert code == 0, err
    (tmp_path / "expressway-e.key").chmod(0o640)  # the old files' own modes come back too
    (tmp_path / "expressway-e.csr").chmod(0o604)
    before = state(tmp_path)
    child = spawn("csr", "expressway-e", *E_ARGS, "--out", str(tmp_path), "--force",
                  pause=step)
    wait_until_paused(child)
    child.send_signal(sig)
    code, _, err = finish(child)
    assert code == 2 and err.strip().splitlines()[-1] == INTERRUPTED, err
    assert state(tmp_path) == before
    assert temps(tmp_path) == []


def test_without_a_signal_the_paused_write_is_whole_afterwards(tmp_path, chaos_pki):
    # The control: the same batch, not interrupted, lands whole (so the old state above is
    # the rollback's doing, not a write that never happened).
    names = _inputs(tmp_path / "in", chaos_pki)
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = finish(spawn("convert", *names, "--to", "der", "--out", str(out)))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == sorted(f"c{n}.der" for n in range(BATCH))


# --- item 5: kill -9, then the next write cleans up -------------------------------------------


def test_kill_9_leaves_temps_that_the_next_write_removes(tmp_path, chaos_pki):
    names = _inputs(tmp_path / "in", chaos_pki)
    out = tmp_path / "out"
    out.mkdir()
    child = spawn("convert", *names, "--to", "der", "--out", str(out), pause=BATCH)
    wait_until_paused(child)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    assert len(temps(out)) == BATCH  # what a killed writer leaves
    code, _, err = finish(spawn("convert", names[0], "--to", "pem", "--out", str(out)))
    assert code == 0, err
    assert temps(out) == []
    assert sorted(p.name for p in out.iterdir()) == ["c0.pem"]


def test_kill_9_during_csr_force_leaves_no_key_copy_after_the_next_run(tmp_path):
    code, _, err = finish(spawn("csr", "expressway-e", *E_ARGS, "--out", str(tmp_path)))
    assert code == 0, err
    child = spawn("csr", "expressway-e", *E_ARGS, "--out", str(tmp_path), "--force", pause=3)
    wait_until_paused(child)  # the new key is in place; the old one is kept under a temp name
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    assert temps(tmp_path)  # the old key's copy and the new CSR's temp file
    code, _, err = finish(spawn("csr", "expressway-e", *E_ARGS, "--out", str(tmp_path),
                                "--force"))
    assert code == 0, err
    assert temps(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expressway-e.csr", "expressway-e.key"]


def test_a_live_writers_temps_are_left_alone(tmp_path, chaos_pki):
    # A paused (live) writer's temp files are not stale: a second write into the folder keeps
    # them, and the first writer, interrupted, still removes its own.
    names = _inputs(tmp_path / "in", chaos_pki)
    out = tmp_path / "out"
    out.mkdir()
    child = spawn("convert", *names, "--to", "der", "--out", str(out), pause=BATCH)
    wait_until_paused(child)
    code, _, err = finish(spawn("convert", names[0], "--to", "pem", "--out", str(out)))
    assert code == 0, err
    assert len(temps(out)) == BATCH
    child.send_signal(signal.SIGTERM)
    code, _, err = finish(child)
    assert code == 2 and INTERRUPTED in err
    assert temps(out) == []
