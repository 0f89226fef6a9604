"""50 loopback targets probed in one run with the default concurrency (issue 14: "50 loopback
targets probed in under 2 s"). Each target is its own TLS server on 127.0.0.1 (a thread of this
process, tests/probe_support.py) presenting leaf + issuing CA; the job judges every chain
against the test root with the expressway-e role, as `collabcert probe --targets` does.

    python bench/bench_probe.py [--targets 50] [--repeat 3] [--concurrency N]

Reported, not asserted: the wall time of the whole run, per target, and against the 2 s
target as a ratio. The servers share this process's GIL with the probes, so the figure is
an upper bound of what the CLI sees against real servers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from probe_support import make_site, tls_server  # noqa: E402

from collabcert.jobs.lint import LintFile  # noqa: E402
from collabcert.jobs.probe import DEFAULT_CONCURRENCY, ProbeRequest, run  # noqa: E402

GOAL = 2.0  # seconds for 50 targets (issue 14)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        site = make_site(Path(folder))
        servers = []
        for i in range(args.targets):
            leaf = site.leaf(f"node{i}.example.com")
            servers.append((stack.enter_context(tls_server([leaf.cert, site.intermediate.cert],
                                                           leaf)), leaf))
        request = ProbeRequest(tuple(s.target for s, _ in servers), sni="node0.example.com",
                               trust=(LintFile("root", site.root_file),), role="expressway-e",
                               fields={"fqdn": "node0.example.com"},
                               concurrency=args.concurrency)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = run(request)
            times.append(time.perf_counter() - started)
            assert len(result.records) == args.targets and not result.unreachable
    best, median = min(times), statistics.median(times)
    print(f"{args.targets} loopback targets, concurrency {args.concurrency}: "
          f"best {best:.2f} s, median {median:.2f} s "
          f"({median / args.targets * 1000:.0f} ms a target)")
    print(f"against the {GOAL:g} s goal for 50: {median / GOAL * 50 / args.targets:.2f}x "
          f"({'met' if median * 50 / args.targets <= GOAL else 'not met'})")


if __name__ == "__main__":
    main()
