"""The result of parsing one document, and its views: JSON record, table, map."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .types import Document, Incident, MapPoint, Toponym

if TYPE_CHECKING:
    import folium
    import pandas


@dataclass(frozen=True)
class Report:
    document: Document
    toponyms: tuple[Toponym, ...]
    incidents: tuple[Incident, ...]

    def to_record(self) -> dict:
        """The `extract --format jsonl` object of this document."""
        from .export import record

        return record(self)

    def to_dataframe(self, kind: str = "toponyms") -> "pandas.DataFrame":
        """``kind='toponyms'``: one row per toponym (role, place, coordinates, sentence, event
        fields). ``kind='incidents'``: one row per incident with ACLED's column names (the
        `extract --format csv` table); a GeoDataFrame when geopandas is installed."""
        from .export import dataframe, incidents_dataframe

        if kind == "incidents":
            return incidents_dataframe([self])
        if kind != "toponyms":
            raise ValueError(f"kind must be 'toponyms' or 'incidents', not {kind!r}")
        return dataframe([self])

    def map_points(self) -> list[MapPoint]:
        return map_points([self])

    def to_map(self, *, title: str | None = None, tiles: str | None = None) -> "folium.Map":
        from .render import build_map

        return build_map(
            self.map_points(),
            title=title if title is not None else (self.document.title or self.document.id),
            subtitle=_subtitle([self]),
            tiles=tiles,
        )

    def _repr_html_(self) -> str:
        """The map inline in Jupyter: the whole page in the srcdoc of a sandboxed iframe."""
        from .render import embed_html

        return embed_html(self.to_map(), title=self.document.title or self.document.id)


def _subtitle(reports: list[Report]) -> str:
    n_inc = sum(len(r.incidents) for r in reports)
    n_docs = len(reports)
    return f"{n_inc} incident place{'s' if n_inc != 1 else ''} from {n_docs} document{'s' if n_docs != 1 else ''}"


def map_points(reports: list[Report]) -> list[MapPoint]:
    """What the renderer draws: incident places, then places only mentioned (once each)."""
    from .export import geo_precision

    points: list[MapPoint] = []
    for r in reports:
        doc = r.document
        for inc in r.incidents:
            t = inc.toponym
            points.append(
                MapPoint(
                    lat=t.place.lat,
                    lon=t.place.lon,
                    name=t.place.name,
                    layer="incident",
                    surface=t.mention.text,
                    sentence=inc.sentence.text,
                    highlight=(t.mention.start - inc.sentence.start, t.mention.end - inc.sentence.start),
                    event_type=inc.event_type,
                    sub_event_type=inc.sub_event_type,
                    event_date=inc.event_date.isoformat() if inc.event_date else None,
                    country_code=t.place.country_code,
                    feature_code=t.place.feature_code,
                    doc_id=doc.id,
                    extra=_extra(inc),
                    geo_precision=inc.geo_precision or geo_precision(t.place),  # as the exports say
                    time_precision=inc.time_precision if inc.event_date else None,
                    actor1=inc.actor1,
                    actor2=inc.actor2,
                    claimed_by=inc.claimed_by,
                    disputed_by=inc.disputed_by,
                )
            )
        seen = {inc.toponym.place.id for inc in r.incidents}
        for t in r.toponyms:
            if t.role == "incident" or t.place.id in seen:
                continue
            seen.add(t.place.id)
            s = doc.sentences[t.mention.sentence]
            points.append(
                MapPoint(
                    lat=t.place.lat,
                    lon=t.place.lon,
                    name=t.place.name,
                    layer="mention",
                    surface=t.mention.text,
                    sentence=s.text,
                    highlight=(t.mention.start - s.start, t.mention.end - s.start),
                    country_code=t.place.country_code,
                    feature_code=t.place.feature_code,
                    doc_id=doc.id,
                )
            )
    return points


def _extra(inc: Incident) -> tuple[tuple[str, str], ...]:
    lines = [("cue", inc.cue)]  # actors, claims and precisions have MapPoint fields of their own
    if inc.fatalities is not None:
        lines.append(("fatalities", str(inc.fatalities)))
    lines.append(("confidence", f"{inc.confidence:.2f}"))
    return tuple(lines)
