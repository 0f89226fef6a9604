"""The CLI's text output for a Meeting Server and a CUCM role cites only that product's Cisco
documents (issue 12 item 16), as a person runs it: `csr`, `ca sign`, `bundle` with the key and
`lint`, each in its own process. The CLI keeps the seed ids (grep-able, as in `--json`); a
finding's `cite:` line is the rule's own citation and stays whatever product the rule is from.
The named cross-product steps are collabcert.citations.CROSS_PRODUCT_STEPS.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pki import run_cli

from collabcert.citations import cited_products, cross_product_lines

CASES = {
    "cms-webbridge": ("cms", ["fqdn=join.example.com", "additional-names=meet.example.com"],
                      "webbridge"),
    "cucm-tomcat": ("cucm", ["fqdn=cucm1.example.com", "multi-server-fqdns=cucm2.example.com"],
                    "tomcat"),
}


def said(*argv: str, cwd: Path) -> str:
    """The verb's stdout, without the findings' `cite:` lines."""
    done = run_cli(*argv, cwd=cwd, text=True)
    assert done.returncode in (0, 1), done.stderr
    return "\n".join(line for line in done.stdout.splitlines()
                     if not line.lstrip().startswith("cite:"))


@pytest.mark.parametrize("role", sorted(CASES))
def test_csr_sign_bundle_and_lint_text_cite_the_roles_product(role, tmp_path):
    product, fields, base = CASES[role]
    chain = f"{base}bundle.crt" if product == "cms" else f"{base}-ca-chain.crt"  # ca sign's
    given = [arg for field in fields for arg in ("--field", field)]
    assert run_cli("ca", "init", "lab", "--intermediate", "--key", "ec:p256",
                   cwd=tmp_path).returncode == 0
    texts = {"csr": said("csr", role, *given, "--out", ".", cwd=tmp_path)}
    texts["ca sign"] = said("ca", "sign", f"{base}.csr", "--ca", "lab", "--role", role,
                            cwd=tmp_path)
    (tmp_path / "out").mkdir()
    texts["bundle"] = said("bundle", f"{base}.crt", chain, "--target", product,
                           "--key", f"{base}.key", "--out", "out", cwd=tmp_path)
    key = [] if product == "cucm" else [f"{base}.key"]  # CUCM takes no key upload
    texts["lint"] = said("lint", f"{base}.crt", chain, *key, "--role", role,
                         *given, cwd=tmp_path)
    texts["lint, leaf only"] = said("lint", f"{base}.crt", "--role", role, cwd=tmp_path)
    assert "Next steps" in texts["bundle"] and "multi-SAN" in texts["csr"]
    assert {face: cross_product_lines(product, text) for face, text in texts.items()} == {
        face: [] for face in texts}
    assert product in cited_products(texts["csr"])  # it does cite: its own product's guide
