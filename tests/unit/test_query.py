"""Query understanding: acronyms both ways, members' words, numbers and compounds reach the papers' terms."""

from pcp_search.entities.registry import EntityEntry, Registry
from pcp_search.query import plan_query


def registry() -> Registry:
    return Registry([
        EntityEntry(id="acronym:vawg", label="ACRONYM", name="Violence Against Women and Girls", aliases=["VAWG"]),
        EntityEntry(id="programme:cip", label="PROGRAMME", name="Citizens in Policing", aliases=["CiP"]),
        EntityEntry(id="acronym:tcr", label="ACRONYM", name="Transport for City Regions",
                    aliases=["TCR", "Transport for City Region"]),
    ])


def test_an_acronym_reaches_its_long_form_as_all_its_words():
    assert "(Violence AND Against AND Women AND and AND Girls)" in plan_query("VAWG funding", registry()).boolean


def test_a_mixed_case_acronym_is_expanded():
    assert "(Citizens AND in AND Policing)" in plan_query("CiP volunteers", registry()).boolean


def test_a_long_form_reaches_its_acronym_and_forms_the_index_cannot_tell_apart_come_once():
    boolean = plan_query("Transport for City Regions budget", registry()).boolean
    assert "TCR" in boolean and "Region)" not in boolean


def test_members_words_reach_the_papers_terms():
    assert "officers" in plan_query("bobbies", registry()).boolean
    assert "cctv" in plan_query("cameras in town", registry()).boolean
    assert "(front AND counter)" in plan_query("cop shop closures", registry()).boolean


def test_number_words_and_compounds():
    assert "(ten OR 10)" in plan_query("ten pounds", registry()).boolean
    assert "reoffending" in plan_query("re-offending rates", registry()).boolean


def test_ordinary_words_are_left_alone():
    assert plan_query("grass cutting", registry()).boolean == "grass cutting"


def test_dates_in_words_become_a_date_filter_with_a_note():
    import datetime as dt

    from pcp_search.query import dates_in_words
    from pcp_search.spec import Filters

    for text, kept, since, until in [
        ("airport tram in March 2026", "airport tram", "2026-03-01", "2026-03-31"),
        ("the abbey hotel last October", "the abbey hotel", "2025-10-01", "2025-10-31"),
        ("the 2009 audit committee", "the audit committee", "2009-01-01", "2009-12-31"),
        ("vetting since 2019", "vetting", "2019-01-01", None),
        ("the 2017/18 budget", "the 2017/18 budget", None, None),
    ]:
        filters, notes = Filters(), []
        assert dates_in_words(text, filters, notes, today=dt.date(2026, 6, 1)) == kept
        assert (filters.since, filters.until) == (since, until)
        assert bool(notes) == bool(since)


def test_a_correction_never_drops_a_negation():
    from pcp_search.search import _drops_negation

    assert _drops_negation("unanswered", "answered")
    assert not _drops_negation("answerd", "answered")


def test_answer_sentences_are_never_cut_or_spliced_at_pdf_line_breaks():
    from pcp_search.ask import _stems, best_sentences

    text = ("The PCC replied that the\nprevious contractor had gone into receivership. There had been no\n"
            "financial loss to TVP.\n\n- Improvements to the quality of updates\n- Two-way communication")
    found = best_sentences(text, _stems("contractor receivership financial loss"))
    assert found == ["The PCC replied that the previous contractor had gone into receivership.",
                     "There had been no financial loss to TVP."]


def test_a_negated_filter_is_left_out_with_a_note_never_applied():
    from pcp_search.entities.registry import gazetteer

    plan = plan_query('precept -force:TVP -panel:"Thames Valley" -kind:qa', gazetteer())
    assert plan.filters.entity_ids == [] and plan.filters.panels == [] and plan.filters.kinds == []
    assert plan.text == "precept"
    assert sum("a filter cannot be excluded" in note for note in plan.notes) == 3, plan.notes
