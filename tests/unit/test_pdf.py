"""The PDF reader: page furniture, hyphenation, fragmented text, OCR of scans and encrypted files."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

from pcp_search.ingest import IngestError, read_document
from pcp_search.ingest.furniture import dehyphenate, reflow, strip_furniture, vocabulary
from pcp_search.ingest.ocr import group_lines
from pcp_search.ingest.pdf import read_pdf, read_pdf_pages
from pcp_search.models import Line

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-papers"


def real(name: str) -> bytes:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"real paper {name} not present")
    return path.read_bytes()


def pages_of(*pages: list[str]) -> list[list[Line]]:
    return [[Line(text, page=n) for text in page] for n, page in enumerate(pages, start=1)]


def texts(pages: list[list[Line]]) -> list[list[str]]:
    return [[line.text for line in page] for page in pages]


TOPICS = ["CCTV", "rural crime", "MASH", "Prevent", "drones", "budget", "knife crime", "fraud", "IOM", "VRU"]


def body(n: int) -> list[str]:
    return [f"Members discussed {TOPICS[n - 1]} with the Commissioner.", f"More text on page {TOPICS[n - 1]}."]


# --- furniture by shape ---------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["Page 23", "Page 1 of 2", "- 3 -", "Page | 4", "Agenda Item 6", "2 of 9"])
def test_page_labels_at_the_top_or_bottom_of_a_page_are_removed(label):
    [page] = texts(strip_furniture(pages_of(["Title of the report", *body(1), label])))
    assert label not in page
    assert page[0] == "Title of the report"


def test_bare_numbers_that_follow_the_page_count_are_removed_but_an_item_number_in_the_body_stays():
    pages = strip_furniture(pages_of(["1", *body(1), "7", *body(1)], [*body(2), "2"], [*body(3), "3"]))
    assert texts(pages)[0] == [*body(1), "7", *body(1)]
    assert all(page[-1].startswith("More text") for page in texts(pages)[1:])


def test_a_pack_numbered_from_another_start_loses_its_numbers():
    pages = strip_furniture(pages_of([*body(1), "11"], [*body(2), "12"], [*body(3), "13"]))
    assert [page[-1] for page in texts(pages)] == [body(n)[-1] for n in (1, 2, 3)]


# --- furniture by repetition ----------------------------------------------------------------------

def test_running_headers_and_email_footers_repeated_on_every_page_are_removed():
    pages = pages_of(*[["Police and Crime Panel – 12 March 2024", *body(n), "panel@example.gov.uk",
                        f"Printed on {n} April 2024"] for n in range(1, 6)])
    for page in texts(strip_furniture(pages)):
        assert page[0].startswith("Members discussed") and page[-1].startswith("More text")


def test_a_line_seen_once_and_a_heading_repeated_twice_in_the_body_are_kept():
    pages = pages_of(["Minutes", *body(1), "Questions to the Commissioner", *body(1)],
                     [*body(2), "Questions to the Commissioner", *body(2)], [*body(3)], [*body(4)])
    kept = texts(strip_furniture(pages))
    assert kept[0][0] == "Minutes"
    assert sum(page.count("Questions to the Commissioner") for page in kept) == 2


def test_a_table_header_repeated_on_each_page_is_kept_once():
    header = "Recommendation PCC response Chief Constable response"
    filler = [f"Line {i} of the report about {topic}." for i, topic in enumerate(TOPICS)]
    pages = pages_of([*body(1), *filler, header, "R1 agreed"], [header, "R2 agreed", *body(2)],
                     [header, "R3 agreed", *body(3)], [header, "R4 agreed", *body(4)])
    kept = texts(strip_furniture(pages))
    assert sum(page.count(header) for page in kept) == 1
    assert header in kept[0]


def test_signature_lines_are_content_even_on_every_page():
    pages = pages_of(*[[*body(n), "Signed ………… Chairman", "Dated …………"] for n in range(1, 5)])
    assert all("Signed ………… Chairman" in page for page in texts(strip_furniture(pages)))


def test_a_stock_answer_repeated_across_a_pack_is_not_furniture():
    answer = "Given the volume of questions received on this matter, I refer to my earlier answer."
    filler = [f"Line {i} of the question about {topic}." for i, topic in enumerate(TOPICS)]
    pages = pages_of(*[[answer, f"Question {n} – Name", *filler[:5], answer, *filler[5:], *body(n)]
                       for n in range(1, 9)])
    assert all(page.count(answer) == 2 for page in texts(strip_furniture(pages)))


# --- joins ----------------------------------------------------------------------------------------

def test_dehyphenation_drops_the_hyphen_of_a_broken_word_only():
    words = {"third", "party", "running"}
    assert dehyphenate("the recom", "mendation was", words) == "the recommendation was"
    assert dehyphenate("the co", "operation of", words) == "the co-operation of"
    assert dehyphenate("Thames Valley", "based team", words) == "Thames Valley-based team"
    assert dehyphenate("a third", "party website", words) == "a third-party website"
    assert dehyphenate("18", "year olds", words) == "18-year olds"


def test_reflow_joins_a_hyphenated_wrap_into_one_word():
    width = "x" * 60
    lines = [Line(f"{width} the panel made a recom-", page=1), Line("mendation to the PCC.", page=1)]
    [joined] = reflow(lines, vocabulary([lines]))
    assert joined.text.endswith("made a recommendation to the PCC.")


# --- real papers ----------------------------------------------------------------------------------

def test_bristol_email_footer_is_gone_and_pages_stay_right():
    lines = read_pdf(real("bristol-city-council_minutes_2024-09-12.pdf"))
    assert not any("policycommittees@bristol.gov.uk" in line.text for line in lines)
    assert {line.page for line in lines} == set(range(1, 16))
    [forum] = [line for line in lines if line.text.startswith("6 Public Forum")]
    assert forum.page == 2


def test_southwark_page_labels_and_the_label_only_table_header_go():
    # a header row of a few labels repeated on every page says nothing: gone from the first page too
    # (a longer header, such as a monitoring table's, keeps its first showing: see the test above)
    lines = read_pdf(real("southwark_pensions-advisory-panel-notes_2015-04-21.pdf"))
    assert not any(line.text.startswith("Page |") for line in lines)
    assert [line.page for line in lines if line.text.strip() == "Item No Item"] == []
    assert any(line.text.startswith("1 Apologies: Malcolm Laird") for line in lines)


def test_sutton_running_header_and_page_numbers_go():
    lines = read_pdf(real("sutton-coldfield-tc_committee-minutes_2018-03-13.pdf"))
    assert not any("Minutes | Tuesday 13th March 2018" in line.text for line in lines)
    assert not any(line.text.startswith("Page |") for line in lines)
    assert any(line.text.startswith("52 Apologies for Absence") for line in lines)


def test_tintern_2019_minute_numbers_and_names_read_intact():
    lines = read_pdf(real("tintern-cc_minutes_2019-07-29.pdf"))
    text = "\n".join(line.text for line in lines)
    assert "2724. Police Report: No Police presence" in text
    assert "Richards" in text and "29th July 2019" in text
    assert not any(line.text.strip() in {"1", "2", "3", "4"} for line in lines)


def test_the_fallback_reader_mends_tintern_fragments():
    from pcp_search.ingest.pdf import _pypdf_pages

    [first, *_] = _pypdf_pages(real("tintern-cc_minutes_2019-07-29.pdf"), [])
    assert "2724.\nPolice Report" in first and "Richards" in first


# --- OCR ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def souldern_page_one() -> bytes:
    """Page 1 of an image-only minutes PDF, as a PDF of its own (OCR of one page keeps tests quick)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(real("souldern-pc_minutes_2021-04-28.pdf"))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_scanned_page_is_read_by_ocr_and_marked(souldern_page_one):
    lines, warnings = read_pdf_pages(souldern_page_one)
    text = "\n".join(line.text for line in lines)
    for word in ("Playground", "Apologies", "Viridor", "Hoodless"):
        assert word in text
    assert "04.21.05 Playground update" in text  # the number and the heading share a line
    assert all(line.ocr and line.page == 1 for line in lines if line.text)
    assert warnings == ["1 page had no text layer and was OCR'd"]


