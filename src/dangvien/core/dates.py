"""Dates as Party documents write them (Hướng dẫn 36-HD/VPTW)."""

from __future__ import annotations

import datetime as dt


def document_date(place: str, day: dt.date) -> str:
    """ "Hà Nội, ngày 03 tháng 4 năm 2018": a leading zero for days under 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    dated = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {dated}" if place else dated[0].upper() + dated[1:]
