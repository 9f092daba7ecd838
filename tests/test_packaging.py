"""An installed (not editable) geoincidents finds its bundled gazetteer.

pyproject.toml maps the repository's gazetteer/ into the package as geoincidents/_gazetteer/
and names the files it takes (package-data). The test lays out a site folder the way an
installer does from those settings and runs the package from there, away from the repository.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib

from conftest import ROOT


def _installed_layout(site):
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    shutil.copytree(ROOT / "geoincidents", site / "geoincidents",
                    ignore=shutil.ignore_patterns("__pycache__", "_gazetteer"))
    for package, source in config["package-dir"].items():
        target = site.joinpath(*package.split("."))
        target.mkdir(parents=True)
        for pattern in config["package-data"][package]:
            for f in (ROOT / source).glob(pattern):
                shutil.copy(f, target / f.name)


def test_an_installed_package_opens_its_own_gazetteer(tmp_path):
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    _installed_layout(site)
    elsewhere.mkdir()
    probe = ("import json; from geoincidents.gazetteer import BUNDLED_DIR, open_gazetteer; "
             "from geoincidents.names import fold; "
             "g = open_gazetteer(); "
             "print(json.dumps([str(BUNDLED_DIR), [c.place.country_code for c in g.candidates(fold('Goris'))]]))")
    env = {k: v for k, v in os.environ.items() if k != "GEOINCIDENTS_GAZETTEER"}
    env["PYTHONPATH"] = str(site)
    run = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    where, countries = json.loads(run.stdout)
    assert where == str(site / "geoincidents" / "_gazetteer")
    assert "AM" in countries
    for kept in ("ATTRIBUTION.md", "SOURCES.json", "places.sqlite.sha256"):  # the licence travels with the data
        assert (site / "geoincidents" / "_gazetteer" / kept).is_file()
