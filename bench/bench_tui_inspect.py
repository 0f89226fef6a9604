"""Inspect a 1000-certificate store in the wizard, against `collabcert inspect` on the same file.

Issue 12 item 18: the TUI's Inspect must be usable within 2 s and never block input. Two stores:
`roots`, 1000 self-signed CAs (bench_inspect.make_store), and `pile`, 1000 certificates that form
chains (10 roots with 2 same-name decoys, 40 issuing CAs with expired twins, 950 leaves, EC and
RSA, tests/pki.py) plus blocks the reader skips or cannot read, so the Findings tab has rows.
Each is generated once per run. Headless at 80x24 this times, from Next on the files step:

- usable: the results step shown with its first rows; filled: every row in the table;
- findings: Right on the tabs until the Findings tab shows its rows;
- chains: Right again until the Certification path tree is shown, and Down moves its cursor;
- keys: back on the table, Down then Enter until the detail names the row;
- the longest stall of the event loop over the whole run, tab switches and key presses included
  (a 20 ms timer counts its own lateness: a stall is how long a key press would wait).

The CLI figure is a fresh `python -m collabcert inspect STORE` process, start to exit. Best and
worst of --repeat are printed with the ratio to the CLI, never asserted (timings live here, not
in tests). --profile adds a cProfile of one TUI run (top functions by own time).

Run: python bench/bench_tui_inspect.py [--count 1000] [--repeat 3] [--key mix|ec|rsa]
         [--shape roots|pile|both] [--profile]
Not a test; prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_inspect import make_store  # noqa: E402

TICK = 0.02


def make_pile(path: Path, roots: int = 10, intermediates: int = 40, leaves: int = 950) -> None:
    """A pile that forms chains: `roots` roots (two of them same-name decoys of the first two,
    on other keys), `intermediates` issuing CAs under them (every tenth an expired twin of the
    one before: same name and key, dates past), `leaves` server certificates under those (every
    twentieth expired). Keys: RSA-2048 and EC P-256 alternate for the CAs; the leaves have EC
    keys of their own, and every third takes one of 8 RSA keys (renewals on one key: the
    pairing's same-key groups). Built with tests/pki.py; about 2 s on the 2-core machine."""
    from cryptography.hazmat.primitives.serialization import Encoding
    from pki import DAY, NOW, issue, name, new_key

    kinds = ("rsa", "ec")
    decoys = min(2, roots // 2)
    real = [issue(name(f"Pile Root CA {n:02d}", "Bench Pile"), key_kind=kinds[n % 2], ca=True,
                  not_after=NOW + 3650 * DAY) for n in range(roots - decoys)]
    fakes = [issue(real[n].cert.subject, key_kind=kinds[(n + 1) % 2], ca=True,
                   not_after=NOW + 3650 * DAY) for n in range(decoys)]
    cas = []
    for n in range(intermediates):
        if n % 10 == 9:  # the expired twin of the one before
            before = cas[-1]
            cas.append(issue(before.cert.subject, issuer=real[(n - 1) % len(real)],
                             key=before.key, ca=True, not_before=NOW - 2000 * DAY,
                             not_after=NOW - 30 * DAY))
            continue
        cas.append(issue(name(f"Pile Issuing CA {n:02d}", "Bench Pile"),
                         issuer=real[n % len(real)], key_kind=kinds[n % 2], ca=True))
    rsa_pool = [new_key("rsa") for _ in range(8)]
    issuing = [ca for n, ca in enumerate(cas) if n % 10 != 9]
    certs = [r.cert for r in real + fakes] + [c.cert for c in cas]
    for n in range(leaves):
        host = f"host{n:04d}.pile.example.com"
        past = n % 20 == 19
        certs.append(issue(host, issuer=issuing[n % len(issuing)], sans=[host],
                           key=rsa_pool[n % 8] if n % 3 == 2 else None,
                           not_before=NOW - (800 if past else 1) * DAY,
                           not_after=NOW - (10 if past else -365) * DAY).cert)
    path.write_bytes(b"".join(cert.public_bytes(Encoding.PEM) for cert in certs))


def add_findings(path: Path, skipped: int = 40, broken: int = 20) -> None:
    """Blocks a real pile has: `skipped` the reader names and skips (EC PARAMETERS, an info
    finding each) and `broken` certificates cut short (an error each)."""
    text = path.read_text()
    first = text.split("-----END CERTIFICATE-----")[0].split("-----BEGIN CERTIFICATE-----")[1]
    der = base64.b64decode("".join(first.split()))
    params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
    body = base64.encodebytes(der[: len(der) // 2]).decode()
    cut = f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n"
    path.write_text(text + params * skipped + cut * broken)


def time_cli(store: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "collabcert", "inspect", str(store)], env=env,
                   capture_output=True, check=False)
    return time.perf_counter() - start


@dataclass
class Run:
    usable: float = 0.0  # results step with its first rows
    filled: float = 0.0  # every row in the table
    findings: float = 0.0  # Right on the tabs until the findings' rows are shown
    chains: float = 0.0  # Right again until the tree is shown and Down moved its cursor
    keys: float = 0.0  # Down and Enter on the table until the detail names the row
    stall: float = 0.0  # longest event-loop stall, the whole run


async def until(check, start: float, limit: float = 60) -> float:
    """Seconds from `start` until `check()` holds (polled; a state, never a fixed sleep)."""
    while not check():
        if time.perf_counter() - start > limit:
            raise SystemExit(f"bench: no state after {limit} s: {check.__name__}")
        await asyncio.sleep(0.005)
    return time.perf_counter() - start


def key(app, name: str) -> None:
    """A key as the terminal sends it, without Pilot's waits for idle (they would be timed)."""
    from textual import events

    event = events.Key(name, {"enter": "\r"}.get(name))
    event.set_sender(app)
    app._driver.send_message(event)


async def time_tui(store: Path) -> Run:
    from textual.widgets import DataTable, Static, TabbedContent, Tabs

    from collabcert.screens.inspect import InspectResultsStep
    from collabcert.tui.app import CollabcertApp
    from collabcert.tui.findings import FindingItem

    app = CollabcertApp(cwd=store.parent, task_modules=("collabcert.screens.inspect",))
    run = Run()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_task("inspect")
        while not app.screen.query("#picker"):
            await pilot.pause(0.02)
        app.screen.query_one("#picker").add_paths([store])
        stalls = [0.0]
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            stalls.append(now - last[0] - TICK)
            last[0] = now

        timer = app.set_interval(TICK, tick)
        start = time.perf_counter()
        key(app, "ctrl+n")
        run.usable = await until(lambda: isinstance(app.screen, InspectResultsStep)
                                 and app.screen.is_mounted
                                 and app.screen.query_one("#objects").row_count, start)
        screen = app.screen
        run.filled = await until(lambda: screen.rows_filled, start)
        tabbed = screen.query_one("#result-tabs", TabbedContent)
        tabs = tabbed.query_one(Tabs)
        tabs.focus()
        await pilot.pause()
        start = time.perf_counter()
        key(app, "right")

        def findings_shown() -> bool:
            shown = [i for i in screen.query(FindingItem) if i.region.height]
            return tabbed.active == "tab-findings" and (bool(shown) or not screen.findings)

        run.findings = await until(findings_shown, start)
        if screen.query("#chain-tree"):
            tree = screen.query_one("#chain-tree")
            start = time.perf_counter()
            key(app, "right")
            await until(lambda: tabbed.active == "tab-chain" and tree.region.height > 0, start)
            tree.focus()
            key(app, "down")
            run.chains = await until(lambda: tree.cursor_line >= 1, start)
        table = screen.query_one("#objects", DataTable)
        tabbed.active = "tab-objects"
        await until(lambda: table.region.height > 0, time.perf_counter())
        table.focus()
        start = time.perf_counter()
        key(app, "down")
        key(app, "enter")
        detail = screen.query_one("#detail", Static)
        want = screen.detail(1)
        run.keys = await until(lambda: table.cursor_row == 1
                               and str(detail.render()) == want, start)
        await pilot.pause()
        timer.stop()
        run.stall = max(stalls)
    return run


def profile(store: Path) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(time_tui(store))
    profiler.disable()
    print(f"\ncProfile of one TUI run on {store.name} (top 25 by own time):")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


ROWS = (
    ("usable", "results shown, first rows (usable)", "target: under 2 s"),
    ("filled", "every row in the table", ""),
    ("findings", "Right to Findings, its rows shown", ""),
    ("chains", "Right to the tree, Down moved in it", ""),
    ("keys", "Down, Enter on the table: detail", ""),
)


def report(label: str, count: int, cli: list[float], runs: list[Run]) -> None:
    best_cli, worst_cli = min(cli), max(cli)
    print(f"\n{label}: {count} certificates, {len(runs)} runs (best / worst)")
    print(f"  {'':<40} {'best s':>7} {'worst s':>8} {'x CLI':>6}")
    print(f"  {'CLI  collabcert inspect (process)':<40} {best_cli:>7.2f} {worst_cli:>8.2f}")
    for field, words, note in ROWS:
        values = [getattr(r, field) for r in runs]
        if field == "chains" and not any(values):
            print(f"  TUI  {'(no certification path tab)':<35}")
            continue
        print(f"  TUI  {words:<35} {min(values):>7.2f} {max(values):>8.2f} "
              f"{min(values) / best_cli:>6.2f}  {note}")
    stalls = [r.stall * 1000 for r in runs]
    print(f"  TUI  {'longest event-loop stall (ms)':<35} {min(stalls):>7.0f} {max(stalls):>8.0f}"
          "         a key waits this long")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="certificates of `roots`")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--key", choices=("mix", "ec", "rsa"), default="mix")
    parser.add_argument("--shape", choices=("roots", "pile", "both"), default="both")
    parser.add_argument("--profile", action="store_true", help="cProfile one TUI run per store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        stores = []
        if args.shape in ("roots", "both"):
            store = Path(folder) / "roots" / "store.pem"
            store.parent.mkdir()
            make_store(store, args.count, args.key)
            stores.append((f"roots ({args.key} self-signed CAs)", store, args.count))
        if args.shape in ("pile", "both"):
            store = Path(folder) / "pile" / "pile.pem"
            store.parent.mkdir()
            make_pile(store)
            add_findings(store)
            stores.append(("pile (chains, decoys, expired twins, 60 findings)", store, 1000))
        for label, store, count in stores:
            cli, runs = [], []
            for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
                cli.append(time_cli(store))
                runs.append(asyncio.run(time_tui(store)))
            report(label, count, cli, runs)
            if args.profile:
                profile(store)


if __name__ == "__main__":
    main()
