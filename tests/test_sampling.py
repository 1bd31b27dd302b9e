"""``inspect sample``: eligibility windows, sample size, proportional allocation, the seeded
draw, the population file's checks, the summary's ratios and the written selection.

Every population here is synthetic, generated with a fixed seed by :func:`synthetic_population`.
"""

from __future__ import annotations

import csv
import json
import math
import random
import re
from datetime import date, timedelta
from pathlib import Path
from statistics import NormalDist

import pytest
from hmip_inspect.core.errors import InputError, Problems
from hmip_inspect.core.profiles.profile import SampleRule, SamplingPlan, Window
from hmip_inspect.core.sampling.draw import allocate, draw_samples, required_size
from hmip_inspect.core.sampling.population import read_population
from hmip_inspect.core.sampling.windows import (
    months_before,
    outside_window,
    window_bounds,
)
from hmip_inspect.core.stats import sample_size
from structlog.testing import capture_logs

FIELDWORK = date(2019, 9, 16)
GENDERS = (("male", 85), ("female", 15))
ROSH = (("low", 20), ("medium", 55), ("high", 22), ("very-high", 3))
VOCABULARIES = {"disposal": ("community", "post-custody", "upw-only"),
                "rosh": ("low", "medium", "high", "very-high")}


def synthetic_population(path: Path, *, seed: int = 7, domain2: int = 600, upw: int = 160,
                         ttg: int = 40) -> Path:
    """Write an invented eligible-population CSV for the CRC profile and return its path.

    Start and release dates spread either side of each sample's window so that some cases
    fall outside it.
    """
    rng = random.Random(seed)

    def pick(weighted):
        return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]

    rows = []
    for number in range(1, domain2 + 1):
        start = FIELDWORK - timedelta(days=rng.randint(120, 260))
        rows.append([f"D2-{number:04d}", "domain2", pick(GENDERS),
                     pick((("community", 60), ("post-custody", 40))), pick(ROSH), start.isoformat(), ""])
    for number in range(1, upw + 1):
        start = FIELDWORK - timedelta(days=rng.randint(20, 400))
        rows.append([f"UPW-{number:04d}", "upw", pick(GENDERS),
                     pick((("upw-only", 70), ("community", 30))), pick(ROSH), start.isoformat(), ""])
    for number in range(1, ttg + 1):
        release = FIELDWORK - timedelta(days=rng.randint(0, 50))
        rows.append([f"TTG-{number:04d}", "ttg", pick(GENDERS), "post-custody", pick(ROSH), "",
                     release.isoformat()])
    rng.shuffle(rows)   # the draw must not depend on the file's order
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["case_id", "sample", "gender", "disposal", "rosh", "start_date", "release_date"])
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def eligible_in_test(row: dict[str, str]) -> bool:
    """The CRC windows for fieldwork on 16 September 2019, written out as dates (ISO dates
    compare as text)."""
    if row["sample"] == "domain2":      # 6 to 7 months before
        return "2019-02-16" <= row["start_date"] <= "2019-03-16"
    if row["sample"] == "upw":          # at least 3 months before
        return row["start_date"] <= "2019-06-16"
    return "2019-08-19" <= row["release_date"] <= "2019-09-16"   # within 4 weeks before


def formula_size(population: int, confidence: float = 0.8, margin: float = 0.05) -> int:
    """Cochran's sample size for p = 0.5 with the finite-population correction."""
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    n0 = z * z * 0.25 / (margin * margin)
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))


@pytest.fixture
def crc_plan(session) -> SamplingPlan:
    return session.profile("crc").sampling


# --------------------------------------------------------------------------------------
# Eligibility windows
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("sample, value, outside", [
    # domain two: 6 to 7 months before 2019-09-16, i.e. 2019-02-16 to 2019-03-16
    ("domain2", date(2019, 2, 15), "before"),
    ("domain2", date(2019, 2, 16), None),
    ("domain2", date(2019, 3, 16), None),
    ("domain2", date(2019, 3, 17), "after"),
    # unpaid work: begun at least 3 months before, i.e. on or before 2019-06-16
    ("upw", date(2019, 6, 16), None),
    ("upw", date(2019, 6, 17), "after"),
    ("upw", date(2010, 1, 1), None),
    # Through the Gate: released within the 4 weeks before, 2019-08-19 to 2019-09-16
    ("ttg", date(2019, 8, 18), "before"),
    ("ttg", date(2019, 8, 19), None),
    ("ttg", date(2019, 9, 16), None),
    ("ttg", date(2019, 9, 17), "after"),
])
def test_window_edges(crc_plan, sample, value, outside):
    window = crc_plan.samples[sample].window
    reason = outside_window(window, value, FIELDWORK)
    if outside is None:
        assert reason is None
    else:
        assert reason.startswith(f"{window.column} {outside} ")


