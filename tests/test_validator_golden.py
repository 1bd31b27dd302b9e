"""The case validator gives, for the same bad input, the same messages (and for good input the
same cases) as the validator before issue 16 made it faster: the golden set in
tests/data/validator_golden.json was captured from that validator (tests/validator_inputs.py)."""

from __future__ import annotations

import json

from validator_inputs import GOLDEN, golden


def test_the_same_input_gives_the_same_messages_and_cases(session, tmp_path):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    found = golden(session, tmp_path)
    assert sorted(found) == sorted(expected)
    different = [label for label in expected if found[label] != expected[label]]
    assert not different, (different[:5], found[different[0]], expected[different[0]])
    assert sum(len(v["problems"]) for v in found.values()) > 4000      # the set is not empty
