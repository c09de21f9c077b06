"""Readers: text cleanup, page markers, encodings, PDF, DOCX and HTML built in the test."""

from pathlib import Path

import pytest

from pcp_search.ingest import IngestError, discover, read_document
from pcp_search.ingest.text import text_to_lines


def test_markdown_and_html_fragments_are_cleaned():
    lines = text_to_lines("#### 48/23 **MINUTES**\n<p>First &amp; second</p> <p>Third</p>\nDate: 24<sup>th</sup> March")
    texts = [l.text for l in lines]
    assert texts[0] == "48/23 MINUTES" and lines[0].heading
    assert "First & second" in texts and "Third" in texts
    assert "Date: 24th March" in texts


def test_table_cells_keep_their_tabs_and_paragraphs():
    [line] = text_to_lines("<p>Topic</p> <p>Text one</p>\t<p>Reply</p>\t")
    cells = line.text.split("\t")
    assert cells[0] == "Topic ¶ Text one"
    assert cells[1] == "Reply"


def test_page_markers_give_pages_to_nearby_lines():
    text = "a\n" * 3 + "Page 7\n" + "b\n" * 3 + "Page 8\n" + "c\n"
    lines = text_to_lines(text)
    pages = {l.text: l.page for l in lines if l.text}
    assert pages == {"a": 7, "b": 8, "c": 9}
    assert all("Page" not in l.text for l in lines)


def test_lines_far_from_any_marker_have_no_page():
    text = ("x" * 100 + "\n") * 100 + "Page 40\n"
    lines = text_to_lines(text)
    assert lines[0].page is None
    assert [l for l in lines if l.text][-1].page == 40


def test_cp1252_text_is_decoded_not_mangled(tmp_path):
    path = tmp_path / "cp.txt"
    path.write_bytes("Council\u2019s budget \u00a315 \u2013 approved".encode("cp1252"))
    doc = read_document(path)
    assert doc.text == "Council\u2019s budget \u00a315 \u2013 approved"


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"),
    (b"\x00\x01\x02" * 400, "binary content"),
])
def test_unreadable_text_files_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=reason):
        read_document(path)


def test_random_bytes_named_pdf_is_refused(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"not a pdf at all" * 50)
    with pytest.raises(IngestError, match="not a PDF"):
        read_document(path)


def _make_pdf(path: Path, pages: list[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))


def test_pdf_pages_are_numbered_from_the_pdf(tmp_path):
    path = tmp_path / "paper.pdf"
    _make_pdf(path, ["First page text about CCTV.", "Second page text about MASH."])
    doc = read_document(path)
    pages = {l.page for l in doc.lines if "MASH" in l.text}
    assert pages == {2}
    assert doc.fmt == "pdf"


def test_truncated_pdf_is_refused_or_read_as_far_as_it_goes(tmp_path):
    full = tmp_path / "full.pdf"
    _make_pdf(full, ["Some text " * 50])
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(full.read_bytes()[: len(full.read_bytes()) // 2])
    try:
        doc = read_document(cut)
    except IngestError as exc:
        assert str(exc)  # a one-line reason
        assert "\n" not in str(exc)
    else:
        assert doc.lines


def test_docx_paragraphs_headings_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Report title: Rural Crime", level=1)
    document.add_paragraph("The PCC was asked about farm thefts. The PCC replied that thefts had fallen.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Recommendation"
    table.rows[0].cells[1].text = "Response"
    path = tmp_path / "paper.docx"
    document.save(str(path))
    doc = read_document(path)
    texts = [l.text for l in doc.lines]
    assert "Report title: Rural Crime" in texts
    assert "Recommendation\tResponse" in texts
    assert any(l.heading for l in doc.lines)


def test_fake_docx_is_refused(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(IngestError, match="not a valid .docx"):
        read_document(path)


def test_html_blocks_and_tables(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><style>x{}</style></head><body><h2>Minutes</h2><p>Text &amp; more</p>"
                    "<table><tr><td>Rec</td><td>Reply</td></tr></table><script>evil()</script></body></html>")
    texts = [l.text for l in read_document(path).lines]
    assert texts == ["Minutes", "Text & more", "Rec\tReply"]


def test_discover_skips_readmes_and_names_missing_paths(tmp_path):
    (tmp_path / "README.md").write_text("about")
    (tmp_path / "paper.txt").write_text("text")
    (tmp_path / "paper.txt.meta.json").write_text("{}")
    (tmp_path / "image.png").write_bytes(b"x")
    files, problems = discover([tmp_path, tmp_path / "missing"])
    assert [f.name for f in files] == ["paper.txt"]
    assert problems == [(str(tmp_path / "missing"), "no such file or folder")]


def test_symlink_loops_do_not_hang(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "paper.txt").write_text("text")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    files, _ = discover([tmp_path])
    assert [f.name for f in files] == ["paper.txt"]


def test_sidecar_metadata_is_read(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("Some text")
    (tmp_path / "p.txt.meta.json").write_text('{"date": "2019-05-01", "kind": "report"}')
    assert read_document(path).meta == {"date": "2019-05-01", "kind": "report"}