def test_window_reasons_name_the_end_crossed(crc_plan):
    window = crc_plan.samples["domain2"].window
    assert outside_window(window, date(2019, 2, 15), FIELDWORK) == \
        "start_date before 2019-02-16: more than 7 months before fieldwork"
    assert outside_window(window, date(2019, 3, 17), FIELDWORK) == \
        "start_date after 2019-03-16: less than 6 months before fieldwork"


def test_months_count_back_to_the_last_day_of_a_shorter_month():
    assert months_before(date(2019, 8, 31), 6) == date(2019, 2, 28)
    assert months_before(date(2020, 8, 31), 6) == date(2020, 2, 29)
    assert months_before(date(2020, 1, 15), 13) == date(2018, 12, 15)
    window = Window("start_date", "months", at_least=6, at_most=7)
    assert window_bounds(window, date(2019, 8, 31)) == (date(2019, 1, 31), date(2019, 2, 28))


# --------------------------------------------------------------------------------------
# Size and allocation
# --------------------------------------------------------------------------------------


def test_sample_size_without_correction_is_cochrans_n0():
    z = NormalDist().inv_cdf(0.9)                      # 80% two-sided
    n0 = z * z * 0.5 * 0.5 / 0.05 ** 2
    assert sample_size(None, 0.8, 0.05).n == math.ceil(n0)
    assert sample_size(None, 0.8, 0.05).n == 165       # z = 1.2816: n0 = 164.2


@pytest.mark.parametrize("population", [1, 10, 57, 254, 1000, 25_000])
def test_sample_size_with_finite_population_correction(population):
    assert required_size(population, 80, 5) == formula_size(population)
    assert required_size(population, 80, 5) <= min(population, 165)


def test_sample_size_follows_confidence_and_margin_in_percent():
    assert required_size(500, 90, 3) == formula_size(500, 0.9, 0.03)
    assert required_size(500, 90, 3) > required_size(500, 80, 5)
    assert required_size(0, 80, 5) == 0


def test_allocation_is_largest_remainder_by_hand():
    # quotas 3.5, 2.1, 1.4: whole parts 3 + 2 + 1 = 6, the one left goes to the largest remainder
    assert allocate(7, {("a",): 5, ("b",): 3, ("c",): 2}) == {("a",): 4, ("b",): 2, ("c",): 1}


@pytest.mark.parametrize("seed", range(20))
def test_allocation_sums_exactly_and_is_proportional(seed):
    rng = random.Random(seed)
    counts = {(f"s{i}",): rng.randint(0, 80) for i in range(rng.randint(1, 12))}
    total = sum(counts.values())
    size = rng.randint(0, total)
    shares = allocate(size, counts)
    assert sum(shares.values()) == size
    quota = {key: size * count / total if total else 0 for key, count in counts.items()}
    for key, share in shares.items():
        assert math.floor(quota[key]) <= share <= math.ceil(quota[key])
        assert share <= counts[key]
    # the strata rounded up are those with the largest fractional parts
    up = [quota[k] - math.floor(quota[k]) for k in shares if shares[k] > math.floor(quota[k])]
    down = [quota[k] - math.floor(quota[k]) for k in shares if shares[k] == math.floor(quota[k])]
    if up and down:
        assert min(up) >= max(down) - 1e-12


def test_allocation_refuses_more_than_the_population():
    with pytest.raises(ValueError):
        allocate(6, {("a",): 2, ("b",): 3})


# --------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------


def _draw(path: Path, plan: SamplingPlan, **options):
    problems = Problems()
    cases = read_population(path, plan, VOCABULARIES, problems)
    assert not problems
    return draw_samples(plan, cases, FIELDWORK, **options)


