"""One error policy: every error the product defines is an ``EvidenceError``, and a bug at the CLI
edge is one line on the terminal with its traceback in the log file."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence_cli.main import main
from extractors.errors import DocumentReadError
from models.errors import EvidenceError
from store.pages import PageImageError

PACKAGES = ("checks", "evidence_cli", "extractors", "flows", "matchers", "models", "pipeline", "review", "store")


def _modules() -> Iterator[str]:
    for package in PACKAGES:
        yield package
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if not info.name.startswith("store.migrations"):  # Alembic scripts run only under Alembic
                yield info.name


def _defined_exceptions() -> list[type[BaseException]]:
    found: list[type[BaseException]] = []
    for name in _modules():
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == name:
                found.append(value)
    return found


def test_every_product_exception_is_an_evidence_error() -> None:
    found = _defined_exceptions()
    assert len(found) >= 13  # the walk saw the modules (a silent empty walk would pass vacuously)
    assert [f"{e.__module__}.{e.__qualname__}" for e in found if not issubclass(e, EvidenceError)] == []


def test_reason_and_detail_keep_each_class_s_message() -> None:
    error = DocumentReadError("a.pdf", "文件已损坏", detail="zlib error")
    assert (str(error), error.path, error.reason) == ("a.pdf: 文件已损坏", "a.pdf", "文件已损坏")
    assert error.detail == "zlib error"
    full = PageImageError(28, "无法保存页面图像：No space left on device")
    assert isinstance(full, OSError) and full.errno == 28
    assert str(full) == str(OSError(28, "无法保存页面图像：No space left on device"))
    plain = pickle.loads(pickle.dumps(EvidenceError("名单不存在", "lists/x")))
    assert (str(plain), plain.detail) == ("名单不存在", "lists/x")


def test_a_bug_in_a_command_is_one_line_and_its_traceback_is_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("EVIDENCE_HOME", str(home))
    monkeypatch.setattr("sys.argv", ["evidence", "match", "--list", "cloud_providers", "某某科技有限公司"])

    def broken(*_: object, **__: object) -> None:
        raise KeyError("planted")

    monkeypatch.setattr("evidence_cli.match_cmd.load_list", broken)
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("evidence: error: 内部错误（KeyError: 'planted'）"), err
    logged = (home / "logs" / "evidence-flows.log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "KeyError: 'planted'" in logged
    assert "in broken" in logged  # the frame that raised, not just the message


def test_an_expected_error_is_its_reason_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("sys.argv", ["evidence", "lists", "show", "nosuch"])
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.count("\n") == 1 and err.startswith("evidence: error: 未知名单 nosuch"), err
    assert not (tmp_path / "home" / "logs" / "evidence-flows.log").exists()
