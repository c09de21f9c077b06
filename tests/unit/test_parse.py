"""Parsing: layouts of questions and answers on papers written for these tests, and the seed
acceptance items (every numbered question of the 27 January 2023 minutes, the monitoring table)."""

import json
import os
from pathlib import Path

import pytest

from pcp_search.ingest import read_document
from pcp_search.parse import parse_document

from tests.conftest import SEEDS, DATA, PAPERS, SEED_MINUTES

GOLDEN = DATA / "golden"


def parse(path: Path):
    return parse_document(read_document(path))


# -- layouts -------------------------------------------------------------------------------------
def test_council_layout_question_by_to_and_answer():
    doc = parse(PAPERS / "council_questions.txt")
    first, supplementary, unanswered = doc.qa
    assert first.asked_by == "Councillor Raj Patel"
    assert first.answered_by == "PCC"
    assert first.question.startswith("How many officers have been recruited")
    assert first.answer.startswith("Forty-two officers")
    assert first.undertakings == ["I will provide a breakdown by district to the next meeting."]
    assert supplementary.question.startswith("Will the rural teams")
    assert supplementary.asked_by == "Councillor Raj Patel"
    assert "report back in December" in supplementary.answer
    assert unanswered.asked_by == "Councillor Joan Smith"
    assert unanswered.answer is None and unanswered.answered_by is None
    assert all(q.section == "2/23 QUESTIONS TO THE POLICE AND CRIME COMMISSIONER" for q in doc.qa)
    assert all(q.date == "2023-09-14" for q in doc.qa)


def test_prose_minutes_asked_replied_and_attributions():
    doc = parse(PAPERS / "prose_minutes.txt")
    custody, knife, drones = doc.qa
    assert custody.question == "The PCC was asked whether the new custody suite would open on time."
    assert custody.answer.startswith("The PCC replied that the contractor")
    assert custody.undertakings and "would check" in custody.undertakings[0]
    assert knife.asked_by == "Cllr Mary Jones (Westtown)"
    assert knife.question == "A question regarding knife crime in Westtown"
    assert knife.answered_by == "PCC"
    assert "written response would be provided" in knife.undertakings[0]
    assert drones.asked_by == "Panel member"
    assert "agreed to circulate the business case" in drones.answer
    assert not any(q.section and q.section.startswith("13/22") for q in doc.qa)


def test_prose_member_point_answered_in_the_next_paragraph(tmp_path):
    # a layout seen in other panels' minutes: a member's point as a statement, the reply below it
    paper = tmp_path / "statement_minutes.txt"
    paper.write_text(
        "Northshire Police and Crime Panel\n\nMinutes of the meeting held on 5 May 2022\n\n"
        "7. Estates Strategy\n\n"
        "Councillor Ada Brook queried the cost of closing the Eastgate front counter.\n\n"
        "The PCC replied that the counter cost £90,000 a year and saw four visitors a day.\n\n"
        "Councillor Tom Vale welcomed the report.\n\n"
        "The Chair thanked officers for the report.\n\n"
        "The PCC raised the cost of the new custody suite.\n\n"
        "The Chief Constable added that the suite would open in June.\n", encoding="utf-8")
    doc = parse(paper)
    assert len(doc.qa) == 1  # a point with no reply, and a point by the PCC, are not pairs
    pair = doc.qa[0]
    assert pair.asked_by == "Councillor Ada Brook" and pair.answered_by == "PCC"
    assert pair.question == "Councillor Ada Brook queried the cost of closing the Eastgate front counter."
    assert pair.answer.startswith("The PCC replied that the counter cost")


def test_numbered_questions_lost_bracket_list_item_and_no_answer():
    doc = parse(PAPERS / "numbered_brackets.txt")
    assert [q.question for q in doc.qa] == [
        "What is the planned increase in neighbourhood officers?",
        "How will the savings target be met?",
        "Was the Chief Constable consulted on the reduction in PCSOs?",
        "Why has the victims' service contract been delayed?",
    ]
    officers, savings, consulted, delayed = doc.qa
    assert officers.answer.endswith("- 15 in the second year")  # bullets stay with the answer
    assert savings.answer == ("The savings will come from estates rationalisation and procurement.\n"
                              "The Chief Finance Officer will publish the detailed plan in March.")
    assert officers.asked_by == "Panel member (written question)"
    assert consulted.asked_by == "Panel member" and consulted.answered_by == "Chief Constable"
    assert delayed.answer is None
    assert "RESOLVED" not in (delayed.question + (delayed.answer or ""))


