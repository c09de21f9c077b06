"""The TUI as a member uses it, driven with Textual's Pilot, plus snapshots of the main screens."""


from pcp_search.search import SearchService
from pcp_search.tui.app import make_app
from pcp_search.tui.screens import DocumentScreen, HelpScreen, HitListScreen
from pcp_search.tui.widgets import FilterPanel


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
        assert any(label.startswith("  entity: Slough Borough Council (council)") for label in labels)


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


# -- snapshots (reviewed as SVG diffs; `pytest --snapshot-update` rewrites them) -------------------------
async def _search_atlantic(pilot):
    await type_query(pilot, "Atlantic House")


def test_snapshot_results_80x24(snap_compare, seed_index):
    assert snap_compare(make_app(seed_index), terminal_size=(80, 24), run_before=_search_atlantic)


def test_snapshot_document_view(snap_compare, seed_index):
    async def open_first(pilot):
        await _search_atlantic(pilot)
        await pilot.press("enter", "enter")
        await pilot.pause(0.2)

    assert snap_compare(make_app(seed_index), terminal_size=(100, 30), run_before=open_first)


def test_snapshot_help(snap_compare, seed_index):
    assert snap_compare(make_app(seed_index), terminal_size=(100, 30), press=["f1"])


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
