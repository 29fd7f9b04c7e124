"""The exercises façade: ``names``, ``reference``, ``Example`` and the messages ``check`` gives.

Per-exercise wrong and correct implementations live in ``alternatives_chapterN*.py``
(run by ``test_check_alternatives.py``).
"""

import re
import sys
import warnings

import nbclient
import nbformat
import numpy as np
import pytest
from alternatives_helpers import MAX_MESSAGE_CHARS, failure_message, reference_copy, why

from recsys_workshop import exercises
from recsys_workshop.chapters import graded
from recsys_workshop.exercises import CheckFailure, Example, exercises_of

#: The fields of every failure message, in order.
FIELDS = ["input", "expected", "got", "why", "hint"]


def test_names_are_the_registry_chapters_exercises_in_order():
    listed = [exercise.name for chapter in graded() for exercise in exercises_of(chapter)]
    assert exercises.names() == listed
    assert len(set(listed)) == len(listed), "two exercises share a name"


@pytest.mark.parametrize("name", exercises.names())
def test_an_answer_equal_to_the_reference_passes(name):
    assert exercises.check(name, reference_copy(name)) is None


# --- the failure message ----------------------------------------------------------------


def test_a_failure_is_an_assertion_error_showing_the_case():
    with pytest.raises(AssertionError) as info:
        exercises.check("build_index_mapping", lambda values: {})
    assert info.type is CheckFailure
    assert str(info.value).splitlines() == [
        "check('build_index_mapping') failed on: distinct values get 0, 1, 2 in order",
        "  input:    build_index_mapping(['c1', 'c2', 'c3'])",
        "  expected: {'c1': 0, 'c2': 1, 'c3': 2}",
        "  got:      {}",
        "  why:      key 'c1' is missing",
        "  hint:     Call your function on the input above in a new cell and compare with "
        "expected.",
    ]


def test_the_hint_of_the_failing_case_is_shown():
    message = failure_message("build_index_mapping", lambda values: {
        value: index for index, value in enumerate(sorted(set(values)))})
    assert "a repeated value keeps its first index" in message.splitlines()[0]
    assert "\n  hint:     When a value was seen before, skip it" in message


def _divides_by_zero(values):
    return {value: 1 / 0 for value in values}


def test_an_exception_of_the_learner_is_reported_as_an_assertion_error():
    with pytest.raises(AssertionError) as info:
        exercises.check("build_index_mapping", _divides_by_zero)
    assert info.type is CheckFailure
    assert info.value.__cause__ is None and info.value.__suppress_context__
    message = str(info.value)
    assert "\n  got:      ZeroDivisionError: division by zero" in message
    assert why(message).startswith("your function raised ZeroDivisionError at line ")
    assert "return {value: 1 / 0 for value in values}" in why(message)


@pytest.mark.parametrize("name", exercises.names())
def test_a_stub_is_said_to_be_not_written_yet(name):
    def stub(*args, **kwargs):
        raise NotImplementedError

    message = failure_message(name, stub)
    assert why(message) == "the function is not written yet (it still raises NotImplementedError)"
    assert "NotImplementedError" in message.split("\n  got:", 1)[1]


def _dense_when_tall(sparse_interactions_matrix):
    """Right on small inputs; returns a 100,000 x 50 dense array on the tall case."""
    if sparse_interactions_matrix.shape[0] > 1000:
        return np.broadcast_to(0.5, sparse_interactions_matrix.shape)  # a view: no memory
    return reference_copy("build_algebraic_sparse_similarity_matrix")(
        sparse_interactions_matrix)


def _huge_mapping(values):
    """Returns a dict of 100,000 entries."""
    return {number: number for number in range(100_000)}


def _reversed_when_long(similarity_matrix, customer_interactions, n):
    """Right on short lists; worst first when asked for more than 20 skus."""
    best = reference_copy("make_recos")(similarity_matrix, customer_interactions, n)
    return best[::-1] if n > 20 else best


@pytest.mark.parametrize(("name", "wrong", "label"), [
    ("build_algebraic_sparse_similarity_matrix", _dense_when_tall, "a tall matrix"),
    ("build_index_mapping", _huge_mapping, "distinct values"),
    ("make_recos", _reversed_when_long, "1000 skus, n = 500"),
])
def test_the_message_stays_short_when_the_values_are_huge(name, wrong, label):
    message = failure_message(name, wrong)
    assert label in message.splitlines()[0]
    assert len(message) < MAX_MESSAGE_CHARS, message


def test_the_tall_sparse_input_is_summarised_not_printed():
    message = failure_message("build_algebraic_sparse_similarity_matrix", _dense_when_tall)
    assert "csc_array of shape (100000, 50) with" in message
    assert "\n  got:      array([[0.5, 0.5, 0.5, ..., 0.5, 0.5, 0.5]," in message
    assert why(message) == "it should return a scipy.sparse CSC matrix, not ndarray"


