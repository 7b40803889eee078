# Daily commands. Every target sets up .venv from the pinned requirements first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SOURCE ?= ../shared/data/kaggle
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: run test lint format data bench evaluate evaluate-personal clean

$(RUNTIME): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(RUNTIME)
	$(BIN)/python bot.py

test: $(DEV)
	$(BIN)/python -m pytest -q

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# extras (Spanish/alternative titles, overviews, posters) are used when the folder exists
EXTRAS ?= ../shared/data/extra
data: $(RUNTIME)
	$(BIN)/python -m movierec.etl --source $(SOURCE) $(if $(wildcard $(EXTRAS)),--extras $(EXTRAS)) --out data

bench: $(DEV)
	$(BIN)/python -m bench

# the test users' table, then every variant and ablation on validation and test users (~5 min)
evaluate: $(RUNTIME)
	$(BIN)/python -m movierec.recommend.evaluate --source $(SOURCE)
	$(BIN)/python -m movierec.recommend.study --source $(SOURCE)

evaluate-personal: $(RUNTIME)
	$(BIN)/python -m movierec.recommend.evaluate_personal --source $(SOURCE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
