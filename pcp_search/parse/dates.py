"""Dates as the papers write them ("Friday 24 March 2023", "24th March 2023", "2nd February 2018")."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"], start=1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
# the look-ahead (a digit or a weekday's first letter) turns most positions away before the alternation is tried
DAY_MONTH_YEAR = re.compile(
    r"\b(?=[\dmtwfs])(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
MONTH_YEAR = re.compile(r"\b" + _MONTH + r"\s+((?:19|20)\d{2})\b", re.IGNORECASE)
ISO = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")


WELSH_MONTHS = {name: i for i, name in enumerate(
    ["ionawr", "chwefror", "mawrth", "ebrill", "mai", "mehefin", "gorffennaf", "awst", "medi", "hydref",
     "tachwedd", "rhagfyr"], start=1)}
WELSH_DATE = re.compile(
    r"\b(\d{1,2})(?:af|ail|ydd|edd|fed|eg|ain)?\s+(?:o\s+)?(" + "|".join(WELSH_MONTHS) + r"),?\s+((?:19|20)\d{2})\b",
    re.IGNORECASE)


def find_date(text: str) -> str | None:
    """The first full date in the text as ISO YYYY-MM-DD (English or Welsh month names), or None."""
    if "20" not in text and "19" not in text:
        return None  # each pattern needs a year 19xx or 20xx: most lines are passed over at a glance
    for found in DAY_MONTH_YEAR.finditer(text):
        iso = _iso(int(found.group(3)), MONTHS[found.group(2).lower()[:3]], int(found.group(1)))
        if iso:
            return iso
    for found in WELSH_DATE.finditer(text):
        iso = _iso(int(found.group(3)), WELSH_MONTHS[found.group(2).lower()], int(found.group(1)))
        if iso:
            return iso
    iso_found = ISO.search(text)
    if iso_found:
        return _iso(int(iso_found.group(1)), int(iso_found.group(2)), int(iso_found.group(3)))
    return None


def find_month(text: str) -> str | None:
    """A 'March 2023' style date as the first of that month, for report headers without a day."""
    found = MONTH_YEAR.search(text)
    if not found:
        return None
    return _iso(int(found.group(2)), MONTHS[found.group(1).lower()[:3]], 1)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_user_date(text: str, end: bool = False) -> str | None:
    """A date a user typed: 2023, 2023-03, 2023-03-24 or '24 March 2023'; `end` picks the period's end."""
    text = text.strip()
    if re.fullmatch(r"(19|20)\d{2}", text):
        return f"{text}-12-31" if end else f"{text}-01-01"
    found = re.fullmatch(r"((?:19|20)\d{2})-(\d{1,2})", text)
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if not 1 <= month <= 12:
            return None
        if not end:
            return f"{year:04d}-{month:02d}-01"
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return (nxt - dt.timedelta(days=1)).isoformat()
    return find_date(text)


WEEKDAY_DATE = re.compile(r"\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH
                          + r",?\s+((?:19|20)\d{2})\b", re.IGNORECASE)


def weekday_conflicts(text: str) -> bool:
    """True when a date names a weekday it did not fall on ('Friday 05 March 2026' was a Thursday): a typo."""
    found = WEEKDAY_DATE.search(text)
    if not found:
        return False
    iso = _iso(int(found.group(4)), MONTHS[found.group(3).lower()[:3]], int(found.group(2)))
    return iso is not None and dt.date.fromisoformat(iso).strftime("%a").lower()[:3] != found.group(1).lower()[:3]
