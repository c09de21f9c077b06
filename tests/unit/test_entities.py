"""Entity tagging: one test per rule family, canonical ids, context rules, acronym learning, and the
hand-labelled sample's precision and recall per label."""

import pytest

from pcp_search.entities import acronyms, patterns
from pcp_search.entities.evaluate import evaluate, load_sample
from pcp_search.entities.phrases import Phrases
from pcp_search.entities.registry import gazetteer
from pcp_search.entities.tagger import Tagger
from tests.conftest import DATA, SEEDS


@pytest.fixture(scope="module")
def tagger():
    tagger = Tagger()
    for paper in sorted(SEEDS.glob("*.txt")):
        tagger.learn(paper.read_text(encoding="utf-8"))
    return tagger


def ids(tagger, text, **kw):
    return [(e.label, e.id, e.text) for e in tagger.tag(text, **kw)]


def test_aliases_are_one_entity(tagger):
    found = ids(tagger, "TVP and Thames Valley Police; the Met and Metropolitan Police Service.")
    assert [i for _, i, _ in found] == ["force:thames-valley", "force:thames-valley", "force:metropolitan", "force:metropolitan"]
    assert ids(tagger, "Hampshire and the Isle of Wight Constabulary")[0][1] == "force:hampshire"


def test_council_short_forms(tagger):
    text = "RBWM, West Berks, Bucks, MK and Oxon"
    assert [i for _, i, _ in ids(tagger, text)] == [
        "council:windsor-and-maidenhead", "council:west-berkshire", "council:buckinghamshire", "council:milton-keynes", "council:oxfordshire"]


def test_lower_case_place_words_are_not_councils(tagger):
    assert ids(tagger, "reading the report, the bucks stopped here") == []


def test_prevent_the_programme_not_the_verb(tagger):
    assert [i for _, i, _ in ids(tagger, "The Prevent strategy and Prevent referrals rose.")] == ["programme:prevent", "programme:prevent"]
    assert all(i != "programme:prevent" for _, i, _ in ids(tagger, "Funding to prevent violence against women"))
    assert all(i != "programme:prevent" for _, i, _ in ids(tagger, "Prevent crime where you can."))
    assert all(i != "programme:channel" for _, i, _ in ids(tagger, "crossing the English Channel by boat"))
    assert ("PROGRAMME", "programme:channel", "Channel") in ids(tagger, "referred to Channel and Prevent")


def test_plurals_map_to_the_same_entity(tagger):
    assert {i for _, i, _ in ids(tagger, "six MASHs and the MASH's work")} == {"programme:mash"}


def test_the_force_resolves_only_with_a_home_force(tagger):
    assert ("FORCE", "force:thames-valley", "Force") in ids(tagger, "the Force is recruiting", home_force="force:thames-valley")
    assert all(label != "FORCE" for label, _, _ in ids(tagger, "the Force is recruiting"))
    assert all(label != "FORCE" for label, _, _ in ids(tagger, "the Force Delivery Plan", home_force="force:thames-valley"))


def test_every_name_at_each_word_start_is_found_whole_words_only():
    phrases = Phrases()
    phrases.add("Kent Police", "FORCE", "force:kent", exact=False)
    phrases.add("Police and Crime Panel", "BODY", "body:pcp", exact=False)
    phrases.add("Kent", "COUNCIL", "council:kent", exact=False)
    phrases.add("MASH", "PROGRAMME", "programme:mash", exact=True)
    text = "KENT POLICE and Crime Panel; SMASH, MASHed and (MASH)-led"
    mash = text.index("(MASH)") + 1
    assert sorted(phrases.find(text)) == [(0, 4, "COUNCIL", "council:kent"), (0, 11, "FORCE", "force:kent"),
                                          (5, 27, "BODY", "body:pcp"), (mash, mash + 4, "PROGRAMME", "programme:mash")]
    assert phrases.find("mash") == []  # exact names keep their case
    assert phrases.find("Kent\nPolice") == [(0, 4, "COUNCIL", "council:kent")]  # the words of a name are one space apart
    assert sorted(phrases.find("İ Kent Police")) == [(2, 6, "COUNCIL", "council:kent"), (2, 13, "FORCE", "force:kent")]


def test_overlapping_names_the_longest_in_words_wins_then_the_earlier(tagger):
    found = ids(tagger, "Kent Police and Crime Commissioner")
    assert len(found) == 1 and found[0][2] == "Kent Police and Crime Commissioner"
    # a shorter name survives where the longest at its start loses to an overlapping longer one
    assert [i for _, i, _ in ids(tagger, "A report from the West Yorkshire Police and Crime Commissioner")] == [
        "council:west-yorkshire", "role:pcc"]
    # four words each: the earlier wins ('&' is one word, 'Somerset West & Taunton' is four)
    assert ids(tagger, "Avon and Somerset Police Community Support Officers")[0][1] == "force:avon-and-somerset"
    assert [i for _, i, _ in ids(tagger, "Bath and North East Somerset West & Taunton")] == ["council:bath-and-north-east-somerset"]


def test_rule_families_money_dates_percent():
    assert [m[2] for m in patterns.money("£15 (Band D), £613,800 and £4.1m")] == ["money:£15(BandD)", "money:£613,800", "money:£4.1m"]
    assert [d[2] for d in patterns.dates("Qtr. 3 of 2017/18, 24th March 2023")] == ["date:qtr-3", "date:2017-18", "date:24th-march-2023"]
    assert [p[2] for p in patterns.percents("up 12% or 3.5 per cent")] == ["percent:12%", "percent:3.5%"]


def test_operations_and_people_by_rule():
    ops = [o[2] for o in patterns.operations("Operation Bluebell and Project Startech then Operation Board")]
    assert ops == ["programme:operation-bluebell", "programme:project-startech"]
    people = [p[2] for p in patterns.people("Chief Superintendent Katy Barrow-Grint and Martin Thornley (Chief Finance Officer)")]
    assert people == ["person:katy-barrow-grint", "person:martin-thornley"]


def test_acronym_definitions_are_learned_both_ways():
    found = dict(acronyms.definitions("Multi-Agency Safeguarding Hubs (MASH) and CCMT (Chief Constables Management Team), not a (THING)"))
    assert found == {"MASH": "Multi-Agency Safeguarding Hubs", "CCMT": "Chief Constables Management Team"}


def test_learned_acronyms_merge_with_the_gazetteer():
    tagger = Tagger()
    tagger.learn("The Protecting Vulnerable People (PVP) unit works with the Multi-Agency Safeguarding Hubs (MASH).")
    assert "Multi-Agency Safeguarding Hubs" in tagger.registry.get("programme:mash").forms()
    pvp = tagger.registry.find("PVP")
    assert pvp.id == "acronym:pvp" and pvp.name == "Protecting Vulnerable People"
    assert [e.id for e in tagger.tag("PVP and Protecting Vulnerable People")] == ["acronym:pvp", "acronym:pvp"]


def test_mash_carries_its_expansion():
    assert "Multi-Agency Safeguarding Hub" in gazetteer().get("programme:mash").forms()


def test_hand_labelled_sample_precision_and_recall(tagger):
    report = evaluate(tagger, load_sample(DATA / "entities_sample.jsonl"), home_force="force:thames-valley")
    for label, r in report.items():
        assert r["tp"] >= 15, label  # the sample holds enough of each label to mean something
        assert r["precision"] >= 0.95, (label, r["errors"])
        assert r["recall"] >= 0.90, (label, r["errors"])
