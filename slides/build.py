"""Build the instructor's deck, ``slides/deck.md``, into ``slides/_build/index.html``.

Usage (``make slides`` runs it with the project's Python)::

    python slides/build.py [--output FOLDER]

The build

1. checks that the real Online Retail data is cached (two figures need it) and
   stops with a message saying how to get it when it is not;
2. installs reveal.js and KaTeX with ``npm ci`` from the committed
   ``package-lock.json``, when ``node_modules/`` is missing or older than it;
3. splits ``deck.md`` into slides, renders their Markdown with mistune and
   typesets every formula with KaTeX (``katex_render.mjs``, run by node);
4. measures and draws the figures (``figures.py``) into ``figures/``;
5. writes ``index.html`` and copies next to it only the files the deck uses.

Everything the deck loads is in the output folder, so it works offline. The
output is assembled in a sibling folder and replaces the old deck only once
complete, so several builds may run at once. The format of ``deck.md`` is
described in ``slides/README.md``.
"""

import argparse
import contextlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import mistune
import pandas as pd

from recsys_workshop import data

SLIDES = Path(__file__).resolve().parent
DECK = SLIDES / "deck.md"
NODE_MODULES = SLIDES / "node_modules"
DEFAULT_OUTPUT = SLIDES / "_build"

#: What the deck loads, in this order: {path in the output folder: path under node_modules/}.
#: The deck's own stylesheet, deck.css, comes after these.
STYLESHEETS = {
    "lib/reveal/reset.css": "reveal.js/dist/reset.css",
    "lib/reveal/reveal.css": "reveal.js/dist/reveal.css",
    "lib/reveal/theme/white.css": "reveal.js/dist/theme/white.css",
    "lib/katex/katex.min.css": "katex/dist/katex.min.css",
}
SCRIPTS = {
    "lib/reveal/reveal.js": "reveal.js/dist/reveal.js",
    "lib/reveal/plugin/notes.js": "reveal.js/dist/plugin/notes.js",
}
#: Also copied: the fonts katex.min.css points to, and the libraries' licences.
SUPPORT = {
    "lib/katex/fonts": "katex/dist/fonts",
    "lib/katex/LICENSE": "katex/LICENSE",
    "lib/reveal/LICENSE": "reveal.js/LICENSE",
}
DECK_CSS = "deck.css"
FIGURES = "figures"

SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)
CHAPTER = re.compile(r"^<!--\s*chapter\s+(\d+)\s*:\s*(.+?)\s*-->[ \t]*$\n?", re.MULTILINE)
ATTRIBUTES = re.compile(r"^<!--\s*\.slide:\s*(.*?)\s*-->[ \t]*$\n?", re.MULTILINE)
ATTRIBUTE = re.compile(r'\s*[a-zA-Z][\w-]*="[^"]*"')
NOTES = re.compile(r"^Note:[ \t]*$", re.MULTILINE)
TITLE = re.compile(r"^#[ \t]+(.+?)[ \t]*$", re.MULTILINE)
IMAGE = re.compile(r'<img\s[^>]*?src="([^"]*)"')
FORMULA = re.compile("\ue000(\\d+)\ue001")  # a formula's placeholder until KaTeX typesets it

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
{stylesheets}
</head>
<body>
<div class="reveal">
<div class="slides">
{slides}
</div>
</div>
{scripts}
<script>
Reveal.initialize({{ hash: true, slideNumber: "c/t", plugins: [RevealNotes] }});
</script>
</body>
</html>
"""


class BuildError(RuntimeError):
    """The deck cannot be built; the message says why and what to do."""


@dataclass
class Slide:
    """One slide of ``deck.md``: its place, chapter, Markdown and speaker notes."""

    number: int
    chapter: int
    chapter_title: str
    attributes: str
    markdown: str
    notes: str


def parse_deck(text: str) -> list[Slide]:
    """Split the deck's source into slides.

    Parameters
    ----------
    text : str
        The source: slides separated by lines ``---``; a line
        ``<!-- chapter N: title -->`` starts chapter ``N`` (the slides that
        follow belong to it); ``<!-- .slide: name="value" ... -->`` adds HTML
        attributes to its slide; everything after a line ``Note:`` is the
        slide's speaker notes.

    Returns
    -------
    list of Slide
        In order, numbered from 1.

    Raises
    ------
    BuildError
        If a slide comes before the first chapter, is empty, has malformed
        attributes, or if chapters are not in increasing order.
    """
    slides: list[Slide] = []
    chapter: tuple[int, str] | None = None
    for number, chunk in enumerate(SEPARATOR.split(text), start=1):
        if match := CHAPTER.search(chunk):
            if chapter is not None and int(match[1]) <= chapter[0]:
                raise BuildError(f"slide {number} starts chapter {match[1]} after chapter "
                                 f"{chapter[0]}: chapters must come in increasing order")
            chapter = (int(match[1]), match[2])
            chunk = CHAPTER.sub("", chunk, count=1)
        if chapter is None:
            raise BuildError(f"slide {number} comes before the first "
                             "'<!-- chapter N: title -->' line")
        attributes = ""
        if match := ATTRIBUTES.search(chunk):
            attributes = match[1]
            if ATTRIBUTE.sub("", attributes).strip():
                raise BuildError(f'slide {number}: cannot read the attributes {attributes!r}; '
                                 'write them as name="value" pairs')
            chunk = ATTRIBUTES.sub("", chunk, count=1)
        markdown, *notes = NOTES.split(chunk, maxsplit=1)
        if not markdown.strip():
            raise BuildError(f"slide {number} is empty")
        slides.append(Slide(number, *chapter, attributes, markdown.strip(), "".join(notes).strip()))
    return slides


def deck_title(slides: list[Slide]) -> str:
    """The title of the deck: the ``# heading`` of its first slide, the title slide.

    Raises
    ------
    BuildError
        If the first slide has no ``# heading``.
    """
    match = TITLE.search(slides[0].markdown)
    if match is None:
        raise BuildError("the first slide is the title slide: give it a '# title' heading")
    return match[1]


class _Renderer(mistune.HTMLRenderer):
    """Mistune's HTML renderer that leaves a placeholder for each formula, to typeset later."""

    def __init__(self) -> None:
        super().__init__(escape=False)  # the deck may hold HTML, e.g. two columns
        self.formulas: list[tuple[str, bool]] = []

    def inline_math(self, text: str) -> str:
        return self._placeholder(text, display=False)

    def block_math(self, text: str) -> str:
        return f'<div class="math">{self._placeholder(text, display=True)}</div>\n'

    def _placeholder(self, tex: str, *, display: bool) -> str:
        self.formulas.append((tex, display))
        return f"\ue000{len(self.formulas) - 1}\ue001"


