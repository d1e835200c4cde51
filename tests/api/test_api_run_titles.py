"""A run as the analyst knows it: its reform by the title of the YAML it ran, in the reader's language, in the list
of runs and in its files (the scenario's name stays in `scenario` and in URLs)."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from urllib.parse import unquote

import polars as pl
from api_support import Service

SHIPPED = "entrance_exam_residence_1y"
TITLES = {"zh": "随迁子女在流入地参加中考的居住年限降至一年", "en": "Entrance exam where one lives after one year"}


def _done_run(service: Service) -> str:
    nat = service.as_("pl_nat")
    started = service.client.post(
        f"/api/v1/scenarios/{SHIPPED}/runs", json={"sample": 0.000002, "years": [2027]}, headers=nat
    )
    assert started.status_code == 202, started.text
    run_id = str(started.json()["run_id"])
    row = service.client.app.state.scenario_runs.wait(run_id, timeout=600)  # type: ignore[attr-defined]
    assert row.status == "done", row.note
    return run_id


def _file(service: Service, path: str, fmt: str, lang: str) -> pl.DataFrame:
    answer = service.client.get(f"{path}?format={fmt}&lang={lang}&limit=500", headers=service.as_("pl_nat"))
    assert answer.status_code == 200, answer.text
    return pl.read_csv(io.BytesIO(answer.content)) if fmt == "csv" else pl.read_excel(io.BytesIO(answer.content))


def test_a_run_its_files_and_a_comparison_name_the_reform_by_its_title(service: Service) -> None:
    run_id = _done_run(service)
    for lang, title in TITLES.items():
        headers = {**service.as_("pl_nat"), "Accept-Language": lang}
        listed: list[dict[str, Any]] = service.client.get(
            f"/api/v1/scenarios/runs?scenario={SHIPPED}", headers=headers
        ).json()["items"]
        assert [(r["run_id"], r["scenario"], r["title"]) for r in listed] == [(run_id, SHIPPED, title)]
        assert service.client.get(f"/api/v1/scenarios/runs/{run_id}", headers=headers).json()["title"] == title
        column = "改革方案" if lang == "zh" else "Reform"
        for path in (f"/api/v1/scenarios/runs/{run_id}/results", f"/api/v1/scenarios/runs/{run_id}/bands"):
            for fmt in ("csv", "xlsx"):
                assert set(_file(service, path, fmt, lang)[column]) == {title}, (path, fmt, lang)
        _named_by_title(service, run_id, lang, title)
    # a file for scripts (no language) keeps the scenario's name
    plain = service.client.get(f"/api/v1/scenarios/runs/{run_id}/results?format=csv", headers=service.as_("pl_nat"))
    assert set(pl.read_csv(io.BytesIO(plain.content))["scenario"]) == {SHIPPED}
    _compared_in_files(service, run_id)  # the same run on both sides of a comparison (one run: they take minutes)
    _listed_in_files(service, run_id)


def _named_by_title(service: Service, run_id: str, lang: str, title: str) -> None:
    """The file the browser saves is named by the reform's title in the file's language, the year and when the run
    was started (RFC 6266 filename* in UTF-8, an ASCII name by the scenario's key beside it), never by the run's
    hex id (`run_3bf22cfb0e3242ab_2027.csv`)."""
    started = service.client.app.state.scenario_runs.get(run_id).created_at  # type: ignore[attr-defined]
    when = datetime.fromisoformat(started).strftime("%Y%m%d-%H%M")
    safe = title.replace(" ", "_")
    bands = "得益受损" if lang == "zh" else "gains_and_losses"
    for path, name, plain in (
        ("results?year=2027&", f"{safe}_2027_{when}", f"{SHIPPED}_2027_{when}"),
        ("bands?", f"{safe}_{bands}_{when}", f"{SHIPPED}_gains_and_losses_{when}"),
    ):
        answer = service.client.get(
            f"/api/v1/scenarios/runs/{run_id}/{path}format=csv&lang={lang}", headers=service.as_("pl_nat")
        )
        disposition = answer.headers["content-disposition"]
        assert run_id not in disposition, disposition
        if lang == "zh":
            star = disposition.split("filename*=UTF-8''", 1)[1]
            assert unquote(star) == f"{name}.csv", disposition
            assert f'filename="{plain}.csv"' in disposition, disposition
        else:
            assert disposition == f'attachment; filename="{name}.csv"', disposition


def _listed_in_files(service: Service, run_id: str) -> None:
    """The list of runs as a file for people (`lang`): headers, status and yes or no in words, progress in %, the
    reform by its title, no JSON; without `lang` the codes and column names, for scripts."""
    path = f"/api/v1/scenarios/runs?scenario={SHIPPED}"
    raw = {"run_id", "scenario", "saved_scenario", "settings", "summary", "note"}  # "status": a word in English too
    for lang, (status, saved, progress) in {
        "zh": ("已完成", "否", "进度（%）"),
        "en": ("done", "no", "Progress (%)"),
    }.items():
        for fmt in ("csv", "xlsx"):
            answer = service.client.get(f"{path}&format={fmt}&lang={lang}", headers=service.as_("pl_nat"))
            assert answer.status_code == 200, answer.text
            content = io.BytesIO(answer.content)
            listed = pl.read_csv(content) if fmt == "csv" else pl.read_excel(content)
            assert not raw & set(listed.columns), listed.columns
            row = listed.row(0, named=True)
            title, state = ("改革方案", "状态") if lang == "zh" else ("Reform", "Status")
            assert row[title] == TITLES[lang] and row[state] == status and row[progress] == 100, row
            assert row["已保存的方案" if lang == "zh" else "Saved reform"] == saved
    plain = service.client.get(f"{path}&format=csv", headers=service.as_("pl_nat"))
    row = pl.read_csv(io.BytesIO(plain.content)).row(0, named=True)
    assert row["run_id"] == run_id and row["status"] == "done" and row["summary"].startswith("{")


def _compared_in_files(service: Service, run_id: str) -> None:
    """The compare file an analyst opens in Excel: each reform by its title, headers, services and measures in the
    request's language (`lang`, else Accept-Language), each run's estimate note kept; UTF-8 with the BOM."""
    path = f"/api/v1/scenarios/runs/compare?a={run_id}&b={run_id}&limit=500"
    raw = {"scenario_a", "scenario_b", "estimate_a", "low_b", "difference", "estimate_note_a", "note_b"}
    for lang, title in TITLES.items():
        asked = service.client.get(f"{path}&format=csv&lang={lang}", headers=service.as_("pl_nat"))
        # no `lang`: the browser's Accept-Language says which
        accepted = service.client.get(f"{path}&format=xlsx", headers={**service.as_("pl_nat"), "Accept-Language": lang})
        assert asked.status_code == accepted.status_code == 200, (asked.text, accepted.text)
        assert asked.content.startswith(b"\xef\xbb\xbf")
        for frame in (pl.read_csv(io.BytesIO(asked.content)), pl.read_excel(io.BytesIO(accepted.content))):
            assert not raw & set(frame.columns), frame.columns
            reform, note, measure = (
                ("改革方案（A）", "估算说明（B）", "指标")
                if lang == "zh"
                else (
                    "Reform (A)",
                    "What the estimate is (B)",
                    "Measure",
                )
            )
            assert set(frame[reform]) == {title}, lang
            assert ("差值（B − A，估算）" if lang == "zh" else "Difference (B − A, estimate)") in frame.columns
            assert "newly_eligible" not in set(frame[measure]), lang
            notes = frame[note].to_list()
            assert notes and all(("估算" in n) == (lang == "zh") and ("estimate" in n) == (lang == "en") for n in notes)
    plain = service.client.get(f"{path}&format=parquet", headers=service.as_("pl_nat"))  # for scripts: the codes
    assert set(pl.read_parquet(io.BytesIO(plain.content))["scenario_a"]) == {SHIPPED}
