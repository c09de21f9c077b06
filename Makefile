# Two commands: `make run` (set up, index corpus/ when missing or stale, open the TUI) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
CORPUS := $(wildcard corpus/*)

.PHONY: run test index bench clean eval-parse lint

run: index/manifest.json
	$(BIN)/pcp-search tui

test: lint
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

index: index/manifest.json

# Rebuild when the index is missing or any corpus file is newer; exit code 1 (some files skipped) is fine.
index/manifest.json: $(STAMP) $(CORPUS)
	$(BIN)/pcp-search index corpus --index-dir index || [ $$? -eq 1 ]
	@touch $@

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench.py --sizes 5 20 50

# Score the parser against the gold annotations of the real papers in ../shared/real-papers (--details for misses).
eval-parse: $(TEST_STAMP)
	$(BIN)/python scripts/eval_parse.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@ $(STAMP)

clean:
	rm -rf $(VENV) index
