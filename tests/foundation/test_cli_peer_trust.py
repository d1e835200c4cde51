"""Whom an instance trusts for 跨省通办, as the operator sets it with the real `changzhu peer` commands on a fresh
store: a peer is a province of the shipped regions (not a code no region has, not a city, not this instance's own
province); a registered peer's key or URL is replaced only on purpose (`--replace --as ADMIN`), audited with both
keys' fingerprints; `peer list` shows this instance's own key fingerprint, to compare with what the peers hold.

Before: `peer add 440001 ...` and `peer add 440100 ...` were stored as peers, a second `peer add` for a province
replaced its key and URL silently, and there was no `peer list`. A refused command leaves the peers as they were
(`peer list --format csv` before and after)."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from cli_support import cli_env, run_changzhu

KEY_A = "ab" * 32  # two well-formed public keys, neither this instance's own
KEY_B = "cd" * 32
PASSWORD = "correct horse battery staple\n"


def _fingerprint(key: str) -> str:
    """What an operator reads out: the first 16 hex digits of the key's SHA-256, in groups of four."""
    digest = hashlib.sha256(bytes.fromhex(key)).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def _fresh(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An instance never set up: its home empty (no database, no keys)."""
    home = tmp_path / "home"
    return {**os.environ, "CHANGZHU_HOME": str(home), "CHANGZHU_DATABASE_URL": "", "CHANGZHU_KEYS_DIR": "", **extra}


def _peers(env: dict[str, str]) -> list[dict[str, str]]:
    """The registered peers as `peer list --format csv` gives them (region, url, fingerprint, public key; this
    instance's own fingerprint is said on stderr, so the CSV reads as it is)."""
    listed = run_changzhu("peer", "list", "--format", "csv", env=env)
    assert listed.returncode == 0, listed.stderr
    return list(csv.DictReader(io.StringIO(listed.stdout)))


def _audit_rows(home: Path, action: str) -> list[tuple[str, str, str]]:
    """(actor, subject, details) of every audit record of `action` in the instance's SQLite store."""
    import sqlite3

    with sqlite3.connect(home / "changzhu.sqlite3") as db:
        query = "select actor, subject, details from audit_log where action = ?"
        return [tuple(row) for row in db.execute(query, (action,))]


def _refused(env: dict[str, str], *args: str, lang: str) -> str:
    said = run_changzhu("peer", "add", *args, env=env, lang=lang)
    assert said.returncode == 1, said.stdout + said.stderr
    return said.stderr.strip().splitlines()[-1]


def test_a_region_code_no_region_has_is_refused_naming_it_and_a_valid_one(tmp_path: Path) -> None:
    """440001 is six digits but no region of the shipped geography: refused, the code named and what a peer's
    region is (a province's code, e.g. its would-be province), in each language; nothing made on a fresh store and
    nothing added to a store with peers."""
    env = _fresh(tmp_path)
    zh = _refused(env, "440001", "https://gd.example.gov.cn", KEY_A, lang="zh")
    assert zh == (
        "错误：地区代码 440001 不在本系统的行政区划中：对方实例的地区应为省级代码（后四位为 0000），如 广东省（440000）"
    )
    en = _refused(env, "440001", "https://gd.example.gov.cn", KEY_A, lang="en")
    assert "region code 440001 is not in this system's regions" in en and "e.g. Guangdong (440000)" in en, en
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").iterdir())
    assert run_changzhu("peer", "add", "510000", "https://sc.example.gov.cn", KEY_A, env=env).returncode == 0
    before = _peers(env)
    no_province = _refused(env, "380101", "https://x.example.gov.cn", KEY_B, lang="en")  # 38: no province has it
    assert "region code 380101 is not" in no_province and "e.g. Guangdong (440000)" in no_province, no_province
    assert "如 广东省（440000）" in _refused(env, "440001", "https://gd.example.gov.cn", KEY_B, lang="zh")
    assert _peers(env) == before and [p["region"] for p in before] == ["510000"]


def test_a_city_a_county_or_this_instances_own_province_is_refused(tmp_path: Path) -> None:
    """A transfer goes to the instance of the destination city's province, so a peer is a province: 广州市 (a city)
    and 天河区 (a county) are refused naming the province to give; so is this instance's own province
    (CHANGZHU_INSTANCE_REGION 510000: 510000, a peer of itself)."""
    env = _fresh(tmp_path, CHANGZHU_INSTANCE_REGION="510100")
    assert run_changzhu("peer", "add", "440000", "https://gd.example.gov.cn", KEY_A, env=env).returncode == 0
    before = _peers(env)
    city = _refused(env, "440100", "https://gz.example.gov.cn", KEY_B, lang="zh")
    assert city == (
        "错误：广州市（440100）不是省级地区：跨省通办按省登记对方实例（转移按目的城市所在省份送达），"
        "请填写 广东省（440000）"
    )
    county = _refused(env, "440106", "https://th.example.gov.cn", KEY_B, lang="en")
    assert "(440106) is not a province" in county and "give Guangdong (440000)" in county, county
    own = _refused(env, "510000", "https://sc.example.gov.cn", KEY_B, lang="zh")
    assert own == "错误：四川省（510000）是本实例自己的地区（CHANGZHU_INSTANCE_REGION）：对方实例应为另一个省份"
    assert _peers(env) == before


def test_a_registered_provinces_key_is_not_replaced_by_a_second_add(tmp_path: Path) -> None:
    """`peer add` for a province registered with another key (or URL) is refused, showing both keys' fingerprints
    and how to replace on purpose; the trusted key and URL stay. The same key and URL again change nothing.
    `--replace` without `--as`, or as a caseworker, is refused too. Before: the key was replaced silently."""
    env = _fresh(tmp_path)
    first = run_changzhu("peer", "add", "440000", "https://gd.example.gov.cn", KEY_A, env=env, lang="zh")
    assert first.returncode == 0, first.stderr
    zh = _refused(env, "440000", "https://gd2.example.gov.cn", KEY_B, lang="zh")
    assert zh.startswith("错误：广东省（440000）已登记为对方实例（https://gd.example.gov.cn，公钥指纹"), zh
    assert _fingerprint(KEY_A) in zh and _fingerprint(KEY_B) in zh, zh
    assert zh.endswith("确要替换，请加 --replace 并以 --as 写明管理员的用户名，重新运行"), zh
    en = _refused(env, "440000", "https://gd.example.gov.cn", KEY_B, lang="en")
    assert f"key fingerprint {_fingerprint(KEY_A)}" in en and f"key fingerprint {_fingerprint(KEY_B)}" in en, en
    assert "to replace it on purpose, run again with --replace --as ADMIN" in en, en
    no_as = _refused(env, "440000", "https://gd.example.gov.cn", KEY_B, "--replace", lang="zh")
    assert no_as == "错误：替换已信任的对方实例须记入审计日志：请以 --as 写明管理员的用户名", no_as
    staff = subprocess.run(
        [sys.executable, "-m", "changzhu.cli.main", "user", "add", "cw_gd", "--role", "caseworker",
         "--jurisdiction", "440100", "--password-stdin"],
        input=PASSWORD, capture_output=True, text=True, env=cli_env(env), timeout=120, check=False,
    )  # fmt: skip
    assert staff.returncode == 0, staff.stderr
    as_staff = _refused(env, "440000", "https://gd.example.gov.cn", KEY_B, "--replace", "--as", "cw_gd", lang="zh")
    assert "经办人员角色无权办理此项业务（可办理：管理员）" in as_staff, as_staff
    [kept] = _peers(env)
    assert (kept["region"], kept["url"], kept["public_key"]) == ("440000", "https://gd.example.gov.cn", KEY_A)
    assert f"（公钥指纹 {_fingerprint(KEY_A)}）" in first.stdout, first.stdout
    again = run_changzhu("peer", "add", "440000", "https://gd.example.gov.cn", KEY_A, env=env, lang="zh")
    assert again.returncode == 0 and "已登记" in again.stdout and "未作更改" in again.stdout, again.stdout
    assert _peers(env) == [kept]
    assert _audit_rows(tmp_path / "home", "peer_replaced") == []


def test_replace_on_purpose_is_done_and_audited_with_both_fingerprints(tmp_path: Path) -> None:
    """`peer add --replace --as ADMIN` replaces the key and URL, says both fingerprints, and the audit log records
    who replaced which key with which (its chain still verifies)."""
    env = _fresh(tmp_path)
    assert run_changzhu("peer", "add", "440000", "https://gd.example.gov.cn", KEY_A, env=env).returncode == 0
    admin = subprocess.run(
        [sys.executable, "-m", "changzhu.cli.main", "user", "add", "admin_sc", "--role", "administrator",
         "--jurisdiction", "000000", "--password-stdin"],
        input=PASSWORD, capture_output=True, text=True, env=cli_env(env), timeout=120, check=False,
    )  # fmt: skip
    assert admin.returncode == 0, admin.stderr
    args = ("peer", "add", "440000", "https://gd2.example.gov.cn", KEY_B, "--replace", "--as", "admin_sc")
    replaced = run_changzhu(*args, env=env, lang="zh")
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout.startswith(
        f"已替换 440000 的实例：https://gd.example.gov.cn（公钥指纹 {_fingerprint(KEY_A)}）改为"
        f" https://gd2.example.gov.cn（公钥指纹 {_fingerprint(KEY_B)}），已记入审计日志"
    ), replaced.stdout
    [peer] = _peers(env)
    assert (peer["url"], peer["public_key"], peer["fingerprint"]) == (
        "https://gd2.example.gov.cn",
        KEY_B,
        _fingerprint(KEY_B),
    )
    [(actor, subject, details)] = _audit_rows(tmp_path / "home", "peer_replaced")
    assert (actor, subject) == ("user:admin_sc", "440000")
    for field in (_fingerprint(KEY_A), _fingerprint(KEY_B), "https://gd.example.gov.cn", "https://gd2.example.gov.cn"):
        assert field in details, details
    verified = run_changzhu("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_peer_list_shows_this_instances_own_fingerprint_and_a_restored_key_shows(tmp_path: Path) -> None:
    """`peer list` says this instance's key fingerprint above the peers: none before `peer key`, then the one of
    the key `peer key` prints; a key file restored from another machine shows as another fingerprint, which the
    operator compares with what the peers hold (docs/operations.md, "Restoring the signing key")."""
    env = _fresh(tmp_path)
    assert run_changzhu("peer", "add", "510000", "https://sc.example.gov.cn", KEY_A, env=env).returncode == 0
    none_yet = run_changzhu("peer", "list", env=env, lang="zh")
    assert none_yet.stdout.startswith("本实例还没有签名密钥：请运行 `changzhu peer key` 生成"), none_yet.stdout
    own = run_changzhu("peer", "key", env=env).stdout.strip()
    listed = run_changzhu("peer", "list", env=env, lang="zh")
    assert listed.stdout.startswith(f"本实例的公钥指纹：{_fingerprint(own)}"), listed.stdout
    assert "四川省" in listed.stdout and _fingerprint(KEY_A) in listed.stdout, listed.stdout
    english = run_changzhu("peer", "list", env=env, lang="en")
    assert english.stdout.startswith(f"this instance's key fingerprint: {_fingerprint(own)}"), english.stdout
    assert "Sichuan" in english.stdout and re.search(r"^\s*1 peer\s*$", english.stdout, re.M), english.stdout

    elsewhere = _fresh(tmp_path / "other")  # another machine's key file, restored here by mistake
    other = run_changzhu("peer", "key", env=elsewhere).stdout.strip()
    pem = "instance_ed25519.pem"
    (tmp_path / "home" / "keys" / pem).write_bytes((tmp_path / "other" / "home" / "keys" / pem).read_bytes())
    restored = run_changzhu("peer", "list", env=env, lang="en")
    assert restored.stdout.startswith(f"this instance's key fingerprint: {_fingerprint(other)}"), restored.stdout
    assert _fingerprint(other) != _fingerprint(own)