def test_without_an_ocr_engine_a_scan_reads_with_a_warning(souldern_page_one, monkeypatch):
    from pcp_search.ingest import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    lines, warnings = read_pdf_pages(souldern_page_one)
    assert not any(line.text for line in lines)
    assert warnings == ["OCR not available: 1 image-only page has no text"]


def test_too_many_image_pages_skip_ocr_with_a_warning(souldern_page_one, monkeypatch):
    from pcp_search.ingest import pdf

    monkeypatch.setattr(pdf, "MAX_OCR_PAGES", 0)
    _, warnings = read_pdf_pages(souldern_page_one)
    assert "OCR skipped" in warnings[0]


def test_ocr_boxes_are_put_in_reading_order():
    boxes = [((100, 120, 300), "update"), ((102, 121, 50), "04.21.05"), ((60, 80, 50), "Apologies"),
             ((101, 119, 150), "Playground")]
    assert group_lines(boxes) == ["Apologies", "04.21.05 Playground update"]


def test_reading_a_text_pdf_does_not_load_the_ocr_engine():
    code = ("import sys; from pcp_search.ingest.pdf import read_pdf; from pathlib import Path;"
            f"read_pdf(Path({str(REAL / 'tintern-cc_agenda_2019-07-29.pdf')!r}).read_bytes());"
            "assert 'rapidocr_onnxruntime' not in sys.modules and 'onnxruntime' not in sys.modules")
    if not (REAL / "tintern-cc_agenda_2019-07-29.pdf").is_file():
        pytest.skip("real papers not present")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- encryption -----------------------------------------------------------------------------------