def _ids(draws) -> dict[str, list[str]]:
    return {d.rule.name: [c.case_id for c in d.selected] for d in draws}


def test_same_seed_same_sample_other_seed_other_sample(tmp_path, crc_plan):
    path = synthetic_population(tmp_path / "population.csv")
    first, again = _ids(_draw(path, crc_plan)), _ids(_draw(path, crc_plan))
    assert first == again
    other = _ids(_draw(path, crc_plan, seed=2))
    assert other["domain2"] != first["domain2"]
    assert len(other["domain2"]) == len(first["domain2"])


def test_the_draw_does_not_depend_on_the_files_row_order(tmp_path, crc_plan):
    path = synthetic_population(tmp_path / "population.csv")
    lines = path.read_text().splitlines()
    shuffled = tmp_path / "shuffled.csv"
    body = lines[1:]
    random.Random(3).shuffle(body)
    shuffled.write_text("\n".join([lines[0]] + body) + "\n")
    assert _ids(_draw(path, crc_plan)) == _ids(_draw(shuffled, crc_plan))


def test_each_stratum_gets_its_proportional_share(tmp_path, crc_plan):
    path = synthetic_population(tmp_path / "population.csv")
    rows = [r for r in read_csv(path) if eligible_in_test(r)]
    for draw in _draw(path, crc_plan):
        eligible = [r for r in rows if r["sample"] == draw.rule.name]
        assert len(draw.eligible) == len(eligible)
        assert len(draw.selected) == formula_size(len(eligible))
        for key, share in draw.allocation.items():
            in_stratum = [r for r in eligible if tuple(r[a] for a in draw.strata) == key]
            quota = len(draw.selected) * len(in_stratum) / len(eligible)
            chosen = [c for c in draw.selected if tuple(c.attributes[a] for a in draw.strata) == key]
            assert len(chosen) == share
            assert abs(share - quota) < 1


def test_a_fixed_size_and_the_command_line_override(tmp_path, crc_plan):
    path = synthetic_population(tmp_path / "population.csv")
    rules = dict(crc_plan.samples)
    rules["ttg"] = SampleRule("ttg", window=rules["ttg"].window, size=14)
    plan = SamplingPlan(rules, crc_plan.strata, crc_plan.seed, crc_plan.confidence, crc_plan.margin)
    draws = {d.rule.name: d for d in _draw(path, plan, confidence=90, margin=3)}
    eligible = [r for r in read_csv(path) if eligible_in_test(r)]
    domain2 = sum(1 for r in eligible if r["sample"] == "domain2")
    assert len(draws["domain2"].selected) == formula_size(domain2, 0.9, 0.03)
    assert len(draws["ttg"].selected) == min(14, sum(1 for r in eligible if r["sample"] == "ttg"))
    assert "fixed by the profile" in draws["ttg"].size_basis


# --------------------------------------------------------------------------------------
# The population file
# --------------------------------------------------------------------------------------


def test_every_bad_row_is_reported_in_one_pass(tmp_path, crc_plan):
    path = tmp_path / "population.csv"
    path.write_text(
        "case_id,sample,gender,disposal,start_date\n"            # no rosh column
        "D2-1,domain2,male,community,2019-03-01\n"
        "D2-2,domain2,female,community,01/03/2019\n"              # row 3: not ISO
        "D2-3,domain2,male,community,\n"                         # row 4: no date
        "D2-1,domain2,male,community,2019-03-01\n"               # row 5: duplicate id
        "D3-1,domain3,male,community,2019-03-01\n"               # row 6: unknown sample
        ",domain2,male,community,2019-03-01\n"                   # row 7: no id
        "D2-4,domain2,male,community\n"                          # row 8: short row
        "D2-5,domain2,,custody,2019-02-30\n"                     # row 9: three problems
        "UPW-1,upw,female,upw-only,2019-01-05\n", encoding="utf-8")
    problems = Problems()
    read_population(path, crc_plan, VOCABULARIES, problems)
    found = {(p.where, p.message.split(";")[0].split(" (")[0]) for p in problems.items}
    assert found == {
        ("population.csv", "missing column 'rosh', needed by sample domain2, upw"),
        ("population.csv row 3, column 'start_date'", "expected an ISO date YYYY-MM-DD"),
        ("population.csv row 4, column 'start_date'", "expected an ISO date YYYY-MM-DD"),
        ("population.csv row 5, column 'case_id'", "duplicate case id 'D2-1'"),
        ("population.csv row 6, column 'sample'", "unknown sample 'domain3'"),
        ("population.csv row 7, column 'case_id'", "missing case id"),
        ("population.csv row 8", "has 4 fields"),
        ("population.csv row 9, column 'gender'", "missing: the domain2 sample is stratified on gender"),
        ("population.csv row 9, column 'disposal'", "bad value 'custody'"),
        ("population.csv row 9, column 'start_date'", "expected an ISO date YYYY-MM-DD"),
    }
    assert len(problems.items) == 10
    messages = {p.where: p.message for p in problems.items}
    assert "found '01/03/2019'" in messages["population.csv row 3, column 'start_date'"]
    assert "the cell is empty" in messages["population.csv row 4, column 'start_date'"]
    assert "first in population.csv row 2" in messages["population.csv row 5, column 'case_id'"]


