"""Bad input gets a clear error naming file, row, column or key; every problem in one pass."""

import csv

import pytest


def run(inspect_cli, folder, *extra):
    return inspect_cli("run", "--profile", "crc", "--inspection", folder, *extra)


def rewrite_csv(path, edit):
    rows = list(csv.reader(path.open(newline="")))
    edit(rows)
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)


def cell(rows, row, column):
    return rows[row], rows[0].index(column)


def assert_refused(result, *fragments):
    assert result.exit_code == 1, result.stdout
    for fragment in fragments:
        assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_malformed_inspection_toml(inspect_cli, example):
    (example / "inspection.toml").write_text('[inspection\nprovider = "x"\n')
    assert_refused(run(inspect_cli, example), "inspection.toml: not valid TOML", "line 1")


def test_malformed_judgements_toml(inspect_cli, example):
    (example / "judgements.toml").write_text('[[judgement]]\nstandard = 1.1.1\n')
    assert_refused(run(inspect_cli, example), "judgements.toml: not valid TOML")


def test_unknown_keys_in_inspection_toml(inspect_cli, example):
    path = example / "inspection.toml"
    path.write_text(path.read_text() + 'lead = "A. N. Other"\nsynthetic_data = true\n')
    assert_refused(run(inspect_cli, example), "unknown key 'lead'", "unknown key 'synthetic_data'")


def test_unknown_question_column(inspect_cli, example):
    rewrite_csv(example / "cases" / "domain2.csv", lambda rows: rows[0].__setitem__(7, "2.1.1.z"))
    assert_refused(run(inspect_cli, example),
                   "cases/domain2.csv, column 8 '2.1.1.z': unknown question")


def test_key_question_code_instead_of_summary_is_explained(inspect_cli, example):
    rewrite_csv(example / "cases" / "domain2.csv", lambda rows: rows[0].__setitem__(6, "A 1"))
    assert_refused(run(inspect_cli, example),
                   "A 1 names key question 2.1.1; its summary judgement column is '2.1.1'")


