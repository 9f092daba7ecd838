"""Shared fixtures: the bundled example article and the real bundled gazetteer."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "armenia-azerbaijan-2022-09-13.id.txt"
SHARED = ROOT.parent / "shared"
SEED_GOLD = SHARED / "seed" / "gold.json"


def load_script(name: str):
    """scripts/<name>.py as a module (the training scripts are not part of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def seed_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pipeline():
    from geoincidents.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def seed_report(pipeline, seed_text):
    return pipeline.parse(
        seed_text, doc_id="armenia-azerbaijan-2022-09-13", published=datetime.date(2022, 9, 13)
    )


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    if not SEED_GOLD.exists():
        pytest.skip("needs ../shared/seed/gold.json (the shared evaluation data is not in this checkout)")
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))