def _encrypted(tmp_path: Path, user_password: str) -> Path:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "The PCC replied that CCTV coverage would be extended.")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.encrypt(user_password=user_password, owner_password="x", algorithm="AES-256")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_an_aes256_pdf_with_an_empty_user_password_opens(tmp_path):
    doc = read_document(_encrypted(tmp_path, ""))
    assert "CCTV coverage would be extended" in doc.text


def test_a_pdf_that_needs_a_password_is_refused_with_a_one_line_reason(tmp_path):
    with pytest.raises(IngestError, match="^password-protected PDF: cannot be read without its password$"):
        read_document(_encrypted(tmp_path, "secret"))


def test_the_fallback_reader_opens_aes_and_refuses_a_password(tmp_path):
    from pcp_search.ingest.pdf import _pypdf_pages

    assert "CCTV" in _pypdf_pages(_encrypted(tmp_path, "").read_bytes(), [])[0]
    with pytest.raises(IngestError, match="password-protected"):
        _pypdf_pages(_encrypted(tmp_path, "secret").read_bytes(), [])


# --- a PDF made here ------------------------------------------------------------------------------

def test_a_made_pdf_loses_its_header_footer_and_page_numbers(tmp_path):
    from fpdf import FPDF

    class Paper(FPDF):
        def header(self):
            self.set_font("Helvetica", size=9)
            self.cell(0, 5, "Thames Valley Police and Crime Panel - 14 March 2024", new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Paper()
    pdf.set_font("Helvetica", size=11)
    for n in range(1, 5):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Minute {n}/24. The panel discussed {TOPICS[n]} with the Commissioner.")
    path = tmp_path / "paper.pdf"
    pdf.output(str(path))
    lines = read_document(path).lines
    assert not any("Crime Panel - 14 March" in line.text or line.text.startswith("Page ") for line in lines)
    assert [line.page for line in lines if line.text.startswith("Minute")] == [1, 2, 3, 4]


def test_a_label_with_an_apostrophe_starts_its_own_line():
    width = "x" * 70
    lines = [Line(f"{width} the extra flights?", page=1), Line("Mayor’s Response:", page=1)]
    assert [line.text for line in reflow(lines)][-1] == "Mayor’s Response:"


def test_ocr_run_together_words_are_spaced_but_names_and_rare_words_kept():
    from pcp_search.ingest.ocr import respace

    assert respace("10.25.03 Toreceivetheminutes of the last meeting") == "10.25.03 To receive the minutes of the last meeting"
    assert respace("Apologies had been received fromJohn Hoodless") == "Apologies had been received from John Hoodless"
    # a split with an uncommon piece ('soul dern') is not made; a known word stays whole
    assert respace("Ofthesouldernparish participation McDonald") == "Ofthesouldernparish participation McDonald"
