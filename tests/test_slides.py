"""The instructor's deck: built once per session, complete, one section per chapter, offline.

The deck is built by ``slides/build.py`` into ``slides/_build/`` (the path other
tests open). Building needs node and npm (reveal.js and KaTeX come from npm)
and the real Online Retail data (two figures are computed from it): the tests
of the built deck skip without them. Its HTML is parsed with the standard
library, and every file it loads must lie inside the build folder.
"""

import importlib.util
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from deck import BUILD_SCRIPT, SLIDE_DECK, build_slides

from recsys_workshop.chapters import CHAPTERS

# The deck is built once per session: one worker holds every test that opens it.
pytestmark = pytest.mark.xdist_group("deck")

BUILD = SLIDE_DECK.parent
#: How many slides one chapter may take: enough to teach it, few enough to stay in time.
SLIDES_PER_CHAPTER = range(2, 9)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
#: Attributes through which a page loads something (reveal.js's lazy ones included).
LOADING = {"src", "href", "data", "poster", "srcset", "data-src", "data-background-image",
           "data-background-video", "data-background-iframe"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class Element:
    """One HTML element: its tag, attributes, children and own text."""

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children, self.texts = [], []

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag=None, cls=None):
        return [element for element in self.iter()
                if (tag is None or element.tag == tag)
                and (cls is None or cls in element.attrs.get("class", "").split())]

    def text(self, skipping=frozenset()):
        """The text inside this element, leaving out the elements whose tag is in ``skipping``."""
        if self.tag in skipping:
            return ""
        return "".join(self.texts) + "".join(child.text(skipping) for child in self.children)


class TreeBuilder(HTMLParser):
    """A small DOM from the standard library's HTML parser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {n: v or "" for n, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:  # a stray end tag closes nothing
            self.current = node.parent

    def handle_data(self, data):
        self.current.texts.append(data)


def parse(path):
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def is_remote(url):
    return bool(urlsplit(url).scheme not in ("", "data") or url.startswith("//"))


def local_file(url, base):
    """The file a relative URL points to, from the folder ``base``."""
    return (base / unquote(urlsplit(url).path)).resolve()


@pytest.fixture(scope="session")
def deck(slide_deck):
    """The deck's parsed ``index.html`` (built once per session, see conftest)."""
    return parse(slide_deck)


def slides_of(document):
    """The slides: the innermost ``section`` elements under ``.reveal .slides``."""
    (reveal,) = document.find_all("div", "reveal")
    (container,) = reveal.find_all("div", "slides")
    sections = container.find_all("section")
    return [section for section in sections if not section.find_all("section")[1:]]


def loaded_urls(document):
    """Every URL the page loads from its elements, with the element's tag."""
    for element in document.iter():
        if element.tag == "a":
            continue  # a link is followed on a click, never fetched to show the deck
        for name, value in element.attrs.items():
            if name in LOADING and value:
                yield element.tag, value


def stylesheets(document):
    return [local_file(link.attrs["href"], BUILD) for link in document.find_all("link")
            if "stylesheet" in link.attrs.get("rel", "").split()]


# The built deck -------------------------------------------------------------------------


@pytest.mark.real_data
def test_the_deck_is_a_reveal_js_page_that_opens_on_a_title_slide(deck):
    slides = slides_of(deck)
    assert slides[0].find_all("h1"), "the first slide should be the title slide, with an <h1>"
    scripts = " ".join(script.text() for script in deck.find_all("script"))
    assert "Reveal.initialize(" in scripts
    assert any(src.endswith("reveal.js") for tag, src in loaded_urls(deck) if tag == "script")


@pytest.mark.real_data
def test_the_deck_has_one_section_of_a_few_slides_per_chapter_in_order(deck):
    slides = slides_of(deck)
    numbers = [int(slide.attrs["data-chapter"]) for slide in slides]
    assert numbers == sorted(numbers), "the chapters should come in order, each in one run"
    assert set(numbers) == {chapter.number for chapter in CHAPTERS}
    for chapter in CHAPTERS:
        count = numbers.count(chapter.number)
        assert count in SLIDES_PER_CHAPTER, f"chapter {chapter.number} has {count} slides"
        if chapter.number:  # every slide of a chapter names it, under the title slide
            first = slides[numbers.index(chapter.number)]
            kicker = first.find_all("p", "kicker")[0].text()
            assert kicker == f"Chapter {chapter.number} · {chapter.title}", kicker


