"""The case validator gives, for the same bad input, the same messages (and for good input the
same cases) as the validator before issue 16 made it faster: the golden set in
tests/data/validator_golden.json was captured from that validator (tests/validator_inputs.py)."""

from __future__ import annotations

import json

from validator_inputs import EXAMPLES, GOLDEN, golden


def test_the_same_input_gives_the_same_messages_and_cases(session, tmp_path):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    found = golden(session, tmp_path)
    assert sorted(found) == sorted(expected)
    different = [label for label in expected if found[label] != expected[label]]
    assert not different, (different[:5], found[different[0]], expected[different[0]])
    assert sum(len(v["problems"]) for v in found.values()) > 4000      # the set is not empty


def test_a_streamed_read_gives_the_same_messages_and_cases(session, tmp_path):
    """A big case file is read row by row as it is checked (a 100,000-row import in flat
    memory): the same problems in the same order, the same cases (every third input)."""
    from validator_inputs import inputs, validate
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    checked = 0
    for number, (label, profile, files) in enumerate(inputs()):
        if number % 3:
            continue
        assert validate(session, profile, files, tmp_path / str(number), stream=True) == expected[label], label
        checked += 1
    assert checked > 300


def test_one_answer_is_checked_in_its_case_with_the_import_messages(session):
    """``CaseSchema.check_answer`` (capture, the web application): the message an import of
    the case would give for that cell, and the answer as it would be stored."""
    from hmip_inspect.core.errors import Problems
    from hmip_inspect.core.inspection.case_reading import read_cases
    from hmip_inspect.core.inspection.case_schema import CaseSchema
    from hmip_inspect.core.inspection.folder import profile_standards

    standards = profile_standards(session.profile("crc"), session.catalogue)
    schema = CaseSchema.build(standards, session.catalogue)
    problems = Problems()
    cases = {c.case_id: c for c in read_cases(EXAMPLES / "crc", standards, session.catalogue, problems)}
    assert not problems
    case = cases["D2-001"]
    assert schema.check_answer(case, "2.1.1", " YES ") == ("yes", [])
    assert schema.check_answer(case, "2.1.1", "") == ("", [])          # clearing: allowed in capture
    _, found = schema.check_answer(case, "2.1.1", "maybe")
    assert [(p.where, p.message) for p in found] == [
        ("case D2-001, column '2.1.1'", "answer 'maybe' is not allowed; expected yes, no or empty (not applicable)")]
    low = next(c for c in cases.values() if c.sample == "domain2" and c.attributes.get("rosh") == "low")
    _, found = schema.check_answer(low, "2.1.3", "yes")
    [problem] = found
    assert problem.message.startswith("answered, but key question 2.1.3 does not apply to this case "
                                      "(applies to rosh in high, medium, very-high")
