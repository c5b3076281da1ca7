"""Shared fixtures: the expensive builds run once per test session."""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.build import Outcome, build
from briefing.options import Options

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = ROOT / "source" / "missouri-ice-cooperation.yaml"


@dataclass
class Built:
    """A source built once for the whole session, with its outputs opened."""

    outcome: Outcome
    out_dir: Path
    pdf_path: Path
    html_path: Path

    @property
    def reader(self) -> PdfReader:
        return PdfReader(self.pdf_path)

    @property
    def html(self) -> str:
        return self.html_path.read_text(encoding="utf-8")


def build_once(source: Path, out_dir: Path, **options: object) -> Built:
    """Build ``source`` into ``out_dir`` and fail loudly if anything went wrong."""
    outcomes = build([source], out_dir, Options(**options))
    (outcome,) = outcomes
    assert outcome.error is None, str(outcome.error)
    return Built(outcome, out_dir, out_dir / f"{source.stem}.pdf", out_dir / f"{source.stem}.html")


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The example briefing, US Letter."""
    return build_once(EXAMPLE, tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="session")
def spanish(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A flat Spanish briefing with authors, an introduction and sources, on A4."""
    folder = tmp_path_factory.mktemp("spanish-src")
    source = folder / "flat-es.yaml"
    shutil.copy(DATA / "flat-es.yaml", source)
    return build_once(source, tmp_path_factory.mktemp("spanish"), paper="a4")


def page_texts(reader: PdfReader) -> list[str]:
    """The extracted text of every page, with hyphenation at line ends undone."""
    return [re.sub(r"\u2010\n", "", page.extract_text()) for page in reader.pages]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to refresh golden files (review the diff!)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def no_unexpected_logs(caplog: pytest.LogCaptureFixture):
    """Fail a test when WeasyPrint or the project logs a warning nobody expected."""
    yield
    unexpected = [
        r for r in caplog.get_records("call")
        if r.levelno >= logging.WARNING and r.name.split(".")[0] in ("weasyprint", "briefing")
        and not getattr(r, "expected", False)
    ]
    assert not unexpected, [r.getMessage() for r in unexpected]
