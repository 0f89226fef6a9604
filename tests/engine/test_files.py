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
    # Under the usual umask 022 (public files follow the umask since issue 11: 0666 & ~umask).
    old = os.umask(0o022)
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


# --- issue 11: modes, no-replace placement, inputs, rollback, interrupts, stale temps --------


def _with_umask(mask: int, write):
    old = os.umask(mask)
    try:
        return write()
    finally:
        os.umask(old)


def test_public_files_follow_the_umask_and_keys_stay_0600(tmp_path, pki) -> None:
    for mask, public in ((0o077, 0o600), (0o027, 0o640), (0o002, 0o664)):
        folder = tmp_path / oct(mask)
        folder.mkdir()
        cert = _with_umask(mask, lambda f=folder: write_file(f / "a.pem", pki.leaf.pem))
        key = _with_umask(mask, lambda f=folder: write_file(f / "a.key", pki.leaf.key_pem,
                                                              private=True))
        assert (mode_of(cert), mode_of(key)) == (public, 0o600)
    # a umask that takes the owner's own bits does not make a key unreadable to its owner
    key = _with_umask(0o277, lambda: write_file(tmp_path / "b.key", pki.leaf.key_pem,
                                                 private=True))
    assert mode_of(key) == 0o600


def test_rollback_restores_the_old_files_mode_and_content(tmp_path, pki) -> None:
    old_key = tmp_path / "a.key"
    old_key.write_bytes(b"old key")
    old_key.chmod(0o640)
    public = tmp_path / "a.pem"
    public.write_bytes(b"old cert")
    public.chmod(0o604)
    plan = [PlannedFile(old_key, pki.leaf.key_pem, private=True),
            PlannedFile(public, pki.leaf.pem, certificates=5)]  # read back: 1, not 5
    with pytest.raises(WriteRefused, match="expected 5"):
        write_plan(plan, force=True)
    assert (old_key.read_bytes(), mode_of(old_key)) == (b"old key", 0o640)
    assert (public.read_bytes(), mode_of(public)) == (b"old cert", 0o604)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.key", "a.pem"]


def test_a_file_that_appears_meanwhile_is_never_replaced(tmp_path, pki) -> None:
    # The second target appears after the checks (another run): the plan lands not at all.
    key, csr = tmp_path / "a.key", tmp_path / "a.csr"

    def someone_else(done: int, _total: int) -> None:
        if done == 2:
            csr.write_bytes(b"theirs")

    plan = [PlannedFile(key, pki.leaf.key_pem, private=True), PlannedFile(csr, pki.leaf.pem)]
    with pytest.raises(WriteRefused, match="a.csr: appeared while writing"):
        write_plan(plan, progress=someone_else)
    assert csr.read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csr"]  # no lone key, no temp


def test_no_replace_works_without_renameat2(tmp_path, pki, monkeypatch) -> None:
    from collabcert import files

    monkeypatch.setattr(files, "_renameat2", None)  # the link(2) path
    target = tmp_path / "a.pem"
    write_file(target, pki.leaf.pem)
    assert target.read_bytes() == pki.leaf.pem
    assert [p.name for p in tmp_path.iterdir()] == ["a.pem"]

    def appear(done: int, _total: int) -> None:
        (tmp_path / "b.pem").write_bytes(b"theirs")

    with pytest.raises(WriteRefused, match="appeared while writing"):
        write_plan([PlannedFile(tmp_path / "b.pem", pki.leaf.pem)], progress=appear)
    assert (tmp_path / "b.pem").read_bytes() == b"theirs"


def test_an_output_that_is_an_input_is_refused_even_with_force(tmp_path, pki) -> None:
    source = tmp_path / "k.p12"
    source.write_bytes(b"the only copy")
    (tmp_path / "hard.p12").hardlink_to(source)
    (tmp_path / "soft.p12").symlink_to(source)
    for name in ("k.p12", "hard.p12", "soft.p12"):
        with pytest.raises(WriteRefused, match="is one of the inputs"):
            write_plan([PlannedFile(tmp_path / name, pki.leaf.pem)], force=True,
                       inputs=[str(source), "-"])
    assert source.read_bytes() == b"the only copy"
    write_plan([PlannedFile(tmp_path / "other.pem", pki.leaf.pem)], inputs=[source])


