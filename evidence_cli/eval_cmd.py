"""``evidence eval``: score the product on our corpus, the real documents and the held-back profile.

Each set is its own witness and is reported on its own: the committed corpus (our generator's
default profile), ``../shared/real`` (documents made by other hands; skipped with the reason where
absent) and the generator's ``heldout`` profile (a seed no test or tuning uses). Documents are read
through the store's extraction cache, the same key and path ``batch`` uses, so a file a batch
stored is not read again (``--no-cache`` reads afresh).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import click

from evidence_cli.common import EvidenceCliError, format_option

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "sample_docs" / "corpus"
SETS = ("corpus", "real", "heldout")


@click.command("eval")
@click.argument("corpus_dir", required=False, type=click.Path(path_type=Path))
@click.option(
    "--set",
    "sets",
    multiple=True,
    type=click.Choice([*SETS, "all"]),
    help="要评测的样本集（可重复；默认 corpus 与 real；all 为三者）",
)
@click.option("--only", multiple=True, help="只评测名称含此文字的申报（可重复）")
@click.option("--max-misses", default=200, help="最多列出多少条未命中（默认 200）")
@click.option("--no-cache", is_flag=True, help="不使用已入库的识别结果，重新识别每个文件")
@format_option
def eval_corpus(
    corpus_dir: Path | None, *, sets: tuple[str, ...], only: tuple[str, ...], max_misses: int, no_cache: bool,
    output_format: str,
) -> None:  # fmt: skip
    """评测识别与核验准确率：样本库、真实文件、留出集分别计分。"""
    from models.settings import Settings

    chosen = list(SETS) if "all" in sets else list(dict.fromkeys(sets)) or ["corpus", "real"]
    if corpus_dir is not None:
        chosen = ["corpus"]
    settings = Settings.from_env()
    reader = functools.partial(_read, settings=settings, use_cache=not no_cache)
    out: dict[str, Any] = {"versions": _versions(settings)}
    for name in chosen:
        if name == "real":
            out["real"] = _real(reader)
        else:
            root = corpus_dir or (DEFAULT_CORPUS if name == "corpus" else _heldout_dir(settings))
            out[name] = _submissions(root, only, reader, settings)
    if output_format == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print(out, max_misses)


def _read(path: Path, *, settings: Any, use_cache: bool) -> Any:
    from flows.reuse import read_file

    return read_file(path, settings, use_cache=use_cache)


def _versions(settings: Any) -> dict[str, Any]:
    """The list and policy versions the findings were scored against (named in every report): the
    bundled lists, and the newer versions imported under ``home`` that eval leaves aside."""
    from checks.policy import available_policies
    from matchers.reference import list_versions
    from pipeline.submission import bundled_lists

    scored = {name: str(ref.version) for name, ref in bundled_lists().items()}
    newer = {
        name: [v.version for v in list_versions(name, home=settings.home) if v.origin != "bundled"]
        for name in scored
    }
    left_aside = {k: v for k, v in newer.items() if v}
    return {"lists": scored, "imported_not_scored": left_aside, "policies": available_policies()}


def _heldout_dir(settings: Any) -> Path:
    root: Path = Path(settings.home) / "eval" / "heldout"
    if not any(root.glob("*/truth.json")):
        try:
            from sample_docs.generate import generate_profile
        except ImportError as exc:
            raise EvidenceCliError(
                f"生成留出集需要样本生成器的依赖（{exc.name}）：请运行 bash scripts/install.sh dev 或安装 .[corpus]"
            ) from exc
        generate_profile("heldout", root)
    return root


def _submissions(root: Path, only: tuple[str, ...], reader: Any, settings: Any) -> dict[str, Any]:
    from sample_docs.evaluate import ProductUnavailableError, run_corpus
    from sample_docs.report import as_dict
    from sample_docs.scoring import score

    if not root.is_dir():
        raise EvidenceCliError(f"{root}: 样本目录不存在")

    def progress(name: str, seconds: float) -> None:
        click.echo(f"{name}: {seconds:.1f} s", err=True)

    try:
        pairs = run_corpus(root, only=list(only) or None, settings=settings, progress=progress, reader=reader)
    except ProductUnavailableError as exc:
        raise EvidenceCliError(str(exc)) from exc
    except FileNotFoundError as exc:
        raise EvidenceCliError(f"{root}: 没有带 truth.json 的申报样本 ({exc})") from exc
    return as_dict(score(pairs))


def _real(reader: Any) -> dict[str, Any]:
    from sample_docs.real_set import REAL_DIR, as_dict, load_real, score_real
    from sample_docs.seal_score import score_seals

    docs = load_real()
    if not docs:
        return {"skipped": f"{REAL_DIR} 不存在或没有 truth 文件，跳过真实文件集"}

    def read(path: Path) -> Any:
        click.echo(f"{path.name}", err=True)
        return reader(path)

    figures = as_dict(score_real(docs, read))
    figures["seals"] = score_seals(docs, lambda doc: reader(doc.path)).as_dict()
    return figures


def _print(out: dict[str, Any], max_misses: int) -> None:
    from rich.console import Console

    console = Console(soft_wrap=False)
    console.print(_versions_line(out["versions"]))
    for name in SETS:
        figures = out.get(name)
        if figures is None:
            continue
        console.rule(f"[bold]{_TITLES[name]}[/bold]")
        if figures.get("skipped"):
            console.print(figures["skipped"])
            continue
        for line in _summary(figures):
            console.print("  " + line, markup=False)
        misses = figures.get("misses", [])
        console.print(f"  未命中 {len(misses)} 条")
        for line in misses[:max_misses]:
            console.print("    " + line, markup=False, soft_wrap=True)
        box_misses = (figures.get("boxes") or {}).get("misses", [])
        if box_misses:
            console.print(f"  证据框多框或少框 {len(box_misses)} 条")
        for line in box_misses[:max_misses]:
            console.print("    " + line, markup=False, soft_wrap=True)


_ROLES = {"buyer": "购买方", "contract_party": "合同当事方", "cert_holder": "证书持有人", "licence": "营业执照"}
_OUTCOMES = {"same": "一致", "lookalike": "仅差形近字", "different": "不一致"}
_FINDINGS = {"none": "无发现", "question": "提问", "error": "错误", "warning": "警告", "info": "提示"}


def _identity_lines(verdicts: dict[str, dict[str, dict[str, int]]]) -> list[str]:
    """What the identity findings rest on: per role, how its comparisons with the applicant came out."""
    lines = []
    for role, outcomes in verdicts.items():
        parts = []
        for outcome, findings in outcomes.items():
            shown = "，".join(f"{_FINDINGS.get(k, k)} {n}" for k, n in findings.items())
            parts.append(f"{_OUTCOMES.get(outcome, outcome)} {sum(findings.values())}（{shown}）")
        lines.append(f"与申报单位比对 {_ROLES.get(role, role)}：" + "；".join(parts))
    return lines


_GROUPS = {"by_kind": "按材料", "invoice_key_fields": "发票关键字段", "by_render": "按制作方式"}
_KINDS = {
    "invoice_digital": "电子发票（文本层、OFD、XML）", "invoice_image": "发票扫描件与照片",
    "business_licence": "营业执照", "certificate": "资质证书", "born_digital": "原生电子文件", "scan": "扫描件",
    "photo": "手机拍照", "ofd": "OFD", "xlsx": "电子表格",
}  # fmt: skip
_TITLES = {"corpus": "样本库（本项目生成器）", "real": "真实文件（他人制作）", "heldout": "留出集（生成器留出配置）"}


def _summary(figures: dict[str, Any]) -> list[str]:
    lines = []
    if "fields" in figures:
        f = figures["fields"]
        lines.append(f"字段准确率 {f['correct']}/{f['total']}")
        lines.append(
            f"核查发现 准确率 {figures['finding_precision']:.3f} 召回率 {figures['finding_recall']:.3f}"
            f"（其中以提问方式提出 {figures.get('found_as_question', 0)}）"
        )
        lines.append(f"无问题申报中的误指控 {figures['false_errors_on_clean']} / {figures['clean_submissions']}")
        lines += _identity_lines(figures.get("identity_verdicts") or {})
    for key in ("by_kind", "invoice_key_fields", "by_render"):
        for kind, t in (figures.get(key) or {}).items():
            lines.append(f"{_GROUPS[key]} {_KINDS.get(kind, kind)}：{t['correct']}/{t['total']}")
    boxes = figures.get("boxes")
    if boxes:
        what = "证据框与生成器真值框重合（IoU≥0.7）" if "fields" in figures else "证据框恰好框住取值"
        lines.append(f"{what} {boxes['pure']}/{boxes['judged']}")
    seals = figures.get("seals") or {}
    if seals.get("invoices"):
        lines.append(
            f"卖方发票专用章（旧版发票 {seals['invoices']} 张）：找到 {seals['found']:.0%}，"
            f"读出（税号或名称与卖方相符）{seals['read']:.0%}，"
            f"税号读对 {seals['code']:.0%}，名称一字不差 {seals['name_exact']:.0%}"
        )
        if seals.get("unstamped"):
            wrong = len(seals.get("found_where_none") or [])
            lines.append(f"未盖卖方章的旧版发票 {seals['unstamped']} 张：误检出印章 {wrong} 张")
    cal = figures.get("calibration") or {}
    if cal:
        lines.append(f"置信度≥0.9 中的错误 {cal.get('wrong')}/{cal.get('high_confidence_fields')}")
    return list(dict.fromkeys(lines))


def _versions_line(versions: dict[str, Any]) -> str:
    from review.labels import list_label, list_version_label

    lists = "、".join(f"{list_label(n)} {list_version_label(v)}" for n, v in versions["lists"].items())
    line = f"评测使用随附名单：{lists}；政策：{'、'.join(versions['policies'])}"
    newer = versions.get("imported_not_scored") or {}
    if newer:
        left = "、".join(f"{list_label(n)} {list_version_label('、'.join(v))}" for n, v in newer.items())
        line += f"（已导入的 {left} 不参与评测：样本的正确答案按随附名单编写）"
    return line