def test_carag_codes_are_accepted_as_columns(inspect_cli, example):
    def rename(rows):
        rows[0][rows[0].index("2.1.1")] = "A 1 S"
        rows[0][rows[0].index("2.1.1.a")] = "A 1.01"
    rewrite_csv(example / "cases" / "domain2.csv", rename)
    result = run(inspect_cli, example, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"score": 17' in result.stdout


def test_qualitative_key_question_column_is_refused(inspect_cli, example):
    def add(rows):
        rows[0].append("4.1.3")
        for row in rows[1:]:
            row.append("yes")
    rewrite_csv(example / "cases" / "upw.csv", add)
    assert_refused(run(inspect_cli, example), "judged on qualitative evidence, not per case")


def test_answer_other_than_yes_no_empty(inspect_cli, example):
    def edit(rows):
        row, column = cell(rows, 3, "2.1.2.b")
        row[column] = "maybe"
        row, column = cell(rows, 5, "2.1.1")
        row[column] = "y"
    rewrite_csv(example / "cases" / "domain2.csv", edit)
    assert_refused(run(inspect_cli, example),
                   "cases/domain2.csv row 4, column '2.1.2.b': answer 'maybe' is not allowed; "
                   "expected yes, no or empty",
                   "cases/domain2.csv row 6, column '2.1.1': answer 'y' is not allowed")


def test_answers_are_case_insensitive(inspect_cli, example):
    def edit(rows):
        column = rows[0].index("2.1.1")
        for row in rows[1:]:
            row[column] = row[column].upper()
    rewrite_csv(example / "cases" / "domain2.csv", edit)
    assert run(inspect_cli, example).exit_code == 0


def test_duplicate_case_ids_across_files(inspect_cli, example):
    def edit(rows):
        rows[2][0] = rows[1][0]
    rewrite_csv(example / "cases" / "domain2.csv", edit)
    rewrite_csv(example / "cases" / "ttg.csv", lambda rows: rows[1].__setitem__(0, "D2-001"))
    assert_refused(run(inspect_cli, example),
                   "cases/domain2.csv row 3, column 'case_id': duplicate case id 'D2-001' "
                   "(first in cases/domain2.csv row 2)",
                   "cases/ttg.csv row 2, column 'case_id': duplicate case id 'D2-001'")


def test_answer_where_the_key_question_does_not_apply(inspect_cli, example):
    def edit(rows):
        rosh = rows[0].index("rosh")
        row = next(r for r in rows[1:] if r[rosh] == "low")
        row[rows[0].index("2.2.3")] = "yes"
    rewrite_csv(example / "cases" / "domain2.csv", edit)
    assert_refused(run(inspect_cli, example),
                   "answered, but key question 2.2.3 does not apply to this case",
                   "rosh in high, medium, very-high")


def test_post_custody_prompt_on_a_community_case(inspect_cli, example):
    def edit(rows):
        disposal = rows[0].index("disposal")
        row = next(r for r in rows[1:] if r[disposal] == "community")
        row[rows[0].index("2.3.1.d")] = "no"
    rewrite_csv(example / "cases" / "domain2.csv", edit)
    assert_refused(run(inspect_cli, example),
                   "answered, but 2.3.1.d does not apply to this case (applies to disposal in post-custody")


def test_missing_summary_judgement(inspect_cli, example):
    rewrite_csv(example / "cases" / "domain2.csv",
                lambda rows: rows[10].__setitem__(rows[0].index("2.4.2"), ""))
    assert_refused(run(inspect_cli, example),
                   "cases/domain2.csv row 11, column '2.4.2': summary judgement missing")


def test_bad_and_missing_attributes(inspect_cli, example):
    def edit(rows):
        rows[1][rows[0].index("rosh")] = "severe"
        rows[2][rows[0].index("disposal")] = ""
    rewrite_csv(example / "cases" / "domain2.csv", edit)
    assert_refused(run(inspect_cli, example),
                   "row 2, column 'rosh': bad attribute value 'severe'; expected one of low, medium, high, very-high",
                   "row 3, column 'disposal': missing: disposal decides which questions apply")


def test_question_from_another_sample(inspect_cli, example):
    def edit(rows):
        rows[0].append("4.2.1")
        for row in rows[1:]:
            row.append("")
        rows[1][-1] = "yes"
    rewrite_csv(example / "cases" / "domain2.csv", edit)
    assert_refused(run(inspect_cli, example),
                   "question 4.2.1 belongs to the 'ttg' sample, but case D2-001 is in the 'domain2' sample")


def test_unknown_sample_and_short_row_and_missing_column(inspect_cli, example):
    def edit(rows):
        rows[1][1] = "court"
        rows[2] = rows[2][:5]
    rewrite_csv(example / "cases" / "domain2.csv", edit)
    rewrite_csv(example / "cases" / "ttg.csv", lambda rows: rows[0].__setitem__(1, "kind"))
    assert_refused(run(inspect_cli, example),
                   "row 2, column 'sample': unknown sample 'court'",
                   "cases/domain2.csv row 3: has 5 fields; the header has",
                   "cases/ttg.csv: missing required column 'sample'")


def test_every_problem_is_reported_in_one_pass(inspect_cli, example):
    def edit(rows):
        rows[1][rows[0].index("2.1.1")] = "maybe"
        rows[2][0] = rows[3][0]
        rows[0][7] = "2.9.9"
    rewrite_csv(example / "cases" / "domain2.csv", edit)
    (example / "judgements.toml").write_text("")
    result = run(inspect_cli, example)
    assert_refused(result, "answer 'maybe'", "duplicate case id", "'2.9.9': unknown question",
                   "missing judgement for standard(s) 1.1, 1.2, 1.3, 1.4")
    assert "(4 problems):" in result.stderr


def test_no_cases_for_a_sample(inspect_cli, example):
    (example / "cases" / "ttg.csv").unlink()
    assert_refused(run(inspect_cli, example),
                   "no cases in sample 'ttg', so standard(s) 4.2 cannot be rated")


def test_inspection_folder_not_found(inspect_cli, tmp_path):
    assert_refused(run(inspect_cli, tmp_path / "nope"), "not found")


def test_verbose_adds_the_traceback(inspect_cli, example):
    (example / "inspection.toml").write_text("[inspection\n")
    result = inspect_cli("--verbose", "run", "--profile", "crc", "--inspection", example)
    assert result.exit_code == 1
    assert "Traceback" in result.stderr


def test_profile_taken_from_inspection_toml(inspect_cli, example):
    result = inspect_cli("run", "--inspection", example, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"profile": "crc"' in result.stdout


def test_nothing_is_written_into_the_inspection_folder(inspect_cli, example):
    before = {p: p.read_bytes() for p in example.rglob("*") if p.is_file()}
    assert run(inspect_cli, example).exit_code == 0
    after = {p: p.read_bytes() for p in example.rglob("*") if p.is_file()}
    assert before == after


@pytest.mark.parametrize("bad", ["\ufeffcase_id", "case_id"])
def test_byte_order_mark_is_tolerated(inspect_cli, example, bad):
    path = example / "cases" / "upw.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(("\ufeff" if bad.startswith("\ufeff") else "") + text, encoding="utf-8")
    assert run(inspect_cli, example).exit_code == 0


def test_an_empty_provider_or_profile_is_refused(inspect_cli, example):
    path = example / "inspection.toml"
    text = path.read_text()
    path.write_text(text.replace('provider = "Thames Valley CRC (synthetic example)"', 'provider = " "'))
    result = run(inspect_cli, example)
    assert_refused(result, "inspection.toml [inspection] provider: must not be empty")
