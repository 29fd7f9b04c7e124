"""What an attendee does, in a real browser: Debian's chromium driven by Playwright.

``make lab`` serves a scratch copy of ``notebooks/``. nbgrader's Validate button fails the
untouched chapter 1 and passes a solved one; Run All runs every code cell of every untouched
chapter (only the graded test cells fail, every plot is drawn); chapter 1's first exercise
is typed in and run again; an untouched notebook closes without asking to save; the menus
hold none of nbgrader's instructor tools nor jupytext's; the slide deck opens on its title
slide. Screenshots go to ``tests/screenshots/`` (git-ignored).

The tests skip when ``/usr/bin/chromium`` or Playwright is absent (``.ci/run`` installs
chromium); ``make browser-test`` runs only them.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from workbook import SPARK_CHAPTERS, why_not_runnable

from recsys_workshop.chapters import CHAPTERS
from recsys_workshop.data import DATA_ENV_VAR
from recsys_workshop.loadtest import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route

# The slide test opens the deck that tests/test_slides.py builds once per session.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("deck")]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# A headless chromium in a container that reaches nothing but this machine.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "tests" / "screenshots"

CHAPTER = "01_implicit_feedback.ipynb"
SOLVED = "01_implicit_feedback_solved.ipynb"
EXERCISE = "build_index_mapping"
SUCCESS = f"✔ {EXERCISE} passes every check."
NEWS_PROMPT = "official Jupyter news"
# The tag that lets Run All go on past a cell that raises; every graded test cell has it.
RAISES = "raises-exception"
# Every cell that draws a figure ends with it.
DRAWS = "plt.show()"
# Labels of the instructor tools (and the extension installer) that the attendee's lab
# must not offer.
INSTRUCTOR_TOOLS = ("Formgrader", "Assignment List", "Course List", "Create Assignment",
                    "Jupytext", "Text Notebook", "Extension Manager")

# Generous: a shared 2-core machine starting a server, a kernel and a browser.
TIMEOUT_S = 120
TIMEOUT_MS = TIMEOUT_S * 1000
# Run All of a chapter that runs Spark: it trains several models, on the real data too.
SPARK_RUN_ALL_TIMEOUT_MS = 600 * 1000

# JavaScript run in the page, against the JupyterLab application object that
# `--LabApp.expose_app_in_browser` publishes as `window.jupyterapp`.
SHOWS_PATH = "path => window.jupyterapp?.shell.currentWidget?.context?.path === path"
KERNEL_IDLE = (
    "() => window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status"
    " === 'idle'"
)
# Run > Run All Cells. Its promise settles at the first cell that raises, while the kernel
# still holds the cells queued after it; the kernel answers requests in order, so an empty
# request sent then returns once every one of them has run.
RUN_ALL = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await window.jupyterapp.commands.execute('notebook:run-all-cells');
    const kernel = panel.sessionContext.session.kernel;
    await kernel.requestExecute({code: '', silent: true, stop_on_error: false}).done;
}"""
SHUT_DOWN_KERNEL = "() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()"
# Read from the model, not the DOM: JupyterLab 4 renders only the cells in view.
CELLS = """() => {
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    return Array.from({length: cells.length}, (_, index) => {
        const cell = cells.get(index);
        const code = cell.type === 'code';
        return {
            index,
            type: cell.type,
            source: cell.sharedModel.getSource(),
            gradeId: cell.getMetadata('nbgrader')?.grade_id ?? null,
            graded: cell.getMetadata('nbgrader')?.grade === true,
            tags: cell.getMetadata('tags') ?? [],
            executionCount: code ? cell.executionCount : null,
            outputs: code ? cell.outputs.toJSON() : [],
        };
    });
}"""
# True once the kernel's language_info is known and in the notebook's metadata, as
# JupyterLab writes it when the kernel connects.
LANGUAGE_INFO_APPLIED = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    const info = await panel.sessionContext.session?.kernel?.info;
    const written = panel.context.model.getMetadata('language_info');
    return info !== undefined && written?.version === info.language_info.version;
}"""
DIRTY = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"
# After application:close: a dialog (such as "Save your work") or the notebook gone.
CLOSED_OR_ASKED = """path => document.querySelector('.jp-Dialog') !== null
    || !Array.from(window.jupyterapp.shell.widgets('main')).some(w => w.context?.path === path)"""
# Every label of the menu bar, its menus and submenus, as "Menu > Item".
MENU_LABELS = """() => {
    const labels = [];
    const walk = (menu, trail) => {
        for (const item of menu.items) {
            if (item.type === 'submenu' && item.submenu) {
                labels.push(trail + item.submenu.title.label);
                walk(item.submenu, `${trail}${item.submenu.title.label} > `);
            } else if (item.type === 'command') {
                labels.push(trail + item.label);
            }
        }
    };
    for (const bar of window.jupyterapp.shell.widgets('menu')) {
        for (const menu of bar.menus ?? []) {
            labels.push(menu.title.label);
            walk(menu, `${menu.title.label} > `);
        }
    }
    return labels;
}"""
SHOW_CELL = """async index => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    notebook.activeCellIndex = index;
    await notebook.scrollToItem(index, 'center');
}"""
NEWS_SETTING = """async () => {
    const plugin = await window.jupyterapp.serviceManager.settings.fetch(
        '@jupyterlab/apputils-extension:notification');
    return plugin.schema.properties.fetchNews.default;
}"""
REVEAL_READY = "() => window.Reveal?.isReady?.() === true"
VALIDATE_BUTTON = ".jp-NotebookPanel-toolbar jp-button.validate-button"


@dataclass(frozen=True)
class Lab:
    """A running ``make lab``: its address and its token (its folder is a scratch copy)."""

    url: str
    token: str

    def tree(self, path: str) -> str:
        """The address that opens ``path`` alone, in a fresh workspace."""
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"


def _make(*arguments: str) -> list[str]:
    """A ``make`` command run with this interpreter's environment, never rebuilding it."""
    return [
        "make",
        "--no-print-directory",
        "--old-file=venv",
        f"BIN={Path(sys.executable).parent}",
        *arguments,
    ]


