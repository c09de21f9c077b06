"""`pcp-search fetch` as a user runs it: text or --json, exit codes, the sources file and --all."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pcp_search.cli import app
from tests.fetch.sites import moderngov_site

runner = CliRunner()


def test_fetch_json_names_the_dead_link_and_exits_1(site, tmp_path):
    moderngov_site(site)
    args = ["fetch", site.url("/ieListMeetings.aspx?CId=900&Year=0"), "--dest", str(tmp_path), "--delay", "0", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"downloaded", "unchanged", "failed"}
    assert len(data["downloaded"]) == 10 and data["unchanged"] == []
    assert data["failed"] == [{"url": site.url("/documents/s9999/Withdrawn%20report.pdf"), "title": "Withdrawn report",
                               "reason": "HTTP 404 Not Found"}]

    again = json.loads(runner.invoke(app, args).stdout)
    assert again["downloaded"] == [] and len(again["unchanged"]) == 10


def test_fetch_text_output(site, tmp_path):
    moderngov_site(site)
    result = runner.invoke(app, ["fetch", site.url("/ieListMeetings.aspx?CId=900&Year=0"), "--dest", str(tmp_path),
                                 "--delay", "0", "--since", "2026"])
    assert result.exit_code == 1
    assert "2 downloaded, 0 unchanged, 1 failed" in result.stdout
    assert "failed " + site.url("/documents/s9999/Withdrawn%20report.pdf") + ": HTTP 404 Not Found" in result.stderr


def test_fetch_all_reads_the_sources_file(site, tmp_path):
    moderngov_site(site)
    site.add("/papers.html", '<a href="documents/s1011/Agenda.pdf">Agenda 13 June 2025</a>')
    sources = tmp_path / "sources.toml"
    sources.write_text(f"""
[[source]]
name = "Panel"
url = "{site.url('/mgCommitteeDetails.aspx?ID=900')}"
dest = "panel"
service = false
since = "2025-09-01"
until = "2025-09-30"

[[source]]
url = "{site.url('/papers.html')}"
dest = "other"
""")
    result = runner.invoke(app, ["fetch", "--all", "--sources", str(sources), "--delay", "0", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["downloaded"]) == 5
    assert sorted(p.name for p in (tmp_path / "other").iterdir()) == ["2025-06-13_Agenda 13 June 2025.pdf",
                                                                     "2025-06-13_Agenda 13 June 2025.pdf.meta.json"]


def test_fetch_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["fetch"]).exit_code == 2
    result = runner.invoke(app, ["fetch", "file:///etc/passwd"])
    assert result.exit_code == 2 and "only http(s)" in result.stderr
    result = runner.invoke(app, ["fetch", "--all", "--sources", str(tmp_path / "none.toml")])
    assert result.exit_code == 2 and "no such file" in result.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nurl = "https://example.org/"\ncolour = "red"\n')
    result = runner.invoke(app, ["fetch", "--all", "--sources", str(bad)])
    assert result.exit_code == 2 and "unknown key 'colour'" in result.stderr
