"""`changzhu evaluate`: a whole table decided on a date, counted, written; bad input is one line and no file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from rules_support import ON, random_people
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.domain.lang import Lang, sentence
from changzhu.domain.services import Service, service_title
from changzhu.rules import evaluate
from cli_support import run_changzhu


def test_evaluate_counts_and_writes_what_evaluate_returns(tmp_path: Path) -> None:
    people = random_people(300, 91)
    source = tmp_path / "people.parquet"
    people.write_parquet(source)
    out = tmp_path / "result.parquet"
    args = ["evaluate", str(source), "--on", ON.isoformat(), "--out", str(out), "-f", "json", "--lang", "zh"]
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 0, ran.output
    expected = evaluate(people, ON, earliest=False)
    assert pl.read_parquet(out).equals(expected)
    summary = {row["output"]: row for row in json.loads(ran.output[: ran.output.rindex("]") + 1])}
    assert summary["residence_permit"]["eligible"] == expected["eligible_residence_permit"].sum()
    assert summary["residence_permit"]["people"] == 300
    shanghai = expected["points_shanghai_residence_points"].drop_nulls()
    assert summary["points_shanghai_residence_points"]["people"] == shanghai.len()
    assert summary["residence_permit"]["title"] == "居住证"  # the service by its title in --lang
    assert summary["points_shanghai_residence_points"]["title"] == "上海市居住证积分"


def test_the_summary_names_services_by_title_in_the_language_with_the_field_beside(tmp_path: Path) -> None:
    """The printed table leads with each service's title in --lang (as the decisions workbook heads its columns),
    the field name in the next column; a language other than zh or en is refused by the option itself."""
    source = tmp_path / "people.parquet"
    random_people(40, 94).write_parquet(source)
    args = ["evaluate", str(source), "--on", ON.isoformat(), "-s", "residence_permit", "--lang", "en"]
    shown = CliRunner().invoke(app, [*args, "-f", "csv"])
    assert shown.exit_code == 0, shown.output
    table = pl.read_csv(shown.output[shown.output.index("title,") :].encode())
    assert table.columns[:2] == ["title", "output"]
    assert table.row(0, named=True)["title"] == "residence permit (juzhuzheng)"
    assert table.row(0, named=True)["output"] == "residence_permit"
    refused = CliRunner().invoke(app, [*args[:-1], "fr"])
    assert refused.exit_code == 2 and "'fr' is not one of 'zh', 'en'" in refused.output


@pytest.mark.parametrize(
    ("lang", "words", "other"),
    [
        ("en", ("residence permit (juzhuzheng)", "error: "), ("居住证", "错误：")),
        ("zh", ("居住证", "错误："), ("residence permit (juzhuzheng)", "error: ")),
    ],
)
def test_changzhu_lang_chooses_the_summary_and_the_error_line_alike(
    tmp_path: Path, lang: str, words: tuple[str, str], other: tuple[str, str]
) -> None:
    """`CHANGZHU_LANG=en changzhu evaluate people.csv` (no --lang) prints its summary's titles in English, as its
    error line; CHANGZHU_LANG=zh both in Chinese. Before: evaluate's own --lang read no variable and said Chinese
    whatever CHANGZHU_LANG said, under an English error line."""
    source = tmp_path / "people.csv"
    random_people(20, 95).write_csv(source)
    args = ("evaluate", str(source), "--on", ON.isoformat())
    shown = run_changzhu(*args, "-s", "residence_permit", lang=lang, timeout=600)  # kernels compiled on a cold cache
    assert shown.returncode == 0, shown.stderr
    assert words[0] in shown.stdout and other[0] not in shown.stdout, shown.stdout
    refused = run_changzhu(*args, "-s", "no_such_service", lang=lang, timeout=600)
    assert refused.returncode == 1 and refused.stderr.startswith(words[1]), refused.stderr


def test_evaluate_by_region_reads_a_stored_population_directory(tmp_path: Path) -> None:
    unknown = pl.col("person_id") % 5 == 0  # a fifth whose title and detentions (points indicators) are not known
    people = random_people(400, 92).with_columns(
        pl.when(~unknown).then(pl.col(c)).alias(c) for c in ("professional_title", "admin_detentions")
    )
    (tmp_path / "pop").mkdir()
    people.head(150).write_parquet(tmp_path / "pop" / "part-00000.parquet")
    people.tail(250).write_parquet(tmp_path / "pop" / "part-00001.parquet")
    args = ["evaluate", str(tmp_path / "pop"), "--on", ON.isoformat(), "--by-region", "-s", "points_settlement"]
    ran = CliRunner().invoke(app, [*args, "-f", "csv"])
    assert ran.exit_code == 0, ran.output
    counted = pl.read_csv(ran.output.encode(), schema_overrides={"residence_region": pl.String})
    expected = (
        evaluate(people, ON, services=None)
        .join(people.select("person_id", "residence_region"), on="person_id")
        .group_by("residence_region")
        .agg(
            pl.len().alias("people"),
            pl.col("eligible_points_settlement").sum().alias("points_settlement"),
            pl.col("undetermined_points_settlement").sum().alias("points_settlement_undetermined"),
        )
    )
    columns = ["residence_region", "people", "points_settlement", "points_settlement_undetermined"]
    got = counted.select(columns).sort("residence_region")
    assert got.equals(expected.sort("residence_region").select(columns).cast({c: pl.Int64 for c in columns[1:]}))
    assert counted["points_settlement_undetermined"].sum() > 0  # open decisions counted apart, not as "not eligible"
    assert counted["people"].sum() == 400
    assert counted.filter(pl.col("residence_region") == "310100")["name_zh"].to_list() == ["上海市"]
    printed = CliRunner(env={"COLUMNS": "250"}).invoke(app, [*args, "--lang", "en"])
    assert printed.exit_code == 0, printed.output
    title = sentence(service_title(Service.POINTS_SETTLEMENT, Lang.EN))  # a header starts with a capital
    assert f"{title}: eligible" in printed.output and f"{title}: undetermined" in printed.output
    assert "points_settlement" not in printed.output


def test_a_bad_table_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    people = random_people(50, 93).with_columns(
        pl.when(pl.col("person_id") == 7).then(-3).otherwise(pl.col("si_months_local")).alias("si_months_local")
    )
    source = tmp_path / "people.parquet"
    people.write_parquet(source)
    out = tmp_path / "result.parquet"
    ran = run_changzhu("evaluate", str(source), "--on", ON.isoformat(), "--out", str(out))
    assert ran.returncode == 1
    assert "si_months_local" in ran.stderr and "Traceback" not in ran.stderr
    assert not out.exists()


def test_evaluate_offers_only_the_formats_it_prints(tmp_path: Path) -> None:
    """--format prints the summary: the choices shown are those it takes (xlsx and parquet are files: --out)."""
    people = random_people(5, 3)
    source = tmp_path / "people.parquet"
    people.write_parquet(source)
    refused = CliRunner().invoke(app, ["evaluate", str(source), "--on", ON.isoformat(), "-f", "xlsx"])
    assert refused.exit_code == 2
    shown = CliRunner().invoke(app, ["evaluate", "--help"], env={"COLUMNS": "160"})
    assert "<table|csv|json>" in shown.output
    assert "parquet>" not in shown.output


def test_a_stored_population_is_read_with_its_own_attributes_left_out(tmp_path: Path) -> None:
    """`changzhu simulate --store` writes the simulation's attributes (hukou type, county, …) beside the person
    columns: evaluate reads such a directory (it has the manifest); the same columns in a user's file are left out
    with a warning naming them."""
    people = random_people(60, 5).with_columns(
        pl.lit("agricultural").alias("hukou_type"), pl.lit("310101").alias("residence_county"), urban=pl.lit(True)
    )
    stored = tmp_path / "pop"
    stored.mkdir()
    people.write_parquet(stored / "part-00000.parquet")
    (stored / "population.json").write_text("{}", encoding="utf-8")  # the manifest marks a stored population
    args = ["--on", ON.isoformat(), "-s", "residence_permit", "-f", "json"]
    ran = CliRunner().invoke(app, ["evaluate", str(stored), *args])
    assert ran.exit_code == 0, ran.output
    summary = {row["output"]: row for row in json.loads(ran.output[: ran.output.rindex("]") + 1])}
    expected = evaluate(people.drop("hukou_type", "residence_county", "urban"), ON, earliest=False)
    assert summary["residence_permit"]["eligible"] == expected["eligible_residence_permit"].sum()
    assert (
        "未读取" not in ran.output and "nor stored" not in ran.output
    )  # a stored population's own attributes are expected: nothing said
    (stored / "population.json").unlink()
    warned = CliRunner().invoke(app, ["evaluate", str(stored), *args, "--lang", "zh"])  # a user's file: said so
    assert warned.exit_code == 0, warned.output
    assert "以下列不是人员表的列，未读取，也不会保存：hukou_type、residence_county、urban" in warned.output


# What `changzhu evaluate FILE` does on its main thread before the rules run: the command's and the rules' imports,
# then reading the file. numba is imported by the command's own thread meanwhile (changzhu.cli.rules:
# _start_in_threads), which gains only if the main thread does not import it first; the microsimulation is needed
# only to tell a stored population's directory.
BEFORE_THE_RULES = """
import sys
from pathlib import Path
import changzhu.cli.rules
import changzhu.rules
from changzhu.cli.tables_cmds import read_user_people
read_user_people(Path(sys.argv[1]), sheet=None, skip_bad_rows=False, errors=None)
heavy = {"numba", "llvmlite", "changzhu.simulation"}
print(",".join(sorted({".".join(m.split(".")[:2]) for m in sys.modules} & heavy)))
"""


def test_the_main_thread_reads_the_file_without_importing_numba_or_the_simulation(tmp_path: Path) -> None:
    source = tmp_path / "people.parquet"
    random_people(50, 95).write_parquet(source)
    done = subprocess.run(
        [sys.executable, "-c", BEFORE_THE_RULES, str(source)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "", f"imported before the rules ran: {done.stdout.strip()}"


@pytest.mark.parametrize(
    ("lang", "words", "raw"),
    [
        (
            "zh",
            ("2026-06-01，40 人", "服务或积分", "字段", "人数", "符合条件比例（%）", "逐人结果已写入"),
            ("people on",),
        ),
        ("en", ("40 people on 2026-06-01", "Service or points", "Share eligible (%)", "per-person result written"), ()),
    ],
)
def test_the_printed_summary_is_headed_in_the_language(
    tmp_path: Path, lang: str, words: tuple[str, ...], raw: tuple[str, ...]
) -> None:
    """The table printed in Chinese was headed by the frame's fields (title, output, people, eligible_share, …)
    under an English caption ("40 people on …") and ended "per-person result written to …"."""
    source = tmp_path / "people.parquet"
    random_people(40, 94).write_parquet(source)
    args = ["evaluate", str(source), "--on", "2026-06-01", "-s", "residence_permit", "--lang", lang]
    shown = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "out.parquet")])
    assert shown.exit_code == 0, shown.output
    for word in words:
        assert word in shown.output, word
    for word in (*raw, "eligible_share", "max_points"):
        assert word not in shown.output, word


@pytest.mark.parametrize(("lang", "suffix"), [("zh", "（估算）"), ("en", " (estimate)")])
def test_earliest_dates_say_they_are_estimates_in_csv_and_parquet(tmp_path: Path, lang: str, suffix: str) -> None:
    """`evaluate --earliest --out x.csv|x.parquet`: the earliest dates are estimates, not promises, and each file
    says so as the workbook does. The CSV, read as Excel shows it (its header row), heads each earliest column with
    the field and the workbook's word, earliest_residence_permit（估算） / earliest_residence_permit (estimate); the
    other columns keep their field names. The Parquet keeps every field name and carries the note in the file's
    key-value metadata and on each earliest column, in both languages. Before: no word of it in either file."""
    import pyarrow.parquet as pq

    source = tmp_path / "people.parquet"
    random_people(60, 95).write_parquet(source)
    base = ["evaluate", str(source), "--on", ON.isoformat(), "--earliest", "-s", "residence_permit", "--lang", lang]
    csv, parquet = tmp_path / "结果.csv", tmp_path / "结果.parquet"
    for out in (csv, parquet):
        ran = CliRunner().invoke(app, [*base, "--out", str(out)])
        assert ran.exit_code == 0, ran.output
    header = csv.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert f"earliest_residence_permit{suffix}" in header, header
    assert "eligible_residence_permit" in header and "person_id" in header
    table = pl.read_csv(csv)
    assert table[f"earliest_residence_permit{suffix}"].drop_nulls().len() > 0  # the dates are there, under it
    expected = evaluate(random_people(60, 95), ON, services=[Service.RESIDENCE_PERMIT], earliest=True)
    assert pl.read_parquet(parquet).equals(expected)  # field names and values as evaluate() returns them
    schema = pq.read_schema(parquet)
    note = json.loads(schema.metadata[b"changzhu.estimates"])
    assert note["columns"] == ["earliest_residence_permit"]
    assert note["zh"].startswith("最早符合条件的日期。这是估算，不是承诺")
    assert "An estimate, not a promise" in note["en"]
    field = schema.field("earliest_residence_permit").metadata
    assert field[b"changzhu.estimate"] == b"true" and "估算" in field[b"changzhu.note.zh"].decode()
    assert "estimate" in field[b"changzhu.note.en"].decode()
    assert schema.field("eligible_residence_permit").metadata is None  # a decision is not an estimate


def test_without_earliest_the_files_keep_the_field_names(tmp_path: Path) -> None:
    """Without --earliest an earliest column is the evaluation day where eligible (nothing estimated): the CSV
    keeps the field name as it is."""
    source = tmp_path / "people.parquet"
    random_people(20, 96).write_parquet(source)
    out = tmp_path / "x.csv"
    ran = CliRunner().invoke(app, ["evaluate", str(source), "--on", ON.isoformat(), "--out", str(out), "-s",
                                   "residence_permit", "--lang", "zh"])  # fmt: skip
    assert ran.exit_code == 0, ran.output
    assert "earliest_residence_permit" in out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")


CHILD_HEADER = (
    "编号,性别,出生日期,户籍地,常住地,居住起始日期,居住证办理日期,本地社保缴费月数,社保缴费总月数,本地医保缴费月数,"
    "上一居住地,上一居住地居住月数,上一居住地社保月数,合法稳定就业,学历,住房,家庭人均月收入,父母编号,犯罪记录"
)


@pytest.mark.parametrize(
    ("lang", "undetermined", "named"),
    [("zh", "无法判定", "在常住地参加基本医疗保险月数"), ("en", "undetermined", "basic medical insurance months here")],
)
def test_a_child_with_empty_criminal_record_and_insurance_cells_is_decided_not_refused(
    tmp_path: Path, lang: str, undetermined: str, named: str
) -> None:
    """A 9-year-old whose 犯罪记录 and insurance months are left empty (a GBK CSV as an office saves it): the cells are
    unknown, as the registry holds them, never 否 or 0 — the file is decided, the decisions needing the months are
    undetermined and name them. Before: the whole file was refused (value is missing)."""
    source = tmp_path / "people.csv"
    row = "1,女,2017-03-15,510100,440300,2019-09-01,,,,,,0,0,否,小学,租房,4500,,"
    source.write_bytes(f"{CHILD_HEADER}\n{row}\n".encode("gbk"))
    out = tmp_path / "decisions.csv"
    ran = CliRunner().invoke(app, ["evaluate", str(source), "--on", "2026-06-01", "--out", str(out), "--lang", lang])
    assert ran.exit_code == 0, ran.output
    decided = pl.read_csv(out).row(0, named=True)
    assert decided["undetermined_cross_province_settlement_filing"] is True
    assert not decided["eligible_cross_province_settlement_filing"]
    assert decided["needs_cross_province_settlement_filing"] == "medical_months_local"
    assert decided["eligible_residence_permit"] is True  # what the missing facts cannot change is still decided
    args = ["explain", "--people", str(source), "--on", "2026-06-01", "-s", "cross_province_settlement_filing"]
    shown = CliRunner().invoke(app, [*args, "--lang", lang])
    assert shown.exit_code == 0, shown.output
    assert undetermined in shown.output and named in shown.output, shown.output
