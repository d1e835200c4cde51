"""A downloaded file's name says what it holds (the reform's title, the year, when the run was started), not a run's
hex id (`run_3bf22cfb0e3242ab_2027.csv`), and reaches the browser as RFC 6266 says (filename* for Chinese)."""

from __future__ import annotations

from urllib.parse import unquote

from changzhu.api.file_names import content_disposition, file_name, safe_part, stamp


def test_a_title_becomes_a_safe_file_name() -> None:
    assert safe_part("Entrance exam where one lives after one year") == "Entrance_exam_where_one_lives_after_one_year"
    assert safe_part('a/b\\\\c:d*e?"f<g>h|i') == "a_b_c_d_e_f_g_h_i"
    assert safe_part("随迁子女在流入地参加中考的居住年限降至一年") == "随迁子女在流入地参加中考的居住年限降至一年"
    assert safe_part(" .hidden. ") == "hidden"
    assert len(safe_part("x" * 300)) == 60
    assert stamp("2026-12-04T16:30:05+00:00") == "20261204-1630"
    assert file_name("title", "", "2027", "20261204-1630") == "title_2027_20261204-1630"


def test_a_chinese_name_goes_as_filename_star_with_an_ascii_fallback() -> None:
    header = content_disposition("随迁子女中考_2027_20261204-1630.csv", "entrance_exam_2027_20261204-1630")
    plain, star = header.removeprefix("attachment; ").split("; ")
    assert plain == 'filename="entrance_exam_2027_20261204-1630.csv"'
    assert star.startswith("filename*=UTF-8''")
    assert unquote(star.split("''", 1)[1]) == "随迁子女中考_2027_20261204-1630.csv"
    assert content_disposition("runs.csv") == 'attachment; filename="runs.csv"'
