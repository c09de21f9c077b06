"""Searching stays light: the query layer never loads spaCy or Textual."""

import subprocess
import sys


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_search_module_does_not_load_spacy_or_textual():
    loaded = _loaded_after("import pcp_search.search, pcp_search.ask, pcp_search.query")
    assert "pcp_search" in loaded
    assert "spacy" not in loaded
    assert "textual" not in loaded


def test_running_a_search_does_not_load_spacy(seed_index):
    loaded = _loaded_after(
        f"from pcp_search.search import SearchService\nSearchService(r'{seed_index}').search('MASH')"
    )
    assert "whoosh" in loaded
    assert "spacy" not in loaded
    assert "textual" not in loaded


def test_cli_module_does_not_load_spacy_or_textual():
    loaded = _loaded_after("import pcp_search.cli")
    assert "typer" in loaded
    assert "spacy" not in loaded and "textual" not in loaded


def test_search_does_not_load_the_fetchers_http_and_html_libraries():
    loaded = _loaded_after("import pcp_search.search, pcp_search.ask, pcp_search.query, pcp_search.cli")
    assert not loaded & {"httpx", "httpcore", "selectolax"}
