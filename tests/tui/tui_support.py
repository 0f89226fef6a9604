"""What the Pilot tests and SVG snapshots of the TUI share: moving through a flow, waiting for a
step and its worker, picking files, reading what a widget shows, and fixed certificates.

Screens are named by class or by class name (the snapshot tests name them as strings). A step is
"reached" when the app shows it and it is not busy: FlowStep sets `busy` while a worker runs, so
waiting for it also waits for the slow engine work (key generation, reading files, writing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pki import Issued
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Select, Static

from collabcert import roles
from collabcert.screens.csr import CsrProductStep, CsrQuestionsStep, CsrRoleStep
from collabcert.tui.dialogs import ConfirmDialog

SIZE = (80, 24)
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])

ScreenRef = type[Screen] | str  # a screen class, or its class name


# --- waiting and moving ------------------------------------------------------------------------


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float = 30.0) -> None:
    """Poll `condition` every 50 ms. The generous timeout is for RSA-4096 on a busy machine."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            await pilot.pause()  # let a screen that was just pushed finish mounting
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out; screen is {type(pilot.app.screen).__name__}")


def _shows(screen: Screen, wanted: ScreenRef) -> bool:
    if isinstance(wanted, str):
        return type(screen).__name__ == wanted
    return isinstance(screen, wanted)


async def on_screen(pilot: Pilot, wanted: ScreenRef, timeout: float = 30.0) -> None:
    """Until the app shows `wanted` (a step, dialog or help screen) and no worker runs on it.
    `is_mounted` turns True only after the screen's on_mount ran, which is where a step starts
    its worker and sets `busy`: without it a loaded machine can be seen between the two."""
    await wait_for(pilot, lambda: _shows(pilot.app.screen, wanted)
                   and pilot.app.screen.is_mounted
                   and not getattr(pilot.app.screen, "busy", False), timeout)


async def next_to(pilot: Pilot, wanted: ScreenRef, timeout: float = 30.0) -> None:
    """Ctrl+N (Next), then until `wanted` is reached."""
    await pilot.press("ctrl+n")
    await on_screen(pilot, wanted, timeout)


async def next_through(pilot: Pilot, steps: Iterable[ScreenRef]) -> None:
    for step in steps:
        await next_to(pilot, step)


async def start_task(pilot: Pilot, task_id: str, first_step: ScreenRef) -> None:
    """Start a task from the home screen (as the home list or the palette does)."""
    await pilot.pause()
    pilot.app.start_task(task_id)
    await on_screen(pilot, first_step)


async def click(pilot: Pilot, selector: str) -> None:
    """Click the widget `selector` as a user would, once the screen shows it where it is.

    Pilot aims at the widget's region but the app routes the click by its last painted layout;
    on a loaded machine a layout change not yet painted (a finding opened, a scroll) sent the
    click to another widget, silently. So: wait until the painted screen has the widget at that
    spot, click, and fail loudly if the click still landed elsewhere. What the click does is
    then waited for by the caller's own `wait_for(...)`.
    """
    app = pilot.app

    def hittable() -> bool:
        widget = app.screen.query_one(selector)
        region = widget.region
        if not widget.display or not region or (region.x, region.y) not in app.screen.region:
            return False
        try:
            under, _ = app.get_widget_at(region.x, region.y)
        except Exception:  # nothing painted there yet
            return False
        return under is widget

    await wait_for(pilot, hittable)
    assert await pilot.click(selector), f"the click on {selector} landed on another widget"
    await until_quiet(pilot)


def quiet(app) -> bool:
    """Every widget of the screen (and the app) has handled every message sent to it: what a
    click or key set off (a press bubbling to its screen, a Changed refreshing a form) is done."""
    nodes = [app, *app.screen.walk_children(with_self=True)]
    return all(node._message_queue.empty() for node in nodes)


async def until_quiet(pilot: Pilot) -> None:
    """Until the UI has reacted to everything sent so far (a state, unlike `pause()`, whose idle
    test a busy CPU fools into returning after one round of messages)."""
    await wait_for(pilot, lambda: quiet(pilot.app))


def pick_files(pilot: Pilot, paths: Iterable[str | Path]) -> None:
    """Add files to the step's file picker; a relative path is taken from the app's folder."""
    app = pilot.app
    app.screen.query_one("#picker").add_paths([app.cwd / path for path in paths])


async def write_despite_errors(pilot: Pilot, then: ScreenRef) -> None:
    """Next on a review step with error findings: the app asks first; answer Yes."""
    await next_to(pilot, ConfirmDialog)
    assert pilot.app.screen.dialog_title == "Write despite errors?"
    await click(pilot, "#yes")
    await on_screen(pilot, then)


async def settle(pilot: Pilot) -> None:
    """Before a snapshot: no toasts, no animation half-way."""
    pilot.app.clear_notifications()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


# --- reading the screen ------------------------------------------------------------------------


def text_of(app, selector: str) -> str:
    """What the Static `selector` on the current screen shows."""
    return str(app.screen.query_one(selector, Static).content)


