"""Exports: the `extract` JSON record of a report, and a pandas table of many reports."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .types import Incident, Place, Toponym

if TYPE_CHECKING:
    import pandas

    from .report import Report


def geo_precision(place: Place) -> int:
    """ACLED's geo_precision: 1 the town itself, 2 part of a region, 3 only a region or country."""
    code = place.feature_code
    if code.startswith(("PCL", "CONT", "RGN", "TERR", "ADM1")):
        return 3
    if code.startswith(("ADM", "AREA", "L")):
        return 2
    return 1


def toponym_record(t: Toponym) -> dict:
    p = t.place
    return {
        "start": t.mention.start,
        "end": t.mention.end,
        "text": t.mention.text,
        "name": p.name,
        "lat": p.lat,
        "lon": p.lon,
        "geonameid": p.geonameid,
        "country_code": p.country_code or None,
        "feature_code": p.feature_code,
        "admin1": p.admin1 or None,
        "role": t.role,
        "score": t.score,
    }


def incident_record(inc: Incident) -> dict:
    p = inc.toponym.place
    return {
        "event_id": inc.event_id,
        "place": {
            "name": p.name,
            "lat": p.lat,
            "lon": p.lon,
            "geonameid": p.geonameid,
            "country_code": p.country_code or None,
            "admin1": p.admin1 or None,
        },
        "location": inc.toponym.mention.text,
        "start": inc.toponym.mention.start,
        "end": inc.toponym.mention.end,
        "geo_precision": geo_precision(p),
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "cue": inc.cue,
        "event_date": inc.event_date.isoformat() if inc.event_date else None,
        "time_precision": inc.time_precision,
        "actor1": inc.actor1,
        "actor2": inc.actor2,
        "claimed_by": inc.claimed_by,
        "disputed_by": inc.disputed_by,
        "fatalities": inc.fatalities,
        "sentence": {"start": inc.sentence.start, "end": inc.sentence.end, "text": inc.sentence.text},
        "confidence": inc.confidence,
    }


def record(report: "Report") -> dict:
    doc = report.document
    return {
        "id": doc.id,
        "lang": doc.lang,
        "published": doc.published.isoformat() if doc.published else None,
        "toponyms": [toponym_record(t) for t in report.toponyms],
        "incidents": [incident_record(i) for i in report.incidents],
    }


COLUMNS = [
    "doc_id", "start", "end", "text", "role", "name", "lat", "lon", "geonameid", "country_code",
    "feature_code", "admin1", "score", "sentence", "event_id", "event_type", "sub_event_type",
    "event_date", "time_precision", "geo_precision",
]


def dataframe(reports: Iterable["Report"]) -> "pandas.DataFrame":
    """One row per toponym; incident rows carry their event fields."""
    import pandas as pd

    rows = []
    for r in reports:
        doc = r.document
        by_start = {i.toponym.mention.start: i for i in r.incidents}
        for t in r.toponyms:
            row = {"doc_id": doc.id, **toponym_record(t)}
            row["sentence"] = doc.sentences[t.mention.sentence].text
            inc = by_start.get(t.mention.start)
            row.update(
                event_id=inc.event_id if inc else None,
                event_type=inc.event_type if inc else None,
                sub_event_type=inc.sub_event_type if inc else None,
                event_date=inc.event_date.isoformat() if inc and inc.event_date else None,
                time_precision=inc.time_precision if inc else None,
                geo_precision=geo_precision(t.place),
            )
            rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)
