"""The text of a PDF as pdftotext reads it (poppler-utils, installed by `make test`)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed: `make test` installs it"
)


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-"), pdf[:60]
    done = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


def key_figure(text: str, label: str) -> str:
    """The figure beside a key figure's label: "20", "50 %", "x", "–"."""
    match = re.search(rf"^\s*{re.escape(label)}\s+(\S+(?: %)?)", text, re.M)
    assert match, f"{label!r} not in the PDF"
    return match[1]


# The stop tables' columns after the stop's name (funders/report.html).
STOP_COLUMNS = (
    "held",
    "people_met",
    "new_people",
    "meals",
    "food_bags",
    "clothing_items",
    "other_items",
    "referrals_total",
)


def stop_tables(text: str, centres: list[str]) -> dict[str, dict[str, dict[str, str]]]:
    """centre → row name (a stop, or "I alt") → column → the cell as printed."""
    tables: dict[str, dict[str, dict[str, str]]] = {}
    section = text.split("Pr. stop", 1)[1].split("Rapporteringsgrad", 1)[0]
    current = None
    for line in section.splitlines():
        name = line.strip()
        if name in centres:
            current = tables.setdefault(name, {})
            continue
        cells = re.split(r"\s{2,}", name)
        if current is None or len(cells) < len(STOP_COLUMNS) + 1 or cells[0] == "Stop":
            continue
        current[cells[0]] = dict(zip(STOP_COLUMNS, cells[1:], strict=False))
    return tables
