"""The result of parsing one document, and its views: JSON record, table, map."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .types import Document, Incident, MapPoint, Sentence, Toponym

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
        return reports_map([self], title=title, tiles=tiles)

    def _repr_html_(self) -> str:
        """The map inline in Jupyter: the whole page in the srcdoc of a sandboxed iframe."""
        from .render import embed_html

        return embed_html(self.to_map(), title=default_title([self]))


def default_title(reports: list[Report]) -> str:
    """The first document's headline (or id), and how many documents more."""
    first = reports[0].document
    title = first.title or first.id
    return title if len(reports) == 1 else f"{title} and {len(reports) - 1} more"


def reports_map(reports: list[Report], *, title: str | None = None, tiles: str | None = None) -> "folium.Map":
    """One map of the incidents of ``reports`` (title: default_title unless given)."""
    from .render import build_map

    if title is None:
        title = default_title(reports)
    n_inc = sum(len(r.incidents) for r in reports)
    n_docs = len(reports)
    subtitle = f"{n_inc} incident place{'s' if n_inc != 1 else ''} from {n_docs} document{'s' if n_docs != 1 else ''}"
    note = unplaced_note(reports)
    if note:
        subtitle += "; " + note
    return build_map(map_points(reports), title=title, subtitle=subtitle, tiles=tiles)


UNPLACED_SHOWN = 5  # names listed by unplaced_note, the rest counted


def unplaced_note(reports: list[Report]) -> str:
    """'not on the map (in no gazetteer): A, B and 3 more': the incident places that have no
    place (unplaced names, as written, once each), which the map cannot draw; '' when none."""
    names = list(dict.fromkeys(inc.toponym.mention.text for r in reports for inc in r.incidents
                               if inc.toponym.place is None))
    if not names:
        return ""
    more = len(names) - UNPLACED_SHOWN
    return ("not on the map (in no gazetteer): " + ", ".join(names[:UNPLACED_SHOWN])
            + (f" and {more} more" if more > 0 else ""))


def _point(doc: Document, t: Toponym, sentence: Sentence, layer: str, **event) -> MapPoint:
    """The map point of toponym ``t``, quoting ``sentence`` with the name marked."""
    if t.approximate:  # a name the gazetteer lacks, drawn at the place the text puts it in
        event["extra"] = (("placed at", f"{t.place.name} ('{t.mention.text}' is not in the gazetteer)"),
                          *event.get("extra", ()))
        event.setdefault("geo_precision", 2)
    return MapPoint(
        lat=t.place.lat,
        lon=t.place.lon,
        name=t.place.name,
        layer=layer,
        surface=t.mention.text,
        sentence=sentence.text,
        highlight=(t.mention.start - sentence.start, t.mention.end - sentence.start),
        country_code=t.place.country_code,
        feature_code=t.place.feature_code,
        doc_id=doc.id,
        **event,
    )


def map_points(reports: list[Report]) -> list[MapPoint]:
    """What the renderer draws: incident places, then places only mentioned (once each);
    not the unplaced names (no coordinates)."""
    from .export import geo_precision

    points: list[MapPoint] = []
    for r in reports:
        doc = r.document
        for inc in r.incidents:
            if inc.toponym.place is None:
                continue
            points.append(
                _point(
                    doc, inc.toponym, inc.sentence, "incident",
                    event_type=inc.event_type,
                    sub_event_type=inc.sub_event_type,
                    event_date=inc.event_date.isoformat() if inc.event_date else None,
                    extra=_extra(inc),
                    geo_precision=inc.geo_precision or geo_precision(inc.toponym.place),  # as the exports say
                    time_precision=inc.time_precision if inc.event_date else None,
                    actor1=inc.actor1,
                    actor2=inc.actor2,
                    claimed_by=inc.claimed_by,
                    disputed_by=inc.disputed_by,
                )
            )
        seen = {inc.toponym.place.id for inc in r.incidents if inc.toponym.place is not None}
        for t in r.toponyms:
            if t.role == "incident" or t.place is None or t.place.id in seen:
                continue
            seen.add(t.place.id)
            points.append(_point(doc, t, doc.sentences[t.mention.sentence], "mention"))
    return points


def _extra(inc: Incident) -> tuple[tuple[str, str], ...]:
    lines = [("cue", inc.cue)]  # actors, claims and precisions have MapPoint fields of their own
    if inc.fatalities is not None:
        lines.append(("fatalities", str(inc.fatalities)))
    lines.append(("confidence", f"{inc.confidence:.2f}"))
    return tuple(lines)
