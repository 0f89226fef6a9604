"""Start-up time: the wizard's home screen vs an empty Textual app, and `collabcert --help` vs
importing cryptography.x509. Each process is timed from its start (interpreter included).

    python bench/bench_startup.py [--runs 7]

Targets (issue 4): home screen within 1.5x of the empty app; --help within 1.3x of the import.
A script, not a test: timings on a shared machine are noisy. Medians of interleaved runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

# Both apps exit right after their first screen is painted, headless, so no terminal is needed.
FLOOR_APP = """
from textual.app import App
class Floor(App):
    def on_mount(self):
        self.call_after_refresh(self.exit, 0)
Floor().run(headless=True, size=(80, 24))
"""

HOME_APP = """
from collabcert.tui.app import CollabcertApp
from collabcert.screens.home import HomeScreen
app = CollabcertApp()
def ready():
    if isinstance(app.screen, HomeScreen) and app.screen.is_mounted:
        app.exit(0)
    else:
        app.call_after_refresh(ready)
app.call_after_refresh(ready)
app.run(headless=True, size=(80, 24))
"""


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPATH=root, COLLABCERT_SETTINGS=os.path.join(tmp, "s.toml"))
        py = sys.executable
        cases = {
            "empty Textual app": [py, "-c", FLOOR_APP],
            "collabcert home screen": [py, "-c", HOME_APP],
            "import cryptography.x509": [py, "-c", "import cryptography.x509"],
            "collabcert --help": [py, "-m", "collabcert", "--help"],
        }
        for args in cases.values():  # warm the file cache and .pyc files
            timed(args, env)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, args in cases.items():
                times[name].append(timed(args, env))
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, value in median.items():
        print(f"{name:28} {value * 1000:7.0f} ms (median of {runs})")
    tui = median["collabcert home screen"] / median["empty Textual app"]
    cli = median["collabcert --help"] / median["import cryptography.x509"]
    print(f"home / empty app     = {tui:.2f}x (target <= 1.5x) {'OK' if tui <= 1.5 else 'SLOW'}")
    print(f"--help / import x509 = {cli:.2f}x (target <= 1.3x) {'OK' if cli <= 1.3 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