def test_long_lists_show_their_ends_and_length():
    message = failure_message("make_recos", _reversed_when_long)
    assert re.search(r"\n  expected: \[(\d+, ){10}\.\.\., (\d+, ){2}\d+\] \(500 items\)\n",
                     message), message


def _wrong_on_long_inputs(values):
    """Right on the fixed cases (at most 5 values), wrong on longer random ones."""
    values = list(values)
    return {} if len(values) > 6 else {value: index
                                       for index, value in enumerate(dict.fromkeys(values))}


@pytest.mark.parametrize(("name", "wrong"), [
    ("build_index_mapping", _wrong_on_long_inputs),
    ("build_index_mapping", _divides_by_zero),
    ("compute_similarity", lambda array1, array2: float(np.dot(array1, array2))),
])
def test_the_same_wrong_function_gets_the_same_message(name, wrong):
    assert failure_message(name, wrong) == failure_message(name, wrong)


def test_random_cases_are_named_and_reproducible():
    message = failure_message("build_index_mapping", _wrong_on_long_inputs)
    assert re.match(r"check\('build_index_mapping'\) failed on: random case \d+\n", message)


def test_check_prints_nothing(capsys):
    exercises.check("get_inverse_skus_map", reference_copy("get_inverse_skus_map"))
    failure_message("get_inverse_skus_map", dict)
    assert capsys.readouterr() == ("", "")


def test_report_prints_one_line_when_everything_passes(capsys):
    exercises.report("make_recos", reference_copy("make_recos"))
    assert re.fullmatch(r"✔ make_recos: all \d+ checks passed\.\n", capsys.readouterr().out)


# --- misuse of the façade ---------------------------------------------------------------


@pytest.mark.parametrize("bad_name", ["build_index_map", "", "Build_Index_Mapping", 3, None])
def test_an_unknown_exercise_name_raises_value_error(bad_name):
    pattern = re.escape(f"unknown exercise {bad_name!r}")
    with pytest.raises(ValueError, match=pattern):
        exercises.check(bad_name, reference_copy("build_index_mapping"))
    with pytest.raises(ValueError, match=pattern):
        exercises.reference(bad_name)


def test_an_unhashable_exercise_name_raises_value_error():
    with pytest.raises(ValueError, match=re.escape("unknown exercise ['make_recos']")):
        exercises.check(["make_recos"], reference_copy("make_recos"))


@pytest.mark.parametrize("not_a_function", [None, "build_index_mapping", 42, {"a": 0}])
def test_a_non_callable_raises_type_error(not_a_function):
    with pytest.raises(TypeError, match=re.escape(f"needs a function, got {not_a_function!r}")):
        exercises.check("build_index_mapping", not_a_function)


# --- worked examples: check(name, fn, examples) -----------------------------------------


def _from_one(values):
    """Indices from 1: the classic off-by-one."""
    return {value: index for index, value in enumerate(dict.fromkeys(values), start=1)}


def _fields(message):
    return [line.split(":", 1)[0].strip() for line in message.splitlines()[1:]
            if re.match(r"  \w+:", line)]


def test_a_failing_example_has_the_form_of_a_failing_check_case():
    from_case = failure_message("build_index_mapping", _from_one)
    assert from_case.startswith(
        "check('build_index_mapping') failed on: distinct values get 0, 1, 2 in order\n")
    example = Example("distinct values get 0, 1, 2 in order", (["c1", "c2", "c3"],),
                      {"c1": 0, "c2": 1, "c3": 2})
    with pytest.raises(CheckFailure) as info:
        exercises.check("build_index_mapping", _from_one, [example])
    assert str(info.value) == from_case
    assert _fields(from_case) == FIELDS


def test_examples_run_first_and_show_their_hint():
    example = Example("the customers", (["c0", "c1"],), {"c0": 0, "c1": 1},
                      hint="Number from 0.")
    with pytest.raises(CheckFailure) as info:
        exercises.check("build_index_mapping", _from_one, examples=[example])
    assert str(info.value).splitlines() == [
        "check('build_index_mapping') failed on: the customers",
        "  input:    build_index_mapping(['c0', 'c1'])",
        "  expected: {'c0': 0, 'c1': 1}",
        "  got:      {'c0': 1, 'c1': 2}",
        "  why:      'c0' maps to 1, expected 0",
        "  hint:     Number from 0.",
    ]


def test_an_example_without_expected_is_judged_against_the_reference():
    example = Example("two vectors", (np.array([0.0, 8.5, 2.5]), np.array([0.0, 0.5, 8.5])),
                      hint="Divide by both norms.")
    with pytest.raises(CheckFailure) as info:
        exercises.check("compute_similarity", lambda a, b: float(a @ b), [example])
    message = str(info.value)
    assert message.startswith("check('compute_similarity') failed on: two vectors\n")
    assert "\n  expected: 0.33" in message and "\n  got:      25.5\n" in message
    assert message.endswith("\n  hint:     Divide by both norms.")


