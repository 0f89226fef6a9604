"""The command line: `collabcert VERB ...`; with no arguments it starts the TUI.

Each verb lives in its own module `collabcert.cli.<verb>` with `HELP`, `add_arguments(parser)` and
`run(args) -> int`. Those modules import the engine inside `run`, so `collabcert --help`
stays as fast as importing argparse, and textual is imported only when the TUI starts.
Exit codes (DESIGN.md): 0 done, 1 the check failed, 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence

from collabcert.errors import CollabcertError, NothingReadable, PasswordNeeded

VERBS = ("roles", "csr", "inspect", "convert", "match", "bundle", "lint", "probe", "ca",
         "completion")
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are our one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"collabcert: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


class _VersionAction(argparse.Action):
    """`--version`: what a support ticket needs, one package a line (collabcert.version)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from collabcert.version import version_lines  # late: only --version pays for it

        print("\n".join(version_lines()))
        parser.exit()


def _verb_module(verb: str):
    try:
        return importlib.import_module(f"collabcert.cli.{verb}")
    except ModuleNotFoundError as exc:
        if exc.name == f"collabcert.cli.{verb}":
            return None  # a verb not built yet is simply not offered
        raise


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="collabcert",
        description="Keys, CSRs, certificates and bundles for Cisco Expressway, Meeting Server, "
        "CUCM and IM and Presence. With no arguments, starts the wizard.",
    )
    parser.add_argument("--version", action=_VersionAction,
                        help="print the versions of collabcert, Python, cryptography, the "
                        "OpenSSL it links, Textual and pyOpenSSL, and exit")
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    for verb in VERBS:
        module = _verb_module(verb)
        if module is None:
            continue
        sub = subparsers.add_parser(verb, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # pyca warns (deprecations, BER fallbacks) about odd but readable files; people get our
    # findings instead of Python warnings with source lines quoted.
    warnings.simplefilter("ignore")
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        return _start_tui()
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
        if not getattr(args, "run", None):
            parser.print_help()
            return EXIT_USAGE
        return int(args.run(args))
    except NothingReadable as exc:  # one line per input (DESIGN.md: several FILEs)
        for _name, sentence in exc.problems:
            fail(sentence)
        return EXIT_USAGE
    except CollabcertError as exc:
        return fail(problem_text(exc))
    except KeyboardInterrupt:
        return fail("interrupted")
    except BrokenPipeError:
        return EXIT_OK


def problem_text(exc: CollabcertError) -> str:
    """The sentence of an error, with the CLI's own hint for a locked input."""
    if isinstance(exc, PasswordNeeded) and not exc.wrong:
        return f"{exc}; give it with --password-file"
    return str(exc)


def fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"collabcert: error: {message}", file=sys.stderr)
    return code


def _start_tui() -> int:
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        return fail("the wizard needs a terminal; use a verb (collabcert --help) in scripts")
    from collabcert.tui.app import run_app  # late: textual is only for the wizard

    return run_app()
