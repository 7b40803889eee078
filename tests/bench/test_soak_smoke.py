"""The soak (bench/soak.py) runs end to end on the tests' mini catalog; its figures are bench's."""

from bench.soak import main


def test_soak_runs_on_the_mini_catalog(mini_catalog_dir, capsys) -> None:
    assert main(["--data", str(mini_catalog_dir), "--quick"]) == 0
    assert "Verdict: RSS after the run" in capsys.readouterr().out
