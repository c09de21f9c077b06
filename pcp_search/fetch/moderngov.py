"""ModernGov sites: the web service (`mgWebService.asmx`: GetCommittees, GetMeetings, GetMeeting) where
it answers, else the page chain ieListMeetings -> ieListDocuments -> documents and inline minutes."""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from pcp_search.fetch.http import Client, FetchError, host_of, normalise_url
from pcp_search.fetch.naming import url_filename
from pcp_search.fetch.pages import document_papers, in_range, links, page_title, parse_html, text_of
from pcp_search.fetch.papers import Listing, Paper, expected_type
from pcp_search.parse.dates import find_date

PAGE = re.compile(r"^(?:ie|mg|ce)\w+\.aspx$", re.IGNORECASE)
MAX_LIST_PAGES = 50


class NoService(Exception):
    """The web service is off, missing, or answered with something other than its XML."""


@dataclass
class Meeting:
    url: str  # the meeting page (or the service's GetMeeting call)
    date: str | None
    id: str | None = None
    cancelled: bool = False


def is_moderngov(url: str) -> bool:
    """A ModernGov page (`ieListMeetings.aspx`, `mgCommitteeDetails.aspx`, `ieListDocuments.aspx`...)."""
    return bool(PAGE.match(url_filename(url) or ""))


def base_of(url: str) -> str:
    """The folder holding the .aspx pages and the web service (`https://host/moderngov`)."""
    parts = urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] if is_moderngov(url) else parts.path.rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _query(url: str) -> dict[str, str]:
    return {k.lower(): v for k, v in parse_qsl(urlsplit(url).query)}


def committee_id(url: str) -> str | None:
    query, page = _query(url), (url_filename(url) or "").lower()
    found = query.get("cid") or query.get("committeeid") or (query.get("id") if page == "mgcommitteedetails.aspx" else None)
    return found if found and found.isdigit() else None


def iso(ddmmyyyy: str | None) -> str | None:
    try:
        return dt.datetime.strptime((ddmmyyyy or "").strip(), "%d/%m/%Y").date().isoformat()
    except ValueError:
        return None


def ddmmyyyy(iso_date: str) -> str:
    return dt.date.fromisoformat(iso_date).strftime("%d/%m/%Y")


def list_moderngov(client: Client, url: str, committee: str | None = None, since: str | None = None,
                   until: str | None = None, service: bool = True) -> Listing:
    """The papers of one committee's meetings (within --since/--until)."""
    base = base_of(url)
    listing = Listing(site=host_of(url))
    wanted = committee if committee and not committee.isdigit() else None
    cid = committee if committee and committee.isdigit() else committee_id(url)
    if (url_filename(url) or "").lower() in ("ielistdocuments.aspx", "celistdocuments.aspx"):
        meeting = Meeting(url=normalise_url(url), date=None)
        _html_meeting(client, meeting, listing, None)
        return listing
    if service:
        try:
            committees = _service_committees(client, base)
            cid, listing.committee = _choose(committees, cid, wanted)
            return _via_service(client, base, cid, listing, since, until)
        except NoService as exc:
            listing.notes.append(f"web service not used ({exc}); reading the meeting pages")
    if cid is None and wanted:
        cid = _find_committee_page(client, base, wanted)
    if (url_filename(url) or "").lower() == "ielistmeetings.aspx":
        start = normalise_url(url)
    elif cid:
        start = f"{base}/ieListMeetings.aspx?CId={cid}&Year=0"
    else:
        raise FetchError(f"no committee in {url}: give --committee NAME or ID")
    _via_pages(client, start, listing, since, until)
    return listing


# -- the web service -----------------------------------------------------------------------------
def _call(client: Client, base: str, operation: str, root: str, retry: bool = True, **params) -> ET.Element:
    url = f"{base}/mgWebService.asmx/{operation}" + (f"?{urlencode(params)}" if params else "")
    try:
        page = client.page(url, retry=retry)
    except FetchError as exc:
        raise NoService(f"{operation}: {exc}") from None
    try:
        element = ET.fromstring(page.content)  # expat: no external entities, entity expansion bounded
    except ET.ParseError:
        raise NoService(f"{operation} did not answer XML") from None
    if element.tag.lower() != root:
        raise NoService(f"{operation} answered <{element.tag}>, not <{root}>")
    return element


