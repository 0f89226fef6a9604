"""Keys and CSRs from a role plan: build and sign the request, write the key (0600) and the CSR.

The steps are separate so a screen can run the slow one (RSA key generation) in a worker:
`target_paths` (what will be written, for the review screen) -> `new_key` or `load_reuse_key` ->
`build_csr` -> `write_files`. `create` does all of them for the CLI.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from collabcert import names, rules
from collabcert.errors import InputError
from collabcert.files import PlannedFile, check_plan, write_plan
from collabcert.findings import Finding
from collabcert.keys import KeySpec, describe_key, generate_key, key_spec_of, private_key_pem
from collabcert.roles import RolePlan, check_key_spec

EKU_OIDS: dict[str, ObjectIdentifier] = {
    "serverAuth": ExtendedKeyUsageOID.SERVER_AUTH,
    "clientAuth": ExtendedKeyUsageOID.CLIENT_AUTH,
    "ipsecEndSystem": ObjectIdentifier("1.3.6.1.5.5.7.3.5"),  # seed-004 Tables 1 and 2
}
_SUBJECT_OIDS = {
    "c": NameOID.COUNTRY_NAME,
    "st": NameOID.STATE_OR_PROVINCE_NAME,
    "l": NameOID.LOCALITY_NAME,
    "o": NameOID.ORGANIZATION_NAME,
    "ou": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "cn": NameOID.COMMON_NAME,
}
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
_KU_BITS = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
            "key_agreement", "key_cert_sign", "crl_sign")
KEY_SUFFIX, CSR_SUFFIX = ".key", ".csr"


@dataclass(frozen=True)
class CsrOutcome:
    """What `create` did: the CSR, the files, and what to tell the user about them."""

    plan: RolePlan
    csr: x509.CertificateSigningRequest
    csr_pem: bytes
    key_label: str
    key_path: Path
    csr_path: Path
    written: tuple[Path, ...]
    key_reused: bool
    key_encrypted: bool
    findings: tuple[Finding, ...]


def subject_name(plan: RolePlan) -> x509.Name:
    return x509.Name([x509.NameAttribute(_SUBJECT_OIDS[k], v) for k, v in plan.subject])


def san_extension(plan: RolePlan) -> x509.SubjectAlternativeName | None:
    if not plan.sans:
        return None
    general: list[x509.GeneralName] = []
    for entry in plan.sans:
        if names.is_ip(entry):
            general.append(x509.IPAddress(ipaddress.ip_address(entry)))
        else:
            general.append(x509.DNSName(entry))
    return x509.SubjectAlternativeName(general)


def key_usage(plan: RolePlan) -> x509.KeyUsage:
    wanted = set(plan.role.usage_for(plan.key_spec))
    flags = {bit: bit in wanted for bit in _KU_BITS}
    return x509.KeyUsage(**flags, encipher_only=False, decipher_only=False)


def build_csr(plan: RolePlan, key: PrivateKeyTypes) -> x509.CertificateSigningRequest:
    """Sign a PKCS#10 request: subject, SAN, KU (critical) and EKU requested as extensions."""
    builder = x509.CertificateSigningRequestBuilder().subject_name(subject_name(plan))
    san = san_extension(plan)
    if san is not None:
        builder = builder.add_extension(san, critical=False)
    builder = builder.add_extension(key_usage(plan), critical=True)
    if plan.role.ca_path_len is not None:  # CAPF signs the phones' LSCs (seed-004 L235)
        constraints = x509.BasicConstraints(ca=True, path_length=plan.role.ca_path_len)
        builder = builder.add_extension(constraints, critical=True)
    if plan.role.eku:
        usages = [EKU_OIDS[name] for name in plan.role.eku]
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    return builder.sign(key, _HASHES[plan.digest]())  # type: ignore[arg-type]


def new_key(plan: RolePlan) -> PrivateKeyTypes:
    """The slow step (RSA 4096 takes seconds): a screen runs it in a worker."""
    return generate_key(plan.key_spec)


def reused_key_spec(key: PrivateKeyTypes) -> KeySpec:
    """The key type of a key to reuse; one we do not offer (RSA 1024, DSA, Ed25519) is refused."""
    spec = key_spec_of(key)
    if spec is None:
        raise InputError(f"the key to reuse is {describe_key(key)}, which is not offered; use "
                         "RSA 2048-4096 or EC P-256, P-384 or P-521")
    return spec


def check_key(plan: RolePlan, key: PrivateKeyTypes) -> list[Finding]:
    """Refuse a reused key the role cannot take, as for a new one (seed-004 CU-P04)."""
    spec = reused_key_spec(key)
    found = check_key_spec(plan.role, spec)
    if str(spec) != str(plan.key_spec):
        raise InputError(f"the key to reuse is {spec.label} but the plan says "
                         f"{plan.key_spec.label}; make the plan with that key type")
    return found


