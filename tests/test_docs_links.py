"""
Every relative link and image in README.md and docs/*.md points at a file in the
tree, and every #anchor at a heading of that file, as GitHub renders them: a moved
file, a renamed guide or a retitled section fails here instead of leaving a dead link.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# Guides that feature branches write at the same time as this one (issue 19's docs
# split links them already). A link to one passes only while the file is absent; once
# it exists it is checked like any other. Drop a name when its branch is merged.

LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
EXTERNAL = ("http://", "https://", "mailto:", "geo:")


def _prose(text: str) -> str:
    """The text without code blocks and inline code, where brackets are not links."""
    return CODE.sub("", FENCE.sub("", text))


def links(text: str) -> list[str]:
    return [m.group(1) for m in LINK.finditer(_prose(text))]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as '-'."""
    plain = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    return re.sub(r"[^\w\- ]", "", plain.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(h) for h in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8")))}


def problems(page: Path) -> list[str]:
    found = []
    for target in links(page.read_text(encoding="utf-8")):
        if target.startswith(EXTERNAL):
            continue
        path_part, _hash, anchor = target.partition("#")
        resolved = (page.parent / path_part).resolve() if path_part else page
        if not resolved.exists():
            found.append(f"{target}: no such file")
            continue
        relative = resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else ""
        if anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            found.append(f"{target}: no heading #{anchor} in {relative}")
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_and_image_points_at_something_that_exists(page):
    assert problems(page) == []


def test_the_guides_the_front_page_and_the_index_promise_are_there():
    names = {p.relative_to(ROOT).as_posix() for p in PAGES}
    for guide in [
        "coordinators",
        "volunteers",
        "leadership",
        "api",
        "operations",
        "production",
        "roads",
        "performance",
        "development",
        "README",
    ]:
        assert f"docs/{guide}.md" in names


def test_a_dead_link_a_dead_image_and_a_dead_anchor_are_each_found(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "real.md").write_text("# Real guide\n\n## Back up\n")
    page = tmp_path / "README.md"
    page.write_text(
        "See [the guide](docs/real.md#back-up), [gone](docs/gone.md),\n"
        "![a picture](docs/screenshots/none.png), [no such part](docs/real.md#restore),\n"
        "[outside](https://example.org/x.md), `[code](not/a/link.md)` and\n"
        "```\n[fenced](not/a/link.md)\n```\n"
    )
    assert problems(page) == [
        "docs/gone.md: no such file",
        "docs/screenshots/none.png: no such file",
        "docs/real.md#restore: no heading #restore in docs/real.md",
    ]


def test_github_anchors_keep_danish_letters_and_drop_punctuation():
    assert slug("Without signal, on any day") == "without-signal-on-any-day"
    assert slug("3. More than one server") == "3-more-than-one-server"
    assert slug("Rækkevidde `pr.` uge") == "rækkevidde-pr-uge"


# The blocks that tools write between markers, and the guide that holds each.
GENERATED = {
    "docs/performance.md": [
        ("<!-- bench:start (written by make bench) -->", "<!-- bench:end -->"),
        ("<!-- bench-scale:start (written by make bench SCALE=10) -->", "<!-- bench-scale:end -->"),
        ("<!-- drill:start (written by make bench) -->", "<!-- drill:end -->"),
    ],
    "docs/volunteers.md": [("<!-- field figures -->", "<!-- /field figures -->")],
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_each_generated_block_is_in_its_guide_once_so_the_tools_that_write_it_find_it(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    for start, end in GENERATED[name]:
        assert text.count(start) == 1 and text.count(end) == 1, start
        assert text.index(start) < text.index(end)
    front = (ROOT / "README.md").read_text(encoding="utf-8")
    assert not any(start in front for start, _end in GENERATED[name])
