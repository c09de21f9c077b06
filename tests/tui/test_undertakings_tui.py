"""The TUI's Undertakings view and briefing export, driven with Pilot as a member would."""

from pcp_search.tui.app import make_app
from pcp_search.tui.screens import DocumentScreen, UndertakingsScreen


async def _search(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause(0.3)
    await pilot.app.workers.wait_for_complete()
    await pilot.press("enter")  # from the box to the results


async def test_u_lists_the_promises_on_the_query_and_enter_opens_one(seed_index):
    app = make_app(seed_index)
    async with app.run_test(size=(100, 32)) as pilot:
        await _search(pilot, "unauthorised encampments")
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert isinstance(app.screen, UndertakingsScreen)
        texts = [u.text for u in app.screen.items]
        assert any("agreed to circulate the updated protocol" in t for t in texts), texts
        assert "27 Jan 2023" in str(app.screen.query_one("#undertaking-detail").render()) or not app.screen.items[0].date
        first = app.screen.items[0]
        await pilot.press("c")
        assert app.last_copied.startswith(first.citation) and first.text in app.last_copied
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, DocumentScreen) and app.screen.hit.record["id"] == first.id
        await pilot.press("escape", "escape")
        assert not isinstance(app.screen, (DocumentScreen, UndertakingsScreen))


async def test_b_saves_the_current_query_as_a_briefing(seed_index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(seed_index)
    async with app.run_test(size=(100, 32)) as pilot:
        await _search(pilot, "unauthorised encampments")
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
    path = tmp_path / "brief-unauthorised-encampments.md"
    assert app.last_brief == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Briefing: unauthorised encampments")
    assert "agreed to circulate the updated protocol" in text and "27 Jan 2023" in text
