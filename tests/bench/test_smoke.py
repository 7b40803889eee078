"""The benchmark runs end to end on a tiny catalog (quick mode), so it cannot rot unnoticed."""

from bench.__main__ import main


def test_bench_runs_on_the_mini_catalog(mini_catalog_dir, tmp_path, capsys) -> None:
    out = tmp_path / "RESULTS.md"
    assert main(["--data", str(mini_catalog_dir), "--quick", "--out", str(out)]) == 0
    report = out.read_text()
    for metric in (
        "cold start to the first answer, CPU",
        "peak RSS after the first answer",
        "first call after start-up: genre filter",
        "first start after `make data`",
        "resolve + answer, titles with one typo p50",
        "resolve + answer, people with one typo p50",
        "resolve + answer, exact hits",
        "one typo in each of the",
        "similar(id, k=5) with reasons, vs the classic scan + sorted() p50",
        "similar(id, k=5) with reasons, vs the scan + argpartition p99",
        "precomputation: every film's 50 neighbours",
        "recommendations page 2",
        "finding what was meant, titles with one typo p50",
        "finding what was meant, people with one typo p50",
        "ranking on the fly: filter genre=",
        "ranking on the fly: two films p50",
        "/director <name>: resolve + answer p99",
        "updates/s through the bot, typo-heavy mix",
    ):
        assert f"| {metric}" in report, metric
    assert "cores" in report and "python-telegram-bot" in report
    # every target row says whether it was met
    for line in report.splitlines():
        cells = [cell.strip() for cell in line.split("|")[1:-1]]
        if len(cells) == 6 and cells[4].startswith(("≤", "≥")):
            assert cells[5] in ("yes", "**no**"), line


def test_a_slower_figure_says_slower() -> None:
    from bench.report import ratio

    assert ratio(2.0, 1.0) == "2.0× faster"
    assert ratio(1.0, 2.0) == "2.0× slower"
    assert ratio(30.0, 1.0) == "30× faster"
