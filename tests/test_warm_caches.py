from pathlib import Path

from gaitops.warm_caches import compile_rocket_kernels

ROOT = Path(__file__).resolve().parents[1]


def test_install_compiles_the_rocket_kernels_through_the_models_own_estimators():
    assert compile_rocket_kernels() > 0.0  # fits MiniRocket and MultiRocket as train does
    install = (ROOT / "Makefile").read_text().split("\ninstall:")[0]
    assert "$(BIN)/python -m gaitops.warm_caches" in install  # the $(STAMP) recipe
