"""Batch convert: 1000 DER certificates to PEM with one `collabcert convert` call.

Compared with a shell loop of `openssl x509 -inform DER` over the same files, and with a bare
Python script that only calls pyca (load_der_x509_certificate + public_bytes(PEM) + write): the
floor. Target (issue 3): collabcert within 1.5x of the floor. Each contender is a fresh process,
timed from start to exit (interpreter start-up included for both Python ones), best of --repeat.

Run: python bench/bench_convert.py [--count 1000] [--repeat 3] [--profile]
Not a test; prints a table. --profile adds a cProfile of one collabcert run (top functions).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5

FLOOR_SCRIPT = """
import sys
from pathlib import Path
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
out = Path(sys.argv[1])
for name in sys.argv[2:]:
    cert = x509.load_der_x509_certificate(Path(name).read_bytes())
    (out / (Path(name).stem + ".pem")).write_bytes(cert.public_bytes(Encoding.PEM))
"""


def make_certificates(folder: Path, count: int) -> list[Path]:
    """`count` distinct EC certificates (one CA key signs them all: the signing is not timed)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    ca_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench Issuing CA")])
    now = dt.datetime.now(dt.UTC)
    paths = []
    for number in range(count):
        cn = f"host{number:04d}.example.com"
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
            .issuer_name(issuer)
            .public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        path = folder / f"{cn}.der"
        path.write_bytes(cert.public_bytes(Encoding.DER))
        paths.append(path)
    return paths


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


def _timed(cmd: list[str], cwd: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def run_collabcert(work: Path, names: list[str]) -> float:
    out = _fresh(work / "out-collabcert")
    cmd = [sys.executable, "-m", "collabcert", "convert", *names, "--to", "pem", "--out", str(out)]
    elapsed = _timed(cmd, work / "in")
    assert len(list(out.glob("*.pem"))) == len(names), "collabcert did not write every file"
    return elapsed


def run_floor(work: Path, names: list[str]) -> float:
    out = _fresh(work / "out-floor")
    elapsed = _timed([sys.executable, "-c", FLOOR_SCRIPT, str(out), *names], work / "in")
    assert len(list(out.glob("*.pem"))) == len(names)
    return elapsed


def run_openssl(work: Path, names: list[str]) -> float:
    out = _fresh(work / "out-openssl")
    loop = (f'for f in *.der; do openssl x509 -inform DER -in "$f" '
            f'-out "{out}/${{f%.der}}.pem"; done')
    elapsed = _timed(["bash", "-c", loop], work / "in")
    assert len(list(out.glob("*.pem"))) == len(names)
    return elapsed


def same_output(work: Path) -> bool:
    """collabcert's PEM files are byte-identical to pyca's (64-column base64, final newline)."""
    ours = work / "out-collabcert"
    floor = work / "out-floor"
    return all((ours / p.name).read_bytes() == p.read_bytes() for p in floor.glob("*.pem"))


def profile(work: Path, names: list[str]) -> None:
    out = _fresh(work / "out-profile")
    stats = work / "convert.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "collabcert", "convert",
           *names, "--to", "pem", "--out", str(out)]
    _timed(cmd, work / "in")
    import pstats

    print("\ncProfile of one collabcert run (top 20 by cumulative time):")
    pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="certificates (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs each, best kept (default 3)")
    parser.add_argument("--no-openssl", action="store_true", help="skip the slow openssl loop")
    parser.add_argument("--profile", action="store_true", help="cProfile one collabcert run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-convert-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        paths = make_certificates(work / "in", args.count)
        names = [p.name for p in paths]
        contenders = [("pyca floor (bare script)", run_floor),
                      ("collabcert convert", run_collabcert)]
        if not args.no_openssl and shutil.which("openssl"):
            contenders.append(("openssl x509 shell loop", run_openssl))
        runs: dict[str, list[float]] = {label: [] for label, _ in contenders}
        for turn in range(max(1, args.repeat)):  # interleaved: machine noise hits all alike
            for label, runner in contenders:
                if runner is not run_openssl or turn == 0:
                    runs[label].append(runner(work, names))
        best = {label: min(times) for label, times in runs.items()}
        floor = best["pyca floor (bare script)"]
        print(f"{args.count} DER certificates -> PEM (best of {args.repeat}; openssl: 1 run)")
        print(f"{'contender':<28} {'seconds':>8} {'per cert ms':>12} {'x floor':>8}")
        for label, seconds in best.items():
            print(f"{label:<28} {seconds:>8.3f} {seconds / args.count * 1000:>12.3f} "
                  f"{seconds / floor:>8.2f}")
        ratio = best["collabcert convert"] / floor
        verdict = "met" if ratio <= TARGET else "MISSED"
        print(f"collabcert / floor = {ratio:.2f} (target <= {TARGET}: {verdict})")
        if "openssl x509 shell loop" in best:
            print(f"openssl loop / floor = {best['openssl x509 shell loop'] / floor:.1f}")
        print(f"output identical to pyca's PEM: {same_output(work)}")
        if args.profile:
            profile(work, names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
