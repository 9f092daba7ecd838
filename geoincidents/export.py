"""Exports: the `extract` JSON record of a report, incident tables (CSV, pandas, GeoPandas)
and a GeoJSON FeatureCollection (RFC 7946) of the incidents."""
from __future__ import annotations

import csv
import io
import math
from typing import TYPE_CHECKING, Iterable

from .gazetteer import is_area
from .types import Incident, Place, Toponym

if TYPE_CHECKING:
    import pandas

    from .report import Report


def geo_precision(place: Place | None) -> int | None:
    """ACLED's geo_precision: 1 the town itself, 2 part of a region, 3 only a region or country;
    None for an unplaced name (no place, no coordinates)."""
    if place is None:
        return None
    code = place.feature_code
    if is_area(place) or code.startswith("ADM1"):
        return 3
    if code.startswith(("ADM", "AREA", "L")):
        return 2
    return 1


def toponym_record(t: Toponym) -> dict:
    """One toponym of the `extract` record. An unplaced one (in no gazetteer, nowhere to put
    it) has its name as written and null coordinates, ids and codes."""
    p = t.place
    where = {
        "name": p.name,
        "lat": p.lat,
        "lon": p.lon,
        "geonameid": p.geonameid,
        "country_code": p.country_code or None,
        "feature_code": p.feature_code,
        "admin1": p.admin1 or None,
    } if p is not None else {
        "name": t.mention.text,
        **dict.fromkeys(("lat", "lon", "geonameid", "country_code", "feature_code", "admin1")),
    }
    return {
        "start": t.mention.start,
        "end": t.mention.end,
        "text": t.mention.text,
        **where,
        "role": t.role,
        "score": t.score,
        **({"approximate": True} if t.approximate else {}),  # not in the gazetteer: placed at ``name``
    }


def incident_record(inc: Incident) -> dict:
    """One incident of the `extract` record; ``place`` and ``geo_precision`` are null at an
    unplaced name (``location`` still says it as written)."""
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
        } if p is not None else None,
        "location": inc.toponym.mention.text,
        "start": inc.toponym.mention.start,
        "end": inc.toponym.mention.end,
        "geo_precision": inc.geo_precision or geo_precision(p),
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
    df = pd.DataFrame(rows, columns=COLUMNS)
    df[["lat", "lon"]] = df[["lat", "lon"]].astype(float)  # NaN where a name is unplaced
    return df


# ACLED's column names where they apply, then ours; one row per incident.
INCIDENT_COLUMNS = [
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
    "fatalities", "claimed_by", "disputed_by", "confidence", "doc_id", "start", "end", "place_name",
    "geonameid", "cue",
]


def incident_row(report: "Report", inc: Incident) -> dict:
    """One incident as a flat row: ACLED names (``country`` is the ISO 3166 alpha-2 code,
    ``source`` the document's title or id, ``notes`` the quoted sentence) and ours. At an
    unplaced name only ``location`` says where: the place's fields are None."""
    p = inc.toponym.place
    doc = report.document
    placed = p is not None
    return {
        "event_id": inc.event_id,
        "event_date": inc.event_date.isoformat() if inc.event_date else None,
        "time_precision": inc.time_precision,
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "actor1": inc.actor1,
        "actor2": inc.actor2,
        "country": p.country_code or None if placed else None,
        "admin1": p.admin1 or None if placed else None,
        "location": inc.toponym.mention.text,
        "latitude": p.lat if placed else None,
        "longitude": p.lon if placed else None,
        "geo_precision": inc.geo_precision or geo_precision(p),
        "source": doc.title or doc.id,
        "notes": inc.sentence.text,
        "fatalities": inc.fatalities,
        "claimed_by": inc.claimed_by,
        "disputed_by": inc.disputed_by,
        "confidence": inc.confidence,
        "doc_id": doc.id,
        "start": inc.toponym.mention.start,
        "end": inc.toponym.mention.end,
        "place_name": p.name if placed else None,
        "geonameid": p.geonameid if placed else None,
        "cue": inc.cue,
    }


def incident_rows(reports: Iterable["Report"]) -> list[dict]:
    return [incident_row(r, inc) for r in reports for inc in r.incidents]


def csv_header() -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(INCIDENT_COLUMNS)
    return buf.getvalue()


def csv_rows(report: "Report") -> str:
    """The CSV lines (no header) of one report's incidents; empty cells for unknowns."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=INCIDENT_COLUMNS, lineterminator="\n")
    for row in incident_rows([report]):
        w.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()


def geojson_feature(report: "Report", inc: Incident) -> dict | None:
    """A GeoJSON Point Feature ([lon, lat], RFC 7946); at an unplaced name a Feature with a null
    geometry (RFC 7946 3.2: an unlocated feature); None for a place without finite coordinates."""
    p = inc.toponym.place
    if p is not None and not (math.isfinite(p.lat) and math.isfinite(p.lon)):
        return None
    props = incident_row(report, inc)
    props.pop("latitude")
    props.pop("longitude")
    return {
        "type": "Feature",
        "id": f"{inc.event_id}@{inc.toponym.mention.start}",
        "geometry": {"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]} if p is not None else None,
        "properties": props,
    }


def feature_collection(reports: Iterable["Report"]) -> dict:
    """All incidents of ``reports`` as one FeatureCollection (no ``crs`` member: WGS 84 is implied)."""
    features = []
    for r in reports:
        for inc in r.incidents:
            f = geojson_feature(r, inc)
            if f is not None:
                features.append(f)
    return {"type": "FeatureCollection", "features": features}


def incidents_dataframe(reports: Iterable["Report"]) -> "pandas.DataFrame":
    """One row per incident, INCIDENT_COLUMNS; a GeoDataFrame (EPSG:4326 points) when geopandas
    is installed (it is optional, not a dependency). An unplaced incident has NaN coordinates
    (and a None geometry)."""
    import pandas as pd

    df = pd.DataFrame(incident_rows(reports), columns=INCIDENT_COLUMNS)
    df[["latitude", "longitude"]] = df[["latitude", "longitude"]].astype(float)
    try:
        import geopandas as gpd
    except ImportError:
        return df
    points = gpd.points_from_xy(df["longitude"], df["latitude"])
    points[df["latitude"].isna().to_numpy()] = None
    return gpd.GeoDataFrame(df, geometry=points, crs="EPSG:4326")
