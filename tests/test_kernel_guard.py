"""An answer cell cannot change what the graded cells after it run or report (issue 12).

Each attack runs in a real kernel with the guard that autograding loads
(``--ext=recsys_workshop.kernel_guard``), followed by the cell it tries to
defeat: that cell must still run its own code and fail as it should.
"""

import nbclient
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from recsys_workshop.kernel_guard import NOTE

#: A graded cell that must fail: a wrong answer checked by the façade.
GRADED = ("from recsys_workshop import exercises\n"
          "exercises.check('get_inverse_skus_map', lambda mapping: {})")

ATTACKS = {
    "input transformer": "get_ipython().input_transformers_cleanup.append("
                         "lambda lines: ['pass\\n'])",
    "late input transformer": "get_ipython().input_transformers_post.append("
                              "lambda lines: ['pass\\n'])",
    "replaced transformer manager": (
        "from IPython.core.inputtransformer2 import TransformerManager\n"
        "class Manager(TransformerManager):\n"
        "    def transform_cell(self, cell):\n"
        "        return 'pass\\n'\n"
        "get_ipython().input_transformer_manager = Manager()"),
    "AST transformer": (
        "import ast\n"
        "class Empty(ast.NodeTransformer):\n"
        "    def visit_Module(self, node):\n"
        "        return ast.Module(body=[ast.Pass()], type_ignores=[])\n"
        "get_ipython().ast_transformers.append(Empty())"),
    "custom exception handler": (
        "get_ipython().set_custom_exc((Exception,), "
        "lambda shell, etype, value, tb, tb_offset=None: print('all checks passed'))"),
    "shadowed transform_cell": "get_ipython().transform_cell = lambda cell: 'pass\\n'",
    "patched check": ("from recsys_workshop import exercises\n"
                      "exercises.check = lambda *args, **kwargs: None"),
    "patched engine": ("from recsys_workshop.exercises import engine\n"
                       "engine.Exercise.check = lambda *args, **kwargs: 0"),
    "patched watch": ("from recsys_workshop.exercises import integrity\n"
                      "integrity.message = lambda *args: None"),
    "pre_run_cell callback": (
        "def again(info):\n"
        "    get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n"
        "get_ipython().events.register('pre_run_cell', again)"),
}


GUARD = ["--ext=recsys_workshop.kernel_guard"]


def _execute(cells, extra_arguments):
    notebook = new_notebook(cells=[new_code_cell(cell) for cell in cells], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    client = nbclient.NotebookClient(notebook, timeout=60, allow_errors=True,
                                     extra_arguments=extra_arguments)
    return client.execute()


def _attacked(extra_arguments):
    """Each attack, then the graded cell it tries to defeat, as (attack, graded) cells."""
    cells = _execute([cell for attack in ATTACKS.values() for cell in (attack, GRADED)],
                     extra_arguments).cells
    return dict(zip(ATTACKS, zip(cells[::2], cells[1::2], strict=True), strict=True))


def _check_failures(cell):
    return [output.ename for output in cell.outputs if output.output_type == "error"]


@pytest.fixture(scope="module")
def guarded():
    return _attacked(GUARD)


@pytest.fixture(scope="module")
def unguarded():
    return _attacked([])


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_attack_works_on_a_kernel_without_the_guard(unguarded, attack):
    _, graded = unguarded[attack]
    assert _check_failures(graded) == [], graded.outputs


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_graded_cell_after_an_attack_still_fails(guarded, attack):
    cell, graded = guarded[attack]
    assert _check_failures(graded) == ["CheckFailure"], graded.outputs
    assert "failed on:" in graded.outputs[-1].evalue
    text = "".join(output.get("text", "") for output in cell.outputs)
    assert NOTE in text, cell.outputs


def test_an_honest_notebook_gets_no_note():
    notebook = _execute(["import numpy as np\nx = np.ones(3)", "%matplotlib inline\nprint(x.sum())",
                         "!echo shell escapes still work",
                         "import matplotlib.pyplot as plt\n_ = plt.plot([1, 2])"], GUARD)
    outputs = [[output.get("text", output.get("data", {}).keys()) for output in cell.outputs]
               for cell in notebook.cells]
    assert outputs[:3] == [[], ["3.0\n"], ["shell escapes still work\r\n"]]
    assert "image/png" in outputs[3][0], "the figure was not shown"
