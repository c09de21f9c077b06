# Two commands: `make run` (set up, index corpus/ when missing or stale, open the TUI) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test index bench bench-200 clean eval eval-parse lint

run: index
	$(BIN)/pcp-search tui

test: lint
	$(BIN)/python -m pytest

# ruff over the tree, then mypy over the library (what it checks and how strictly: [tool.mypy] in pyproject.toml)
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Bring the index up to date when it is missing or anything under corpus/ is newer than the last run:
# a paper added, changed or deleted (a deletion changes its folder's mtime), in any subfolder, whatever
# its name (spaces included, which make's own prerequisites cannot hold), or when the index was built by a
# pcp-search of another format (an upgrade: the run rebuilds it). The indexer then compares
# content hashes, so only what really changed is read again. The stamp takes the time the run started,
# so a paper saved during a run counts next time. Exit code 1 (some files skipped) is fine.
INDEXED := $(VENV)/.corpus-indexed
index: $(STAMP)
	@if [ ! -f index/manifest.json ] || [ ! -f $(INDEXED) ] || [ -n "$$(find corpus -newer $(INDEXED) -print -quit 2>/dev/null)" ] \
		|| ! $(BIN)/python -c "import sys; from pcp_search.engine import Store; sys.exit(not Store('index').compatible())" 2>/dev/null; then \
		touch $(INDEXED).next; \
		$(BIN)/pcp-search index corpus --index-dir index; status=$$?; \
		if [ $$status -gt 1 ]; then rm -f $(INDEXED).next; exit $$status; fi; \
		mv $(INDEXED).next $(INDEXED); \
	else echo "index/ is up to date with corpus/"; fi

# Speed and memory against plain Whoosh in the same run, at 20 MB (three rounds of each, in turn: the ratio
# is their median) and 100 MB (several minutes in all);
# `make bench-200` adds the 200 MB run used to extrapolate the single-machine ceiling (docs/SCALE.md).
bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench.py --sizes 20 --rounds 3
	$(BIN)/python benchmarks/bench.py --sizes 100

bench-200: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench.py --sizes 200

# Search relevance on the real papers (../shared/real-papers and ../shared/corpus): R@1, R@5, MRR@10 per query
# type against a plain Whoosh baseline, in one run (--details for the queries not answered first).
eval: $(TEST_STAMP)
	$(BIN)/python benchmarks/real_relevance.py

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
