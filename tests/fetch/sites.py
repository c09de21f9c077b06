"""Builders of fake ModernGov-shaped sites for the fetch tests."""

from __future__ import annotations

from html import escape

from tests.fetch.conftest import SAMPLES, Site

LIST_PAGE = """<!DOCTYPE html><html><head><title>Browse meetings - {name} - Modern Council</title></head><body>
<h1 class="mgMainTitleTxt">Browse meetings - {name}</h1>
<ul class="mgNonBulletTableList">{items}</ul></body></html>"""
MEETING_ITEM = ('<li><a class="mgMeetingTableLnk" href="ieListDocuments.aspx?CId={cid}&amp;MId={mid}&amp;Ver=4" '
                'title="Link to meeting details">{when}&nbsp;10&#58;00 am</a> - Agenda, Minutes</li>')
MEETING_PAGE = """<!DOCTYPE html><html><head><title>Agenda for {name} on {long} - Modern Council</title></head><body>
<h2 class="mgSubTitleTxt">Agenda and minutes</h2><ul class="mgBulletList">{docs}</ul>
<a href="mgMeetingAttendance.aspx?ID={mid}">Attendance</a> <a href="mailto:panel@example.gov.uk">Contact</a></body></html>"""
DOC_ITEM = ('<li><a href="{href}" title="Link to document">{title} <span class="mgHide">, item 4.</span>'
            '<span class="mgFileSize"><img src="mgimages/logo-pdf-1.gif" alt="pdf icon" /> PDF 12 KB</span></a></li>')
NAME = "Thames Valley Police and Crime Panel"
MEETINGS = [("101", "2025-06-13", "13 Jun 2025", "Friday 13 June 2025"),
            ("102", "2025-09-19", "19 Sep 2025", "Friday 19 September 2025"),
            ("103", "2026-01-30", "30 Jan 2026", "Friday 30 January 2026")]


def moderngov_site(site: Site, service: bool = False, cid: str = "900") -> dict[str, bytes]:
    """The hidden site's shape: a meetings list, three meeting pages, ten PDFs (one through
    mgConvert2PDF.aspx with a Content-Disposition name) and one dead link. Returns path -> PDF bytes."""
    items = "".join(MEETING_ITEM.format(cid=cid, mid=mid, when=when) for mid, _, when, _ in MEETINGS)
    site.add(f"/ieListMeetings.aspx?CId={cid}&Year=0", LIST_PAGE.format(name=NAME, items=items))
    pdfs: dict[str, bytes] = {}
    plan = {"101": ["Agenda", "Minutes of the previous meeting", "Police and Crime Commissioner update", "Budget report"],
            "102": ["Agenda", "Complaints report", "Annual report"],
            "103": ["Agenda", "Precept proposal"]}
    for mid, _iso, _, long in MEETINGS:
        docs = []
        for number, title in enumerate(plan[mid], start=1):
            path = f"/documents/s{mid}{number}/{title}.pdf"
            pdfs[path] = site.pdf(path, f"{NAME}\n{title}\nMeeting of {long}")
            docs.append(DOC_ITEM.format(href=escape(path.lstrip("/")), title=escape(title)))
        if mid == "102":
            path = "/mgConvert2PDF.aspx?ID=5550"
            pdfs[path] = site.pdf(path, f"{NAME}\nMinutes\nMeeting of {long}",
                                  headers={"Content-Disposition": 'attachment; filename="Printed minutes 19-Sep-2025.pdf"'})
            docs.append(DOC_ITEM.format(href="mgConvert2PDF.aspx?ID=5550", title="Printed minutes"))
        if mid == "103":
            docs.append(DOC_ITEM.format(href="documents/s9999/Withdrawn report.pdf", title="Withdrawn report"))
        site.add(f"/ieListDocuments.aspx?CId={cid}&MId={mid}&Ver=4", MEETING_PAGE.format(name=NAME, long=long, mid=mid,
                                                                                          docs="".join(docs)))
    if service:
        add_service(site)
    return pdfs


def add_service(site: Site) -> dict[str, bytes]:
    """The web service answering with the recorded Manchester XML, its document URLs moved to this site."""
    folder = SAMPLES / "webservice"

    def xml(name: str) -> bytes:
        return (folder / name).read_bytes().replace(b"https://democracy.manchester.gov.uk", site.base.encode())

    site.add("/mgWebService.asmx/GetCommittees", xml("manchester_GetCommittees_trimmed.xml"), content_type="text/xml")
    site.add("/mgWebService.asmx/GetMeetings?*", xml("manchester_GetMeetings_CId144_trimmed.xml"), content_type="text/xml")
    site.add("/mgWebService.asmx/GetMeeting?lMeetingId=4967",
             xml("manchester_GetMeeting_MId4967_minutes-published_trimmed.xml"), content_type="text/xml")
    site.add("/mgWebService.asmx/GetMeeting?lMeetingId=4966",
             xml("manchester_GetMeeting_MId4966_cancelled_trimmed.xml"), content_type="text/xml")
    return {path: site.pdf(path, f"Audit Committee\n{title}") for path, title in
            (("/mgConvert2PDF.aspx?ID=60860", "Minutes 25 Nov 2025"), ("/mgConvert2PDF.aspx?ID=60909", "Work programme"))}
