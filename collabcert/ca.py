"""The lab CA: a root (and optionally an intermediate) in a folder, and signing CSRs with it.

For field engineers building a lab and support reproducing a customer's setup. The commonest
complaint about other CAs is that they drop SANs or EKUs from the request (issue 15: XCA #371,
easy-rsa #218, KSE #114/#153), so here every SAN of the CSR is copied as it is, and a CSR the
role cannot take is refused whole, never trimmed; EKU and KU come from the role catalogue
(collabcert.roles, the tables the csr job uses).

The folder (`collabcert ca init DIR`):

    root.key          the root's private key (unencrypted PKCS#8, 0600)
    root.crt          the root certificate (self-signed)
    intermediate.key  with --intermediate: the issuing CA's key (0600)
    intermediate.crt  with --intermediate: the issuing CA, signed by the root
    ca-chain.crt      the CA chain, issuer first, root last (what the products' trust stores take)

`ca sign` issues with the intermediate when there is one, else with the root.

Why RSA 3072 by default: CUCM wants its RSA certificates signed by an RSA CA (seed-004 L63,
lint CU-X08) and Expressway takes ECDSA only from X14.3 and recommends RSA (seed-001 G11), so an
RSA CA is the one every product trusts; 3072 bits because a CA lives years longer than its
leaves (NIST SP 800-57 gives 2048 bits until 2030). `ec:p384` is offered for ECDSA-only labs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import NameOID

from collabcert import names
from collabcert.csr import EKU_OIDS
from collabcert.errors import InputError, PasswordNeeded
from collabcert.keys import KeySpec, describe_key, generate_key, key_spec_of, parse_key_spec
from collabcert.roles import Role, check_key_spec
from collabcert.sigverify import verify_csr, verify_signature

ROOT_CERT, ROOT_KEY = "root.crt", "root.key"
INTERMEDIATE_CERT, INTERMEDIATE_KEY = "intermediate.crt", "intermediate.key"
CA_CHAIN = "ca-chain.crt"
CA_FILES = (ROOT_KEY, ROOT_CERT, INTERMEDIATE_KEY, INTERMEDIATE_CERT, CA_CHAIN)

DEFAULT_KEY = "rsa:3072"
DEFAULT_NAME = "collabcert lab CA"
ROOT_DAYS, INTERMEDIATE_DAYS = 3650, 1825  # ten and five years, as the seeds' openssl examples
DEFAULT_DAYS = 397  # the CA/Browser Forum's public TLS limit (398 days) less a day of margin
# Apple devices (Jabber and Webex on macOS and iOS are clients here) refuse TLS server
# certificates valid for more than 825 days, even from a root a person added (Apple HT210176).
MAX_DAYS = 825
# UTCTime ends with 2049 and seed-001 CRT-2050 warns about anything later (doc L279): no
# certificate of the lab CA, CA or leaf, ends after this.
LAST_MOMENT = dt.datetime(2049, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
BACKDATE = dt.timedelta(minutes=5)  # a box whose clock is a little behind still accepts it

# Without a role: the plain TLS certificate (the catalogue's own default EKU and KU).
PLAIN_EKU = ("serverAuth", "clientAuth")
PLAIN_KU_RSA = ("digital_signature", "key_encipherment")
PLAIN_KU_EC = ("digital_signature",)

_KU_BITS = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
            "key_agreement", "key_cert_sign", "crl_sign")
WEAK_HASHES = ("sha1", "md5")


@dataclass(frozen=True)
class LabCa:
    """A lab CA read from its folder: who signs, and the CA chain (issuer first, root last)."""

    folder: Path
    issuer: x509.Certificate
    issuer_key: PrivateKeyTypes
    chain: tuple[x509.Certificate, ...]  # issuer ... root

    @property
    def root(self) -> x509.Certificate:
        return self.chain[-1]

    @property
    def has_intermediate(self) -> bool:
        return len(self.chain) > 1


@dataclass(frozen=True)
class NewCa:
    """A CA made in memory (`make_ca`), before it is written."""

    root: x509.Certificate
    root_key: PrivateKeyTypes
    intermediate: x509.Certificate | None = None
    intermediate_key: PrivateKeyTypes | None = None

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """Issuer first, root last."""
        return (self.intermediate, self.root) if self.intermediate else (self.root,)

    def signer(self, folder: Path) -> LabCa:
        """The CA as `load_ca` will read it once written to `folder`."""
        if self.intermediate is not None and self.intermediate_key is not None:
            return LabCa(folder, self.intermediate, self.intermediate_key, self.chain)
        return LabCa(folder, self.root, self.root_key, self.chain)


# --- making the CA ------------------------------------------------------------------------------


def ca_key_spec(text: str | None) -> KeySpec:
    """The CA's key type: the csr verb's choices (keys.parse_key_spec), RSA 3072 by default."""
    return parse_key_spec(text or DEFAULT_KEY)


def signing_hash(key: PrivateKeyTypes) -> hashes.HashAlgorithm:
    """SHA-256 for RSA and P-256; a hash as strong as the curve for P-384 and P-521."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if key.curve.key_size >= 521:
            return hashes.SHA512()
        if key.curve.key_size >= 384:
            return hashes.SHA384()
    return hashes.SHA256()


