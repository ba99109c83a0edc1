"""``evidence match``: one name, or many (one per line), against a reference list (docs/REFERENCE.md §1, §4)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evidence_cli.common import EvidenceCliError, format_option, print_json, print_table
from matchers.reference import ListError, load_list
from models.matching import MatchResult
from models.settings import Settings

_VERDICT_LABELS = {"exact": "完全一致", "fuzzy": "近似（需复核）", "none": "不匹配"}
_RELATION_LABELS = {
    "same": "同一企业",
    "branch_of": "名单企业的分公司",
    "same_legal_person": "同一法人",
    "different": "不同法人",
}


MAX_INPUT_BYTES = 16 * 1024 * 1024  # a million names; /dev/zero or a disk image is refused, not read to the end


def _read_queries(source: str) -> list[str]:
    if source == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        try:
            with Path(source).open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        except FileNotFoundError as exc:
            raise EvidenceCliError(f"{source}: 文件不存在") from exc
        except OSError as exc:
            raise EvidenceCliError(f"{source}: 无法读取（{exc.__class__.__name__}）") from exc
    if len(data) > MAX_INPUT_BYTES:
        raise EvidenceCliError(f"{source}: 输入过大（超过 {MAX_INPUT_BYTES // (1024 * 1024)} MB），每行一个名称")
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise EvidenceCliError(f"{source}: 文件不存在") from exc
        raise EvidenceCliError(f"{source}: 无法读取（{exc.__class__.__name__}）") from exc


def _contract(result: MatchResult) -> dict[str, object]:
    data: dict[str, object] = result.model_dump(mode="json", exclude_none=True)
    return data


def _print_result_table(result: MatchResult) -> None:
    title = f"{result.query} → {result.normalized}（{result.list_name} 第{result.list_version}版）"
    rows = [
        (
            m.name,
            m.section,
            m.seq,
            f"{m.score:.1f}",
            _VERDICT_LABELS[m.verdict],
            _RELATION_LABELS.get(m.relation or "", ""),
            m.reason,
        )
        for m in result.matches
    ]
    print_table(title, ["名单企业", "类别", "序号", "得分", "结论", "关系", "理由"], rows)


def _print_many_table(results: list[MatchResult]) -> None:
    rows = []
    for r in results:
        best = r.best
        rows.append(
            (
                r.query,
                _VERDICT_LABELS[r.verdict],
                best.name if best else "",
                f"{best.score:.1f}" if best else "",
                _RELATION_LABELS.get(best.relation or "", "") if best else "",
            )
        )
    version = results[0].list_version if results else ""
    print_table(f"名单版本 {version}", ["查询名称", "结论", "最接近的名单企业", "得分", "关系"], rows)


@click.command("match")
@click.argument("name", required=False)
@click.option("--list", "list_name", metavar="LIST", help="cloud_providers 或 xinchuang_pilots")
@click.option("--list-version", "list_version", default=None, help="名单版本（默认最新）")
@click.option("--top", default=5, type=click.IntRange(1, 100), help="输出的候选数（默认 5）")
@click.option("--input", "input_file", metavar="FILE", help="每行一个名称的文件；- 表示标准输入")
@click.option("--eval", "run_eval", is_flag=True, help="在标注集上评估匹配器并打印准确率与召回率")
@format_option
def match(  # noqa: PLR0917 - click passes options positionally by name
    name: str | None,
    list_name: str | None,
    list_version: str | None,
    top: int,
    input_file: str | None,
    run_eval: bool,
    output_format: str,
) -> None:
    """把企业名称（或名称文件中的每一行）与参考名单比对。"""
    if run_eval:
        from matchers.eval.report import print_report

        print_report()
        return
    if not list_name:
        raise EvidenceCliError("缺少 --list（cloud_providers 或 xinchuang_pilots）")
    if (name is None) == (input_file is None):
        raise EvidenceCliError("请给出一个名称，或用 --input FILE 给出名称文件（二者选一）")
    try:
        reference = load_list(list_name, list_version, home=Settings.from_env().home)
    except ListError as exc:
        raise EvidenceCliError(str(exc)) from exc
    from matchers.names import NameMatcher

    matcher = NameMatcher(reference)
    if name is not None:
        result = matcher.match(name, top=top)
        if output_format == "json":
            print_json(_contract(result))
        else:
            _print_result_table(result)
        return
    assert input_file is not None
    results = matcher.match_many(_read_queries(input_file), top=top)
    if output_format == "json":
        for result in results:
            click.echo(json.dumps(_contract(result), ensure_ascii=False))
    else:
        _print_many_table(results)