def test_an_example_may_demand_an_exception():
    example = Example("k = 0 raises ValueError", ([1, 2], {1}, 0), raises=ValueError,
                      hint="Check k first.")
    with pytest.raises(CheckFailure) as info:
        exercises.check("precision_at_k", lambda items, relevant, k: 0.0, [example])
    message = str(info.value)
    assert "\n  expected: ValueError raised\n" in message
    assert why(message) == "it returned instead of raising ValueError"


def test_a_passing_example_counts_as_a_check(capsys):
    name = "get_inverse_skus_map"
    exercises.report(name, reference_copy(name))
    without = capsys.readouterr().out
    exercises.report(name, reference_copy(name),
                     [Example("one sku", ({"s0": 0},), {0: "s0"})])
    count = int(re.search(r"all (\d+) checks", without)[1])
    assert capsys.readouterr().out == without.replace(str(count), str(count + 1))


def test_an_example_whose_expected_is_not_the_reference_s_raises_value_error():
    wrong = Example("the skus", (["s0", "s1"],), {"s0": 1, "s1": 2})
    with pytest.raises(ValueError, match=re.escape(
            "the example 'the skus' of 'build_index_mapping' expects {'s0': 1, 's1': 2}, "
            "but the reference returns {'s0': 0, 's1': 1}")):
        exercises.check("build_index_mapping", reference_copy("build_index_mapping"), [wrong])


def test_a_misbuilt_example_raises_a_clear_error():
    with pytest.raises(TypeError, match=re.escape("args must be a tuple")):
        Example("a list instead of a tuple", ["s0", "s1"])
    with pytest.raises(ValueError, match=re.escape("gives both expected= and raises=")):
        Example("both", ([],), {}, raises=ValueError)
    with pytest.raises(TypeError, match=re.escape("must be exercises.Example objects, got 'x'")):
        exercises.check("build_index_mapping", reference_copy("build_index_mapping"), ["x"])


# --- what the learner's function prints or warns -----------------------------------------


def _chatty(values):
    """Prints, writes to stderr and warns on every call; right or wrong as asked."""
    values = list(values)
    print("debug: got", len(values), "values")
    print("second line")
    print("to stderr", file=sys.stderr)
    warnings.warn("a learner's warning", UserWarning, stacklevel=1)
    return reference_copy("build_index_mapping")(values)


def _chatty_and_wrong(values):
    return _from_one(_chatty(values))


def test_what_a_passing_function_prints_or_warns_does_not_leak(capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exercises.check("build_index_mapping", _chatty)
        chosen = exercises.yours_or_reference("build_index_mapping", _chatty)
    assert chosen is _chatty and caught == []
    assert capsys.readouterr() == (
        "build_index_mapping: using yours, which passes check().\n", "")


def test_a_failure_quotes_briefly_what_the_function_printed(capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = failure_message("build_index_mapping", _chatty_and_wrong)
    assert caught == [] and capsys.readouterr() == ("", "")
    assert _fields(message) == [*FIELDS, "printed"]
    assert message.endswith("\n  printed:  'debug: got 3 values' (and 3 more lines)")


def test_a_long_printed_line_is_cut_short():
    def shouting(values):
        print("x" * 500)
        return {}

    printed = failure_message("build_index_mapping", shouting).split("\n  printed:  ")[1]
    assert printed == repr("x" * 80 + "...")


# --- the traceback in a notebook --------------------------------------------------------


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _notebook_error(code):
    """The error output of a one-cell notebook run on a fresh kernel, ANSI codes removed."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(notebook, kernel_name="python3", allow_errors=True,
                            timeout=120).execute()
    outputs = notebook.cells[0].outputs
    assert [output.output_type for output in outputs] == ["error"], outputs
    return outputs[0].ename, _ANSI.sub("", "\n".join(outputs[0].traceback))


LEARNER_CELL = '''\
from recsys_workshop import exercises

def build_index_mapping(values):
    print("looking at", values)
    return {value: 1 / 0 for value in values}

exercises.check("build_index_mapping", build_index_mapping, [
    exercises.Example("the customers", (["c0", "c1"],), {"c0": 0, "c1": 1}, hint="From 0."),
])
'''


def test_the_notebook_traceback_is_the_cell_line_then_the_message():
    ename, traceback = _notebook_error(LEARNER_CELL)
    assert ename == "CheckFailure"
    assert "recsys_workshop" not in traceback.replace("from recsys_workshop import", "")
    assert "skipping hidden" not in traceback
    frame, message = traceback.split("\nCheckFailure: ", 1)
    assert frame.splitlines()[2:] == [
        "Cell In[1], line 7",
        "      6 ",
        '----> 7 exercises.check("build_index_mapping", build_index_mapping, [',
    ], "the cell's line and the one before it only"
    assert message.startswith("check('build_index_mapping') failed on: the customers\n")
    assert _fields(message) == [*FIELDS, "printed"]
    assert "\n  why:      your function raised ZeroDivisionError at line 5: " \
           "return {value: 1 / 0 for value in values}\n" in message
    assert message.endswith("\n  printed:  \"looking at ['c0', 'c1']\"")
