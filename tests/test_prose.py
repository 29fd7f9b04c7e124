"""The prose: no machine-dependent figures, a three-hour core path, one agenda.

Timings and speed ratios depend on the machine, so they are printed by cells
(or written when the deck is built), never typed into the prose, where a run
could contradict them. The core path of each chapter (what an attendee does in
the room) ends at the ``GOING_FURTHER`` marker; its markdown is kept short
enough for the agenda's three hours. A chapter the agenda schedules "after the
workshop" is not in the room at all: none of its words are on the core path.
"""

import functools
import re

import pytest
from workbook import CHAPTERS, ROOT, grading, solution

from recsys_workshop.chapters import GOING_FURTHER

#: The prose an attendee or an instructor reads, besides the notebooks' markdown.
TEXT_FILES = ["README.md", "slides/README.md", "slides/deck.md"]
#: The most markdown words the core paths of all chapters may hold together.
CORE_WORDS = 10_000

NUMBER = r"\d[\d,.]*"
UNIT = r"(?:ns|µs|us|ms|s|secs?|seconds?|mins?|minutes?|h|hours?)"
#: Figures that depend on the machine: a time, a speed ratio, a count of slides.
MACHINE_FIGURES = [
    re.compile(rf"(?<![\w.]){NUMBER}(?:\s*(?:-|to)\s*{NUMBER})?[\s-]*{UNIT}\b"),
    re.compile(r"(?<![\w.])\d+(?:\.\d+)?[x×](?!\w)"),
    re.compile(r"(?<![\w.])\d[\d,.]*\s+times\s+(?:faster|slower|quicker|as\s+(?:fast|slow|long))",
               re.IGNORECASE),
    re.compile(r"(?<![\w.])\d+\s+slides?\b", re.IGNORECASE),
]
#: Phrases whose figure is not machine-dependent, and why.
ALLOWED = {
    "once a call takes more than 0.2 s": "chapter 3's race: a setting, not a measurement",
    "once a call exceeds 0.2 s": "the deck's caption of the same setting",
    "may run for 120 s": "the course's cell timeout, a setting",
    "default of 30 s": "nbgrader's default cell timeout, a setting",
    "against the 2-minute budget": "make bench's budget, a target rather than a measurement",
    "its own 90 s": "make bench's budget for chapter 6, a target",
    "a budget of 20 s a cell": "make bench's budget for a core-path cell, a target",
    "at most 3 times slower": "make bench's target for ALS by hand, not a measurement",
    "2 to 8 slides": "the per-chapter rule tests/test_slides.py enforces, not a count",
    "each run capped at 10 s": "make loadtest's time cap per run, a setting",
    "a p99 under 25 ms": "make bench's target for the service, not a measurement",
}
#: One agenda row: its time slot and its notebook, if any.
AGENDA_ROW = re.compile(r"^\| (\d:\d\d - \d:\d\d|after the workshop) \| (?:`(\w+)`)? *\|", re.M)


def _markdown(chapter: str) -> list[str]:
    return [cell.source for cell in solution(chapter).cells if cell.cell_type == "markdown"]


def _prose() -> list[tuple[str, str]]:
    """``(where, text)`` of every markdown cell of the solutions and of every text file."""
    texts = [(f"{chapter}, markdown cell {index}", text)
             for chapter in CHAPTERS for index, text in enumerate(_markdown(chapter))]
    return texts + [(name, (ROOT / name).read_text(encoding="utf-8")) for name in TEXT_FILES]


def machine_figures(text: str) -> list[str]:
    """The machine-dependent figures of ``text`` that no ``ALLOWED`` phrase covers."""
    flat = " ".join(text.split())
    allowed = [range(match.start(), match.end()) for phrase in ALLOWED
               for match in re.finditer(re.escape(phrase), flat)]
    return [match.group(0) for pattern in MACHINE_FIGURES for match in pattern.finditer(flat)
            if not any(match.start() in span and match.end() - 1 in span for span in allowed)]


@pytest.mark.parametrize("text, found", [
    ("the reference takes about 0.08 s per iteration", ["0.08 s"]),
    ("about 0.6x, that is 1.6 times\nslower", ["0.6x", "1.6 times slower"]),
    ("builds in about 10 s, under 2 seconds on 2 cores", ["10 s", "2 seconds"]),
    ("a 4,338 x 3,664 matrix of 12 units, 2 cores, 30 skus", []),
    ("The deck has 41 slides", ["41 slides"]),
    ("each stops once a call takes more than 0.2 s", []),
])
def test_machine_figures_finds_times_ratios_and_slide_counts(text, found):
    assert machine_figures(text) == found


