"""Safe writing: atomic, 0600 keys, no surprise overwrite, nothing left behind on failure."""

from __future__ import annotations

import os

import pytest
from pki import make_pki, mode_of, pem_of

from collabcert.errors import WriteRefused
from collabcert.files import PlannedFile, existing_targets, write_file, write_plan


@pytest.fixture(scope="module")
def pki():
    return make_pki("ec")


def test_key_is_0600_and_cert_0644(tmp_path, pki) -> None:
    old = os.umask(0)
    try:
        key = write_file(tmp_path / "a.key", pki.leaf.key_pem, private=True)
        cert = write_file(tmp_path / "a.pem", pki.leaf.pem)
    finally:
        os.umask(old)
    assert (mode_of(key), mode_of(cert)) == (0o600, 0o644)
    assert key.read_bytes() == pki.leaf.key_pem


def test_existing_file_is_kept_without_force(tmp_path, pki) -> None:
    target = tmp_path / "a.pem"
    target.write_bytes(b"mine")
    with pytest.raises(WriteRefused, match="already exists; use --force"):
        write_file(target, pki.leaf.pem)
    assert target.read_bytes() == b"mine"
    write_file(target, pki.leaf.pem, force=True)
    assert target.read_bytes() == pki.leaf.pem


def test_a_refused_plan_writes_nothing(tmp_path, pki) -> None:
    (tmp_path / "b.pem").write_bytes(b"mine")
    plan = [PlannedFile(tmp_path / "a.pem", pki.leaf.pem),
            PlannedFile(tmp_path / "b.pem", pki.root.pem)]
    assert existing_targets(plan) == [tmp_path / "b.pem"]
    with pytest.raises(WriteRefused):
        write_plan(plan)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.pem"]


def test_reread_count_mismatch_rolls_back(tmp_path, pki) -> None:
    (tmp_path / "b.pem").write_bytes(b"old content")
    plan = [PlannedFile(tmp_path / "a.pem", pki.leaf.pem, certificates=1),
            PlannedFile(tmp_path / "b.pem", pem_of(pki.leaf.cert), certificates=2)]
    with pytest.raises(WriteRefused, match="read back 1 certificates, expected 2"):
        write_plan(plan, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.pem"]
    assert (tmp_path / "b.pem").read_bytes() == b"old content"


def test_missing_or_unwritable_folder(tmp_path, pki) -> None:
    with pytest.raises(WriteRefused, match="does not exist"):
        write_file(tmp_path / "nope" / "a.pem", pki.leaf.pem)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.geteuid() == 0:
            pytest.skip("root can write anywhere")
        with pytest.raises(WriteRefused, match="not writable"):
            write_file(locked / "a.pem", pki.leaf.pem)
    finally:
        locked.chmod(0o700)


def test_no_temp_files_left(tmp_path, pki) -> None:
    write_file(tmp_path / "a.pem", pki.leaf.pem)
    assert [p.name for p in tmp_path.iterdir()] == ["a.pem"]


def test_same_target_twice_is_refused(tmp_path, pki) -> None:
    plan = [PlannedFile(tmp_path / "a.pem", pki.leaf.pem),
            PlannedFile(tmp_path / "a.pem", pki.root.pem)]
    with pytest.raises(WriteRefused, match="same name"):
        write_plan(plan)


def test_a_folder_the_system_refuses_gives_one_sentence(pki) -> None:
    # Works as root too: /proc accepts no new files whatever the permissions say.
    from pathlib import Path

    with pytest.raises(WriteRefused, match=r"^/proc/out.pem: could not write \(.*\); choose"):
        write_file(Path("/proc/out.pem"), pki.leaf.pem)


def test_a_large_batch_is_all_or_nothing(tmp_path, pki) -> None:
    # More than the batch size takes the one-flush path; a bad last file undoes all of them.
    plan = [PlannedFile(tmp_path / f"c{n}.pem", pki.leaf.pem, certificates=1) for n in range(20)]
    plan.append(PlannedFile(tmp_path / "bad.pem", pki.leaf.pem, certificates=2))
    with pytest.raises(WriteRefused, match="bad.pem"):
        write_plan(plan)
    assert list(tmp_path.iterdir()) == []
    write_plan(plan[:-1])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"c{n}.pem" for n in range(20))


def test_progress_is_reported_for_staging_and_reading_back(tmp_path, pki) -> None:
    seen: list[tuple[int, int]] = []
    plan = [PlannedFile(tmp_path / f"c{n}.pem", pki.leaf.pem, certificates=1) for n in range(3)]
    write_plan(plan, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 6) for n in range(1, 7)]
