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


PARSER_MODULES = {"pcp_search.parse.document", "pcp_search.parse.questions", "pcp_search.parse.sections",
                  "pcp_search.parse.items", "pcp_search.parse.meta", "pcp_search.parse.tables",
                  "pcp_search.parse.exchanges", "pcp_search.parse.labelled", "pcp_search.parse.undertakings"}
READING_AND_TAGGING = {"spacy", "textual", "pypdfium2", "pypdf", "rapidocr_onnxruntime", "wordninja", "cryptography",
                       "httpx", "selectolax", "pcp_search.ingest", "pcp_search.indexer", "pcp_search.entities.tagger"}


def _modules_after_cli(*argv: str) -> set[str]:
    """Every module a `pcp-search` run loaded (listed on stderr, after the command's own output)."""
    code = ("import sys\nfrom pcp_search.cli import main\nsys.argv = ['pcp-search', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    return set(out.stderr.split())


def test_a_cli_search_loads_neither_the_parser_nor_the_readers_and_tagger(seed_index):
    """A search reads dates typed in words (parse.dates), never the paper parser's ~200 patterns: they
    were a tenth of a cold `pcp-search search`."""
    loaded = _modules_after_cli("search", "MASH since 2020", "--since", "2019", "--index-dir", str(seed_index), "--json")
    assert "pcp_search.parse.dates" in loaded and "whoosh" in loaded
    assert not loaded & PARSER_MODULES, sorted(loaded & PARSER_MODULES)
    assert not loaded & READING_AND_TAGGING, sorted(loaded & READING_AND_TAGGING)
