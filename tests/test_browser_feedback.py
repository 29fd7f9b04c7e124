"""Every failure teaches: what an attendee sees below a failing test cell, in chromium.

Chapter 1's first exercise is answered with one classic mistake at a time, in a
1280 x 800 window; after Run All the test cell is scrolled to the top of the
notebook, and the failure's "expected" and "hint" lines must be on that first
screen, under the cell's own line and no frame of the ``recsys_workshop`` package.
Screenshots go to ``tests/screenshots/feedback-*.png`` (git-ignored). Skips as
``test_browser.py`` does when chromium or Playwright is absent.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from test_browser import (  # noqa: F401 (browser, lab and page are fixtures)
    CELLS,
    CHAPTER,
    EXERCISE,
    SHOW_CELL,
    SHUT_DOWN_KERNEL,
    Lab,
    _index,
    _open_notebook,
    _run_all,
    _screenshot,
    _type_into_cell,
    browser,
    lab,
    page,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser]

# Put the active cell (SHOW_CELL makes it active) at the top of the notebook's viewport.
SCROLL_TO_TOP = """() => {
    document.querySelector('.jp-Notebook .jp-Cell.jp-mod-active')
        .scrollIntoView({block: 'start'});
}"""
# The text lines of the active cell's error output and, for each, whether it is
# wholly inside the browser window (the first screen, without scrolling).
VISIBLE_LINES = """() => {
    const output = document.querySelector(
        '.jp-Notebook .jp-Cell.jp-mod-active .jp-OutputArea-output'
        + '[data-mime-type="application/vnd.jupyter.stderr"]');
    if (output === null) return null;
    const walker = document.createTreeWalker(output, NodeFilter.SHOW_TEXT);
    const lines = [];
    let current = {text: '', visible: true};
    const range = document.createRange();
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const parts = node.textContent.split('\\n');
        parts.forEach((part, index) => {
            if (index > 0) {
                lines.push(current);
                current = {text: '', visible: true};
            }
            if (part.length === 0) return;
            const start = node.textContent.split('\\n').slice(0, index).join('\\n').length
                + (index > 0 ? 1 : 0);
            range.setStart(node, start);
            range.setEnd(node, start + part.length);
            const box = range.getBoundingClientRect();
            current.text += part;
            current.visible = current.visible && box.top >= 0 && box.bottom <= window.innerHeight;
        });
    }
    lines.push(current);
    return lines;
}"""

# One wrong answer per classic mistake: the answer, the label of the failing case and
# a piece of its hint.
MISTAKES = {
    "indices-from-1": ('''def build_index_mapping(values):
    mapping = {}
    for value in values:
        if value not in mapping:
            mapping[value] = len(mapping) + 1
    return mapping
''', "the original workshop's customers", "Number from 0"),
    "sorted-ids": ('''def build_index_mapping(values):
    return {value: index for index, value in enumerate(sorted(set(values)))}
''', "indices follow first appearance, not alphabetical order", "Do not sort the values"),
    "len-of-a-generator": ('''def build_index_mapping(values):
    mapping = {}
    for position in range(len(values)):
        if values[position] not in mapping:
            mapping[values[position]] = len(mapping)
    return mapping
''', "a generator can be read only once", "Iterate over the values once"),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_a_classic_mistake_shows_expected_and_hint_on_the_first_screen(
        page: Page, lab: Lab, mistake: str) -> None:  # noqa: F811 (fixtures)
    answer, label, hint = MISTAKES[mistake]
    _open_notebook(page, lab, CHAPTER)
    try:
        cells = page.evaluate(CELLS)
        test_cell = _index(cells, f"test_{EXERCISE}")
        _type_into_cell(page, _index(cells, EXERCISE), answer)
        cells = _run_all(page)
        [error] = [output for output in cells[test_cell]["outputs"]
                   if output["output_type"] == "error"]
        assert error["ename"] == "CheckFailure", error
        assert not [output for output in cells[test_cell]["outputs"]
                    if output["output_type"] == "stream"], "the test cell printed more"

        page.evaluate(SHOW_CELL, test_cell)
        page.evaluate(SCROLL_TO_TOP)
        page.locator(".jp-Notebook .jp-Cell.jp-mod-active .jp-OutputArea-output").first \
            .wait_for(state="visible")
        page.wait_for_timeout(500)  # let the scroll settle before the positions are read
        _screenshot(page, f"feedback-{mistake}.png")
        lines = page.evaluate(VISIBLE_LINES)
        assert lines, "the test cell shows no error output"
        on_screen = [line["text"] for line in lines if line["visible"]]
        text = "\n".join(line["text"] for line in lines)

        assert f"failed on: {label}" in text, text
        for field in ("  input:", "  expected:", "  got:", "  why:", f"  hint:     {hint}"):
            assert any(line.startswith(field) for line in on_screen), (
                f"{field!r} is not on the first screen; visible lines:\n" + "\n".join(on_screen))
        assert "recsys_workshop" not in text.replace("from recsys_workshop import", ""), text
        assert any(re.match(r"-+> \d+ exercises\.check\(", line) for line in on_screen), (
            "the test cell's own line is not on the first screen")
    finally:
        page.evaluate(SHUT_DOWN_KERNEL)
