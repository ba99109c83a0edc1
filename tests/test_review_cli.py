"""``evidence reviewer add`` (prompted password, argon2 hash) and ``evidence review --help``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from evidence_cli.main import cli
from models.settings import Settings
from review.security import verify_password
from store import open_store


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EVIDENCE_DB_URL", raising=False)
    return tmp_path / "home"


def test_reviewer_add_prompts_and_hashes(home: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["reviewer", "add", "zhang", "--admin"], input="s3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0, result.output
    assert "s3cret-pass" not in result.output
    store = open_store(Settings(home=home))
    try:
        info = store.get_reviewer(username="zhang")
        assert info is not None and info.role == "admin" and info.active
        assert info.password_hash.startswith("$argon2id$")
        assert verify_password(info.password_hash, "s3cret-pass")
        assert not verify_password(info.password_hash, "wrong")
    finally:
        store.close()
    again = runner.invoke(
        cli, ["reviewer", "add", "zhang"], input="another-pass\nanother-pass\n", standalone_mode=False
    )
    assert again.exception is not None and "已存在" in str(again.exception)


def test_reviewer_add_rejects_bad_input(home: Path) -> None:
    runner = CliRunner()
    short = runner.invoke(cli, ["reviewer", "add", "li"], input="short\nshort\n", standalone_mode=False)
    assert short.exception is not None and "密码太短" in str(short.exception)
    bad = runner.invoke(cli, ["reviewer", "add", "<li>"], input="long-enough\nlong-enough\n", standalone_mode=False)
    assert bad.exception is not None and "审核员用户名无效" in str(bad.exception)


def test_review_help_names_host_and_port() -> None:
    result = CliRunner().invoke(cli, ["review", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output and "127.0.0.1" in result.output


def test_review_on_a_busy_port_says_so_in_one_line() -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["review", "--port", str(port)])
    assert result.exit_code != 0 and "审核界面" not in result.output
    assert "已被占用" in (result.stderr + result.output) or "已被占用" in str(result.exception)


def test_reviewer_passwd_disable_enable(home: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["reviewer", "add", "li"], input="first-pass\nfirst-pass\n").exit_code == 0
    changed = runner.invoke(cli, ["reviewer", "passwd", "li"], input="second-pass\nsecond-pass\n")
    assert changed.exit_code == 0 and "新密码" in changed.output and "已重设审核员 li 的密码" in changed.output
    assert "second-pass" not in changed.output
    assert "已停用审核员 li" in runner.invoke(cli, ["reviewer", "disable", "li"]).output
    store = open_store(Settings(home=home))
    try:
        info = store.get_reviewer(username="li")
        assert info is not None and not info.active and verify_password(info.password_hash, "second-pass")
        actions = [e.action for e in store.audit_log(submission_id=None, limit=100)]
        assert actions.count("reviewer_updated") == 2, "each change is audited"
    finally:
        store.close()
    assert "已启用审核员 li" in runner.invoke(cli, ["reviewer", "enable", "li"]).output
    listed = runner.invoke(cli, ["reviewer", "list"]).output
    assert "启用" in listed and "停用" not in listed
    nobody = runner.invoke(cli, ["reviewer", "disable", "nobody"], standalone_mode=False)
    assert nobody.exception is not None and "没有审核员 nobody" in str(nobody.exception)
