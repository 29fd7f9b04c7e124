"""``check`` refuses an answer that runs the reference instead of code of its own (issue 12).

Every way a notebook can reach a reference (the façade, the topic module, a
function object kept earlier, a wrapper, a partial, a copy sharing its code, a
thread) is refused with the same message, for every exercise; so is an answer
that turns off the watch or starts a process to run the reference unseen. An
answer whose code merely equals the reference's is judged on its results.
"""

import functools
import importlib
import subprocess
import sys
import threading
import types

import numpy as np
import pytest
from alternatives_helpers import reference_copy

from recsys_workshop import exercises
from recsys_workshop.exercises import integrity
from recsys_workshop.exercises.integrity import REFUSED


def _the_reference(name):
    return exercises.reference(name)


def _from_the_topic_module(name):
    reference = exercises.reference(name)
    return getattr(importlib.import_module(reference.__module__), reference.__name__)


def _wrapped(name):
    kept = exercises.reference(name)

    def answer(*args, **kwargs):
        return kept(*args, **kwargs)
    return answer


def _partial(name):
    return functools.partial(exercises.reference(name))


def _same_code(name):
    reference = exercises.reference(name)
    return types.FunctionType(reference.__code__, reference.__globals__, name,
                              reference.__defaults__, reference.__closure__)


def _in_a_thread(name):
    reference = exercises.reference(name)

    def answer(*args, **kwargs):
        result = {}
        worker = threading.Thread(target=lambda: result.update(value=reference(*args, **kwargs)))
        worker.start()
        worker.join()
        return result["value"]
    return answer


@pytest.mark.parametrize("route", [_the_reference, _from_the_topic_module, _wrapped, _partial,
                                   _same_code, _in_a_thread])
@pytest.mark.parametrize("name", exercises.names())
def test_an_answer_that_runs_the_reference_is_refused(name, route):
    with pytest.raises(exercises.CheckFailure) as info:
        exercises.check(name, route(name))
    message = str(info.value)
    reference = exercises.reference(name)
    assert message.startswith(f"check({name!r}) failed: {REFUSED}")
    assert f"({reference.__module__}.{reference.__name__})" in message
    assert "score such an\n  answer 0" in message


def _unwatched(name):
    reference = exercises.reference(name)

    def answer(*args, **kwargs):
        hook = sys.getprofile()
        sys.setprofile(None)
        try:
            return reference(*args, **kwargs)
        finally:
            sys.setprofile(hook)
    return answer


def _in_another_process(name):
    def answer(mapping):
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        return {index: sku for sku, index in mapping.items()}
    return answer


def _silenced(name):
    reference = exercises.reference(name)

    def answer(*args, **kwargs):
        sys.setprofile(None)
        return reference(*args, **kwargs)
    return answer


@pytest.mark.parametrize(("route", "reason"), [
    (_unwatched, "reached for the hook that watches it"),
    (_silenced, "turned off the hook that watches it"),
    (_in_another_process, "started another process"),
])
def test_an_answer_that_hides_from_the_watch_is_refused(route, reason):
    with pytest.raises(exercises.CheckFailure, match=reason):
        exercises.check("get_inverse_skus_map", route("get_inverse_skus_map"))


def test_an_answer_equal_to_the_reference_but_its_own_passes():
    assert exercises.check("make_recos", reference_copy("make_recos")) is None


def test_a_reference_used_for_another_exercise_is_allowed():
    similarity = exercises.reference("compute_similarity")

    def build_similarity_matrix(interactions_matrix):
        columns = interactions_matrix.T
        return np.array([[similarity(a, b) for b in columns] for a in columns], dtype=float)

    assert exercises.check("build_similarity_matrix", build_similarity_matrix) is None


def test_the_watch_puts_back_the_profiler_it_found():
    calls = []

    def profiler(frame, event, arg):
        calls.append(event)

    sys.setprofile(profiler)
    try:
        with integrity.watching(exercises.reference("get_inverse_skus_map")):
            pass
        assert sys.getprofile() is profiler
    finally:
        sys.setprofile(None)
    assert threading.getprofile() is None
