"""Plain values that walk between the stages of the pipeline.

text -> Document -> Mention -> Toponym -> Incident -> Report (map / exports)

Every value is a frozen dataclass; offsets are Python string indices into the
original input text, so any stage's output can be traced back to characters.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str
    boilerplate: bool = False  # related-article lines, comment widgets, ...


@dataclass(frozen=True)
class Document:
    """The input text with its language, publication date and sentences."""

    id: str
    text: str
    lang: str
    published: date | None
    sentences: tuple[Sentence, ...]
    title: str | None = None  # the headline, when the text starts with one
    # event words given with the input ((start, end) offsets into ``text``, e.g. an upstream event
    # coder's trigger verbs): then each one is an event, and only they are (geoincidents.incidents)
    triggers: tuple[tuple[int, int], ...] = ()

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing character ``offset`` (or None)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return mid
        return None


@dataclass(frozen=True)
class Place:
    """One gazetteer entry (a GeoNames feature or a curated one)."""

    id: int  # the gazetteer's key: the GeoNames id where there is one, else a negative number
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country_code: str  # ISO 3166-1 alpha-2, '' for supranational regions
    feature_class: str  # GeoNames class: P, A, L, ...
    feature_code: str  # GeoNames code: PPL, PPLC, ADM1, PCLI, RGN, CONT, PCLH, ...
    admin1_code: str = ""
    admin1: str = ""  # name of the first-level division
    population: int = 0
    source: str = "geonames"


@dataclass(frozen=True)
class Candidate:
    """A gazetteer entry that a surface string may refer to, and how the name matched."""

    place: Place
    name_kind: str  # 'primary' (the entry's own name), 'country' (CLDR/ISO name), 'alternate', 'abbrev', 'demonym'
    lang: str = ""  # language of the matched name where the source says it ('' = any)
    # the name is attested only in languages other than the text's and English ('Columbia',
    # Colombia's Latin and Romanian name, in an English text); False when no text language was given
    foreign: bool = False


@dataclass(frozen=True)
class Mention:
    """A toponym found in the text, before resolution."""

    start: int
    end: int
    text: str
    key: str  # folded form used for the gazetteer look-up
    sentence: int  # index into Document.sentences
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Toponym:
    """A mention resolved to one gazetteer entry, or a name recognised as a place that no
    gazetteer has and nothing places (``place`` None)."""

    mention: Mention
    # None: UNPLACED, a name no gazetteer knows in a text that names no known place to put it
    # in or beside ('Gunmen attacked the village of Khirbet Ghazaleh'); it has no coordinates.
    place: Place | None
    score: float  # confidence in [0, 1] that ``place`` is the right referent (0.0 when unplaced)
    role: str = "mention"  # 'incident' or 'mention'
    # The name is in no gazetteer ('the village of Abu Al-Shamat'): ``place`` is the place the
    # text puts it in or beside ('... in Aleppo province'), an approximation (ACLED geo_precision 2).
    approximate: bool = False


@dataclass(frozen=True)
class Incident:
    """Something that happened at a place, with the sentence as evidence."""

    event_id: str  # shared by the records of one event naming several places
    toponym: Toponym
    sentence: Sentence
    event_type: str  # ACLED event type, or 'Disasters' / 'Accidents'
    sub_event_type: str
    cue: str  # the cue word that signalled the event, as written
    event_date: date | None = None
    time_precision: int | None = None  # 1 day, 2 week, 3 month (ACLED)
    actor1: str | None = None
    actor2: str | None = None
    claimed_by: str | None = None
    disputed_by: str | None = None
    fatalities: int | None = None
    confidence: float = 0.5
    # ACLED: 1 the place, 2 near it / part of a region, 3 a region or country; None at an
    # unplaced name (``toponym.place`` None: no coordinates, so no precision of them)
    geo_precision: int | None = None


@dataclass(frozen=True)
class MapPoint:
    """What the map renderer draws: no NLP, only what a popup needs."""

    lat: float
    lon: float
    name: str  # resolved place name
    layer: str  # 'incident' or 'mention'
    surface: str  # the name as written in the text
    sentence: str  # the quoted sentence
    highlight: tuple[int, int]  # span of ``surface`` within ``sentence``
    event_type: str | None = None
    sub_event_type: str | None = None
    event_date: str | None = None  # ISO date
    country_code: str = ""
    feature_code: str = ""
    doc_id: str = ""
    source_title: str | None = None
    source_url: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, value) lines for the popup
    geo_precision: int = 1  # ACLED: 1 the place itself, 2 somewhere in a district, 3 only a region/country (drawn as an area)
    time_precision: int | None = None  # ACLED: 1 day, 2 week, 3 month
    actor1: str | None = None
    actor2: str | None = None
    claimed_by: str | None = None
    disputed_by: str | None = None