def ca_name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "collabcert lab"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def check_ca_name(text: str) -> str:
    """The root's CN as typed, stripped; one sentence when X.509 cannot carry it."""
    value = text.strip()
    if not value:
        raise InputError("--name: the CA name is empty; give a name such as 'Lab root CA'")
    if len(value) > 64:
        raise InputError(f"--name: {value!r} is longer than the 64 characters a CN may have")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise InputError("--name: the CA name contains a control character; type plain text")
    return value


def _until(start: dt.datetime, days: int, cap: dt.datetime) -> dt.datetime:
    return min(start + dt.timedelta(days=days), cap, LAST_MOMENT)


def _ca_certificate(subject: x509.Name, key: PrivateKeyTypes, issuer: x509.Name,
                    issuer_key: PrivateKeyTypes, path_length: int, not_after: dt.datetime,
                    now: dt.datetime) -> x509.Certificate:
    public = key.public_key()
    issuer_public = issuer_key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(_key_usage(("key_cert_sign", "crl_sign")), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)  # type: ignore[arg-type]
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public),  # type: ignore[arg-type]
                       critical=False)
    )
    return builder.sign(issuer_key, signing_hash(issuer_key))  # type: ignore[arg-type]


def make_ca(name: str, spec: KeySpec, *, intermediate: bool,
            now: dt.datetime | None = None) -> NewCa:
    """A root (pathlen 1 above an intermediate, else 0) and, on request, an intermediate
    (pathlen 0) signed by it. The slow step (RSA key generation): a screen runs it in a worker."""
    now = now or dt.datetime.now(dt.UTC)
    root_key = generate_key(spec)
    root_name = ca_name(name)
    root = _ca_certificate(root_name, root_key, root_name, root_key, 1 if intermediate else 0,
                           _until(now, ROOT_DAYS, LAST_MOMENT), now)
    if not intermediate:
        return NewCa(root, root_key)
    key = generate_key(spec)
    inter = _ca_certificate(ca_name(f"{name} intermediate"[:64]), key, root_name, root_key, 0,
                            _until(now, INTERMEDIATE_DAYS, root.not_valid_after_utc), now)
    return NewCa(root, root_key, inter, key)


# --- reading the CA back -----------------------------------------------------------------------


def has_ca(folder: Path) -> list[Path]:
    """The lab CA files already in `folder` (empty when there is none)."""
    return [folder / name for name in CA_FILES if (folder / name).exists()]


def load_ca(folder: str | Path) -> LabCa:
    """The CA in `folder`: the intermediate signs when there is one, else the root. Every
    problem is one sentence naming the file."""
    base = Path(folder)
    if not base.is_dir():
        raise InputError(f"{base}: no such CA folder; make one with collabcert ca init {base}")
    if not (base / ROOT_CERT).exists():
        raise InputError(f"{base}: holds no lab CA ({ROOT_CERT} is missing); make one with "
                         f"collabcert ca init {base}")
    root, root_key = _certificate_and_key(base, ROOT_CERT, ROOT_KEY)
    if not verify_signature(root, root).verified:
        raise InputError(f"{base / ROOT_CERT}: is not a self-signed root; run collabcert ca init "
                         "again")
    if not (base / INTERMEDIATE_CERT).exists():
        return LabCa(base, root, root_key, (root,))
    inter, inter_key = _certificate_and_key(base, INTERMEDIATE_CERT, INTERMEDIATE_KEY)
    if not verify_signature(inter, root).verified:
        raise InputError(f"{base / INTERMEDIATE_CERT}: was not signed by {base / ROOT_CERT}; "
                         "the folder mixes two CAs; run collabcert ca init again with --force")
    return LabCa(base, inter, inter_key, (inter, root))