def test_a_signal_during_the_write_rolls_the_whole_plan_back(tmp_path, pki) -> None:
    import signal

    from collabcert.errors import Interrupted

    old = tmp_path / "c0.pem"
    old.write_bytes(b"old")
    old.chmod(0o640)
    plan = [PlannedFile(tmp_path / f"c{n}.pem", pki.leaf.pem) for n in range(12)]
    before = signal.getsignal(signal.SIGTERM)

    def hang_up(done: int, _total: int) -> None:
        if done == 5:
            signal.raise_signal(signal.SIGHUP)  # held: acted on after this file

    with pytest.raises(Interrupted, match="^interrupted; nothing was changed$"):
        write_plan(plan, force=True, progress=hang_up)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c0.pem"]
    assert (old.read_bytes(), mode_of(old)) == (b"old", 0o640)
    assert signal.getsignal(signal.SIGTERM) is before  # handlers are put back


def test_stale_temps_of_a_dead_writer_are_removed_at_the_next_write(tmp_path, pki) -> None:
    from collabcert.files import remove_stale_temps

    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)  # a writer that is gone
    stale = tmp_path / f".a.key.{pid}.0123456789ab.tmp"
    live = tmp_path / f".b.key.{os.getpid()}.0123456789ab.tmp"  # ours, being written
    other = tmp_path / f".c.key.{pid}.0123.tmp"  # not our exact pattern
    young = tmp_path / f".d.key.{pid}.0123456789ab.tmp"  # newer than this process
    for path in (stale, live, other, young):
        path.write_bytes(b"key copy")
    for path in (stale, live, other):
        os.utime(path, (1_000_000, 1_000_000))
    write_file(tmp_path / "new.pem", pki.leaf.pem)
    assert not stale.exists()
    assert live.exists() and other.exists() and young.exists()
    assert remove_stale_temps(tmp_path) == []


def test_temp_names_fit_a_long_target_name(tmp_path, pki) -> None:
    target = tmp_path / ("n" * 250)
    write_file(target, pki.leaf.pem)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_name_too_long_is_one_sentence(tmp_path, pki) -> None:
    with pytest.raises(WriteRefused, match=r"cannot be written \(File name too long\)"):
        write_file(tmp_path / ("n" * 300), pki.leaf.pem)
    assert list(tmp_path.iterdir()) == []


def test_modes_are_never_set_through_a_name(tmp_path, pki, monkeypatch) -> None:
    # A name can be swapped for a symlink between close and chmod (issue 11 item 1): modes are
    # set with fchmod on the open descriptor only, for new files and for a rollback alike.
    calls: list[object] = []
    monkeypatch.setattr(os, "chmod", lambda *args, **kw: calls.append(args))
    (tmp_path / "old.key").write_bytes(b"old")
    plan = [PlannedFile(tmp_path / "a.key", pki.leaf.key_pem, private=True),
            PlannedFile(tmp_path / "old.key", pki.leaf.key_pem, private=True, certificates=3)]
    with pytest.raises(WriteRefused):
        write_plan(plan, force=True)
    write_plan(plan[:1] + [PlannedFile(tmp_path / "b.pem", pki.leaf.pem)])
    assert calls == []


# --- make_folders: the CLI's --out DIR made as mkdir -p would (issue 15 item 7) ---------------


def test_make_folders_makes_parents_and_a_failed_write_removes_them(tmp_path):
    target = tmp_path / "a" / "b" / "one.txt"
    with pytest.raises(WriteRefused, match="does not exist"):
        write_plan([PlannedFile(target, b"x\n")])  # without make_folders: as before
    assert write_plan([PlannedFile(target, b"x\n")], make_folders=True) == [target]
    assert target.read_bytes() == b"x\n"

    def refuse(data: bytes, name: str, password: bytes | None) -> int:
        raise WriteRefused(f"{name}: the file written cannot be read back")

    late = tmp_path / "c" / "d" / "two.txt"
    with pytest.raises(WriteRefused, match="cannot be read back"):
        write_plan([PlannedFile(late, b"y\n", certificates=1)], count_certificates=refuse,
                   make_folders=True)
    assert not (tmp_path / "c").exists()  # the folders it made went with the file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]


def test_make_folders_refuses_a_file_in_the_way_before_making_anything(tmp_path):
    (tmp_path / "file").write_text("in the way")
    plan = [PlannedFile(tmp_path / "new" / "ok.txt", b"1\n"),
            PlannedFile(tmp_path / "file" / "sub" / "no.txt", b"2\n")]
    with pytest.raises(WriteRefused, match="file: is a file, not a folder"):
        write_plan(plan, make_folders=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
