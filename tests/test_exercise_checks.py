"""The exercises façade: ``names``, ``reference`` and the messages ``check`` gives.

Per-exercise wrong and correct implementations live in ``alternatives_chapterN*.py``
(run by ``test_check_alternatives.py``).
"""

import re

import numpy as np
import pytest
from alternatives_helpers import MAX_MESSAGE_CHARS, failure_message, why

from recsys_workshop import exercises
from recsys_workshop.chapters import graded
from recsys_workshop.exercises import CheckFailure, exercises_of


def test_names_are_the_registry_chapters_exercises_in_order():
    listed = [exercise.name for chapter in graded() for exercise in exercises_of(chapter)]
    assert exercises.names() == listed
    assert len(set(listed)) == len(listed), "two exercises share a name"


@pytest.mark.parametrize("name", exercises.names())
def test_the_reference_passes_its_own_check(name):
    assert exercises.check(name, exercises.reference(name)) is None


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
    return exercises.reference("build_algebraic_sparse_similarity_matrix")(
        sparse_interactions_matrix)


def _huge_mapping(values):
    """Returns a dict of 100,000 entries."""
    return {number: number for number in range(100_000)}


def _reversed_when_long(similarity_matrix, customer_interactions, n):
    """Right on short lists; worst first when asked for more than 20 skus."""
    best = exercises.reference("make_recos")(similarity_matrix, customer_interactions, n)
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
    exercises.check("get_inverse_skus_map", exercises.reference("get_inverse_skus_map"))
    failure_message("get_inverse_skus_map", dict)
    assert capsys.readouterr() == ("", "")


def test_report_prints_one_line_when_everything_passes(capsys):
    exercises.report("make_recos", exercises.reference("make_recos"))
    assert re.fullmatch(r"✔ make_recos: all \d+ checks passed\.\n", capsys.readouterr().out)


# --- misuse of the façade ---------------------------------------------------------------


@pytest.mark.parametrize("bad_name", ["build_index_map", "", "Build_Index_Mapping", 3, None])
def test_an_unknown_exercise_name_raises_value_error(bad_name):
    pattern = re.escape(f"unknown exercise {bad_name!r}")
    with pytest.raises(ValueError, match=pattern):
        exercises.check(bad_name, exercises.reference("build_index_mapping"))
    with pytest.raises(ValueError, match=pattern):
        exercises.reference(bad_name)


def test_an_unhashable_exercise_name_raises_value_error():
    with pytest.raises(ValueError, match=re.escape("unknown exercise ['make_recos']")):
        exercises.check(["make_recos"], exercises.reference("make_recos"))


@pytest.mark.parametrize("not_a_function", [None, "build_index_mapping", 42, {"a": 0}])
def test_a_non_callable_raises_type_error(not_a_function):
    with pytest.raises(TypeError, match=re.escape(f"needs a function, got {not_a_function!r}")):
        exercises.check("build_index_mapping", not_a_function)