def _text(element: ET.Element | None, name: str) -> str:
    found = element.find(name) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _service_committees(client: Client, base: str) -> dict[str, str]:
    root = _call(client, base, "GetCommittees", "committees", retry=False)  # a probe: a 5xx means "off"
    return {_text(c, "committeeid"): _text(c, "committeetitle") for c in root.iter("committee") if _text(c, "committeeid")}


def _choose(committees: dict[str, str], cid: str | None, wanted: str | None) -> tuple[str, str | None]:
    if cid:
        if cid not in committees:
            raise NoService(f"committee {cid} is not in its list")
        return cid, committees[cid]
    if wanted:
        matches = [(k, v) for k, v in committees.items() if wanted.lower() in v.lower()]
        if len(matches) == 1 or (matches and matches[0][1].lower() == wanted.lower()):
            return matches[0]
        if not matches:
            raise FetchError(f"no committee called {wanted!r} on this site")
        raise FetchError(f"{wanted!r} matches {len(matches)} committees: " + "; ".join(f"{k} {v}" for k, v in matches[:5]))
    raise FetchError("no committee given: add --committee NAME or ID")


def _via_service(client: Client, base: str, cid: str, listing: Listing, since, until) -> Listing:
    today = dt.date.today()
    start = since or "2000-01-01"
    end = until or today.replace(year=today.year + 2).isoformat()
    root = _call(client, base, "GetMeetings", "getmeetings", lCommitteeId=cid, sFromDate=ddmmyyyy(start), sToDate=ddmmyyyy(end))
    for element in root.iter("committee"):
        if _text(element, "committeeid") == cid and _text(element, "committeetitle"):
            listing.committee = _text(element, "committeetitle")
    for element in root.iter("meeting"):
        date = iso(_text(element, "meetingdate"))
        if _text(element, "meetingstatus").lower() == "cancelled" or not in_range(date, since, until):
            continue  # the service may ignore the date range: filter here too
        try:
            meeting = _call(client, base, "GetMeeting", "meeting", lMeetingId=_text(element, "meetingid"))
        except NoService as exc:
            failed = {"url": f"{base}/mgWebService.asmx/GetMeeting", "title": f"meeting of {date}", "reason": str(exc)}
            listing.failed.append(failed)
            continue
        _service_papers(meeting, date, listing, base)
    return listing


def _service_papers(meeting: ET.Element, date: str | None, listing: Listing, base: str) -> None:
    minutes = []
    for item in meeting.iter("agendaitem"):
        for doc in item.iter("linkeddoc"):
            url = _text(doc, "url")
            if not url or _text(doc, "isrestricted").lower() == "true":
                continue
            url = normalise_url(url if "://" in url else f"{base}/{url.lstrip('/')}")
            listing.add(Paper(url=url, title=_text(doc, "title") or f"Document {_text(doc, 'attachmentid')}",
                              meeting_date=date, committee=listing.committee,
                              listed=_text(doc, "publicationdate") or None, expect=expected_type(url) or "pdf"))
        body = _text(item, "minutesnonemptyhtmlbody")
        if body and _text(item, "isminutepublished").lower() != "false":
            number = _text(item, "fulldisplaynumberformat") or _text(item, "minutesitemnumber")
            minutes.append((number, _text(item, "agendaitemtitle"), body))
    if minutes:
        mid = _text(meeting, "meetingid")
        listing.add(_minutes_paper(f"{base}/ieListDocuments.aspx?MId={mid}", date, listing.committee, minutes))


# -- the pages -----------------------------------------------------------------------------------
def _find_committee_page(client: Client, base: str, wanted: str) -> str | None:
    for page_name in ("mgListCommittees.aspx", "mgCommitteeStructure.aspx"):
        try:
            page = client.page(f"{base}/{page_name}")
        except FetchError:
            continue
        for link in links(parse_html(page.content), page.url):
            if wanted.lower() in link.text.lower() and committee_id(link.url):
                return committee_id(link.url)
    raise FetchError(f"no committee called {wanted!r} found on {base}")