def test_monitoring_table_rows_split_by_a_page_break_are_joined():
    doc = parse(PAPERS / "monitoring_table.txt")
    assert doc.kind == "monitoring"
    roads, hate = doc.qa
    assert roads.question == ("Road Safety That the PCC reports on average speed camera deployment across the "
                              "county and the funding arrangements with highway authorities.")
    assert roads.asked_by == "Panel"
    assert roads.answered_by == "PCC; Chief Constable"
    by = {r["by"]: r["text"] for r in roads.responses}
    assert by["PCC"] == "I have asked the Force to report on camera deployment by the end of the year."
    assert by["Chief Constable"].startswith("The Chief Constable reported")
    assert by["Panel assessment"] == "Ongoing"
    assert hate.answered_by == "PCC"


def test_sidecar_overrides_metadata(tmp_path):
    paper = tmp_path / "p.txt"
    paper.write_text((PAPERS / "prose_minutes.txt").read_text())
    (tmp_path / "p.txt.meta.json").write_text('{"date": "2022-07-06", "title": "Custom", "panel": "Eastshire PCP"}')
    doc = parse(paper)
    assert (doc.date, doc.title, doc.panel) == ("2022-07-06", "Custom", "Eastshire PCP")


# -- the seed papers -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_pack():
    return parse(SEED_MINUTES)


def test_pack_metadata(seed_pack):
    assert seed_pack.kind == "pack"
    assert seed_pack.date == "2023-03-24"
    assert seed_pack.panel == "Thames Valley PCP"


def test_every_numbered_question_of_the_january_minutes_is_its_own_pair(seed_pack):
    numbered = [q for q in seed_pack.qa if q.layout == "numbered"]
    by_minute: dict[str, int] = {}
    for q in numbered:
        by_minute[q.section.split()[0]] = by_minute.get(q.section.split()[0], 0) + 1
    # budget: 9 written + 11 Members' questions; contact management 2; arrest data 6; encampments 5
    assert by_minute == {"49/23": 20, "51/23": 2, "52/23": 6, "53/23": 5}
    assert all(q.answered_by == "PCC" for q in numbered)
    assert all(q.answer for q in numbered)
    assert all(q.date == "2023-01-27" for q in numbered)


def test_answers_are_complete_and_never_swallow_the_next_question(seed_pack):
    text = SEED_MINUTES.read_text(encoding="utf-8")
    numbered = [q for q in seed_pack.qa if q.layout == "numbered"]
    for q in numbered:
        assert "\n(" not in q.answer or not any(f"({n}) " in q.answer.split("\n")[-1][:6] for n in range(1, 12))
        for other in numbered:
            if other is not q:
                assert other.question not in q.answer
    atlantic = next(q for q in numbered if "Atlantic House" in q.question)
    assert "gone into receivership" in atlantic.answer
    assert atlantic.answer.endswith("caused the additional costs for the project.")
    # the answer with a lost opening bracket (written question 3) keeps all of its bullets
    contact = next(q for q in numbered if q.question.startswith("The use of the increased precept flexibility"))
    assert contact.answer.startswith("A fuller update on contact management")
    assert "virtual queuing" in contact.answer and contact.answer.endswith("for the public.")
    # the question swallowed by a list item
    mccloud = next(q for q in numbered if "McCloud" in q.question)
    assert mccloud.question.startswith("What are the indications")
    assert mccloud.question in text


def test_prose_questions_in_the_topical_issues_minute(seed_pack):
    prose = [q for q in seed_pack.qa if q.layout == "prose"]
    assert any("vetting" in q.question for q in prose)
    assert any(q.question.startswith("The PCC was asked what affect the resignation") for q in prose)
    assert all(q.section.startswith("56/23") for q in prose)


def test_undertakings_are_kept(seed_pack):
    protocol = next(q for q in seed_pack.qa if "joint working protocol" in q.question)
    assert protocol.undertakings == [
        "The PCC reported that the protocol provided clarity on responsibilities on the process and agreed to circulate the updated protocol."
    ]