def test_the_prose_states_no_machine_dependent_figure():
    offending = {where: found for where, text in _prose() if (found := machine_figures(text))}
    assert not offending, (
        "machine-dependent figures in the prose (print them from a cell or from "
        f"slides/figures.py, or add an explained phrase to ALLOWED): {offending}")


def core_and_optional_words(chapter: str) -> tuple[int, int]:
    """Markdown words of the chapter's core path (final recap included) and of its optional part.

    A chapter the agenda schedules after the workshop has no core path: it is
    optional from its title to its recap.
    """
    markdown = _markdown(chapter)
    words = [len(text.split()) for text in markdown]
    if chapter in _after_the_workshop():
        return 0, sum(words)
    markers = [index for index, text in enumerate(markdown) if text.startswith(GOING_FURTHER)]
    if not markers:
        return sum(words), 0
    optional = sum(words[markers[0]:-1])
    return sum(words) - optional, optional


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_optional_part_starts_at_the_one_marker_before_the_recap(chapter):
    markdown = _markdown(chapter)
    mentions = [text for text in markdown
                if any("going further" in line.lower() for line in text.splitlines()
                       if line.startswith("#"))]
    markers = [index for index, text in enumerate(markdown) if text.startswith(GOING_FURTHER)]
    assert len(mentions) == len(markers) <= 1, (
        f"{chapter}: a 'Going further' heading must be one cell starting with {GOING_FURTHER!r}")
    if markers:
        assert 0 < markers[0] < len(markdown) - 1, f"{chapter}: the marker must precede the recap"
        assert markdown[markers[0]].split("\n", 1)[0] == GOING_FURTHER


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_graded_exercises_sit_on_the_core_path_unless_the_whole_chapter_is_optional(chapter):
    cells = solution(chapter).cells
    start = next((index for index, cell in enumerate(cells)
                  if cell.cell_type == "markdown" and cell.source.startswith(GOING_FURTHER)),
                 len(cells))
    core = [cell for cell in cells[:start] if grading(cell).get("grade")]
    optional = [cell for cell in cells[start:] if grading(cell).get("grade")]
    assert not (core and optional), f"{chapter}: graded exercises on both sides of the marker"
    if optional:
        row = next(line for line in _agenda_lines(_welcome_agenda()) if f"`{chapter}`" in line)
        assert "Optional" in row, f"{chapter} is optional: its agenda row must say so"


def test_the_core_path_fits_the_agenda():
    counts = {chapter: core_and_optional_words(chapter) for chapter in CHAPTERS}
    print(f"\n{'chapter':<24} {'core':>6} {'optional':>9}")
    for chapter, (core, optional) in counts.items():
        print(f"{chapter:<24} {core:>6,} {optional:>9,}")
    total_core = sum(core for core, _ in counts.values())
    print(f"{'all':<24} {total_core:>6,} {sum(optional for _, optional in counts.values()):>9,}")
    assert total_core <= CORE_WORDS, (
        f"the core paths hold {total_core:,} words of markdown, more than {CORE_WORDS:,}: "
        f"move deep-dives past {GOING_FURTHER!r} ({counts})")


def _welcome_agenda() -> str:
    return next(text for text in _markdown(CHAPTERS[0]) if "## Agenda" in text)


def _agenda_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if AGENDA_ROW.match(line)]


def _agenda(text: str) -> list[tuple[str, str]]:
    return AGENDA_ROW.findall(text)


@functools.cache
def _after_the_workshop() -> frozenset[str]:
    """The chapters the agenda schedules after the workshop: not on its three-hour core path."""
    return frozenset(notebook for slot, notebook in _agenda(_welcome_agenda())
                     if slot == "after the workshop" and notebook)


def test_readme_welcome_and_deck_share_one_agenda_with_every_chapter():
    welcome = _agenda(_welcome_agenda())
    assert [notebook for _, notebook in welcome if notebook] == CHAPTERS
    assert _agenda((ROOT / "README.md").read_text(encoding="utf-8")) == welcome
    assert _agenda((ROOT / "slides/deck.md").read_text(encoding="utf-8")) == welcome
    ends = [slot.split(" - ")[1] for slot, _ in welcome if " - " in slot]
    assert ends[-1] == "3:00", "the core path is planned for three hours"
