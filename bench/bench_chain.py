"""Chain building with 10, 100 and 1000 decoy CA certificates in the pool.

Compared with pyca's own verifier (`cryptography.x509.verification`, the floor: a Rust path
builder given the root as its trust store) and with `openssl verify -untrusted` on the same pool.
A quarter of the decoys have the subject of one of the real intermediates but another key, so a
name-only builder would be fooled and a naive one checks every pair.

    python bench/bench_chain.py [--sizes 10,100,1000] [--repeat 5]

Targets (issue 6): within 3x of pyca's verifier, faster than openssl, cost close to linear.
The openssl figure includes starting the process and parsing the PEM files, as a user sees it;
the line "openssl, no decoys" shows that fixed cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cryptography import x509  # noqa: E402
from cryptography.x509 import verification  # noqa: E402
from pki import DAY, NOW, issue, name, new_key, pem_of  # noqa: E402

from collabcert.chain import build_chain  # noqa: E402


def make_pool(decoys: int):
    root = issue(name("Bench Root CA", "Bench"), ca=True, not_after=NOW + 3650 * DAY)
    policy = issue(name("Bench Policy CA", "Bench"), issuer=root, ca=True)
    issuing = issue(name("Bench Issuing CA", "Bench"), issuer=policy, ca=True)
    leaf = issue("expe.example.com", issuer=issuing, sans=["expe.example.com"])
    decoy_roots = [issue(name(f"Decoy Root {i}"), ca=True) for i in range(3)]
    shared_key = new_key()  # one key for the distinct-subject decoys: key generation is not timed
    extra = []
    for i in range(decoys):
        signer = decoy_roots[i % 3]
        if i % 4 == 0:  # a look-alike: the real intermediate's name, another key
            subject = (policy if i % 8 == 0 else issuing).cert.subject
            extra.append(issue(subject, issuer=signer, ca=True).cert)
        else:
            extra.append(issue(name(f"Decoy CA {i}", "Decoys"), issuer=signer, ca=True,
                               key=shared_key).cert)
    intermediates = [policy.cert, issuing.cert, *extra, *(r.cert for r in decoy_roots)]
    return root.cert, intermediates, leaf.cert


def timed(func, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def ours(root, intermediates, leaf) -> None:
    chain = build_chain([*intermediates, root, leaf])
    assert chain.complete and len(chain.links) == 4, chain.fingerprints


def pyca(root, intermediates, leaf) -> None:
    verifier = (
        verification.PolicyBuilder()
        .store(verification.Store([root]))
        .time(dt.datetime.now(dt.UTC))
        .build_server_verifier(x509.DNSName("expe.example.com"))
    )
    chain = verifier.verify(leaf, intermediates)
    assert len(chain) == 4


def openssl_files(folder: Path, root, intermediates, leaf) -> list[str]:
    (folder / "root.pem").write_bytes(pem_of(root))
    (folder / "pool.pem").write_bytes(pem_of(*intermediates))
    (folder / "leaf.pem").write_bytes(pem_of(leaf))
    args = ["openssl", "verify", "-CAfile", str(folder / "root.pem")]
    if intermediates:
        args += ["-untrusted", str(folder / "pool.pem")]
    return [*args, str(folder / "leaf.pem")]


def openssl(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    have_openssl = shutil.which("openssl") is not None
    print(f"{'decoys':>7} {'ours ms':>9} {'pyca ms':>9} {'openssl ms':>11} "
          f"{'ours/pyca':>10} {'ours/openssl':>13}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if have_openssl:
            command = openssl_files(folder, *make_pool(0))
            base = timed(lambda c=command: openssl(c), args.repeat)
            print(f"openssl, no decoys (mostly process start): {base:.1f} ms")
        for size in sizes:
            root, intermediates, leaf = make_pool(size)
            pool = (root, intermediates, leaf)
            t_ours = timed(lambda p=pool: ours(*p), args.repeat)
            t_pyca = timed(lambda p=pool: pyca(*p), args.repeat)
            t_ossl = float("nan")
            if have_openssl:
                command = openssl_files(folder, root, intermediates, leaf)
                t_ossl = timed(lambda c=command: openssl(c), args.repeat)
            results.append((size, t_ours))
            print(f"{size:>7} {t_ours:>9.2f} {t_pyca:>9.2f} {t_ossl:>11.2f} "
                  f"{t_ours / t_pyca:>10.2f} {t_ours / t_ossl:>13.2f}")
    if len(results) > 1:
        (n0, t0), (n1, t1) = results[0], results[-1]
        print(f"growth: {n1 / n0:.0f}x the decoys cost {t1 / t0:.1f}x the time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
