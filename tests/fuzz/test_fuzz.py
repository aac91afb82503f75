"""The quick subset of the hostile-input corpus (tests/fuzz/corpus.py), one test per case.

Each case runs the real command line in a subprocess with a timeout and a memory limit and
asserts: no traceback, the exact exit code, a located message for exit 2, inputs and a
pre-existing good PDF byte-identical. The full corpus (≥ 400 cases) is scripts/fuzz.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from corpus import all_cases, run_case  # noqa: E402

QUICK = [case for case in all_cases() if case.quick]


def test_corpus_is_large_and_covers_every_class():
    cases = all_cases()
    assert len(cases) >= 300
    kinds = {case.kind for case in cases}
    assert {"yaml syntax", "schema types", "numbers", "dates", "limits", "text content", "photos", "style sheets",
            "outputs", "output intents", "fonts", "command line", "signals"} <= kinds
    assert {case.kind for case in QUICK} == kinds


@pytest.mark.parametrize("case", QUICK, ids=[case.name for case in QUICK])
def test_hostile_input(case, tmp_path):
    outcome = run_case(case, tmp_path)
    assert outcome.ok, f"{case.name}: {outcome.problems}\n{outcome.output}"