def load_reuse_key(path: str | Path, password: bytes | None = None) -> PrivateKeyTypes:
    """Read the one private key in `path` to renew without changing the key (seed-001 L892)."""
    from collabcert.load import read_input  # late: the reader is the heavier module

    loaded = read_input(path, password)
    keys = loaded.keys
    if len(keys) != 1:
        found = "no private key" if not keys else f"{len(keys)} private keys"
        raise InputError(f"{path}: holds {found}; give a file with exactly one private key")
    return keys[0]


def target_paths(plan: RolePlan, out_dir: str | Path) -> tuple[Path, Path]:
    """(key path, CSR path): `<name>.key` and `<name>.csr` in the output folder."""
    folder = Path(out_dir)
    return folder / f"{plan.basename}{KEY_SUFFIX}", folder / f"{plan.basename}{CSR_SUFFIX}"


def csr_pem(csr: x509.CertificateSigningRequest) -> bytes:
    return csr.public_bytes(serialization.Encoding.PEM)


def planned_files(
    plan: RolePlan,
    key: PrivateKeyTypes | None,
    csr: x509.CertificateSigningRequest | None,
    out_dir: str | Path,
    *,
    passphrase: bytes | None = None,
) -> list[PlannedFile]:
    """The files to write. `key=None` leaves the key out (it is already at its target path)."""
    key_path, request_path = target_paths(plan, out_dir)
    files: list[PlannedFile] = []
    if key is not None:
        files.append(PlannedFile(key_path, private_key_pem(key, passphrase), private=True,
                                 what="private key"))
    files.append(PlannedFile(request_path, csr_pem(csr) if csr is not None else b"", what="CSR"))
    return files


def key_notes(plan: RolePlan, *, encrypted: bool, reused: bool) -> list[Finding]:
    notes: list[Finding] = []
    if encrypted and plan.role.product in ("expressway", "cms"):
        notes.append(rules.get("KEY-LOCKED").finding(
            "the private key is written encrypted; Expressway and Meeting Server need it "
            "unlocked for upload"))
    if reused:
        notes.append(rules.get("KEY-REUSED").finding(
            "the CSR reuses the existing key: the new certificate keeps the same public key"))
    return notes


def create(
    plan: RolePlan,
    out_dir: str | Path,
    *,
    key: PrivateKeyTypes | None = None,
    key_source: str | Path | None = None,
    passphrase: bytes | None = None,
    force: bool = False,
    reused: bool | None = None,
    inputs: Sequence[str | Path] = (),
    also: Sequence[PlannedFile] = (),
    make_folders: bool = False,
) -> CsrOutcome:
    """Make (or reuse) the key, sign the CSR and write both; nothing is written on a refusal.

    `key` is a key to reuse; `key_source` is where it came from: when that is the target key
    path itself, the key file is left as it is and only the CSR is written. `reused=False` with
    a `key` means the key was just made (the wizard makes it in a worker first, so a person can
    stop the run before anything is written). `inputs` are the files the command read (no
    output may be one of them); `also` are more files of the same plan (the saved answers), so
    they land with the key and the CSR or none of them does. `make_folders`: a missing output
    folder is made (parents too) when everything else has passed (files.write_plan).
    """
    reused = key is not None if reused is None else reused
    findings = list(plan.findings)
    if key is not None:
        findings.extend(f for f in check_key(plan, key) if f not in findings)
    key_path, request_path = target_paths(plan, out_dir)
    keep_key_file = reused and key_source is not None and same_file(key_source, key_path)
    # refuse before the slow key generation when the targets are already there
    targets = [request_path] if keep_key_file else [key_path, request_path]
    check_plan([PlannedFile(path, b"") for path in targets] + list(also), force, inputs,
               make_folders=make_folders)
    the_key = key if key is not None else new_key(plan)
    request = build_csr(plan, the_key)
    files = planned_files(plan, None if keep_key_file else the_key, request, out_dir,
                          passphrase=passphrase)
    extra = {planned.path for planned in also}
    written = [p for p in write_plan(files + list(also), force=force, inputs=inputs,
                                     make_folders=make_folders) if p not in extra]
    findings.extend(key_notes(plan, encrypted=bool(passphrase) and not keep_key_file,
                              reused=reused))
    return CsrOutcome(plan, request, csr_pem(request), describe_key(the_key), key_path,
                      request_path, tuple(written), reused, bool(passphrase) and not keep_key_file,
                      tuple(findings))


def same_file(a: str | Path, b: Path) -> bool:
    """The same file on disk (a reused key that is its own target stays as it is)."""
    try:
        return Path(a).resolve() == b.resolve()
    except OSError:
        return False
