"""File names from untrusted Content-Disposition headers, URLs and link texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcp_search.fetch.naming import UnsafeName, clean_title, disposition_filename, inside, paper_filename, url_filename
from pcp_search.fetch.papers import judge


@pytest.mark.parametrize("header,expected", [
    ('attachment; filename="Minutes 3 March.pdf"', "Minutes 3 March.pdf"),
    ("attachment; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.pdf", "Rapport été.pdf"),
    ('attachment; filename="../../etc/passwd"', "passwd"),
    ('attachment; filename="C:\\\\Windows\\\\x.pdf"', "x.pdf"),
    ("inline", None), (None, None), ('attachment; filename=""', None),
])
def test_disposition_filename_keeps_only_a_last_part(header, expected):
    assert disposition_filename(header) == expected


@pytest.mark.parametrize("title,expected", [
    ("..", "document"), ("../../x", "x"), ("  .hidden", "hidden"), ("a/b\\c:d*e?f", "a b c d e f"),
    ("CON", "document"), ("line\nbreak\x00", "line break"), ("", "document"),
])
def test_clean_title(title, expected):
    assert clean_title(title) == expected


def test_paper_filename_and_long_titles():
    assert paper_filename("2025-06-13", "Budget report", "pdf") == "2025-06-13_Budget report.pdf"
    assert paper_filename(None, "Budget report", "pdf") == "Budget report.pdf"
    assert len(paper_filename("2025-06-13", "word " * 100, "pdf")) < 140


def test_inside_refuses_anything_that_would_leave(tmp_path: Path):
    assert inside(tmp_path, "a.pdf") == tmp_path / "a.pdf"
    for name in ("..", "../a.pdf", "/etc/passwd", "a/b.pdf", ""):
        with pytest.raises(UnsafeName):
            inside(tmp_path, name)


def test_url_filename_decodes():
    assert url_filename("https://x.gov.uk/documents/s1/Annex%201.pdf?T=1") == "Annex 1.pdf"


def test_judge_recognises_documents_and_error_pages():
    assert judge(b"%PDF-1.7\n...", "pdf", "application/pdf", None) == ("pdf", "")
    assert judge(b"PK\x03\x04...", None, "application/octet-stream", "Report.docx") == ("docx", "")
    kind, reason = judge(b"\n  <!DOCTYPE html><html>", "pdf", "text/html", None)
    assert kind is None and "HTML page, not a PDF" in reason
    assert judge(b"<html><body>minutes</body></html>", "html", "text/html", None) == ("html", "")
    assert judge(b"\xd0\xcf\x11\xe0old", None, "", None)[0] is None
