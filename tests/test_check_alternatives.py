"""``check`` accepts correct alternatives and rejects classic mistakes, for every exercise.

The implementations live in ``alternatives_chapter*.py``: each module lists
``WRONG`` rows ``(name, function, piece of the reason check must give)``, one
learner mistake each, and ``CORRECT`` rows ``(name, function)`` written with
another algorithm than the reference.
"""

import importlib
from collections import Counter
from pathlib import Path

import pytest
from alternatives_helpers import assert_rejected, correct_cases, wrong_cases

from recsys_workshop import exercises

#: Every ``alternatives_chapter*.py`` beside this file: a new chapter's is found by its name.
CHAPTERS = [importlib.import_module(path.stem)
            for path in sorted(Path(__file__).parent.glob("alternatives_chapter*.py"))]
WRONG = [row for chapter in CHAPTERS for row in chapter.WRONG]
CORRECT = [row for chapter in CHAPTERS for row in chapter.CORRECT]


@pytest.mark.parametrize(("name", "wrong", "reason"), wrong_cases(WRONG))
def test_check_rejects_the_mistake(name, wrong, reason):
    assert_rejected(name, wrong, reason)


@pytest.mark.parametrize(("name", "alternative"), correct_cases(CORRECT))
def test_check_accepts_the_alternative(name, alternative):
    assert exercises.check(name, alternative) is None


def test_every_exercise_has_two_mistakes_and_an_alternative():
    mistakes = Counter(name for name, _, _ in WRONG)
    alternatives = Counter(name for name, _ in CORRECT)
    assert {name for name in exercises.names() if mistakes[name] < 2} == set()
    assert {name for name in exercises.names() if alternatives[name] < 1} == set()
    assert set(mistakes) | set(alternatives) == set(exercises.names())