def test_sections_know_minutes_reports_and_pages(seed_pack):
    labels = [s.label for s in seed_pack.sections]
    for minute in ("48/23 MINUTES", "53/23 UNAUTHORISED ENCAMPMENTS", "57/23 WORK PROGRAMME"):
        assert minute in labels
    reports = {s.part: (s.date, s.author) for s in seed_pack.sections if s.part and s.part.startswith(("Multi-Agency", "Community Policing"))}
    assert reports["Multi-Agency Safeguarding Hubs (MASH)"] == ("2023-03-24", "Charlotte Donohoe: TVP MASH Strategic Manager")
    assert reports["Community Policing"][1] == "Chief Superintendent Katy Barrow-Grint"
    crimefighters = next(s for s in seed_pack.sections if s.title == "Implementation")
    assert crimefighters.page_start == 23


def test_work_programme_printed_twice_is_kept_once(seed_pack):
    programmes = [s for s in seed_pack.sections if s.title.startswith("Thames Valley Police & Crime Panel Work Programme")]
    assert len(programmes) == 1


def test_monitoring_table_recommendations_with_responses():
    doc = parse(SEEDS / "004_edeca9e8cdebdfff.txt")
    topics = [q.question.split(" That ")[0].split(" To ")[0] for q in doc.qa]
    assert len(doc.qa) == 11
    assert topics[:2] == ["Local Criminal Justice Board 1.", "Modern Slavery"]
    assert all(q.asked_by == "Panel" for q in doc.qa)
    encampments = next(q for q in doc.qa if q.question.startswith("Unauthorised encampments"))
    # the row split across the page break is joined: recommendation and response both continue
    assert "consistently applied by liaising with Local Area Commanders" in encampments.question
    assert "implement consistent policy and procedures" in encampments.answer
    assert any("Chief Constable" in (q.answered_by or "") for q in doc.qa)


