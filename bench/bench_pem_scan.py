"""The PEM block scan on hostile text: BEGIN lines without END, and blocks with mismatched labels.

    python bench/bench_pem_scan.py [--sizes 1000,10000,100000] [--repeat 3] [--stores 0|50000]

Prints, per shape and size, the best time of `pem.find_blocks` and its ratio to the previous size
(10x more lines should cost about 10x: linear growth; the old lazy-regex scan grew ~100x). Not a
test: tests/engine/test_pem_scan.py checks linearity by counting the characters scanned.
`--stores N` also times `collabcert inspect --json` over an N-certificate PEM (peak memory too).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from collabcert import pem  # noqa: E402

BODY = "MIIBszCCAVmgAwIBAgIUQ\n"


def begins_without_end(n: int) -> str:
    return "-----BEGIN CERTIFICATE-----\n" * n


def mismatched(n: int) -> str:
    return ("-----BEGIN CERTIFICATE-----\n" + BODY + "-----END X509 CRL-----\n") * n


def best(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def scan_table(sizes: list[int], repeat: int) -> None:
    print(f"{'shape':<22}{'lines':>9}{'MB':>7}{'seconds':>10}{'ratio':>8}")
    for shape in (begins_without_end, mismatched):
        previous = None
        for size in sizes:
            text = shape(size)
            seconds = best(lambda text=text: pem.find_blocks(text), repeat)
            ratio = f"{seconds / previous:.1f}x" if previous else "-"
            print(f"{shape.__name__:<22}{size:>9}{len(text) / 1e6:>7.1f}{seconds:>10.3f}{ratio:>8}")
            previous = seconds


def store_run(count: int) -> None:
    from pki import issue, name, pem_of

    cert = issue(name("Bench Store CA"), ca=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store.pem"
        store.write_bytes(pem_of(cert.cert) * count)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "collabcert", "inspect", "--json", str(store)],
            stdout=subprocess.DEVNULL, cwd=ROOT, check=False,
        )
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size_mb = store.stat().st_size / 1e6
        print(f"inspect --json, {count} certificates ({size_mb:.0f} MB): {seconds:.1f} s, "
              f"peak {peak_mb:.0f} MB, exit {done.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stores", type=int, default=0)
    args = parser.parse_args()
    scan_table([int(s) for s in args.sizes.split(",")], args.repeat)
    if args.stores:
        store_run(args.stores)


if __name__ == "__main__":
    main()
