"""Inspect a trust store: a 1000-certificate PEM file read with `collabcert inspect --json`.

Compared with a bare script that calls pyca's `load_pem_x509_certificates` on the same file and
prints each certificate's SHA-256 fingerprint: the floor. Target (issue 3): within 2x of the floor.
Each contender is a fresh process timed from start to exit, best of --repeat.

Run: python bench/bench_inspect.py [--count 1000] [--repeat 5] [--key mix|ec|rsa]
         [--store FILE] [--profile]
Not a test; prints a table. The made store mixes RSA-2048 and EC P-256 roots 2:1 (as public trust
stores do); --store times a real file instead (e.g. /etc/ssl/certs/ca-certificates.crt).
--profile adds a cProfile of one collabcert run (top functions).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0

FLOOR_SCRIPT = """
import sys
from pathlib import Path
from cryptography import x509
from cryptography.hazmat.primitives import hashes
for cert in x509.load_pem_x509_certificates(Path(sys.argv[1]).read_bytes()):
    print(cert.fingerprint(hashes.SHA256()).hex())
"""


def make_store(path: Path, count: int, kind: str = "mix") -> None:
    """A trust store of `count` self-signed CA certificates. One key per type signs them all
    (the reader does not care that keys repeat; the self-signature check still runs for each)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    keys = {"ec": [ec.generate_private_key(ec.SECP256R1())],
            "rsa": [rsa.generate_private_key(public_exponent=65537, key_size=2048)]}
    keys["mix"] = keys["rsa"] * 2 + keys["ec"]
    now = dt.datetime.now(dt.UTC)
    blocks = []
    for number in range(count):
        key = keys[kind][number % len(keys[kind])]
        ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        name = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Bench Trust"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Bench Root CA {number:04d}"),
        ])
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256())
        )
        blocks.append(cert.public_bytes(Encoding.PEM))
    path.write_bytes(b"".join(blocks))


def _timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cmd} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="certificates (default 1000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs each, best kept (default 5)")
    parser.add_argument("--key", choices=("mix", "ec", "rsa"), default="mix",
                        help="key types of the made store (default mix: 2 RSA : 1 EC)")
    parser.add_argument("--store", type=Path, help="time this PEM file instead of a made one")
    parser.add_argument("--profile", action="store_true", help="cProfile one collabcert run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-inspect-") as tmp:
        work = Path(tmp)
        store = args.store.resolve() if args.store else work / "store.pem"
        if not args.store:
            make_store(store, args.count, args.key)
        floor_cmd = [sys.executable, "-c", FLOOR_SCRIPT, str(store)]
        ours_cmd = [sys.executable, "-m", "collabcert", "inspect", "--json", str(store)]
        runs = {"pyca floor (bare script)": [], "collabcert inspect --json": []}
        outputs = {}
        for _ in range(max(1, args.repeat)):  # interleaved, so machine noise hits both alike
            for label, cmd in (("pyca floor (bare script)", floor_cmd),
                               ("collabcert inspect --json", ours_cmd)):
                seconds, outputs[label] = _timed(cmd, work)
                runs[label].append(seconds)
        floor = min(runs["pyca floor (bare script)"])
        count = len(outputs["pyca floor (bare script)"].split())
        what = args.store or f"made, keys: {args.key}"
        print(f"{count}-certificate PEM trust store ({store.stat().st_size // 1024} KiB, {what}), "
              f"best of {args.repeat}")
        print(f"{'contender':<28} {'seconds':>8} {'per cert ms':>12} {'x floor':>8}")
        for label, times in runs.items():
            best = min(times)
            print(f"{label:<28} {best:>8.3f} {best / count * 1000:>12.3f} "
                  f"{best / floor:>8.2f}")
        ratio = min(runs["collabcert inspect --json"]) / floor
        print(f"collabcert / floor = {ratio:.2f} (target <= {TARGET}: "
              f"{'met' if ratio <= TARGET else 'MISSED'})")
        report = json.loads(outputs["collabcert inspect --json"])
        ours = [item["sha256"] for item in report["files"][0]["items"]]
        same = ours == outputs["pyca floor (bare script)"].split()
        print(f"same {len(ours)} fingerprints in the same order as pyca: {same}")
        if args.profile:
            stats = work / "inspect.prof"
            _timed([sys.executable, "-m", "cProfile", "-o", str(stats), *ours_cmd[1:]], work)
            import pstats

            print("\ncProfile of one collabcert run (top 25 by cumulative time):")
            pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