# -- golden files (reviewed as diffs: PCP_UPDATE_GOLDEN=1 rewrites them, then read `git diff`) --------
def golden_view(doc) -> dict:
    data = doc.to_json()
    data["sections"] = [
        {k: s[k] for k in ("number", "title", "page_start", "page_end")} | {"chars": len(s["text"])} for s in data["sections"]
    ]
    return data


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_parse_matches_golden(name):
    actual = golden_view(parse(SEEDS / name))
    path = GOLDEN / (name + ".json")
    if os.environ.get("PCP_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected


# -- the same paper as a PDF ----------------------------------------------------------------------------
LATIN1 = str.maketrans({"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "\u00a0": " "})


def _minutes_text() -> str:
    """The 27 January 2023 minutes of the seed pack, in characters a core PDF font can draw."""
    lines = SEED_MINUTES.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if "Minutes of the Thames Valley Police and Crime Panel held on" in l)
    end = next(i for i, l in enumerate(lines) if l.startswith("#### 54/23"))
    text = "\n".join(lines[start:end]).translate(LATIN1)
    return text.encode("latin-1", "replace").decode("latin-1")


def test_a_pdf_of_the_seed_minutes_gives_the_same_pairs_with_pages(tmp_path):
    from fpdf import FPDF

    from pcp_search.ingest.text import text_to_lines

    text = _minutes_text()
    as_text = parse_document(read_document(_write(tmp_path / "minutes.txt", text)))
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in text_to_lines(text):
        if line.text.strip():
            pdf.multi_cell(0, 5, line.text.replace("\t", "    "), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(tmp_path / "minutes.pdf"))
    as_pdf = parse_document(read_document(tmp_path / "minutes.pdf"))

    def pairs(doc):
        return [(" ".join(q.question.split()), " ".join((q.answer or "").split()), q.answered_by, q.section) for q in doc.qa]

    assert len(as_text.qa) >= 33
    assert pairs(as_pdf) == pairs(as_text)
    pages = [q.page for q in as_pdf.qa]
    assert all(isinstance(p, int) for p in pages) and pages == sorted(pages) and pages[-1] > pages[0]
    assert as_pdf.date == as_text.date == "2023-01-27"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_member_name_then_bullets_and_numbered_with_a_full_stop():
    doc = parse(PAPERS / "member_bullets.txt")
    rural, custody, burglary, roads, cctv = doc.qa
    assert rural.asked_by == custody.asked_by == "Councillor Priya Shah"
    assert rural.question == "Asked whether the new rural crime team would cover the whole county."
    assert rural.answer.startswith("The Commissioner confirmed that the team would be based in three hubs")
    assert custody.undertakings == ["The Commissioner agreed to provide the Panel with the final figures after the tender closed."]
    assert burglary.asked_by == "Mr Tom Hale" and burglary.answer.startswith("In response, the Commissioner noted")
    assert roads.answer is None and roads.answered_by is None
    assert cctv.question.startswith("Information was requested on the timetable")
    assert cctv.answered_by == "PCC" and "no timeline" in cctv.answer
    assert [s.label for s in doc.sections][1:] == ["7 QUESTIONS FOR THE POLICE AND CRIME COMMISSIONER", "8 WORK PROGRAMME"]


def test_web_minutes_with_item_numbers_on_their_own_lines():
    doc = parse(PAPERS / "web_minutes.txt")
    assert doc.kind == "minutes" and doc.date == "2024-02-09"
    assert doc.panel == "Northshire and Eastfield PCP"
    assert [s.label for s in doc.sections][1:] == ["1 APOLOGIES FOR ABSENCE", "5.2 Update on the Police and Crime Plan"]
    [pair] = doc.qa
    assert pair.section == "5.2 Update on the Police and Crime Plan"
    assert pair.answered_by == "PCC" and pair.answer.startswith("The Police and Crime Commissioner advised")


def test_questions_to_the_commissioner_labelled_and_attributed_in_brackets():
    # 'Question N: ... (Cllr X – District)' then the answer in prose; also unlabelled '...? (Mr X – Place)'
    doc = parse(PAPERS / "questions_to_commissioner.txt")
    assert doc.kind == "minutes" and doc.date == "2024-02-06" and doc.panel == "Westshire and Dale PCP"
    assert [s.number for s in doc.sections if s.number] == ["331", "332", "333", "334"]
    rural, supplementary, waits, survey, pcsos, counter = doc.qa
    assert rural.asked_by == "Cllr P Singh (Dalesford District Council)" and rural.answered_by == "PCC"
    assert rural.question.startswith("How many of the new neighbourhood officers") and "(Cllr" not in rural.question
    assert rural.answer.startswith("The Commissioner explained that 40 of the 120") and "supplementary" not in rural.answer
    assert supplementary.asked_by == "Cllr Singh" and supplementary.undertakings
    assert waits.asked_by == "Mr T Oduya (Independent Member)"
    assert waits.undertakings == ["He would provide a verbal update at the next meeting."]
    assert survey.answered_by == "Deputy PCC" and "RESOLVED" not in survey.answer
    assert pcsos.asked_by == "Mrs J Carter (Hillbrook resident)" and pcsos.section == "333 Public Questions"
    assert counter.question == "Why has the Eastgate front counter closed on Saturdays?"
    assert "Decisions" not in counter.answer  # the next item does not bleed into the answer


def test_printed_minutes_with_item_stamps_keep_the_minute_numbers():
    # ModernGov printed minutes: '326. Minutes of the meeting held on <previous date>' over '(Item 3)'
    doc = parse(PAPERS / "item_stamped_minutes.txt")
    assert doc.kind == "minutes" and doc.date == "2024-02-06"  # not the previous meeting's date
    assert doc.panel == "Northfold and Dale PCP" and doc.title == "Minutes, Northfold and Dale PCP, 6 Feb 2024"
    assert [s.label for s in doc.sections if s.number] == [
        "325 Apologies and Substitutes", "326 Minutes of the meeting held on 21 November 2023",
        "327 Questions to the Commissioner", "328 Future work programme"]
    [pair] = doc.qa
    assert pair.asked_by == "Cllr B Shah (Northfold District Council)" and pair.section == "327 Questions to the Commissioner"
    assert pair.answer == "The Commissioner said that a dedicated retail crime team had been formed in October."


def test_a_heading_date_whose_weekday_is_wrong_is_not_the_meeting_date(tmp_path):
    from pcp_search.parse.dates import weekday_conflicts

    assert weekday_conflicts("Friday 05 March 2026") and not weekday_conflicts("Friday 5 June 2026")
    paper = _write(tmp_path / "2026-06-05_public-questions.txt",
                   "Public Questions and Mayor's Responses\nFriday 05 March 2026\n\nQuestion 1 – A Person\n"
                   "Will the buses run on Sundays?\nMayor's Response:\nYes, from May.\n")
    assert parse(paper).date == "2026-06-05"  # a typo in the heading; the file name carries the meeting date
