"""Panels in a member's words: 'on the Thames Valley panel' scopes the search to that panel's papers (a
filter, with a note), 'in Thames Valley' favours them (a boost, with a note); a force or a panel the index
does not hold is left as words."""

import json
import shutil

import pytest

from pcp_search.query import plan_query
from pcp_search.spec import Filters
from tests.conftest import SEEDS

PANELS = {"thames valley": "Thames Valley PCP", "surrey": "Surrey PCP", "kent and medway": "Kent and Medway PCP"}


def plan(text: str, filters: Filters | None = None):
    """The query understood on an index holding the papers of three panels."""
    return plan_query(text, filters=filters, panels=[*PANELS.values(), "Surrey Police and Crime Panel Annual Report"])


@pytest.mark.parametrize("text, kept, place", [
    ("knife crime and stop and search on the Thames Valley panel", "knife crime and stop and search", "Thames Valley"),
    ("drones Surrey's panel", "drones", "Surrey"),
    ("the Kent and Medway PCP rural crime", "rural crime", "Kent and Medway"),
    ("the Thames Valley Police and Crime Panel budget scrutiny", "budget scrutiny", "Thames Valley"),
    ("vetting at the Thames Valley Police panel", "vetting", "Thames Valley"),
])
def test_a_phrase_naming_a_panel_is_a_panel_filter_with_a_note(text, kept, place):
    found = plan(text)
    assert found.text == kept
    assert found.filters.panels == [place]
    assert found.worded_panels == []
    assert any(note.startswith("read '") and f"as a panel: searched only the papers of {PANELS[place.lower()]}" in note
               for note in found.notes), found.notes


def test_the_note_names_every_panel_the_filter_takes():
    found = plan_query("buses on the West of England panel", panels=[
        "West of England Combined Authority Committee", "West of England Combined Authority Overview & Scrutiny Committee",
        "Joint meeting - West of England Combined Authority Committee", "Thames Valley PCP"])
    assert found.filters.panels == ["West of England"]
    assert found.notes == ["read 'on the West of England panel' as a panel: searched only the papers of West of England "
                           "Combined Authority Committee and 1 other beginning 'West of England'"]


def test_a_question_about_a_panel_keeps_only_its_subject():
    found = plan("what did Surrey's panel say about drones?")
    assert found.filters.panels == ["Surrey"] and found.text == "drones"


def test_in_a_panels_place_favours_its_papers_and_keeps_the_words():
    found = plan("precept in Thames Valley")
    assert found.text == "precept in Thames Valley"
    assert found.filters.panels == [] and found.favoured_panels == ["Thames Valley"]
    assert any("papers of Thames Valley PCP ranked higher" in note for note in found.notes), found.notes


@pytest.mark.parametrize("text", [
    "Thames Valley Police funding",  # the force, the subject of the search
    "stop and search in Thames Valley Police",
    "the Thames Valley budget",
    "knife crime on the Essex panel",  # no such panel in the index
    "the scrutiny panel",  # not a place
    "Pensions Advisory Panel membership",
    "the panel's work programme",
])
def test_a_force_a_subject_or_a_panel_the_index_lacks_stays_words(text):
    found = plan(text)
    assert found.text == text
    assert found.filters.panels == [] and found.favoured_panels == []
    assert found.worded_panels is None
    assert not any("panel" in note for note in found.notes), found.notes


# -- typed in lower case, as members type in a terminal ------------------------------------------------
# Held panels whose names begin with ordinary words, so that reading those words as a place would go wrong.
LOOK_ALIKES = ["Crime and Justice Transparency Sector Panel - meeting", "Response and Resilience Panel",
               "Practice Review Panel", "Reading Borough Council"]


def plan_lower(text: str):
    """The query understood on an index holding the three panels and the look-alikes."""
    return plan_query(text, panels=[*PANELS.values(), *LOOK_ALIKES])


@pytest.mark.parametrize("text, kept, place, said", [
    ("knife crime on the thames valley panel", "knife crime", "thames valley", "on the thames valley panel"),
    ("what did the pcc say about knife crime on the thames valley panel", "knife crime", "thames valley",
     "on the thames valley panel"),
    ("surrey pcp precept", "precept", "surrey", "surrey pcp"),
    ("what did surrey's panel say about drones?", "drones", "surrey", "surrey's panel"),
    ("Surrey's panel on drones", "on drones", "surrey", "Surrey's panel"),
    ("the kent and medway pcp rural crime", "rural crime", "kent and medway", "the kent and medway pcp"),
    ("rural crime kent and medway panel", "rural crime", "kent and medway", "kent and medway panel"),
    ("budget scrutiny at the thames valley police and crime panel", "budget scrutiny", "thames valley",
     "at the thames valley police and crime panel"),
    ("vetting at the thames valley police panel", "vetting", "thames valley", "at the thames valley police panel"),
    ("crime and justice transparency sector panel open data", "open data", "crime and justice transparency sector",
     "crime and justice transparency sector panel"),
])
def test_a_panel_named_in_lower_case_is_a_panel_filter_keeping_the_subject(text, kept, place, said):
    found = plan_lower(text)
    assert found.text == kept
    assert [p.lower() for p in found.filters.panels] == [place]
    assert found.worded_panels == []
    assert [note for note in found.notes if "as a panel" in note] == [
        f"read '{said}' as a panel: searched only the papers of "
        + {"thames valley": "Thames Valley PCP", "surrey": "Surrey PCP", "kent and medway": "Kent and Medway PCP",
           "crime and justice transparency sector": LOOK_ALIKES[0]}[place]], found.notes


