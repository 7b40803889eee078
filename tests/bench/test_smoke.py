"""The benchmark runs end to end on a tiny catalog (quick mode), so it cannot rot unnoticed."""

from bench.__main__ import main


def test_bench_runs_on_the_mini_catalog(mini_catalog_dir, tmp_path, capsys) -> None:
    out = tmp_path / "RESULTS.md"
    assert main(["--data", str(mini_catalog_dir), "--quick", "--out", str(out)]) == 0
    report = out.read_text()
    for metric in (
        "cold start",
        "peak RSS after loading",
        "recommendation (5 films) p50",
        "title resolution p99",
        "person resolution p99",
        "/director after resolution p99",
        "updates/s through the bot",
    ):
        assert f"| {metric}" in report
    assert "cores" in report and "python-telegram-bot" in report
