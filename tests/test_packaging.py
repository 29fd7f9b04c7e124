"""The set-up a newcomer relies on: declared dependencies, conda parity, entry points."""

import ast
import json
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _split(requirement: str) -> tuple[str, str]:
    """('name', 'specifier') of a requirement, the name normalised as in PEP 503."""
    match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    return re.sub(r"[-_.]+", "-", match[1]).lower(), match[2].replace(" ", "")


def _declared(groups: list[list[str]]) -> dict[str, str]:
    return dict(_split(requirement) for group in groups for requirement in group)


RUNTIME = _declared([PYPROJECT["project"]["dependencies"]])
EXTRAS = PYPROJECT["project"]["optional-dependencies"]
EVERYTHING = _declared([PYPROJECT["project"]["dependencies"], *EXTRAS.values()])
#: The optional Spark extra: only the Spark module (and the tests) may import it.
SCALE = _declared([EXTRAS["scale"]])
SPARK_MODULE = ROOT / "src" / "recsys_workshop" / "spark_pipeline.py"


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [item for item in environment["dependencies"] if isinstance(item, str)]
    listed = dict(_split(item) for item in conda)
    python = listed.pop("python")
    listed.pop("pip")
    # The runtime and the dev extra; Spark stays optional for conda users too (README).
    assert listed == {name: spec for name, spec in EVERYTHING.items() if name not in SCALE}
    assert python == PYPROJECT["project"]["requires-python"]
    assert "conda-forge" in environment["channels"]


def _sources(folder: Path) -> list[tuple[str, str]]:
    """(name, Python source) of every module and every notebook code cell in ``folder``."""
    sources = [(str(path), path.read_text()) for path in folder.rglob("*.py")
               if path != SPARK_MODULE]
    for path in folder.glob("*.ipynb"):
        for number, cell in enumerate(json.loads(path.read_text())["cells"]):
            if cell["cell_type"] == "code":
                code = "".join(cell["source"])
                # IPython magics and shell escapes are not Python.
                code = re.sub(r"^\s*[%!].*$", "", code, flags=re.MULTILINE)
                sources.append((f"{path} cell {number}", code))
    return sources


def _imported_modules(folder: Path) -> set[str]:
    modules = set()
    for name, source in _sources(folder):
        for node in ast.walk(ast.parse(source, filename=name)):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def _local_modules() -> set[str]:
    return {"recsys_workshop"} | {path.stem for path in (ROOT / "tests").glob("*.py")}


@pytest.mark.parametrize(
    ("folder", "allowed"),
    [
        ("src", RUNTIME),
        # What attendees run needs only the runtime dependencies.
        ("solutions", RUNTIME),
        ("notebooks", RUNTIME),
        # make lab's server configuration runs in the attendee's lab.
        ("lab-settings", RUNTIME),
        ("tests", EVERYTHING),
        ("benchmarks", EVERYTHING),
    ],
)
def test_every_imported_package_is_declared(folder, allowed):
    distributions = packages_distributions()
    third_party = _imported_modules(ROOT / folder) - set(sys.stdlib_module_names) - _local_modules()
    undeclared = {}
    for module in sorted(third_party):
        names = {_split(name)[0] for name in distributions.get(module, [module])}
        if not names & set(allowed):
            undeclared[module] = sorted(names)
    assert not undeclared, f"imported in {folder}/ but not declared in pyproject.toml: {undeclared}"


def test_only_the_spark_module_imports_spark_and_only_lazily():
    tree = ast.parse(SPARK_MODULE.read_text())
    at_module_level = {alias.name.split(".")[0] for node in tree.body
                       if isinstance(node, ast.Import) for alias in node.names}
    at_module_level |= {node.module.split(".")[0] for node in tree.body
                        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module}
    assert "pyspark" not in at_module_level  # importing the package needs no Spark
    imported = {node.module.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module}
    assert "pyspark" in imported and set(SCALE) == {"pyspark"}
    for folder in ("src", "solutions", "notebooks"):  # the Spark module is left out of these
        assert "pyspark" not in _imported_modules(ROOT / folder), folder


def test_ci_installs_chromium_bubblewrap_and_java_then_runs_make_test_and_nothing_else():
    commands = [
        line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands[-1] == "exec make test"
    # Before it: shell set-up, and installing chromium (for the browser tests)
    # and bubblewrap (for the grading sandbox) when missing.
    setup = commands[:-1]
    allowed = ("set ", "cd ",
               "if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/bwrap ] "
               "|| ! command -v java >/dev/null; then",
               "fi",
               "export DEBIAN_FRONTEND=", "apt-get ")
    assert all(line.startswith(allowed) for line in setup), setup
    apt = [line.split() for line in setup if line.startswith("apt-get ")]
    assert [words[1] for words in apt] == ["update", "install"], apt
    packages = [word for word in apt[1][2:] if not word.startswith("-")]
    assert packages == ["chromium", "bubblewrap", "default-jre-headless"], apt


def test_readme_quickstart_is_two_commands():
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", quickstart, re.DOTALL)
    assert block, "the quickstart needs a code block"
    assert [line.strip() for line in block[1].splitlines() if line.strip()] == [
        "make lab",
        "make test",
    ]


def test_the_uci_data_is_ignored_and_never_tracked():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert {"*.parquet", "*.xlsx", "*.zip"} <= set(ignored)
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: cannot list tracked files")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    data_files = [path for path in tracked if re.search(r"\.(parquet|xlsx|xls|zip)$", path, re.I)]
    assert not data_files, f"data files are tracked: {data_files}"
