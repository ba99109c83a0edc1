"""The batch driver and recheck without Prefect: caching, resuming, duplicates, bad input, list changes.

Uses born-digital submissions of the committed sample corpus (no OCR), copied to a temp root.
"""

from __future__ import annotations

import csv
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.recheck import recheck
from flows.verify import run, run_verify
from flows.work import close_stores, discover, store_for
from models.settings import Settings

CORPUS = Path(__file__).resolve().parent.parent / "sample_docs" / "corpus"
CLEAN_CLOUD = "s01_cloud_clean_digital"
CLEAN_CERT = "s04_cert_clean_cmmi"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    home = tmp_path / "home"
    monkeypatch.setenv("EVIDENCE_HOME", str(home))
    monkeypatch.delenv("EVIDENCE_DB_URL", raising=False)
    monkeypatch.setenv("EVIDENCE_PREFECT", "never")
    yield Settings.from_env()
    close_stores()


def make_root(tmp_path: Path, *names: str, copies: dict[str, str] | None = None) -> Path:
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    for name in names:
        shutil.copytree(CORPUS / name, root / name, ignore=shutil.ignore_patterns("truth.json"))
    for target, source in (copies or {}).items():
        shutil.copytree(CORPUS / source, root / target, ignore=shutil.ignore_patterns("truth.json"))
    return root


def test_rerun_reuses_every_extraction(settings: Settings, tmp_path: Path) -> None:
    root = make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT)
    dirs = discover(root)
    first = run(dirs, kind="batch", root=str(root), settings=settings, use_prefect=False)
    assert first.extracted == 3 and first.reused == 0
    second = run(dirs, kind="batch", root=str(root), settings=settings, use_prefect=False)
    assert second.extracted == 0 and second.reused == 3
    assert [r.status for r in first.results] == [r.status for r in second.results]
    assert [r.findings for r in first.results] == [r.findings for r in second.results]
    counts = store_for(settings).table_counts()
    assert counts["documents"] == 3 and counts["submissions"] == 2 and counts["results"] == 4
    images = sorted((settings.home / "pages").rglob("*.png"))
    assert counts["page_images"] == len(images) > 0
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in images)
    assert first.results[0].documents[0].doc_type in {"invoice", "contract"}


def test_same_file_in_two_submissions_is_read_once_and_flagged_duplicate(settings: Settings, tmp_path: Path) -> None:
    root = make_root(tmp_path, copies={"a": CLEAN_CLOUD, "b": CLEAN_CLOUD})
    report = run(discover(root), kind="batch", root=str(root), settings=settings, use_prefect=False)
    assert report.extracted == 2
    for result in report.results:
        assert "DUPLICATE_INVOICE" in [f.code.value for f in result.findings], result.findings
        assert result.status == "flagged"


def test_a_certificate_claimed_again_in_a_later_batch_earns_nothing(settings: Settings, tmp_path: Path) -> None:
    first = make_root(tmp_path, copies={"a": CLEAN_CERT})
    [earlier] = run(discover(first), kind="batch", root=str(first), settings=settings, use_prefect=False).results
    assert earlier.status == "pass" and earlier.award is not None and earlier.award.amount_wan > 0
    again = tmp_path / "later"
    shutil.copytree(CORPUS / CLEAN_CERT, again / "b", ignore=shutil.ignore_patterns("truth.json"))
    [later] = run(discover(again), kind="batch", root=str(again), settings=settings, use_prefect=False).results
    reused = [f for f in later.findings if f.code.value == "DUPLICATE_CERTIFICATE"]
    assert reused and reused[0].severity == "error" and str(first / "a") in reused[0].message, later.findings
    assert later.award is None or later.award.amount_wan == 0


def test_bad_input_becomes_error_results_and_findings(settings: Settings, tmp_path: Path) -> None:
    root = make_root(tmp_path, CLEAN_CLOUD)
    (root / "no_application").mkdir()
    (root / "no_application" / "发票.pdf").write_bytes(b"%PDF-1.7 truncated")
    (root / CLEAN_CLOUD / "坏文件.pdf").write_bytes(b"not a pdf at all")
    report = run(discover(root), kind="batch", root=str(root), settings=settings, use_prefect=False)
    by_name = {Path(r.submission).name: r for r in report.results}
    assert by_name["no_application"].status == "error" and "application.yaml" in (by_name["no_application"].error or "")
    unreadable = [f for f in by_name[CLEAN_CLOUD].findings if f.code.value == "UNREADABLE_DOCUMENT"]
    assert [f.documents for f in unreadable] == [["坏文件.pdf"]]
    again = run(discover(root), kind="batch", root=str(root), settings=settings, use_prefect=False)
    assert again.extracted == 0  # read errors are cached too: bad bytes stay bad


def test_run_verify_returns_results_in_input_order_with_given_paths(settings: Settings, tmp_path: Path) -> None:
    root = make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT)
    given = [root / CLEAN_CERT, root / CLEAN_CLOUD]
    results = run_verify(given, settings=settings)
    assert [r.submission for r in results] == [str(p) for p in given]


def _import_without(settings: Settings, tmp_path: Path, name: str, version: str) -> None:
    from matchers.reference import import_list, load_list

    current = load_list("cloud_providers", home=settings.home)
    path = tmp_path / f"providers_{version}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["section", "seq", "name"])
        for entry in current.entries:
            if entry.name != name:
                writer.writerow([entry.section or "", entry.seq or "", entry.name])
    import_list("cloud_providers", path, version, home=settings.home)


