"""CSR creation time per key type: key generation, then building and signing the CSR.

Run: python bench/bench_csr.py [--repeat N]. Not a test; prints a table (milliseconds, median).
RSA key generation is random in length, so RSA 4096 varies a lot between runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collabcert import csr, roles  # noqa: E402
from collabcert.keys import generate_key  # noqa: E402


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def measure(spec: str, repeat: int) -> tuple[float, float, float]:
    plan = roles.plan("cms-callbridge", {"fqdn": "cb.example.com", "o": "Example Inc.",
                                       "additional-names": "a.example.com,192.0.2.1"}, key=spec)
    keygen, signing = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        key = generate_key(plan.key_spec)
        keygen.append(_ms(start))
        start = time.perf_counter()
        request = csr.build_csr(plan, key)
        csr.csr_pem(request)
        signing.append(_ms(start))
    return statistics.median(keygen), statistics.median(signing), max(keygen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per key type (default 5)")
    args = parser.parse_args()
    print(f"{'key type':<10} {'keygen ms':>10} {'keygen max':>11} {'CSR ms':>8} {'total ms':>9}")
    for spec in roles.ALL_KEYS:
        keygen, signing, worst = measure(spec, max(1, args.repeat))
        print(f"{spec:<10} {keygen:>10.1f} {worst:>11.1f} {signing:>8.2f} "
              f"{keygen + signing:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
