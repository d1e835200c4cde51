"""What a fresh machine and an installed package need: a throwaway PostgreSQL, the per-user data directory, the
package's own scenarios and policies wherever it is installed, a fast `changzhu --help`, and `--policies`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import typer

from changzhu.cli.main import COMMANDS, app
from cli_support import run_changzhu

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _python(code: str, *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_a_throwaway_postgresql_is_started_when_none_answers() -> None:
    """tools/with_postgres.sh, pointed at a port with nothing on it, starts a server from the system binaries,
    hands its URL to the command, and stops and deletes it afterwards."""
    env = {k: v for k, v in os.environ.items() if k != "CHANGZHU_TEST_PG_URL"}
    env["CHANGZHU_TEST_PG_PORT"] = str(_free_port())
    probe = (
        "import os; from sqlalchemy import create_engine, text\n"
        "url = os.environ['CHANGZHU_TEST_PG_URL']\n"
        "with create_engine(url).connect() as c:\n"
        "    print(url, c.execute(text('SELECT current_database()')).scalar())\n"
    )
    ran = subprocess.run(
        [str(ROOT / "tools" / "with_postgres.sh"), sys.executable, "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    started, answer = ran.stdout.strip().splitlines()[-2:]
    url, database = answer.split()
    assert database == "test" and ":5432/" not in url
    data = Path(started.rsplit("data in ", 1)[1].rstrip(")"))
    assert data.name.startswith("changzhu-pg.") and not data.exists()  # stopped and deleted


def test_the_data_directory_is_per_user_not_per_working_directory(tmp_path: Path) -> None:
    """Without CHANGZHU_HOME the database lives under ~/.local/share/changzhu, whatever the working directory."""
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CHANGZHU_HOME", "XDG_DATA_HOME", "CHANGZHU_DATABASE_URL")}
    env["HOME"] = str(home)
    upgrade = run_changzhu("db", "upgrade", cwd=elsewhere, env=env, timeout=300)
    assert upgrade.returncode == 0, upgrade.stderr
    assert (home / ".local" / "share" / "changzhu" / "changzhu.sqlite3").is_file()
    assert list(elsewhere.iterdir()) == []


def test_an_installed_package_finds_its_own_scenarios_and_policies(tmp_path: Path) -> None:
    """The package copied alone (as a wheel installs it, no repository around it) finds the demo's scenario and
    the shipped policies through importlib.resources, from any working directory."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "src" / "changzhu", site / "changzhu", ignore=shutil.ignore_patterns("__pycache__"))
    code = (
        "import changzhu\n"
        "from changzhu.config import shipped_dir\n"
        "from changzhu.jobs.simulation import DEMO_SCENARIO\n"
        "from changzhu.rules.catalog import policies_in_use\n"
        "from changzhu.simulation.evaluators import load_rules_scenario\n"
        "from changzhu.simulation.spec import load_spec\n"
        "path = shipped_dir('scenarios') / DEMO_SCENARIO\n"
        "print(changzhu.__file__, path, load_spec([path], load_rules_scenario).reforms[0][0])\n"
        "print(sorted(policies_in_use().jurisdictions))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("CHANGZHU_POLICY_DIR", "CHANGZHU_SCENARIOS_DIR")}
    ran = _python(code, cwd=tmp_path, env=env | {"PYTHONPATH": str(site)})
    assert ran.returncode == 0, ran.stderr
    module, scenario, reform = ran.stdout.splitlines()[0].split()
    assert module.startswith(str(site)) and scenario.startswith(str(site)) and reform == "entrance_exam_residence_1y"
    assert "'000000'" in ran.stdout.splitlines()[1]


def test_help_imports_no_command_module(tmp_path: Path) -> None:
    """`changzhu --help` lists every command without importing any command's module (start-up stays fast)."""
    code = (
        "import sys\nfrom changzhu.cli.main import run\nsys.argv = ['changzhu', '--help']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "heavy = ('sqlalchemy', 'polars', 'numpy', 'numba', 'fastapi', 'rich')\n"
        # the app, its typer fix and the choice of language (no heavy import of its own), no command
        "shell = ('changzhu.cli.main', 'changzhu.cli.typer_params', 'changzhu.cli.lang')\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('changzhu.cli.') and m not in shell"
        " or m in heavy))\n"
    )
    ran = _python(code, cwd=tmp_path, env=dict(os.environ))
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[-1] == "LOADED []"
    for name in COMMANDS:
        assert f"  {name} " in ran.stdout


def test_the_help_lines_are_the_commands_own() -> None:
    """The one-line help listed without importing a command equals the first line of the command's own help."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    context = typer.Context(group)
    for name, (_, line) in COMMANDS.items():
        command = group.get_command(context, name)
        assert command is not None, name
        assert (command.help or "").strip().splitlines()[0] == line, name


def test_the_policies_option_uses_a_directory_outside_the_package(tmp_path: Path) -> None:
    """`changzhu --policies DIR check` loads and tests the policies of DIR (here with a city added)."""
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "src" / "changzhu" / "rules" / "policies", policies)
    text = (policies / "jurisdictions" / "440100.yaml").read_text(encoding="utf-8")
    (policies / "jurisdictions" / "440600.yaml").write_text(
        text.replace('jurisdiction: "440100"', 'jurisdiction: "440600"').replace("name_zh: 广州市", "name_zh: 佛山市"),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "CHANGZHU_POLICY_DIR"}
    ran = run_changzhu("--policies", str(policies), "check", cwd=tmp_path, env=env, timeout=600)
    assert ran.returncode == 0, ran.stderr
    shipped = len(list((ROOT / "src" / "changzhu" / "rules" / "policies" / "jurisdictions").glob("*.yaml")))
    assert f"{shipped + 1} jurisdictions" in ran.stdout  # the shipped ones and the one added


def test_the_demo_names_a_command_that_runs(tmp_path: Path) -> None:
    """The command the demo's last line tells the user to type runs from the directory the demo ran in."""
    ran = _python("from changzhu.pipeline import command; print(command())", cwd=ROOT, env=dict(os.environ))
    assert ran.returncode == 0, ran.stderr
    command = ran.stdout.strip()
    argv = command.split() if " " in command else [command]
    helped = subprocess.run([*argv, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert helped.returncode == 0 and "demo" in helped.stdout