@pytest.mark.real_data
def test_the_deck_loads_nothing_from_the_network(deck):
    remote = [(tag, url) for tag, url in loaded_urls(deck) if is_remote(url)]
    assert not remote, f"the deck loads remote files: {remote}"
    styles = [element.attrs["style"] for element in deck.iter() if "style" in element.attrs]
    styles += [element.text() for element in deck.find_all("style")]
    for css_file in stylesheets(deck):
        styles.append(css_file.read_text(encoding="utf-8"))
    for css in styles:
        for url in filter(None, (part for match in CSS_URL.findall(css) for part in match)):
            assert not is_remote(url), f"a stylesheet loads {url}"


@pytest.mark.real_data
def test_every_file_the_deck_loads_is_inside_the_build_folder(deck):
    build = BUILD.resolve()
    references = [(url, BUILD) for _, url in loaded_urls(deck) if not url.startswith("data:")]
    for css_file in stylesheets(deck):  # the fonts and images the stylesheets point to
        for match in CSS_URL.findall(css_file.read_text(encoding="utf-8")):
            url = next(filter(None, match))
            if not url.startswith(("data:", "#")):
                references.append((url, css_file.parent))
    assert len(references) > 10
    for url, base in references:
        path = local_file(url, base)
        assert path.is_relative_to(build), f"{url} lies outside slides/_build/"
        assert path.is_file() and path.stat().st_size > 0, f"{url} is missing"


@pytest.mark.real_data
def test_every_figure_is_drawn_and_shown(deck):
    shown = {src for tag, src in loaded_urls(deck) if tag == "img"}
    assert all(src.startswith("figures/") for src in shown), shown
    drawn = {f"figures/{path.name}" for path in (BUILD / "figures").iterdir()}
    assert shown == drawn
    names = {Path(src).stem for src in shown}
    assert {"similarity_heatmap", "long_tail", "auc_distributions"} <= names
    assert any("timing" in name or name in {"similarity_race", "top_n"} for name in names)
    for src in shown:
        svg = (BUILD / src).read_text(encoding="utf-8")
        assert "<svg" in svg and "</svg>" in svg, f"{src} is not an SVG image"


@pytest.mark.real_data
def test_every_formula_is_typeset_when_the_deck_is_built(deck):
    slides = slides_of(deck)
    assert sum(len(slide.find_all(cls="katex")) for slide in slides) > 20
    for number, slide in enumerate(slides, start=1):
        # KaTeX keeps each formula's TeX in an <annotation> for screen readers and copying.
        shown = slide.text(skipping={"annotation", "code"})
        assert "$" not in shown, f"slide {number} still holds a $...$ formula: {shown[:300]}"


# The build's checks, without building ---------------------------------------------------


def test_the_build_stops_with_a_clear_message_without_the_data(tmp_path):
    nowhere = tmp_path / "no-data-here"
    output = tmp_path / "deck"
    result = build_slides({**os.environ, "RECSYS_WORKSHOP_DATA": str(nowhere)},
                       "--output", str(output))
    assert result.returncode == 1
    assert "Online Retail data is not cached in" in result.stderr
    assert str(nowhere) in result.stderr and "make data" in result.stderr
    assert not output.exists()


@pytest.fixture(scope="module")
def build_module():
    spec = importlib.util.spec_from_file_location("slides_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_deck_source_parses_into_chapters_and_notes(build_module):
    slides = build_module.parse_deck(
        "<!-- chapter 0: Welcome -->\n# Title\n---\n<!-- chapter 2: Similarity -->\n"
        '<!-- .slide: class="dense" -->\n## Cosine\ntext\nNote:\nsay it slowly\n---\n## More\n'
    )
    assert [(s.number, s.chapter, s.chapter_title) for s in slides] == [
        (1, 0, "Welcome"), (2, 2, "Similarity"), (3, 2, "Similarity")]
    assert slides[1].attributes == 'class="dense"'
    assert (slides[1].markdown, slides[1].notes) == ("## Cosine\ntext", "say it slowly")
    assert build_module.deck_title(slides) == "Title"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("# Title", "slide 1 comes before the first '<!-- chapter N: title -->' line"),
        ("<!-- chapter 1: A -->\n# T\n---\n<!-- chapter 1: B -->\nx", "slide 2 starts chapter 1"),
        ("<!-- chapter 0: A -->\n# T\n---\n\n", "slide 2 is empty"),
        ("<!-- chapter 0: A -->\n<!-- .slide: class=dense -->\n# T", "cannot read the attributes"),
    ],
)
def test_the_deck_source_is_checked(build_module, source, message):
    with pytest.raises(build_module.BuildError, match=re.escape(message)):
        build_module.parse_deck(source)