def test_missing_required_columns(tmp_path, crc_plan):
    path = tmp_path / "population.csv"
    path.write_text("id,gender\nx,male\n", encoding="utf-8")
    problems = Problems()
    read_population(path, crc_plan, VOCABULARIES, problems)
    assert {str(p) for p in problems.items} == {
        "population.csv: missing required column 'case_id'",
        "population.csv: missing required column 'sample'"}


# --------------------------------------------------------------------------------------
# The profile's [sampling] table
# --------------------------------------------------------------------------------------


def test_sampling_table_problems_are_reported_field_by_field(session, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("""
[profile]
name = "mine"
extends = "crc"
[sampling]
confidence = 0.8
margin = "5"
colour = "blue"
[sampling.samples.domain2]
unit = "days"
at_least = 8
[sampling.samples.ttg]
size = 14
margin = 3
[sampling.samples.extra]
at_most = 2
[sampling.samples.upw]
strata = ["gender", "gender"]
""")
    with pytest.raises(InputError) as caught:
        session.profile(str(path))
    text = {str(p) for p in caught.value.problems}
    assert text == {
        "mine.toml [sampling] confidence: expected a confidence level in per cent, at least 50 and "
        "below 100 (e.g. 80), found 0.8",
        "mine.toml [sampling] margin: expected a margin of error in percentage points, above 0 and "
        "at most 50 (e.g. 5), found '5'",
        "mine.toml [sampling]: unknown key 'colour'",
        "mine.toml [sampling.samples.domain2] unit: expected one of 'months', 'weeks', found 'days'",
        "mine.toml [sampling.samples.domain2]: at_least (8) must not exceed at_most (7)",
        "mine.toml [sampling.samples.ttg]: give either a fixed size or a confidence level and "
        "margin of error, not both",
        "mine.toml [sampling.samples.extra]: at_least, at_most and unit need date_column (the case "
        "date the window is on)",
        "mine.toml [sampling.samples.upw] strata: 'gender' is listed twice",
    }


def test_sampling_is_inherited_key_by_key(session, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("""
[profile]
name = "mine"
extends = "crc"
[sampling]
seed = 42
[sampling.samples.domain2]
margin = 3
[sampling.samples.ttg]
size = 12
""")
    plan = session.profile(str(path)).sampling
    crc = session.profile("crc").sampling
    assert plan.seed == 42 and plan.strata == crc.strata and plan.confidence == 80
    assert plan.samples["domain2"].window == crc.samples["domain2"].window
    assert plan.samples["domain2"].margin == 3
    assert plan.samples["upw"] == crc.samples["upw"]
    assert plan.samples["ttg"].size == 12 and plan.samples["ttg"].window == crc.samples["ttg"].window


def test_every_shipped_profile_samples_its_own_samples(session):
    for name in ("crc", "nps", "pdu", "yot"):
        profile = session.profile(name)
        samples = {session.catalogue.standard(profile.edition, s).sample for s in profile.all_standards}
        assert set(profile.sampling.samples) == samples - {None, ""}, name


# --------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------


def _summary_rows(stdout: str) -> dict[tuple[str, str, str], tuple[int, str, int, str]]:
    """(sample, attribute, value) -> (eligible, %, selected, %) from the printed summary."""
    rows, sample, attribute = {}, None, None
    for line in stdout.splitlines():
        head = re.match(r"^(\S+): \d+ of \d+ eligible cases selected", line)
        if head:
            sample = head.group(1)
            continue
        column = re.match(r"^    (\S+)\s+eligible\s+sample$", line)
        if column:
            attribute = column.group(1)
            continue
        value = re.match(r"^    (\S+)\s+(\d+)\s+([\d.]+%)\s+(\d+)\s+([\d.]+%|-)$", line)
        if value:
            rows[(sample, attribute, value.group(1))] = (
                int(value.group(2)), value.group(3), int(value.group(4)), value.group(5))
    return rows


def test_cli_draws_writes_and_summarises(inspect_cli, tmp_path):
    population = synthetic_population(tmp_path / "population.csv")
    output = tmp_path / "selected.csv"
    result = inspect_cli("sample", "--profile", "crc", "--population", population,
                         "--fieldwork", "2019-09-16", "--output", output)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["population.csv", "selected.csv"]

    rows = read_csv(population)
    eligible = [r for r in rows if eligible_in_test(r)]
    selected = read_csv(output)
    assert list(selected[0]) == ["case_id", "sample", "gender", "disposal", "rosh"]
    # stable order: samples in the profile's order, then case id
    order = {"domain2": 0, "upw": 1, "ttg": 2}
    assert selected == sorted(selected, key=lambda r: (order[r["sample"]], r["case_id"]))
    by_id = {r["case_id"]: r for r in rows}
    for row in selected:
        source = by_id[row["case_id"]]
        assert eligible_in_test(source)
        assert [row[k] for k in ("sample", "gender", "disposal", "rosh")] == \
               [source[k] for k in ("sample", "gender", "disposal", "rosh")]

    summary = _summary_rows(result.stdout)
    strata = {"domain2": ("gender", "disposal", "rosh"), "upw": ("gender", "rosh"),
              "ttg": ("gender", "disposal", "rosh")}
    checked = 0
    for sample, attributes in strata.items():
        pool = [r for r in eligible if r["sample"] == sample]
        chosen = [r for r in selected if r["sample"] == sample]
        assert len(chosen) == formula_size(len(pool))
        listed = sum(1 for r in rows if r["sample"] == sample)
        assert (f"  listed {listed}, eligible {len(pool)}, ineligible {listed - len(pool)}"
                in result.stdout)
        for attribute in attributes:
            for value in sorted({r[attribute] for r in pool}):
                in_pool = sum(1 for r in pool if r[attribute] == value)
                in_sample = sum(1 for r in chosen if r[attribute] == value)
                assert summary[(sample, attribute, value)] == (
                    in_pool, f"{100 * in_pool / len(pool):.1f}%",
                    in_sample, f"{100 * in_sample / len(chosen):.1f}%")
                checked += 1
    assert checked == len(summary) > 10
    assert f"total: {len(selected)} cases selected" in result.stdout


def test_cli_reports_why_cases_were_ineligible(inspect_cli, tmp_path):
    population = synthetic_population(tmp_path / "population.csv")
    result = inspect_cli("sample", "-p", "crc", "--population", population, "--fieldwork", "2019-09-16")
    assert result.exit_code == 0, result.stderr
    rows = [r for r in read_csv(population) if r["sample"] == "domain2"]
    old = sum(1 for r in rows if r["start_date"] < "2019-02-16")
    recent = sum(1 for r in rows if r["start_date"] > "2019-03-16")
    assert old and recent
    assert f"    {old} ineligible: start_date before 2019-02-16: more than 7 months before fieldwork" \
        in result.stdout
    assert f"    {recent} ineligible: start_date after 2019-03-16: less than 6 months before fieldwork" \
        in result.stdout


def test_cli_seed_option(inspect_cli, tmp_path):
    population = synthetic_population(tmp_path / "population.csv")
    written = {}
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        target = tmp_path / f"{name}.csv"
        result = inspect_cli("sample", "-p", "crc", "--population", population,
                             "--fieldwork", "2019-09-16", "--seed", seed, "-o", target)
        assert result.exit_code == 0, result.stderr
        written[name] = target.read_bytes()
    assert written["a"] == written["b"] != written["c"]


def test_cli_invalid_input_writes_nothing(inspect_cli, tmp_path):
    population = tmp_path / "population.csv"
    population.write_text("case_id,sample,gender,disposal,rosh,start_date\n"
                          "D2-1,domain2,male,community,high,2019-13-01\n"
                          "D2-1,domain2,male,community,extreme,2019-03-01\n", encoding="utf-8")
    output = tmp_path / "selected.csv"
    result = inspect_cli("sample", "-p", "crc", "--population", population,
                         "--fieldwork", "2019-09-16", "--confidence", "0.8", "-o", output)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    for fragment in ("--confidence: expected a confidence level in per cent",
                     "population.csv row 2, column 'start_date': expected an ISO date",
                     "population.csv row 3, column 'case_id': duplicate case id 'D2-1'",
                     "population.csv row 3, column 'rosh': bad value 'extreme'"):
        assert fragment in result.stderr
    assert "(4 problems)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["population.csv"]

    output.write_text("kept\n")
    result = inspect_cli("sample", "-p", "crc", "--population", population,
                         "--fieldwork", "2019-09-16", "-o", output)
    assert result.exit_code == 1
    assert output.read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["population.csv", "selected.csv"]


def test_cli_option_problems_together(inspect_cli, tmp_path):
    result = inspect_cli("sample", "--fieldwork", "16/09/2019", "--margin", "0")
    assert result.exit_code == 1
    for fragment in ("--profile: required", "--population: required",
                     "--fieldwork: expected a date YYYY-MM-DD, found '16/09/2019'",
                     "--margin: expected a margin of error"):
        assert fragment in result.stderr


def test_cli_needs_the_fieldwork_date_for_a_window(inspect_cli, tmp_path):
    population = synthetic_population(tmp_path / "population.csv", domain2=20, upw=0, ttg=0)
    result = inspect_cli("sample", "-p", "crc", "--population", population)
    assert result.exit_code == 1
    assert "--fieldwork: required: the eligibility of sample domain2 counts back" in result.stderr


def test_cli_without_windows_and_a_profile_without_sampling(inspect_cli, tmp_path):
    population = tmp_path / "population.csv"
    rng = random.Random(11)
    population.write_text("case_id,sample,gender\n" + "".join(
        f"Y-{i:03d},{rng.choice(['court-disposals', 'out-of-court'])},{rng.choice(['male', 'female'])}\n"
        for i in range(90)), encoding="utf-8")
    result = inspect_cli("sample", "-p", "yot", "--population", population)
    assert result.exit_code == 0, result.stderr
    assert "window: none (every listed case is eligible)" in result.stdout
    assert "resettlement: no cases listed" in result.stdout

    plain = tmp_path / "plain.toml"
    plain.write_text('[profile]\nname = "plain"\nedition = "2019"\nplugins = ["domain2"]\n'
                     'standards = ["2.1", "2.2"]\n')
    result = inspect_cli("sample", "-p", plain, "--population", population)
    assert result.exit_code == 1
    assert "has no [sampling] table" in result.stderr


def test_cli_refuses_samples_the_profile_does_not_rate(inspect_cli, tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text('[profile]\nname = "mine"\nextends = "crc"\n[sampling.samples.victims]\n')
    population = synthetic_population(tmp_path / "population.csv", domain2=20, upw=0, ttg=0)
    result = inspect_cli("sample", "-p", mine, "--population", population, "--fieldwork", "2019-09-16")
    assert result.exit_code == 1
    assert "mine.toml [sampling.samples.victims]: no standard of the profile is rated on a " \
           "'victims' sample" in result.stderr


def test_case_ids_stay_out_of_the_logs(tmp_path, crc_plan):
    path = synthetic_population(tmp_path / "population.csv", domain2=50, upw=10, ttg=5)
    with capture_logs() as events:
        _draw(path, crc_plan)
    assert events
    logged = json.dumps(events, default=str)
    assert "D2-" not in logged and "UPW-" not in logged
    assert all(e["log_level"] == "debug" for e in events)
