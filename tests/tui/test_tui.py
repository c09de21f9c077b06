"""The TUI as a member uses it, driven with Textual's Pilot, plus snapshots of the main screens."""


import pytest

from pcp_search.search import SearchService
from pcp_search.tui.app import make_app
from pcp_search.tui.screens import DocumentScreen, HelpScreen, HitListScreen, timeline_chart
from pcp_search.tui.widgets import FilterPanel


def screen_rows(app) -> list[str]:
    """The text of each row of the screen as shown now."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def type_query(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause(0.3)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


async def test_atlantic_house_answer_with_date_and_minute(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(100, 32)) as pilot:
        await type_query(pilot, "Atlantic House")
        top = app.hits[0].record
        assert "gone into receivership" in top["answer"]
        detail = str(app.query_one("#detail").render())
        assert "27 Jan 2023" in detail and "minute 49/23" in detail and "receivership" in detail
        await pilot.press("enter")  # from the box to the results
        assert app.focused.id == "results"
        await pilot.press("enter")  # open the full section
        await pilot.pause(0.1)
        assert isinstance(app.screen, DocumentScreen)
        assert "Atlantic House" in str(app.screen.query_one("#doc-section").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, DocumentScreen)
        await pilot.press("slash")
        assert app.focused.id == "query"


async def test_arrows_move_and_the_detail_follows(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(100, 32)) as pilot:
        await type_query(pilot, "CCTV")
        await pilot.press("enter", "down")
        second = app.hits[1].record["id"]
        assert app.current_hit().record["id"] == second
        assert second in str(app.query_one("#detail").render())


async def test_filter_by_an_entity_from_the_facets(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(120, 32)) as pilot:
        await type_query(pilot, "CCTV")
        before = app.total
        await pilot.press("enter", "f")
        panel = app.query_one(FilterPanel)
        assert not panel.has_class("hidden") and app.focused is panel
        option_ids = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
        slough = option_ids.index("entities\x1fcouncil:slough")
        panel.highlighted = slough
        await pilot.press("enter")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert app.filters == {("entities", "council:slough")}
        assert 0 < app.total < before
        assert all(any(e["id"] == "council:slough" for e in h.record["entities"]) for h in app.hits)
        assert "entity:Slough Borough Council ✕" in str(app.query_one("#status").render())  # a name, not an id
        await pilot.press("x")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert app.filters == set() and app.total == before
        labels = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert any(label.startswith("  Slough Borough Council (council)") for label in labels), labels


async def test_typing_in_the_results_goes_to_the_search_box(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(100, 32)) as pilot:
        await type_query(pilot, "CCTV")
        await pilot.press("enter")
        assert app.focused.id == "results"
        await pilot.press("space", "S", "l", "o", "u", "g", "h")
        assert app.focused.id == "query"
        assert app.query_one("#query").value == "CCTV Slough"
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert app.shown_query == "CCTV Slough"


async def test_copy_citation_similar_timeline_help_and_quit(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(100, 32)) as pilot:
        await type_query(pilot, "Atlantic House")
        await pilot.press("enter", "c")
        assert app.last_copied.startswith("PCC, Thames Valley PCP, 27 Jan 2023, minute 49/23")
        assert "receivership" in app.last_copied
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert isinstance(app.screen, HitListScreen) and app.screen.hits
        assert all(h.record["id"] != app.hits[0].record["id"] for h in app.screen.hits)
        await pilot.press("escape", "t")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert isinstance(app.screen, HitListScreen)
        assert "2023" in str(app.screen.query_one("#chart").render())
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+q")
    assert app.return_code in (0, None)


async def test_missing_index_says_how_to_build_it(tmp_path):
    app = make_app(tmp_path / "none")
    async with app.run_test(size=(100, 30)) as pilot:
        text = str(app.query_one("#detail").render())
        assert "pcp-search index" in text
        await pilot.press(*"MASH")
        await pilot.pause(0.3)
        assert app.hits == []


class BrokenService(SearchService):
    def search(self, *args, **kwargs):
        raise RuntimeError("the index is corrupt")


async def test_search_errors_are_notifications_not_crashes(seed_index):
    app = make_app(seed_index, service=BrokenService(seed_index))
    async with app.run_test(size=(100, 30)) as pilot:
        await type_query(pilot, "MASH")
        messages = [n.message for n in app._notifications]
        assert any("the index is corrupt" in m for m in messages)


class SlowService(SearchService):
    def search(self, *args, **kwargs):
        import time

        time.sleep(0.6)
        return super().search(*args, **kwargs)


async def test_a_slow_search_says_searching_and_a_quick_one_does_not(seed_index):
    def status(app) -> str:
        return str(app.query_one("#status").render())

    app = make_app(seed_index, service=SlowService(seed_index))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"MASH")
        await pilot.pause(0.4)
        assert "searching" in status(app)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert "searching" not in status(app) and app.shown_query == "MASH"
    app = make_app(seed_index)
    async with app.run_test(size=(100, 30)) as pilot:
        seen = []
        await pilot.press(*"MASH")
        for _ in range(20):
            seen.append("searching" in status(app))
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert app.shown_query == "MASH" and not any(seen)


async def test_the_filter_panel_opens_focused_on_a_value_with_human_names(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "Atlantic House")
        await pilot.press("enter", "f")
        panel = app.query_one(FilterPanel)
        assert app.focused is panel and panel.highlighted is not None
        assert panel.get_option_at_index(panel.highlighted).id.startswith("entities\x1f")
        labels = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert "Kind" in labels and "  Q&A 2" in labels
        assert not any(":" in label.split(" (")[0] for label in labels)  # no raw ids such as programme:mash
        assert not app.query_one("#detail-scroll").display  # at 80 columns the panel takes the detail's place
        await pilot.press("enter")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert app.filters and panel.highlighted is not None


async def test_did_you_mean_is_under_the_box_and_follows_the_query(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "Atlantc House")
        notes = app.query_one("#query-notes")
        assert notes.display and "Did you mean Atlantic House?" in str(notes.render())
        assert notes.region.y == app.query_one("#query").region.bottom  # right under the search box
        assert not [n for n in app._notifications if "Did you mean" in n.message]
        await pilot.press(*["backspace"] * 13)
        await type_query(pilot, "Atlantic House")
        assert not notes.display  # never stale


async def test_one_hit_is_one_hit(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "receivership")
        assert app.total == 1 and " 1 hit " in str(app.query_one("#status").render())


async def test_the_timeline_keeps_undated_hits(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "HMIC")
        await pilot.press("enter", "t")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert isinstance(app.screen, HitListScreen)
        chart = str(app.screen.query_one("#chart").render())
        assert "undated" in chart
        assert any(not h.record.get("date") for h in app.screen.hits)
        assert "hits, oldest first" in app.screen.heading


def test_the_timeline_chart_counts_undated_and_says_one_hit():
    chart = str(timeline_chart({"2023": 1}, [{"date": "2023-01-27", "count": 1, "results": []},
                                            {"date": None, "count": 2, "results": []}]))
    assert "2023 " in chart and "undated " in chart and "undated (2)" in chart


async def test_kinds_have_human_names(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(120, 30)) as pilot:
        await type_query(pilot, "Crimefighters")
        prompts = [str(app.query_one("#results").get_option_at_index(i).prompt) for i in range(len(app.hits))]
        assert all(p.startswith((" Q&A ", " Agenda pack ", " Report ", " Minutes ", " Agenda ")) for p in prompts), prompts
        assert not any(" TXT " in p or "passage" in p.split("\n")[0] for p in prompts)


async def test_the_document_view_scrolls_to_and_marks_the_matched_sentence(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "stop and search")
        await pilot.press("enter", "enter")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, DocumentScreen)
        start, end = screen.matched_span()
        sentence = screen.section_text[start:end]
        assert "stop and search" in sentence.lower().replace("\n", " ")
        body = screen.query_one("#doc-body")
        assert body.scroll_y > 0  # moved down to it
        section = screen.query_one("#doc-section")
        rendered = section.render()
        assert any(span.start <= start < span.end and "on" in str(span.style) for span in rendered.spans)
        rows = screen_rows(app)
        assert any(" ".join(sentence.split()[:4]) in row for row in rows), rows


async def test_similar_questions_show_no_markers(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "Atlantic House")
        await pilot.press("enter", "s")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert isinstance(app.screen, HitListScreen)
        hit_list = app.screen.query_one("#hit-list")
        prompts = [str(hit_list.get_option_at_index(i).prompt) for i in range(hit_list.option_count)]
        assert prompts and not any("**" in p for p in prompts)
        await pilot.press("enter")  # opens the highlighted question's section
        await pilot.pause(0.2)
        assert isinstance(app.screen, DocumentScreen)


async def test_help_fits_80x24_and_the_footer_shows_every_hint(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "Atlantic House")
        await pilot.press("enter")
        footer = screen_rows(app)[-1]
        for hint in ("/ Search", "f Filters", "s Similar", "t Timeline", "c Copy", "F1 Help", "^q Quit", "^p"):
            assert hint in footer, (hint, footer)
        await pilot.press("f1")
        box = app.screen.query_one("#help-box")
        assert 0 <= box.region.x and box.region.right <= 80 and 0 <= box.region.y and box.region.bottom <= 24
        assert box.virtual_size.height <= box.region.height or box.allow_vertical_scroll


async def test_the_search_box_footer_says_how_to_reach_the_results(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "Atlantic House")
        footer = screen_rows(app)[-1]
        assert "↓ Results" in footer and "F1 Help" in footer
        await pilot.press("down")
        assert app.focused.id == "results"


async def test_the_palette_has_no_duplicate_entries(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(80, 24)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles)) and "Keys" in titles


# -- snapshots at 80x24 and 200x50 (reviewed as diffs of their text rows; `pytest --snapshot-update`) ------
SIZES = [(80, 24), (200, 50)]


async def _search_atlantic(pilot):
    await type_query(pilot, "Atlantic House")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
def test_snapshot_results(snap_compare, seed_index, size):
    assert snap_compare(make_app(seed_index), terminal_size=size, run_before=_search_atlantic)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
def test_snapshot_document_view(snap_compare, seed_index, size):
    async def open_first(pilot):
        await type_query(pilot, "stop and search")
        await pilot.press("enter", "enter")
        await pilot.pause(0.3)

    assert snap_compare(make_app(seed_index), terminal_size=size, run_before=open_first)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
def test_snapshot_help(snap_compare, seed_index, size):
    assert snap_compare(make_app(seed_index), terminal_size=size, press=["f1"])


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
def test_snapshot_filters(snap_compare, seed_index, size):
    async def open_filters(pilot):
        await type_query(pilot, "CCTV")
        await pilot.press("enter", "f")
        await pilot.pause(0.2)

    assert snap_compare(make_app(seed_index), terminal_size=size, run_before=open_filters)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
def test_snapshot_timeline(snap_compare, seed_index, size):
    async def open_timeline(pilot):
        await type_query(pilot, "HMIC")
        await pilot.press("enter", "t")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.3)

    assert snap_compare(make_app(seed_index), terminal_size=size, run_before=open_timeline)


def test_snapshot_did_you_mean_80x24(snap_compare, seed_index):
    assert snap_compare(make_app(seed_index), terminal_size=(80, 24), run_before=lambda pilot: type_query(pilot, "Atlantc House"))


async def test_question_mark_types_in_the_box_and_f1_opens_help(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert app.query_one("#query").value == "?"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


def test_snapshot_missing_index(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a fixed relative path renders the same on every machine
    assert snap_compare(make_app("no-index-here"), terminal_size=(80, 24))