@pytest.mark.parametrize("text", [
    "crime panel",  # a subject word, though a held panel's name begins with it
    "knife crime and the panel",
    "what did this panel say about drones",
    "police and crime panel",
    "the police and crime panel budget",
    "response panel membership",
    "reading panel",  # an ordinary word, though also a held council's place
    "Crime panel membership",  # the capital of a query's first word says nothing
    "knife crime on the essex panel",  # no such panel in the index
    "the panel's work programme",
])
def test_lower_case_words_that_name_no_held_place_are_no_panel(text):
    found = plan_lower(text)
    assert found.filters.panels == [] and found.favoured_panels == []
    assert found.worded_panels is None
    assert not any("as a panel" in note or "as a place" in note for note in found.notes), found.notes


@pytest.mark.parametrize("text, place, said, name", [
    ("precept in thames valley", "thames valley", "in thames valley", "Thames Valley PCP"),
    ("rural crime in the kent and medway area", "kent and medway", "in the kent and medway", "Kent and Medway PCP"),
    ("drones in surrey", "surrey", "in surrey", "Surrey PCP"),  # one word: a county, no ordinary word
])
def test_a_panels_place_in_lower_case_favours_its_papers(text, place, said, name):
    found = plan_lower(text)
    assert found.text == text and found.filters.panels == []
    assert [p.lower() for p in found.favoured_panels] == [place]
    assert f"read '{said}' as a place: papers of {name} ranked higher" in found.notes, found.notes


@pytest.mark.parametrize("text", [
    "knife crime in crime figures",
    "delays in response times",
    "what happens in practice",
    "traveller sites in reading",  # 'reading' is an ordinary word as well as a place
    "the precept in thames",  # the first word of a panel's place, not its place
    "stop and search in thames valley police",  # the force
])
def test_ordinary_words_after_in_favour_no_panel(text):
    found = plan_lower(text)
    assert found.favoured_panels == [] and found.filters.panels == []
    assert not any("as a place" in note for note in found.notes), found.notes


def test_a_capitalised_place_that_is_also_a_word_is_still_a_place():
    assert plan_lower("traveller sites in Reading").favoured_panels == ["Reading"]


@pytest.mark.parametrize("text", ["thames valley police funding", "stop and search in thames valley police",
                                  "the thames valley budget", "surrey police precept"])
def test_a_force_in_lower_case_stays_words(text):
    found = plan_lower(text)
    assert found.text == text
    assert found.filters.panels == [] and found.favoured_panels == [] and found.notes == []


def test_panel_filter_in_the_query_syntax():
    found = plan("panel:Surrey drones")
    assert found.filters.panels == ["Surrey"] and found.text == "drones" and found.worded_panels is None
    found = plan('panel:"Thames Valley PCP" drones')
    assert found.filters.panels == ["Thames Valley PCP"]
    found = plan("panel:Essex drones")
    assert found.filters.panels == [] and found.text == "drones"
    assert any("no panel called 'Essex'" in note for note in found.notes), found.notes


def test_a_typed_panel_filter_wins_over_words():
    found = plan("panel:Surrey knife crime on the Thames Valley panel")
    assert found.filters.panels == ["Surrey"]
    assert found.text == "knife crime on the Thames Valley panel"


def test_a_date_and_a_panel_in_one_phrase():
    found = plan("the February 2024 precept meeting of the Thames Valley panel")
    assert found.filters.since == "2024-02-01" and found.filters.panels == ["Thames Valley"]
    assert found.text == "precept meeting"


def test_without_the_index_panels_nothing_is_read_as_a_panel():
    found = plan_query("knife crime on the Thames Valley panel")
    assert found.filters.panels == [] and found.text == "knife crime on the Thames Valley panel"


# -- on an index of two panels ---------------------------------------------------------------------------
SURREY_MINUTES = """Surrey Police and Crime Panel

Minutes of the meeting held on Thursday 14 March 2024

12. Commissioner's update

The Commissioner reported on rural crime and the new drone unit. Members asked about stop and search
in the county's market towns; the Commissioner said a written answer would follow.

13. Precept monitoring

The Chief Finance Officer presented the precept monitoring report for the quarter.
"""