def _certificate_and_key(base: Path, cert_name: str, key_name: str
                         ) -> tuple[x509.Certificate, PrivateKeyTypes]:
    from collabcert.keys import same_public_key
    from collabcert.load import read_input  # late: the reader is the heavier module

    cert_path, key_path = base / cert_name, base / key_name
    certs = read_input(cert_path).certificates
    if len(certs) != 1:
        raise InputError(f"{cert_path}: holds {len(certs)} certificates, not one; run "
                         "collabcert ca init again")
    if not (key_path).exists():
        raise InputError(f"{key_path}: the CA's private key is missing; a CA without its key "
                         "cannot sign")
    try:
        found = read_input(key_path).keys
    except PasswordNeeded:
        raise InputError(f"{key_path}: the CA key is encrypted; the lab CA keeps its keys "
                         "unencrypted (mode 0600): write it unencrypted with collabcert convert "
                         "--to pem --password-file F") from None
    if len(found) != 1 or not same_public_key(found[0], certs[0]):
        raise InputError(f"{key_path}: is not the key of {cert_path}; run collabcert ca init "
                         "again with --force")
    if not is_ca_certificate(certs[0]):
        raise InputError(f"{cert_path}: is not a CA certificate (basicConstraints CA:TRUE)")
    return certs[0], found[0]