def render_slides(slides: list[Slide]) -> list[str]:
    """Each slide as a ``<section>``, its formulas typeset by KaTeX.

    Parameters
    ----------
    slides : list of Slide
        As :func:`parse_deck` returns them.

    Returns
    -------
    list of str
        One ``<section>`` per slide. The slides without an ``<h1>`` start with
        their chapter's name.

    Raises
    ------
    BuildError
        If KaTeX cannot typeset a formula.
    """
    renderer = _Renderer()
    markdown = mistune.create_markdown(renderer=renderer,
                                       plugins=["math", "table", "strikethrough"])
    sections = []
    for slide in slides:
        body = markdown(slide.markdown)
        if "<h1" not in body:
            body = (f'<p class="kicker">Chapter {slide.chapter} · '
                    f"{html.escape(slide.chapter_title)}</p>\n{body}")
        if slide.notes:
            body += f'<aside class="notes">\n{markdown(slide.notes)}</aside>\n'
        attributes = f" {slide.attributes}" if slide.attributes else ""
        sections.append(f'<section id="slide-{slide.number}" data-chapter="{slide.chapter}"'
                        f"{attributes}>\n{body}</section>")
    typeset = _katex(renderer.formulas)
    return [FORMULA.sub(lambda match: typeset[int(match[1])], section) for section in sections]


