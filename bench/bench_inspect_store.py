"""Inspect over growing PEM stores: does the time grow with the store, or faster?

    python bench/bench_inspect_store.py [--sizes 1000,2000,4000,8000] [--repeat 1]
        [--shape copies|distinct]

Per size, the best time of `collabcert inspect --json STORE` and of the text output, and the
ratio to the size before (2x the certificates should cost about 2x: linear). `copies` is one CA
certificate repeated (the 50,000-certificate store that took 636 s when pairing compared every
two objects of one name); `distinct` gives each certificate its own name (one EC key signs all).
Not a test: tests/engine/test_keypairs.py counts the comparisons of the pairing instead.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))


def make(path: Path, count: int, shape: str) -> None:
    if shape == "distinct":
        from bench_inspect import make_store

        make_store(path, count, "ec")
        return
    from pki import issue, name, pem_of

    path.write_bytes(pem_of(issue(name("Bench Store CA"), ca=True).cert) * count)


def best(argv: list[str], repeat: int) -> float:
    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "collabcert", *argv], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--shape", choices=("copies", "distinct"), default="copies")
    args = parser.parse_args()
    print(f"{'certificates':>12}{'json s':>9}{'ratio':>7}{'text s':>9}{'ratio':>7}")
    previous: tuple[float, float] | None = None
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            store = Path(tmp) / f"store-{size}.pem"
            make(store, size, args.shape)
            now = (best(["inspect", "--json", str(store)], args.repeat),
                   best(["inspect", str(store)], args.repeat))
            ratios = [f"{a / b:.1f}x" if previous else "-" for a, b in
                      zip(now, previous or now, strict=True)]
            print(f"{size:>12}{now[0]:>9.2f}{ratios[0]:>7}{now[1]:>9.2f}{ratios[1]:>7}")
            previous = now


if __name__ == "__main__":
    main()