def _via_pages(client: Client, start: str, listing: Listing, since, until) -> None:
    meetings: dict[str, Meeting] = {}
    url = start
    for _ in range(MAX_LIST_PAGES):
        try:
            page = client.page(url)
        except FetchError as exc:
            if not meetings:
                raise
            listing.notes.append(f"earlier meetings page not read: {exc}")
            break
        tree = parse_html(page.content)
        if listing.committee is None:
            listing.committee = page_title(tree).removeprefix("Browse meetings - ").strip() or None
        before = len(meetings)
        for meeting in _meetings(tree, page.url):
            meetings.setdefault(meeting.url, meeting)
        dates = [m.date for m in meetings.values() if m.date]
        earlier = next((link.url for link in links(tree, page.url) if "act=earlier" in link.url.lower()), None)
        if len(meetings) == before or not earlier or (since and dates and min(dates) < since):
            break
        url = earlier
    for meeting in meetings.values():
        if not meeting.cancelled and in_range(meeting.date, since, until):
            _html_meeting(client, meeting, listing, listing.committee)


def _meetings(tree, base_url: str) -> list[Meeting]:
    found = []
    anchors = tree.css("a.mgMeetingTableLnk") or [a for a in tree.css("a[href]")
                                                  if "listdocuments.aspx" in (a.attributes.get("href") or "").lower()]
    for anchor in anchors:
        url = normalise_url(urljoin(base_url, anchor.attributes.get("href") or ""))
        parent = anchor.parent
        after = text_of(parent) if parent is not None else ""
        found.append(Meeting(url=url, date=find_date(text_of(anchor)), cancelled="CANCELLED" in after.upper()))
    return found


def _html_meeting(client: Client, meeting: Meeting, listing: Listing, committee: str | None) -> None:
    try:
        page = client.page(meeting.url)
    except FetchError as exc:
        title = f"meeting of {meeting.date or '?'}"
        listing.failed.append({"url": meeting.url, "title": title, "reason": f"meeting page: {exc}"})
        return
    tree = parse_html(page.content)
    title = page_title(tree)
    date = meeting.date or find_date(title)
    committee = committee or (title.removeprefix("Agenda for ").split(" on ")[0] if title.startswith("Agenda for ") else None)
    listing.committee = listing.committee or committee
    papers = [p for p in document_papers(tree, page.url, client, date, committee)
              if (url_filename(p.url) or "").lower() != "mgchoosedocpack.aspx"]
    for paper in papers:
        listing.add(paper)
    printed = any("minutes" in p.title.lower() and "/documents/g" in p.url.lower() for p in papers)
    minutes = _inline_minutes(tree)
    if minutes and not printed:
        listing.add(_minutes_paper(meeting.url, date, committee, minutes))


def _inline_minutes(tree) -> list[tuple[str, str, str]]:
    """(number, title, minutes HTML) of each item whose minutes the meeting page shows inline."""
    out = []
    for row in tree.css("table.mgItemTable tr"):
        label = row.css_first("p.mgSubItemTitleTxt")
        if label is None or not text_of(label).lower().startswith("minutes"):
            continue
        body = label.next
        while body is not None and body.tag != "div":
            body = body.next
        if body is None:
            continue
        titles = [text_of(p) for p in row.css("p.mgAiTitleTxt")]
        number = titles[0] if len(titles) > 1 else ""
        out.append((number, titles[-1] if titles else "", body.html or ""))
    return out


def _minutes_paper(url: str, date: str | None, committee: str | None, items: list[tuple[str, str, str]]) -> Paper:
    """One HTML minutes document made of the items' minutes the site shows (no PDF of them exists)."""
    when = dt.date.fromisoformat(date).strftime("%-d %B %Y") if date else "(date not given)"
    name = html.escape(committee or "Committee")
    parts = [f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Minutes - {name} - {when}</title></head><body>",
             f"<h1>{name}</h1>", f"<p>Minutes of the meeting held on {when}</p>"]
    for number, title, body in items:
        parts.append(f"<h2>{html.escape(number)} {html.escape(title)}</h2>")
        parts.append(body)
    parts.append("</body></html>")
    return Paper(url=url, title="Minutes", meeting_date=date, committee=committee, expect="html",
                 content="\n".join(parts).encode("utf-8"))
