"""Inspect a 1000-certificate store in the wizard, against `collabcert inspect` on the same file.

Issue 12 item 18: the TUI's Inspect must be usable within 2 s and never block input. This times,
headless at 80x24: from Next on the files step to the results step shown with its first rows
("usable"), to every row in the table ("filled"), and the longest stall of the event loop
meanwhile (a 20 ms timer counts its own lateness: a stall is how long a key press would wait).
The CLI figure is a fresh `python -m collabcert inspect STORE` process, start to exit, best of
--repeat. The ratio is printed, not asserted (timings live here, not in tests).

Run: python bench/bench_tui_inspect.py [--count 1000] [--repeat 3] [--key mix|ec|rsa]
Not a test; prints a table. Reuses bench_inspect.make_store (self-signed CA certificates).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_inspect import make_store  # noqa: E402


def time_cli(store: Path, repeat: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "collabcert", "inspect", str(store)], env=env,
                       capture_output=True, check=False)
        best = min(best, time.perf_counter() - start)
    return best


async def time_tui(store: Path) -> tuple[float, float, float]:
    """(seconds to usable, seconds to every row, longest event-loop stall in seconds)."""
    from collabcert.screens.inspect import InspectResultsStep
    from collabcert.tui.app import CollabcertApp

    app = CollabcertApp(cwd=store.parent, task_modules=("collabcert.screens.inspect",))
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
            stalls.append(now - last[0] - 0.02)
            last[0] = now

        timer = app.set_interval(0.02, tick)
        start = time.perf_counter()
        await pilot.press("ctrl+n")
        while not (isinstance(app.screen, InspectResultsStep) and app.screen.is_mounted
                   and app.screen.query_one("#objects").row_count):
            await asyncio.sleep(0.01)
        usable = time.perf_counter() - start
        screen = app.screen
        while not screen.rows_filled:
            await asyncio.sleep(0.01)
        filled = time.perf_counter() - start
        timer.stop()
    return usable, filled, max(stalls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--key", choices=("mix", "ec", "rsa"), default="mix")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store.pem"
        make_store(store, args.count, args.key)
        cli = time_cli(store, args.repeat)
        runs = [asyncio.run(time_tui(store)) for _ in range(args.repeat)]
        usable = min(r[0] for r in runs)
        filled = min(r[1] for r in runs)
        stall = min(r[2] for r in runs)
    print(f"{args.count} certificates ({args.key}), best of {args.repeat}")
    print(f"  CLI  collabcert inspect (process)      {cli:6.2f} s")
    print(f"  TUI  results shown, first rows (usable) {usable:6.2f} s   ratio to CLI "
          f"{usable / cli:4.2f}   target: under 2 s")
    print(f"  TUI  every row in the table            {filled:6.2f} s")
    print(f"  TUI  longest event-loop stall          {stall * 1000:6.0f} ms "
          "(a key waits this long)")


if __name__ == "__main__":
    main()