def _katex(formulas: list[tuple[str, bool]]) -> list[str]:
    """The HTML of each ``(tex, display)`` formula, typeset by KaTeX in one node process."""
    node = _tool("node")
    result = subprocess.run([node, str(SLIDES / "katex_render.mjs")], cwd=SLIDES,
                            input=json.dumps(formulas), capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise BuildError(result.stderr.strip() or f"node exited with code {result.returncode}")
    return json.loads(result.stdout)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BuildError(f"{name} was not found: the slides need Node.js 20 or newer and npm "
                         "(https://nodejs.org), which install reveal.js and KaTeX")
    return path


def install_packages() -> bool:
    """Install reveal.js and KaTeX into ``slides/node_modules`` with ``npm ci``, if needed.

    Returns
    -------
    bool
        Whether ``npm ci`` ran (it does when ``node_modules`` is missing or
        older than ``package.json`` or ``package-lock.json``).

    Raises
    ------
    BuildError
        If npm is missing or the installation fails.
    """
    installed = NODE_MODULES / ".package-lock.json"  # npm writes it on every install
    newest = max((SLIDES / name).stat().st_mtime for name in ("package.json", "package-lock.json"))
    if installed.is_file() and installed.stat().st_mtime >= newest:
        return False
    result = subprocess.run([_tool("npm"), "ci", "--no-audit", "--no-fund", "--prefer-offline"],
                            cwd=SLIDES, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError("`npm ci` failed in slides/ (the first build downloads reveal.js and "
                         "KaTeX from the npm registry: is it reachable?):\n"
                         + result.stderr.strip())
    return True


def load_retail() -> pd.DataFrame:
    """The real Online Retail table, from the cache only.

    Raises
    ------
    BuildError
        If it is not cached, saying where it was looked for and how to get it.
    """
    if not data.is_cached():
        raise BuildError(
            f"the real Online Retail data is not cached in {data.data_home()}, and the deck's "
            "long-tail and AUC figures are computed from it. Run `make data` first (it downloads "
            f"about 23 MB once), or set {data.DATA_ENV_VAR} to the folder that holds "
            f"{data.PARQUET_NAME}."
        )
    return data.load_online_retail(download=False)


def write_page(folder: Path, sections: list[str], title: str) -> Path:
    """Write ``index.html`` into ``folder`` and copy beside it every file it loads."""
    for destination, source in {**STYLESHEETS, **SCRIPTS, **SUPPORT}.items():
        target = folder / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        origin = NODE_MODULES / source
        if origin.is_dir():
            shutil.copytree(origin, target)
        else:
            shutil.copyfile(origin, target)
    shutil.copyfile(SLIDES / DECK_CSS, folder / DECK_CSS)
    page = PAGE.format(
        title=html.escape(title),
        stylesheets="\n".join(f'<link rel="stylesheet" href="{href}">'
                              for href in [*STYLESHEETS, DECK_CSS]),
        slides="\n".join(sections),
        scripts="\n".join(f'<script src="{src}"></script>' for src in SCRIPTS),
    )
    index = folder / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def check_images(sections: list[str], figures: list[Path]) -> None:
    """Make sure every image of the deck is one of the figures just drawn.

    Raises
    ------
    BuildError
        If a slide shows an image that is not a drawn figure (a remote image,
        for instance, would break the deck offline).
    """
    drawn = {f"{FIGURES}/{path.name}" for path in figures}
    for section in sections:
        for source in IMAGE.findall(section):
            if source not in drawn:
                raise BuildError(f"deck.md shows the image {source!r}, which is not one of the "
                                 f"figures the build draws: {sorted(drawn)}")


def build(output: Path) -> Path:
    """Build the whole deck into ``output``, replacing what was there once complete.

    Parameters
    ----------
    output : pathlib.Path
        The deck's folder; ``index.html`` is written there.

    Returns
    -------
    pathlib.Path
        The path of ``index.html``.

    Raises
    ------
    BuildError
        If the data, node or npm is missing, or the deck is malformed.
    """
    start = time.perf_counter()
    retail = load_retail()
    if install_packages():
        print("installed reveal.js and KaTeX into slides/node_modules (npm ci)", flush=True)
    slides = parse_deck(DECK.read_text(encoding="utf-8"))
    title = deck_title(slides)
    sections = render_slides(slides)

    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{output.name}.", suffix=".partial",
                                    dir=output.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the deck is meant to be shared
    (staging / FIGURES).mkdir()
    try:
        import figures  # here: matplotlib and the pipeline load only once the checks passed

        print("drawing the figures:", flush=True)
        drawn = figures.draw_all(staging / FIGURES, retail)
        check_images(sections, drawn)
        write_page(staging, sections, title)
        _replace(output, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    index = output / "index.html"
    size = sum(path.stat().st_size for path in output.rglob("*") if path.is_file())
    print(f"{len(slides)} slides, {len(drawn)} figures -> {index} "
          f"({size / 1e6:.1f} MB in all) in {time.perf_counter() - start:.0f} s")
    return index


def _replace(output: Path, new: Path) -> None:
    """Move the complete folder ``new`` to ``output``, setting aside the deck that was there.

    Several builds may run at once (two test sessions, say), each in its own
    staging folder: whichever finishes last leaves its deck in place, and no
    build ever leaves a half-written one.
    """
    for attempt in range(10):
        old = new.with_name(f"{new.name}.old{attempt}")
        with contextlib.suppress(FileNotFoundError):
            output.rename(old)
        try:
            new.rename(output)
        except OSError:  # another build moved its deck in between: set it aside too
            continue
        finally:
            shutil.rmtree(old, ignore_errors=True)
        return
    raise BuildError(f"could not move the new deck to {output}: other builds kept replacing it")


def main(argv: list[str] | None = None) -> int:
    """Build the deck from the command line; print the reason and return 1 if it cannot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"the deck's folder (default: {DEFAULT_OUTPUT})")
    arguments = parser.parse_args(argv)
    try:
        build(arguments.output.resolve())
    except BuildError as error:
        print(f"slides/build.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