def test_recheck_reports_what_changed_and_why(settings: Settings, tmp_path: Path) -> None:
    from matchers.reference import load_list

    root = make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT)
    batch = run(discover(root), kind="batch", root=str(root), settings=settings, use_prefect=False)
    cloud = next(r for r in batch.results if r.submission.endswith(CLEAN_CLOUD))
    assert cloud.status == "pass"
    unchanged = recheck(settings)
    assert unchanged.checked == 2 and unchanged.changes == []
    provider = "中国电信集团有限公司山西分公司"
    old_version = load_list("cloud_providers", home=settings.home).version
    new_version = f"{old_version}9"
    _import_without(settings, tmp_path, provider, new_version)
    report = recheck(settings)
    assert report.checked == 2
    [change] = report.changes
    assert change.submission.endswith(CLEAN_CLOUD)
    assert (change.old_status, change.new_status) == ("pass", "flagged")
    assert "PROVIDER_NOT_ON_LIST" in change.added
    title = load_list("cloud_providers", home=settings.home).title
    assert f"「{provider}」已从{title}（第{new_version}版）中移除" in change.reasons
    assert not any(re.search(r"[A-Za-z]{3,}", reason.replace(provider, "")) for reason in change.reasons)
    store = store_for(settings)
    history = store.result_history(change.submission)
    assert [r.status for _, r in history] == ["pass", "pass", "flagged"]
    assert history[-1][1].list_versions["cloud_providers"] == new_version
    assert recheck(settings).changes == []  # compared with the newest result: nothing new


def test_recheck_since_selects_results_of_old_list_versions(settings: Settings, tmp_path: Path) -> None:
    root = make_root(tmp_path, CLEAN_CLOUD)
    run(discover(root), kind="batch", root=str(root), settings=settings, use_prefect=False)
    assert recheck(settings, since="0").checked == 0
    assert recheck(settings, since="999").checked == 1


def test_large_recheck_runs_across_processes_with_the_same_verdicts(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collections import Counter

    import flows.dependencies
    import flows.recheck as module

    root = make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT)
    batch = run(discover(root), kind="batch", root=str(root), settings=settings, use_prefect=False)
    monkeypatch.setattr(module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(module, "CHUNK", 1)
    monkeypatch.setattr("flows.recheck.os.cpu_count", lambda: 2)
    # a new release of the checks: no stored verdict may be reused, every one is evaluated again
    monkeypatch.setattr(flows.dependencies, "evaluator_version", lambda: "next-release")
    report = recheck(settings)
    assert report.changes == [] and report.reused == 0 and report.checked == 2
    assert report.statuses == Counter(r.status for r in batch.results)


def test_page_images_keep_the_read_geometry_scans_as_jpeg_drawn_pages_as_png(
    settings: Settings, tmp_path: Path
) -> None:
    """The review UI's page images: one per page, the size of the page the boxes were measured on."""
    from PIL import Image

    from extractors.ocr import _cache as engines
    from flows.warmup import dask_setup
    from flows.work import extract, plan_submission

    dask_setup(None)  # what every Dask worker runs at start: the engine is loaded before any task
    assert "rapidocr" in engines
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(CORPUS / "s02_cloud_clean_scanned" / "发票_01.pdf", folder / "scanned.pdf")
    shutil.copy(next((CORPUS / CLEAN_CLOUD).glob("*.pdf")), folder / "digital.pdf")
    formats = {}
    for file in plan_submission(folder, settings).files:
        got = extract(settings, file)
        assert got.computed and got.read_error is None
        stored = store_for(settings).get_document(file.key)  # type: ignore[arg-type]
        assert stored is not None and stored.document is not None
        page = stored.document.pages[0]
        image_path = next((settings.home / "pages").rglob(f"{file.key.sha256}/*/p0001.*"))  # type: ignore[union-attr]
        with Image.open(image_path) as image:
            assert image.size == (round(page.width), round(page.height))
            formats[page.text_source] = (image_path.suffix, image.format)
        assert stat.S_IMODE(image_path.stat().st_mode) == 0o600
    assert formats == {"ocr": (".jpg", "JPEG"), "text_layer": (".png", "PNG")}


def test_scanned_page_images_are_the_pixels_ocr_read_not_a_second_render(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scanned page's review image is kept from the OCR pass (rendering and deskewing it again cost
    35-55 ms a page): a skewed page's image is what a fresh render with the stored geometry draws."""
    import numpy as np
    from PIL import Image

    import extractors.reading
    from flows.work import extract, plan_submission

    folder = tmp_path / "skewed"
    folder.mkdir()
    shutil.copy(CORPUS / "s02_cloud_clean_scanned" / "发票_02.pdf", folder / "scanned.pdf")
    (file,) = plan_submission(folder, settings).files
    render_page = extractors.reading.render_page

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a scanned page was rendered a second time")

    monkeypatch.setattr(extractors.reading, "render_page", refuse)
    got = extract(settings, file)
    assert got.computed and got.read_error is None
    assert file.key is not None
    stored = store_for(settings).get_document(file.key)
    assert stored is not None and stored.document is not None
    page = stored.document.pages[0]
    assert page.text_source == "ocr" and abs(page.skew_degrees) > 0.5
    image_path = next((settings.home / "pages").rglob(f"{file.key.sha256}/*/p0001.jpg"))
    fresh = np.asarray(render_page(folder / "scanned.pdf", 1, page.dpi, page=page).convert("RGB"), dtype=np.int16)
    with Image.open(image_path) as image:
        kept = np.asarray(image.convert("RGB"), dtype=np.int16)
    assert kept.shape == fresh.shape
    assert np.abs(kept - fresh).mean() < 2  # JPEG at quality 90; the page before deskewing differs by far more