@pytest.fixture(scope="module")
def two_panels(tmp_path_factory):
    """The seed papers (Thames Valley PCP) and one paper of Surrey's panel."""
    from pcp_search.indexer import index_paths
    from pcp_search.search import SearchService

    folder = tmp_path_factory.mktemp("panels")
    corpus = folder / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "surrey_minutes_2024-03-14.txt").write_text(SURREY_MINUTES, encoding="utf-8")
    (corpus / "surrey_minutes_2024-03-14.txt.meta.json").write_text(json.dumps({"panel": "Surrey PCP"}), encoding="utf-8")
    index_paths([corpus], folder / "index", workers=1)
    return SearchService(folder / "index")


def test_a_worded_panel_filters_the_search_to_its_papers(two_panels):
    result = two_panels.search("stop and search on the Surrey panel")
    assert result.total and {hit.record["panel"] for hit in result.hits} == {"Surrey PCP"}
    assert any("searched only the papers of Surrey PCP" in note for note in result.notes), result.notes
    everywhere = two_panels.search("stop and search")
    assert {hit.record["panel"] for hit in everywhere.hits} != {"Surrey PCP"}


def test_a_panel_typed_in_lower_case_filters_the_search_to_its_papers(two_panels):
    result = two_panels.search("stop and search on the surrey panel")
    assert result.total and {hit.record["panel"] for hit in result.hits} == {"Surrey PCP"}
    assert "read 'on the surrey panel' as a panel: searched only the papers of Surrey PCP" in result.notes


def test_a_panel_with_nothing_on_the_subject_falls_back_to_every_panel(two_panels):
    result = two_panels.search("Atlantic House on the Surrey panel")
    assert result.total and result.hits[0].record["panel"] == "Thames Valley PCP"
    assert any("searched every panel instead" in note for note in result.notes), result.notes


def test_in_a_panels_place_ranks_its_papers_first(two_panels):
    plain = two_panels.search("stop and search")
    assert plain.hits[0].record["panel"] != "Surrey PCP"  # (what the boost has to overcome)
    favoured = two_panels.search("stop and search in Surrey")
    assert favoured.hits[0].record["panel"] == "Surrey PCP"
    assert favoured.total >= plain.total


def test_the_force_is_not_the_panel(two_panels):
    result = two_panels.search("Thames Valley Police stop and search")
    assert not any("panel" in note for note in result.notes), result.notes
    assert "Surrey PCP" not in {hit.record["panel"] for hit in result.hits[:3]}


def test_panel_filter_typed(two_panels):
    result = two_panels.search("panel:surrey precept")
    assert result.total and {hit.record["panel"] for hit in result.hits} == {"Surrey PCP"}


def test_a_meeting_named_by_its_business_finds_that_item(service):
    """'the precept meeting', 'the confirmation hearing': the item's title holds the words, so a word search finds it."""
    assert "PRECEPT" in service.search("the precept meeting").hits[0].record["section"]
    top = service.search("the confirmation hearing").hits[0].record
    assert "confirmation hearing" in top["text"].lower()


def test_a_panel_filter_is_the_index_panels_named_so_and_nothing_on_an_older_index():
    from whoosh import query as Q
    from whoosh.fields import ID, Schema
    from whoosh.filedb.filestore import RamStorage

    from pcp_search.engine.reading import filter_query

    def reader(**fields):
        index = RamStorage().create_index(Schema(id=ID, **{name: ID for name in fields}))
        with index.writer() as writer:
            writer.add_document(id="1", **fields)
        return index.reader()

    wanted = Filters(panels=["surrey"])
    assert filter_query(wanted, reader(panel="Surrey PCP")) == Q.Or([Q.Term("panel", "Surrey PCP")])
    assert filter_query(wanted, reader(panel="East Surrey Council")) is Q.NullQuery
    assert filter_query(wanted, reader()) is Q.NullQuery  # (no panel field: built before records had one)


def test_a_worded_date_and_panel_with_nothing_fall_back_one_after_the_other(two_panels):
    result = two_panels.search("Atlantic House in 2009 on the Surrey panel")
    assert result.total and result.hits[0].record["panel"] == "Thames Valley PCP"
    assert [note for note in result.notes if "instead" in note] == [
        "nothing dated then; searched every date instead", "nothing in those papers; searched every panel instead"]


@pytest.mark.parametrize("text", ["precept in Surrey Heath", "funding in Thames Ditton", "buses in Kent Street"])
def test_a_panels_first_word_going_on_into_another_place_name_is_no_place(text):
    found = plan(text)
    assert found.favoured_panels == [] and not any("as a place" in note for note in found.notes), found.notes


def test_a_query_that_is_only_a_panels_name_searches_for_it_in_its_papers():
    found = plan("the Thames Valley Police and Crime Panel")
    assert found.filters.panels == ["Thames Valley"]
    assert "Thames Valley" in found.text  # (not an empty search over the panel's whole archive)