def is_ca_certificate(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


# --- signing a CSR -------------------------------------------------------------------------------


def read_csr(path: str | Path) -> x509.CertificateSigningRequest:
    """The one CSR in `path` (PEM or DER)."""
    from collabcert.load import read_input

    found = read_input(path).csrs
    if len(found) != 1:
        what = "no CSR" if not found else f"{len(found)} CSRs"
        raise InputError(f"{path}: holds {what}; give a file with exactly one CSR")
    return found[0]


# Why a SHA-1 or MD5 CSR is refused, in the role's own product's words (issue 12 item 16: a
# CUCM or CMS refusal does not cite an Expressway document). Without a role it is our own rule.
WEAK_HASH_WHY = {
    "expressway": " (seed-001 L330: Expressway offers no SHA-1 from X8.10)",
    "cms": " (seed-003 G13: pki csr signs with SHA256)",
    "cucm": " (seed-004 CSR6: the CA signs with SHA256)",
}


def check_csr(csr: x509.CertificateSigningRequest, source: str,
              role: Role | None = None) -> None:
    """Refuse a CSR whose signature does not verify, or that is signed with SHA-1 or MD5:
    collabcert never signs with them, whatever the role (WEAK_HASH_WHY says each product's)."""
    check = verify_csr(csr)
    if check.weak_hash in WEAK_HASHES:
        why = WEAK_HASH_WHY.get(role.product, "") if role else ""
        raise InputError(f"{source}: the CSR is signed with {check.weak_hash.upper()}, which is "
                         f"refused{why}; make the CSR again with SHA-256")
    if not check.verified:
        raise InputError(f"{source}: the CSR's signature does not verify ({check.reason}); it "
                         "was changed or damaged; ask for the CSR again")


def csr_key_spec(csr: x509.CertificateSigningRequest, role: Role | None, source: str) -> KeySpec:
    """The CSR's key type; one collabcert does not offer, or one the role cannot take
    (seed-004 CU-P04), is refused."""
    public = csr.public_key()
    spec = key_spec_of(public)  # type: ignore[arg-type]
    if spec is None:
        raise InputError(f"{source}: the CSR's key is {describe_key(public)}, which no product "  # type: ignore[arg-type]
                         "here takes; make the CSR with RSA 2048-4096 or EC P-256, P-384 or "
                         "P-521")
    if role is not None:
        try:
            check_key_spec(role, spec)
        except InputError as exc:
            raise InputError(f"{source}: {exc}") from None
    return spec


def csr_sans(csr: x509.CertificateSigningRequest) -> x509.SubjectAlternativeName | None:
    try:
        return csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None
    except ValueError as exc:
        raise InputError(f"the CSR's extensions cannot be read ({exc}); ask for the CSR "
                         "again") from None


XMPP_ADDR = x509.ObjectIdentifier("1.3.6.1.5.5.7.8.5")


def san_refusal(role: Role, entry: x509.GeneralName) -> str:
    """Why the role cannot carry this SAN ("" when it can), by the catalogue's own name checks:
    a DNS name or IP is taken when one of the role's name fields would take it."""
    name_fields = [f for f in role.fields if f.kind.value in ("name", "names")]
    if isinstance(entry, x509.DNSName | x509.IPAddress):
        text = str(entry.value)
        if not name_fields:
            return ""
        reasons = [f.check(text).error for f in name_fields]
        if all(reasons):
            return reasons[0].split(": ", 1)[-1]
        return ""
    if isinstance(entry, x509.OtherName) and entry.type_id == XMPP_ADDR \
            and role.product == "expressway":
        return "is an XMPPAddress, which must not be used (seed-001 L459); use the DNS format"
    return ""


def cn_refusal(role: Role, csr: x509.CertificateSigningRequest) -> str:
    """Why the role cannot carry the CSR's CN ("" when it can): the database client's CN is
    always postgres (seed-003 R12); an Expressway CN must be an FQDN (seed-001 L425)."""
    from collabcert.dn import cn

    name = cn(csr)
    if role.fixed_cn:
        return "" if name == role.fixed_cn else (
            f"the CN is {name!r}, but a {role.id} certificate's CN is always "
            f"{role.fixed_cn!r} (seed-003 R12)")
    spec = role.field("fqdn")
    if role.product == "expressway" and name and spec is not None:
        reason = spec.check(name).error
        return f"the CN {reason.split(': ', 1)[-1]}" if reason else ""
    return ""


def check_sans(csr: x509.CertificateSigningRequest, role: Role | None, source: str) -> None:
    """Every SAN is kept, so a SAN the role cannot carry refuses the whole CSR (never trimmed);
    a role that needs names refuses a CSR without any (clients match the SAN, not the CN)."""
    sans = csr_sans(csr)
    if role is None:
        return
    refusal = cn_refusal(role, csr)
    if refusal:
        raise InputError(f"{source}: {refusal}; nothing was signed; make the CSR again with "
                         f"collabcert csr {role.id}")
    if sans is None or not len(sans):
        if role.has_san:
            raise InputError(f"{source}: the CSR has no subjectAltName, and {role.id} "
                             "certificates are matched by their SANs; make the CSR with "
                             f"collabcert csr {role.id}")
        return
    for entry in sans:
        reason = san_refusal(role, entry)
        if reason:
            shown = names.san_preview([str(entry.value)]) if isinstance(
                entry, x509.DNSName | x509.IPAddress) else type(entry).__name__
            raise InputError(f"{source}: the SAN {shown} cannot go into a {role.id} "
                             f"certificate: {reason}; nothing was signed, as a SAN is never "
                             "dropped; make the CSR again without it")


def usages_for(role: Role | None, spec: KeySpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(KU bits, EKU names) from the role catalogue; the plain TLS pair without a role."""
    if role is None:
        ku = PLAIN_KU_EC if spec.algorithm == "ec" else PLAIN_KU_RSA
        return ku, PLAIN_EKU
    return role.usage_for(spec), role.eku


def _key_usage(bits: Sequence[str]) -> x509.KeyUsage:
    wanted = set(bits)
    return x509.KeyUsage(**{bit: bit in wanted for bit in _KU_BITS}, encipher_only=False,
                         decipher_only=False)


def leaf_not_after(ca: LabCa, days: int, now: dt.datetime) -> dt.datetime:
    """now + days, never after the issuer (a leaf cannot outlive its CA) nor 2049-12-31."""
    return _until(now, days, ca.issuer.not_valid_after_utc)


def check_days(days: int) -> int:
    if days < 1 or days > MAX_DAYS:
        raise InputError(f"--days {days}: give 1 to {MAX_DAYS} days (Apple devices refuse TLS "
                         f"certificates valid longer than {MAX_DAYS} days); the default is "
                         f"{DEFAULT_DAYS}")
    return days


def issue(ca: LabCa, csr: x509.CertificateSigningRequest, spec: KeySpec, role: Role | None,
          not_after: dt.datetime, now: dt.datetime) -> x509.Certificate:
    """The certificate: the CSR's subject and every SAN as requested, the role's KU
    (critical) and EKU, CA:FALSE, SKI and AKI. Checks (check_csr, check_sans) come first."""
    ku, eku = usages_for(role, spec)
    public = csr.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(ca.issuer.subject)
        .public_key(public)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ku), critical=True)
        .add_extension(x509.ExtendedKeyUsage([EKU_OIDS[name] for name in eku]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)  # type: ignore[arg-type]
        .add_extension(_authority_key_id(ca.issuer), critical=False)
    )
    sans = csr_sans(csr)
    if sans is not None and len(sans):
        # RFC 5280 4.2.1.6: critical when the subject is empty; the value copied as requested
        builder = builder.add_extension(sans, critical=not list(csr.subject))
    return builder.sign(ca.issuer_key, signing_hash(ca.issuer_key))  # type: ignore[arg-type]


def _authority_key_id(issuer: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    try:
        ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
    except x509.ExtensionNotFound:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key())  # type: ignore[arg-type]