def _wait_until_serving(lab: Lab, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make lab exited with {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{lab.url}/api/status?token={lab.token}", timeout=5):
                return
        time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {TIMEOUT_S} s:\n{log.read_text()}")


def _stop(lab: Lab, process: subprocess.Popen[bytes]) -> None:
    """Shut the server down through its API (kernels included), else signal make and it."""
    request = urllib.request.Request(
        f"{lab.url}/api/shutdown", method="POST", headers={"Authorization": f"token {lab.token}"}
    )
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=10).close()
    for signal_if_still_running in (signal.SIGTERM, signal.SIGKILL):
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal_if_still_running)
        else:
            return
    process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless; skips the module's tests when it or Playwright is absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium (as .ci/run does)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is absent: pip install --editable '.[dev]'"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory,
        optional_retail_data_home: Path | None) -> Iterator[Lab]:
    """``make lab`` on a scratch copy of notebooks/ plus a solved chapter 1.

    Asks for ``browser`` first, so that the tests skip before a server starts. Its kernels
    find the real data, when there is any, as ``make test`` points them at it. Autosave is
    off, so that every test finds the notebooks as released.
    """
    scratch = tmp_path_factory.mktemp("lab")
    root = scratch / "notebooks"
    shutil.copytree(ROOT / "notebooks", root)
    shutil.copy(ROOT / "solutions" / CHAPTER, root / SOLVED)
    extra_env = {} if optional_retail_data_home is None else {
        DATA_ENV_VAR: str(optional_retail_data_home)}
    docmanager = scratch / "user-settings" / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True)
    (docmanager / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    lab, process = start_lab("lab", [f"LAB_ROOT={root}"], scratch, extra_env)
    try:
        yield lab
    finally:
        _stop(lab, process)


def start_lab(target: str, make_args: list[str], scratch: Path,
              extra_env: dict[str, str] | None = None) -> tuple[Lab, subprocess.Popen]:
    """``make TARGET`` serving JupyterLab on a free loopback port; its address and process.

    The developer's own JupyterLab settings, workspaces and kernel files stay out:
    they live in ``scratch``, with the server's log (``scratch/TARGET.log``).
    """
    port = free_port()
    lab = Lab(f"http://127.0.0.1:{port}", secrets.token_hex(16))
    options = [
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ip=127.0.0.1",
        "--no-browser",
        f"--IdentityProvider.token={lab.token}",
        "--LabApp.expose_app_in_browser=True",
    ]
    env = os.environ | {
        "JUPYTERLAB_SETTINGS_DIR": str(scratch / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(scratch / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
    } | (extra_env or {})
    log = scratch / f"{target}.log"
    with log.open("a") as output:
        process = subprocess.Popen(
            _make(target, *make_args, f"LAB_ARGS={' '.join(options)}"),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_serving(lab, process, log)
    except BaseException:
        _stop(lab, process)
        raise
    return lab, process


def _context(browser: Browser) -> BrowserContext:
    """A fresh browser profile, with a laptop's window and the generous timeout."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = _context(browser)
    yield context.new_page()
    context.close()


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name)


def _open_notebook(page: Page, lab: Lab, path: str) -> None:
    page.goto(lab.tree(path))
    page.wait_for_function(SHOWS_PATH, arg=path)
    page.wait_for_function(KERNEL_IDLE)


def _run_all(page: Page, timeout_ms: float = TIMEOUT_MS) -> list[dict[str, Any]]:
    """Run every cell as Run > Run All Cells does; the cells once the kernel ran them all."""
    page.evaluate(RUN_ALL)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)
    return page.evaluate(CELLS)


def _errors(cells: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(cell index, exception name) of every error output, in notebook order."""
    return [
        (cell["index"], output["ename"])
        for cell in cells
        for output in cell["outputs"]
        if output["output_type"] == "error"
    ]


def _printed(cell: dict[str, Any]) -> str:
    """What a cell printed (a stream's text is a string or a list of lines)."""
    streams = [output for output in cell["outputs"] if output["output_type"] == "stream"]
    return "".join("".join(output["text"]) for output in streams)


def _index(cells: list[dict[str, Any]], grade_id: str) -> int:
    [index] = [cell["index"] for cell in cells if cell["gradeId"] == grade_id]
    return index


def _solution(grade_id: str) -> str:
    """The body of a solution cell as an attendee would type it, without nbgrader's markers."""
    notebook = json.loads((ROOT / "solutions" / CHAPTER).read_text())
    [source] = [
        "".join(cell["source"])
        for cell in notebook["cells"]
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id
    ]
    markers = {"### BEGIN SOLUTION", "### END SOLUTION"}
    return "\n".join(line for line in source.splitlines() if line.strip() not in markers)


def _type_into_cell(page: Page, index: int, source: str) -> None:
    """Replace a cell's code through its editor, as typing or pasting would."""
    page.evaluate(SHOW_CELL, index)
    page.locator(".jp-Notebook .jp-Cell.jp-mod-active .cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)
    page.keyboard.press("Escape")


def _validate(page: Page, screenshot: str) -> Locator:
    """Click nbgrader's Validate button; the message of the dialog it opens."""
    page.locator(VALIDATE_BUTTON).click()
    message = page.locator(".jp-Dialog #validation-message")
    message.wait_for()
    _screenshot(page, screenshot)
    return message


def _close_dialog(page: Page) -> None:
    page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()
    page.locator(".jp-Dialog").wait_for(state="detached")


def test_nbgrader_validate_fails_the_untouched_chapter_and_passes_the_solved_one(
        page: Page, lab: Lab) -> None:
    _open_notebook(page, lab, CHAPTER)
    message = _validate(page, "01-validate-untouched.png")
    assert "validation-failed" in (message.get_attribute("class") or "")
    failed = message.get_by_text("The following cell failed:")
    assert failed.count() == len(_graded_ids(CHAPTER)), message.inner_text()
    _close_dialog(page)

    _open_notebook(page, lab, SOLVED)
    message = _validate(page, "02-validate-solved.png")
    assert message.inner_text() == "Success! Your notebook passes all the tests."
    _close_dialog(page)


def _graded_ids(notebook: str) -> list[str]:
    """The grade_id of every graded test cell of a released notebook, in order."""
    cells = json.loads((ROOT / "notebooks" / notebook).read_text())["cells"]
    return [cell["metadata"]["nbgrader"]["grade_id"] for cell in cells
            if cell["metadata"].get("nbgrader", {}).get("grade")]


@pytest.fixture(scope="module")
def run_all_seconds() -> Iterator[dict[str, float]]:
    """Each chapter's Run All wall time, printed once the module is done (pytest -s)."""
    seconds: dict[str, float] = {}
    yield seconds
    lines = [f"  {chapter:<24} {time:6.1f} s" for chapter, time in seconds.items()]
    print("\nRun All on the untouched student notebooks (wall time, this machine):",
          *lines, sep="\n")


@pytest.mark.parametrize("chapter", [chapter.name for chapter in CHAPTERS])
def test_run_all_runs_every_cell_of_the_untouched_chapter(
        page: Page, lab: Lab, chapter: str, optional_retail_data_home: Path | None,
        run_all_seconds: dict[str, float]) -> None:
    if (why := why_not_runnable(chapter, optional_retail_data_home)) is not None:
        pytest.skip(f"{chapter}: {why}")
    spark = chapter in SPARK_CHAPTERS
    notebook = f"{chapter}.ipynb"
    _open_notebook(page, lab, notebook)
    page.wait_for_function(LANGUAGE_INFO_APPLIED)
    assert not page.evaluate(DIRTY), f"{notebook} is marked modified as soon as it opens"
    started = time.monotonic()
    cells = _run_all(page, SPARK_RUN_ALL_TIMEOUT_MS if spark else TIMEOUT_MS)
    run_all_seconds[chapter] = time.monotonic() - started
    try:
        code = [cell for cell in cells if cell["type"] == "code"]
        not_run = [cell["index"] for cell in code if cell["executionCount"] is None]
        assert not not_run, (
            f"{notebook}: Run All left cells {not_run} unexecuted; errors: {_errors(cells)}")
        graded = {cell["index"] for cell in code if cell["graded"]}
        assert {index for index, _ in _errors(cells)} == graded, (
            f"{notebook}: errors {_errors(cells)}; graded test cells {sorted(graded)}")
        drawing = [cell for cell in code if DRAWS in cell["source"]]
        undrawn = [cell["index"] for cell in drawing
                   if not any("image/png" in output.get("data", {})
                              for output in cell["outputs"])]
        if drawing:
            page.evaluate(SHOW_CELL, drawing[-1]["index"])
            _screenshot(page, f"05-run-all-{chapter}.png")
        assert not undrawn, f"{notebook}: cells {undrawn} drew no image"
    finally:
        page.evaluate(SHUT_DOWN_KERNEL)


def test_attendee_runs_chapter_1_then_solves_its_first_exercise(page: Page, lab: Lab) -> None:
    _open_notebook(page, lab, CHAPTER)
    page.locator(".jp-DirListing-itemText").first.wait_for()
    listed = page.locator(".jp-DirListing-itemText").all_inner_texts()
    assert CHAPTER in listed, f"the file browser should start on the notebooks: {listed}"

    cells = _run_all(page)
    test_cell = _index(cells, f"test_{EXERCISE}")
    second_test = _index(cells, "test_build_interactions_mapping")
    page.evaluate(SHOW_CELL, test_cell)
    _screenshot(page, "03-first-run-all.png")
    # Run All goes on past the first exercise's failing test, up to the last cell.
    assert [index for index, _ in _errors(cells)] == [test_cell, second_test]
    assert all(cell["executionCount"] is not None for cell in cells if cell["type"] == "code")

    _type_into_cell(page, _index(cells, EXERCISE), _solution(EXERCISE))
    cells = _run_all(page)
    page.evaluate(SHOW_CELL, test_cell)
    _screenshot(page, "04-after-fix.png")
    assert SUCCESS in _printed(cells[test_cell])
    # The second exercise is still unsolved.
    assert [index for index, _ in _errors(cells)] == [second_test]

    assert page.evaluate(NEWS_SETTING) == "false", "lab-settings/overrides.json was not applied"
    assert page.get_by_text(NEWS_PROMPT).count() == 0, "JupyterLab asked about Jupyter news"
    page.evaluate(SHUT_DOWN_KERNEL)


def test_an_untouched_notebook_closes_without_asking_to_save(page: Page, lab: Lab) -> None:
    notebook = "02_dense_similarity.ipynb"
    _open_notebook(page, lab, notebook)
    page.wait_for_function(LANGUAGE_INFO_APPLIED)
    page.evaluate("() => window.jupyterapp.commands.execute('application:close')")
    page.wait_for_function(CLOSED_OR_ASKED, arg=notebook)
    _screenshot(page, "06-closed.png")
    assert page.locator(".jp-Dialog").count() == 0, (
        f"closing the untouched {notebook} asked: {page.locator('.jp-Dialog').inner_text()}")


def test_the_attendee_lab_offers_validate_and_no_instructor_tool(page: Page, lab: Lab) -> None:
    _open_notebook(page, lab, CHAPTER)
    page.locator(VALIDATE_BUTTON).wait_for()
    menus = page.evaluate(MENU_LABELS)
    assert "File > Save Notebook" in menus, f"the menus were not read: {menus}"
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:activate-command-palette')")
    palette = page.locator("#command-palette .lm-CommandPalette-itemLabel")
    palette.first.wait_for(state="attached")
    commands = palette.all_text_contents()
    _screenshot(page, "07-command-palette.png")
    page.keyboard.press("Escape")
    assert "Save Notebook" in commands, f"the command palette was not read: {commands}"
    offered = [label for label in menus + commands
               if any(tool.lower() in label.lower() for tool in INSTRUCTOR_TOOLS)]
    assert not offered, f"the attendee's lab offers instructor tools: {offered}"
    page.evaluate(SHUT_DOWN_KERNEL)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        """Log nothing."""


@pytest.fixture(scope="module")
def deck(slide_deck: Path) -> Iterator[str]:
    """The deck as ``make slides`` builds it (once per session), served over http here."""
    handler = functools.partial(QuietHandler, directory=str(slide_deck.parent))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/{slide_deck.name}"
        server.shutdown()
        thread.join()


def test_slide_deck_opens_offline_on_its_title_slide(
        browser: Browser, deck: str, slide_deck: Path) -> None:
    context = _context(browser)
    outside: list[str] = []

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(error.message))
        page.goto(deck)
        page.wait_for_function(REVEAL_READY)
        title = page.locator(".reveal .slides section.present h1").first
        title.wait_for(state="visible")
        _screenshot(page, "08-title-slide.png")
        built = slide_deck.read_text(encoding="utf-8").count("data-chapter=")
        assert page.evaluate("() => Reveal.getTotalSlides()") == built > 0
        assert page.evaluate("() => Reveal.getIndices()")["h"] == 0
        assert title.inner_text().strip()
        assert not outside, f"the deck fetched from outside this machine: {outside}"
        assert not errors, f"the deck's scripts failed: {errors}"
    finally:
        context.close()