def error_text(app) -> str:
    """The reason a step gives for not going on (empty when there is none)."""
    return text_of(app, "#step-error")


def table_rows(app, selector: str) -> list[tuple[str, ...]]:
    table = app.screen.query_one(selector, DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


# --- one flow's forms, for its Pilot tests and its snapshots -----------------------------------


async def choose_option(pilot: Pilot, list_id: str, wanted: str) -> None:
    """Move the highlight of an OptionList to `wanted` with the arrow keys, then Enter."""
    options = pilot.app.screen.query_one(list_id, OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.focus()
    await pilot.press("home", *["down"] * ids.index(wanted), "enter")


async def open_questions(pilot: Pilot, role_id: str) -> None:
    """Create a key and CSR: from the home screen to the questions of `role_id`, as a user would."""
    role = roles.get_role(role_id)
    await pilot.pause()
    await pilot.press(str([t.id for t in pilot.app.tasks].index("csr") + 1))
    await on_screen(pilot, CsrProductStep)
    await choose_option(pilot, "#products", role.product)
    await on_screen(pilot, CsrRoleStep)
    await choose_option(pilot, "#roles", role_id)
    await on_screen(pilot, CsrQuestionsStep)


async def type_field(pilot: Pilot, name: str, text: str) -> None:
    """Type into the CSR question `name`, replacing what is there."""
    field = pilot.app.screen.query_one(f"#f-{name}", Input)
    field.scroll_visible(animate=False)
    field.focus()
    await pilot.press("home", "shift+end", "delete", *text)
    await pilot.pause()


async def choose_role(pilot: Pilot, role: str) -> None:
    """Check files: choose what the files are for; a role's fields appear once it is chosen."""
    pilot.app.screen.query_one("#role", Select).value = role
    await pilot.pause()
    await wait_for(pilot, lambda: role == "none" or pilot.app.screen.query("#field-fqdn"))


def fill_node(app, name="", addresses="", ip="", tomcat="", ecdsa="") -> None:
    """MRA readiness: fill in the node form."""
    for field_id, value in (("node-name", name), ("node-addresses", addresses), ("node-ip", ip),
                            ("node-tomcat", tomcat), ("node-ecdsa", ecdsa)):
        app.screen.query_one(f"#{field_id}", Input).value = value


async def add_node(pilot: Pilot, **fields: str) -> None:
    """MRA readiness: Enter in the last field adds the node (as the Add node button does)."""
    fill_node(pilot.app, **fields)
    pilot.app.screen.query_one("#node-ecdsa", Input).focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


# --- fixed certificates for snapshots ------------------------------------------------------------
# Every byte a snapshot may show is fixed: EC keys derived from constants, fixed serials and dates,
# deterministic ECDSA signatures (RFC 6979), and a fixed "now" for the days left.

SNAPSHOT_NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
FIXED_START = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)

def fixed_name(cn: str, o: str = "Example Corp") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, o)])


def _key_usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
        encipher_only=False, decipher_only=False)


def fixed_cert(subject: x509.Name | str, secret: int, serial: int, *,
               issuer: Issued | None = None, ca: bool = False, years: int = 2,
               sans: Iterable[str] = (), client_auth: bool = True, key_usage: bool = False,
               public_key: PublicKeyTypes | None = None) -> Issued:
    """A certificate that is the same on every run. Without `issuer` it is self-signed.

    A string subject gets O=Example Corp. `public_key` puts another key in the certificate (a
    fixed RSA one, say) while the EC key of `secret` stays the one that signs what it issues.
    """
    name = fixed_name(subject) if isinstance(subject, str) else subject
    key = ec.derive_private_key(secret, ec.SECP256R1())
    public = public_key or key.public_key()
    signer = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.cert.subject if issuer else name)
        .public_key(public)
        .serial_number(serial)
        .not_valid_before(FIXED_START)
        .not_valid_after(FIXED_START.replace(year=FIXED_START.year + years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), False)
    )
    if key_usage:
        builder = builder.add_extension(_key_usage(ca), critical=True)
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), False)
    if not ca:
        usages = [ExtendedKeyUsageOID.SERVER_AUTH]
        if client_auth:
            usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), False)
    cert = builder.sign(signer, hashes.SHA256(), ecdsa_deterministic=True)
    return Issued(cert, key)


def fixed_chain(secret: int, serial: int, sans: Iterable[str]) -> tuple[Issued, Issued, Issued]:
    """Root, issuing CA and an expe.example.com leaf (O with brackets: markup must show as
    typed); the secrets and serials count up from the given ones."""
    root = fixed_cert("Example Root CA", secret, serial, ca=True, years=10)
    issuing = fixed_cert("Example Issuing CA", secret + 1, serial + 1, issuer=root, ca=True,
                         years=5)
    leaf = fixed_cert(fixed_name("expe.example.com", "Example [Lab]"), secret + 2, serial + 2,
                      issuer=issuing, sans=sans)
    return root, issuing, leaf
