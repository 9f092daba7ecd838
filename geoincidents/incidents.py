"""Stage 4: Toponyms -> roles and Incidents (what happened where, when, by whom, who says so).

A toponym is an incident place when its sentence reports an event (a cue word of
the language's lexicon: 'serangan artileri', 'shelling', 'обстрел*', ...) and a small
logistic model (data/role_model.json, fitted by scripts/train_role_model.py on the
train split of the Halterman 2019 event-location sentences) says the name stands
where the event's location stands. Its features are language-independent: what
governs the name (a locative word or an event word, possibly through place nouns,
lists and a few other words: 'ke arah pemukiman Novoivanovka', 'in the divided town of
X', 'toward Goris, Sotk and Jermuk'; a speaker: 'officials in X'; a word that takes the
name away from the event: 'captured by X', 'from X'), how far the nearest event word
is, whether the name is part of an actor or a source, what kind of place it is and
what the other governed places of the sentence are. The word lists behind them are
each language's lexicon. For English the model adds a lexical layer: learned weights of
the words around the name ('L1:in', 'R1:on', the nearest event word), fitted on top of
the language-independent logit, so the other languages keep that logit as it is, and
its second look at a sentence's candidates is a few hundred small boosted trees (TreeStage) over
the role features and that logit against the others of the sentence. A name
that qualifies a noun ('Syrian soldiers') and a city that contains the event place
("Baghdad's district of X", but not 'the Shaab neighbourhood of Baghdad') stay mentions
whatever the weights; a division that only says where the place before it lies ('Novoivanovka di
wilayah Gadabay') weighs against. Countries and regions become incident places only
when the document names no more precise incident place inside them (ACLED geo_precision 3).

Each incident record also carries:
- the event type: the first cue label of the sentence in lexicon order (ACLED types);
- the date: relative words ('Selasa', 'yesterday', 'в понедельник', 'last week',
  'earlier this month') resolved by dateparser against the publication date, with
  the ACLED time precision (1 day, 2 week, 3 month); weekday and relative-word names
  come from dateparser's own language data, the lexicon adds inflected forms;
- actors as written (an actor head word, 'forces', 'pasukan', with the capitalised
  words around it), the source the text attributes the report to ('according to X',
  'X said', 'X mengklaim'), a denial in the same or the next sentence ('Armenia
  membantah ...'), and the number of dead when stated ('killing at least 12').
Sentences without actor or source of their own inherit them from the sentence
before in the paragraph when it reports an event of the same type ('Serangan itu ...').

A document may come with its event words (Document.triggers, e.g. an event coder's trigger
verbs: the input's "triggers"). Then each of them is an event and nothing else is: the word
stands as the event cue of its sentence (typed by the lexicon when it is a known cue, else
TRIGGER_LABEL), the role features are taken against it (with a few more: other event words
of the lexicon nearer the name or between them, clause words and commas between them, the
words between them for the lexical layer), the model's ``with_triggers`` weights decide, and a
sentence without a given word reports nothing.
"""
from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter
from importlib import resources

import numpy as np

from . import _dates, lexicon
from ._zipf import zipf_frequency
from .gazetteer import is_area
from .names import WORD, fold, fold_word, words
from .names import tokens as _word_tokens
from .types import Document, Incident, Sentence, Toponym

_CLAUSE_BREAK = re.compile(r"[.;:!?\"“”«»()\n؛؟]")  # (with Arabic's semicolon and question mark)
_SUBJECT_BREAK = re.compile(r"[,.;:!?\"“”«»()\n—–،؛؟]")  # (with Arabic's comma)
_NUMBER = re.compile(r"^\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+$|^\d+$")
LOOKBACK_SENTENCES = 2
FREE_WORDS = 3  # other words ('divided', 'strategic') allowed between a locative word and the name
MAX_SOURCE_WORDS = 8
_COMMA = re.compile("[,،]")  # a comma, Latin or Arabic
_BROAD_AREA = ("CONT", "RGN")
_NATURAL = ("Disasters|", "Accidents|")
_GENERIC = {"Violence against civilians|Attack", "Explosions/Remote violence|Other"}


# --- words and cues -----------------------------------------------------------------------------


_KEY = itemgetter(2)


def _sentence_words(sentence: Sentence) -> tuple[list[tuple[int, int]], list[str]]:
    """(document offsets, folded key) of the sentence's words, read once for all its cue sets."""
    tokens = words(sentence.text)
    return _offsets(sentence, tokens), list(map(_KEY, tokens))


def _offsets(sentence: Sentence, tokens) -> list[tuple[int, int]]:
    """Document offsets of the words ``tokens`` of ``sentence``."""
    return [(sentence.start + s, sentence.start + e) for s, e, _ in tokens]


# --- dates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _DatePhrases:
    """Folded phrases that date an event, longest first, with their ACLED time precision."""

    phrases: tuple[tuple[tuple[str, ...], str, int, bool], ...]  # (words, as given, precision, weekday?)
    months: frozenset[str]
    checked: dict[str, list]  # phrases whose day is found without dateparser (_dates.parse_day)


def _folded(phrase: str) -> tuple[str, ...]:
    return tuple(k for _, _, k in words(phrase))


def _without_abbreviations(names: list[str]) -> list[str]:
    """Day and month names minus abbreviations: a name that starts a longer one ('lun', 'серед')."""
    folded = {n: " ".join(_folded(n)) for n in names}
    out = []
    for n, f in folded.items():
        if len(f) < 4 or "." in n:
            continue
        if any(o != f and o.startswith(f) for o in folded.values()):
            continue
        out.append(n)
    return out


@lru_cache(maxsize=None)
def _date_phrases(lang: str) -> _DatePhrases:
    lex = lexicon.get(lang)
    # dateparser's names (read from a cache, without importing it: _dates); none for a language
    # dateparser does not know: the lexicon's words only
    info = _dates.locale_info(lex.lang if lang not in lexicon.available() else lang)
    rel = info.get("relative-type", {})
    day = list(rel.get("1 day ago", [])) + list(rel.get("0 day ago", [])) + list(lex.relative_days)
    week = list(rel.get("1 week ago", [])) + list(rel.get("0 week ago", [])) + list(lex.week_phrases)
    month = list(rel.get("1 month ago", [])) + list(rel.get("0 month ago", [])) + list(lex.month_phrases)
    days = []
    for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        days.extend(info.get(d, []))
    days = _without_abbreviations(days) + list(lex.weekdays)
    months = []
    for m in ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december"):
        months.extend(info.get(m, []))
    entries = {}
    for group, precision, weekday in ((month, 3, False), (week, 2, False), (day, 1, False), (days, 1, True)):
        for p in group:
            f = _folded(p)
            if f and f not in entries:
                entries[f] = (f, p, precision, weekday)
    ordered = sorted(entries.values(), key=lambda e: -len(e[0]))
    return _DatePhrases(tuple(ordered), frozenset(" ".join(_folded(m)) for m in _without_abbreviations(months)),
                        info.get("checked", {}))


def _explicit_dates(text: str, months: frozenset[str]):
    """'13 September 2022', 'September 13', '13 вересня': a day number next to a month name."""
    ws = words(text)
    for i, (s, e, k) in enumerate(ws):
        if k not in months:
            continue
        lo, hi = s, e
        if i > 0 and ws[i - 1][2].isdigit() and len(ws[i - 1][2]) <= 2:
            lo = ws[i - 1][0]
        elif i + 1 < len(ws) and ws[i + 1][2].isdigit() and len(ws[i + 1][2]) <= 2:
            hi = ws[i + 1][1]
        else:
            continue
        j = i + 2 if hi > e else i + 1
        if j < len(ws) and len(ws[j][2]) == 4 and ws[j][2].isdigit():
            hi = ws[j][1]
        yield text[lo:hi]


def sentence_date(doc: Document, lex: lexicon.Lexicon, sentence: Sentence) -> tuple[date, int] | None:
    """(day, ACLED time precision) a sentence dates its event to, relative to the publication date."""
    if doc.published is None:
        return None
    data = _date_phrases(doc.lang)
    keys = [k for _, _, k in words(sentence.text)]
    used: set[int] = set()
    found = []
    for phrase, given, precision, weekday in data.phrases:
        n = len(phrase)
        for i in range(len(keys) - n + 1):
            if any(j in used for j in range(i, i + n)):
                continue
            if tuple(v for v in keys[i : i + n]) == phrase or all(
                lex.in_set(keys[i + j], frozenset([phrase[j]])) for j in range(n)
            ):
                used.update(range(i, i + n))
                found.append((i, given, precision, weekday))
    for _, given, precision, weekday in sorted(found):
        if weekday:
            # A weekday in news means the latest such day up to publication (the same
            # day included): parse it from the day after.
            got = _dates.parse_day(given, lex.lang, doc.published + timedelta(days=1), data.checked)
            if got and got <= doc.published:
                return got, 1
            continue
        got = _dates.parse_day(given, lex.lang, doc.published, data.checked)
        if got is None and precision > 1:  # a phrase of the lexicon that dateparser does not read
            if given not in lex.last_phrases:
                got = doc.published  # 'this week', 'questo mese'
            elif precision == 2:
                got = doc.published - timedelta(days=7)  # 'la settimana scorsa'
            else:
                got = _month_before(doc.published)  # 'il mese scorso'
        if got and got <= doc.published:
            return got, precision
    for phrase in _explicit_dates(sentence.text, data.months):
        got = _dates.parse_day(phrase, lex.lang, doc.published)
        if got and got <= doc.published:
            return got, 1
    return None


def _month_before(day: date) -> date:
    """The same day of the month before (its last day when that month is shorter)."""
    first = day.replace(day=1) - timedelta(days=1)  # the last day of the month before
    return first.replace(day=min(day.day, first.day))


def _event_date(doc: Document, lex: lexicon.Lexicon, index: int) -> tuple[date, int] | None:
    """Date of the event in sentence ``index``, or in the sentences before it in its paragraph."""
    for k in _paragraph_back(doc, index):
        got = sentence_date(doc, lex, doc.sentences[k])
        if got:
            return got
    return None


def _paragraph_back(doc: Document, index: int):
    """``index`` and up to LOOKBACK_SENTENCES sentences before it in the same paragraph."""
    for back in range(LOOKBACK_SENTENCES + 1):
        k = index - back
        if k < 0:
            break
        if back and "\n" in doc.text[doc.sentences[k].end : doc.sentences[k + 1].start]:
            break
        yield k


# --- where ---------------------------------------------------------------------------------------


def _label(doc: Document, lex: lexicon.Lexicon, ws, found) -> tuple[str, str]:
    """(label, cue as written) of the most specific of the event cues found."""
    order = _label_order(lex.lang)
    # a flood or a crash that kills is a disaster or an accident, not an attack: the generic
    # cues ('killed', 'hit') give way to them
    if any(c.label.startswith(_NATURAL) for _, c in found):
        found = [f for f in found if f[1].label.startswith(_NATURAL) or f[1].label not in _GENERIC]
    i, cue = min(found, key=lambda f: (order.get(f[1].label, len(order)), f[0]))
    return cue.label, doc.text[ws[i][0] : ws[i + len(cue.words) - 1][1]]


@lru_cache(maxsize=None)
def _label_order(lang: str) -> dict[str, int]:
    """Position of each event label's first cue in the lexicon: the lower, the more specific."""
    order: dict[str, int] = {}
    for k, c in enumerate(lexicon.get(lang).events):
        order.setdefault(c.label, k)
    return order


@dataclass(frozen=True)
class _Governor:
    """What stands before a name, walking left through place nouns, lists and free words."""

    kind: str | None  # 'cue' (an event word: 'shelled the town of X'), 'locative', 'speaker'
    # ('officials in X'), 'blocked' ('captured by X', 'from X'), or None
    approximate: bool  # 'near X', 'north of X'
    free: int  # other lowercase words passed ('the divided town of X')
    at: int | None  # index of the locative word when reached without passing another name or list
    adjacent: bool  # the governing word stands right before the name
    shared: bool = False  # reached through another name or a list ('toward Goris, Sotk and Jermuk')
    word: int | None = None  # index of the governing word (the last word of an event cue)
    # the name is where a distance is measured from ('30 km north of X'): 'place' when a name stands
    # before the distance ('Khalis, 80 km north of X': X only says where Khalis is), else 'event'
    # ('an ambush 30 km north of X', 'exploded 30 km north of X')
    measured: str | None = None


def _governor(
    doc: Document,
    lex: lexicon.Lexicon,
    ws,
    keys: list[str],
    first: int,
    place_words: set[int],
    cue_ends: set[int],
) -> _Governor:
    """Does a locative word or an event word ('shelled the town of X') stand before word
    ``first``, through place nouns, lists and at most FREE_WORDS other lowercase words?"""
    i = first - 1
    free = 0
    approximate = False
    direct = True
    shared = False
    skipped = False
    measured = None
    while i >= 0:
        gap = "" if skipped else doc.text[ws[i][1] : ws[i + 1][0]]
        skipped = False
        if gap.strip() == ")" and (k := _parenthesis_start(doc, ws, i)) is not None:
            i = k - 1  # '30 kilometers (20 miles) north of X'
            skipped = True
            continue
        if _CLAUSE_BREAK.search(gap):
            break
        if "," in gap:
            direct = False
        if _ends_at(lex.approximate, keys, i):
            approximate = True
        if i in cue_ends:
            return _Governor("cue", approximate, free, None, i == first - 1, shared, i, measured)
        if lex.in_set(keys[i], lex.locative):
            speaker = _ends_at(lex.speakers, keys, i - 1)  # 'officials in X'
            return _Governor("speaker" if speaker else "locative", approximate, free,
                             i if direct else None, i == first - 1, shared, i, measured)
        if i in place_words:
            if measured:
                measured = "place"
            direct = False
            shared = True
            i -= 1
            continue
        if keys[i] in lex.possessive and i - 1 in place_words and doc.text[ws[i - 1][1] : ws[i][0]] in ("'", "’"):
            i -= 2  # "in Pakistan's port city of Karachi"
            direct = False
            continue
        if _ends_at(_not_before(lex.lang), keys, i):
            return _Governor("blocked", False, free, None, i == first - 1, False, i, measured)
        stepped = False
        for cue in _ending_at(_walk_cues(lex.lang), keys, i)[:1]:
            i -= len(cue.words)
            stepped = True
            if cue.label == "and":
                direct = False
                shared = True
        if stepped:
            continue
        w = doc.text[ws[i][0] : ws[i][1]]
        if w.isdigit() and i + 1 < first and _ends_at(lex.approximate, keys, i + 1):
            i -= 1  # '30 km north of X'
            measured = "event"
            continue
        if free < FREE_WORDS and not w[:1].isupper() and not w.isdigit() and not _is_speaker(lex, keys, i):
            free += 1
            i -= 1
            continue
        if measured and w[:1].isupper():
            measured = "place"  # a name the recogniser missed: 'Tizi Ouzou, 110 km east of X'
        break
    return _Governor(None, False, free, None, False, measured=measured)


@lru_cache(maxsize=None)
def _walk_cues(lang: str) -> lexicon.CueSet:
    """Place nouns and connectors, the words a walk to the governing word steps over."""
    lex = lexicon.get(lang)
    return lexicon.CueSet(tuple(lex.place_nouns) + tuple(lex.connectors), lex.clitics)


def _ending_at(cues: lexicon.CueSet, keys: list[str], i: int) -> list[lexicon.Cue]:
    """The cues of ``cues`` that end at word ``i``, in the order of the set."""
    return cues.quick().ending_at(keys, i)


def _parenthesis_start(doc: Document, ws, i: int, most: int = 6) -> int | None:
    """Index of the first word of a short parenthesis that ends with word ``i``."""
    for k in range(i, max(-1, i - most), -1):
        if k == 0:
            return None
        gap = doc.text[ws[k - 1][1] : ws[k][0]]
        if "(" in gap:
            return k if gap.strip() == "(" else None
        if _CLAUSE_BREAK.search(gap):
            return None
    return None


@lru_cache(maxsize=None)
def _not_before(lang: str) -> lexicon.CueSet:
    """Words after which a name is not where the event is ('by', 'from', 'against'): the
    lexicon's [locative] not_before."""
    raw = lexicon._raw(lang) if lang in lexicon.available() else {}
    lex = lexicon.get(lang)
    items = raw.get("locative", {}).get("not_before", [])
    return lexicon.CueSet((lexicon._cue(c, "not_before", lex.clitics) for c in items), lex.clitics)


def _suffixed(doc: Document, lex: lexicon.Lexicon, ws, keys, last: int) -> bool:
    """Turkish 'Halep'te', 'Gazze'de': a locative suffix right after the name (apostrophe joined), or a
    locative word after it ('Konya yakınlarında', 'Antakya ilçesinde': not a bare suffix, 'Konya da')."""
    j = last + 1
    if j >= len(keys) or keys[j] not in lex.locative_after:
        return False
    gap = doc.text[ws[last][1] : ws[j][0]]
    return gap in ("'", "’", "") or (gap == " " and len(keys[j]) > 3)


def _approx_words(lex: lexicon.Lexicon) -> frozenset[str]:
    return _one_word_approximate(lex.lang)


@lru_cache(maxsize=None)
def _one_word_approximate(lang: str) -> frozenset[str]:
    return frozenset(c.words[0] for c in lexicon.get(lang).approximate if len(c.words) == 1)


def _is_speaker(lex: lexicon.Lexicon, keys: list[str], i: int) -> bool:
    return _ends_at(lex.speakers, keys, i)


def _ends_at(cues: lexicon.CueSet, keys: list[str], i: int) -> bool:
    """Does one of ``cues`` end at word ``i``?"""
    return cues.quick().ends_at(keys, i)


def _container(doc: Document, lex: lexicon.Lexicon, ws, keys, last: int, named_at=None) -> bool:
    """Does the name ending at word ``last`` contain the event place named after it:
    "Baghdad's northern district of X", 'the south Baghdad neighbourhood of X'? Not when the
    name after the division word is a place that holds this one ('the Shaab neighbourhood of
    Baghdad', 'Daychopan district of Zabul province'): ``named_at(j)`` says so of the name at
    word j."""

    def joined(k: int) -> bool:  # word k follows word k-1 within the phrase
        return k < len(ws) and not _SUBJECT_BREAK.search(doc.text[ws[k - 1][1] : ws[k][0]])

    i = last + 1
    if joined(i) and keys[i] in lex.possessive:
        i += 1
        if joined(i) and doc.text[ws[i][0]].isupper():
            return True  # "Yala's Betong district"
    for _ in range(3):  # the division word, after at most two others ('northern')
        if not joined(i) or lex.in_set(keys[i], lex.locative):
            return False  # 'X di Kabupaten Y': Y contains X, not the other way round
        for c in lex.divisions.starting(keys[i]):
            if c.matches_at(keys, i):
                j = i + len(c.words)
                if joined(j) and not doc.text[ws[j][0]].isupper():
                    if lex.in_set(keys[j], lex.locative):
                        return False  # 'the Pader district on Friday', 'the X countryside in Y'
                    j += 1  # 'of', 'de'
                if not (joined(j) and doc.text[ws[j][0]].isupper()) or keys[j] in _date_names(doc.lang):
                    return False
                return named_at is None or not named_at(j)
        if doc.text[ws[i][0]].isupper():
            return False
        i += 1
    return False


def _modifier(doc: Document, lex: lexicon.Lexicon, t: Toponym) -> bool:
    """'Syrian soldiers', 'U.S.-led', 'Kremlin-backed', 'U.S. forces': the name qualifies a noun,
    it is no place where something happened."""
    m = t.mention
    if t.place is not None and any(c.name_kind == "demonym" and c.place.id == t.place.id for c in m.candidates):
        return True
    after = doc.text[m.end : m.end + 2]
    if after[:1] in "-‐" and after[1:2].isalpha() and after[1:2].islower():
        return True
    if _is_area(t):  # a country's name before an actor noun: 'U.S. forces', 'Syria rebels'
        following = [k for _, _, k in words(doc.text[m.end : m.end + 40])]
        gap = doc.text[m.end : m.end + 2]
        if following and gap[:1].isspace() and any(c.matches_at(following, 0) for c in lex.actor_heads.starting(following[0])):
            return True
    return False


def _inside_named(doc: Document, lex: lexicon.Lexicon, ws, keys, i: int | None) -> bool:
    """'the Shebaa Farms in south Lebanon', 'the Handarat area in the Aleppo countryside':
    the name is where a place named just before it lies, so it is that place's container.
    ``i`` is the governing locative word; the word before it (past at most one place
    noun) is a capitalised word other than the sentence's first or a date."""
    if i is None or i <= 0 or _SUBJECT_BREAK.search(doc.text[ws[i - 1][1] : ws[i][0]]):
        return False
    k = i - 1
    if _ends_at(lex.divisions, keys, k) and k > 0 and not doc.text[ws[k][0]].isupper():
        k -= 1
    # the day and month names last: they come from dateparser, which takes a while to load
    return (k > 0 and doc.text[ws[k][0]].isupper() and keys[k] not in lex.actor_stop
            and keys[k] not in _date_names(doc.lang))


def _qualifies_previous(t: Toponym, earlier: list[Toponym]) -> bool:
    """'X di wilayah Y', 'X, Y': Y names a division that contains an earlier place X.

    Y may have resolved to the division's seat town ('Lachin' the town or the
    district): any of its candidates being that division is enough.
    """
    if not earlier:
        return False
    divisions = {
        (c.place.country_code, c.place.admin1_code)
        for c in t.mention.candidates
        if c.place.feature_code.startswith("ADM1") and c.place.admin1_code
    }
    for e in earlier:
        q = e.place
        if q is not None and e.mention.sentence == t.mention.sentence and (q.country_code, q.admin1_code) in divisions:
            return True
    return False


def _precision(t: Toponym, approximate: bool) -> int | None:
    """ACLED geo_precision: 1 the place itself, 2 near it / part of a region, 3 a region or country;
    None for an unplaced name (no coordinates to be precise about)."""
    if t.place is None:
        return None
    code = t.place.feature_code
    if code.startswith("ADM1") or (is_area(t.place) and not code.startswith("AREA")):
        return 3  # countries, regions, seas, rivers, ranges, large islands; a small AREA is 2
    if approximate or t.approximate or code.startswith(("ADM", "AREA", "L")):
        return 2
    return 1


def _division_of_a_town(inc: Incident, incidents: list[tuple[int, Incident]]) -> bool:
    """'In the West Bank city of Nablus, ... was shot': the division is where the town lies;
    the event's place is the town (same event, a populated place inside the division)."""
    return _holds_a_town(inc.toponym, [other.toponym for _, other in incidents if other.event_id == inc.event_id])


def _holds_a_town(t: Toponym, others: list[Toponym]) -> bool:
    """Is ``t`` a division that one of ``others``, a populated place, lies in?"""
    return _code(t).startswith("ADM") and any(_populated(o) and _inside(o, t) for o in others)


def _code(t: Toponym) -> str:
    """The GeoNames feature code of the toponym's place; '' for an unplaced name."""
    return t.place.feature_code if t.place is not None else ""


def _extent(t: Toponym) -> int:
    """How much ground the toponym covers, coarsely: 0 a spot, a facility, a neighbourhood or an
    unplaced name (mostly villages and sites the gazetteer lacks), 1 a town, 2 a division below
    the first level, 3 a first-level division, 4 a country or a broader area."""
    if t.place is None:
        return 0
    code = t.place.feature_code
    if is_area(t.place):
        return 4
    if code.startswith("ADM1"):
        return 3
    if t.place.feature_class == "A":
        return 2
    if t.place.feature_class == "P" and code != "PPLX":
        return 1
    return 0


def _is_area(t: Toponym) -> bool:
    """Is the toponym placed at a country, region or other area? (An unplaced name is none.)"""
    return t.place is not None and is_area(t.place)


def _populated(t: Toponym) -> bool:
    """Is the toponym placed at a populated place (GeoNames class P)?"""
    return t.place is not None and t.place.feature_class == "P"


def _holds(outer: Toponym | None, inner: Toponym) -> bool:
    """Is ``outer`` a place that holds ``inner``: a country, region or first-level division
    ``inner`` lies in, or a town ``inner`` is no bigger than (its neighbourhood, its suburb)?"""
    if outer is None or outer.place is None or inner.place is None or outer.place.id == inner.place.id:
        return False
    if is_area(outer.place) or outer.place.feature_code.startswith("ADM"):
        return _inside(inner, outer)
    return outer.place.feature_class == "P" and inner.place.feature_class != "A" and not is_area(inner.place) and (
        inner.place.feature_class != "P" or inner.place.population <= outer.place.population
    )


def _inside(inner: Toponym, area: Toponym) -> bool:
    a, p = area.place, inner.place
    if a is None or p is None:
        return False
    if a.feature_code.startswith(_BROAD_AREA):
        return True
    if a.feature_code.startswith(("PCL", "TERR")):
        return bool(a.country_code) and p.country_code == a.country_code
    return p.country_code == a.country_code and bool(a.admin1_code) and p.admin1_code == a.admin1_code


# --- who, who says so, how many --------------------------------------------------------------------


def _span_text(doc: Document, ws, i: int, j: int) -> str:
    return doc.text[ws[i][0] : ws[j][1]]


def _capitalised(doc: Document, ws, i: int) -> bool:
    return doc.text[ws[i][0]].isupper()


def _actor_spans(doc: Document, lex: lexicon.Lexicon, ws, keys, skip: set[int], date_words: set[int]) -> list[tuple[int, int]]:
    """Word spans of actors: a head word ('forces', 'pasukan') with the capitalised words around it."""
    out: list[tuple[int, int]] = []
    taken: set[int] = set()
    for i, cue in lex.actor_heads.quick().find(keys):
        j = i + len(cue.words) - 1
        if i in taken or i in skip:
            continue

        def joinable(k: int, left: int, right: int) -> bool:
            if not (0 <= k < len(ws)) or k in skip or k in date_words or keys[k] in lex.actor_stop:
                return False
            if _case_marked(doc, lex, ws, keys, k):
                return False  # "Rus güçleri Harkov'u bombaladı": the forces' object, no word of their name
            gap = doc.text[ws[k][1] : ws[left][0]] if k < left else doc.text[ws[right][1] : ws[k][0]]
            return not _SUBJECT_BREAK.search(gap) and (
                _capitalised(doc, ws, k) or bool(lex.actor_heads.starting(keys[k]))
                or any(len(c.words) == 1 for c in lex.actor_modifiers.starting(keys[k]))  # 'L'armée malienne'
            )

        lo, hi = i, j
        while joinable(lo - 1, lo, hi):
            lo -= 1
        while joinable(hi + 1, lo, hi) and not (lex.capitalised_nouns and _capitalised(doc, ws, hi + 1)
                                                 and not lex.actor_heads.starting(keys[hi + 1])):
            hi += 1  # (German capitalises every noun: 'die Armee Gaza' is the army and its object)
        taken.update(range(lo, hi + 1))
        out.append((lo, hi))
    return out


def _case_marked(doc: Document, lex: lexicon.Lexicon, ws, keys, k: int) -> bool:
    """Does a case ending follow word ``k`` after an apostrophe ("Harkov'u", "Harkov'a", "Kiev'de":
    Turkish, lexicon case_suffixes and locative_after; not the genitive, "Rusya'nın güçleri")? Such
    a word is an object or a place, no part of a name before it."""
    return bool(lex.case_suffixes) and k + 1 < len(ws) \
        and (keys[k + 1] in lex.case_suffixes or keys[k + 1] in lex.locative_after) \
        and doc.text[ws[k][1] : ws[k + 1][0]] in ("'", "’")


def _actors(doc: Document, ws, spans: list[tuple[int, int]]) -> list[str]:
    """Actors as written, in order, each once."""
    out: list[str] = []
    for lo, hi in spans:
        text = _span_text(doc, ws, lo, hi)
        if text not in out:
            out.append(text)
    return out


def _subject_before(doc: Document, lex: lexicon.Lexicon, ws, keys, i: int) -> tuple[int, int] | None:
    """Word span of the subject before the verb at word ``i``: back to a comma or a clause word."""
    k = i - 1
    lo = None
    while k >= 0 and i - k <= MAX_SOURCE_WORDS:
        gap = doc.text[ws[k][1] : ws[k + 1][0]]
        if _SUBJECT_BREAK.search(gap) or keys[k] in lex.clause_words:
            break
        lo = k
        k -= 1
    if lo is None:
        return None
    return lo, i - 1


def _phrase_after(doc: Document, lex: lexicon.Lexicon, ws, keys, j: int,
                  stops: set[int] = frozenset()) -> tuple[int, int] | None:
    """Word span after word ``j`` up to a comma, a clause word, a word of ``stops`` (event words)
    after an actor word, a second group (modifier and head) after an actor word ('Według ukraińskiej armii rosyjskie
    wojska'; but 'selon l'armée ukrainienne') or MAX_SOURCE_WORDS."""
    k = j + 1
    hi = None
    headed = False  # an actor word passed
    while k < len(ws) and k - j <= MAX_SOURCE_WORDS:
        gap = doc.text[ws[k - 1][1] : ws[k][0]]
        if _SUBJECT_BREAK.search(gap) or (headed and k in stops) or (hi is not None and keys[k] in lex.clause_words):
            break  # (an event word ends the phrase after its head: 'straż pożarna' is the fire brigade)
        head = bool(lex.actor_heads.starting(keys[k]))
        if headed and k + 1 < len(keys) and lex.actor_heads.starting(keys[k + 1]) \
                and any(len(c.words) == 1 for c in lex.actor_modifiers.starting(keys[k])):
            break  # a modifier and a head after an actor word: another group's
        headed = headed or head
        hi = k
        k += 1
    return (j + 1, hi) if hi is not None else None


def _sources(doc: Document, lex: lexicon.Lexicon, ws, keys, cues) -> list[tuple[int, int]]:
    out = []
    stops = None  # the words a phrase after its cue stops at: the event words ('Nach Angaben der Armee beschossen ...')
    for i, cue in cues.quick().find(keys):
        j = i + len(cue.words) - 1
        span = None
        if cues is not lex.according_to or keys[i] in lex.source_before:
            span = _subject_before(doc, lex, ws, keys, i)
        if span is None:
            if stops is None:
                stops = {k + n for k, c in lex.events.quick().find(keys) for n in range(len(c.words))}
            span = _phrase_after(doc, lex, ws, keys, j, stops)
        if span:
            lo, hi = span
            while hi > lo and _function_word(doc, lex, ws, keys, hi):
                hi -= 1  # 'Moscú lo negó', 'Москва це заперечила': the object pronoun is not the speaker
            out.append((ws[lo][0], ws[hi][1]))
    return out


# a word in lower case this frequent ends no speaker's name: pronouns and auxiliaries ('lo' 6.9,
# 'это' 6.7, 'ذلك' 6.5, 'bunu' 5.9, 'were' 6.3), not the nouns that end one ('family' 5.7, 'government' 5.6)
SOURCE_FUNCTION_ZIPF = 5.9


def _function_word(doc: Document, lex: lexicon.Lexicon, ws, keys, k: int) -> bool:
    word = doc.text[ws[k][0] : ws[k][1]]
    if word[:1].isupper() or not word.isalpha() or lex.actor_heads.starting(keys[k]):
        return False
    try:
        return zipf_frequency(word, doc.lang) >= SOURCE_FUNCTION_ZIPF
    except LookupError:  # (no word list for the language)
        return False


def _source(doc: Document, lex: lexicon.Lexicon, ws, keys) -> tuple[str, tuple[int, int]] | None:
    """Who the sentence (words ``ws``, ``keys``) attributes its report to, as written
    ('Kementerian Pertahanan Armenia')."""
    spans = _sources(doc, lex, ws, keys, lex.according_to) or _sources(doc, lex, ws, keys, lex.said)
    if not spans:
        return None
    s, e = spans[0]
    return _trim(doc.text[s:e]), (s, e)


def _denial(doc: Document, lex: lexicon.Lexicon, ws, keys) -> str | None:
    spans = _sources(doc, lex, ws, keys, lex.denied)
    return _trim(doc.text[spans[0][0] : spans[0][1]]) if spans else None


def _trim(text: str) -> str:
    return text.strip(" \t\n,.;:'\"“”«»")


def _number(lex: lexicon.Lexicon, word: str, key: str) -> int | None:
    if _NUMBER.match(word):
        digits = re.sub(r"\D", "", word)
        return int(digits) if digits else None
    for w, v in lex.numbers:
        if key == w:
            return v
    return None


_COUNT_TOKEN = re.compile(r"\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?!\d)|\w+(?:['’ʼ]\w+)*")  # ('дев'ять' one word)


@lru_cache(maxsize=100_000)
def _token_key(token: str) -> str:
    """The folded token: its first word, or its words joined as fold joins them when an apostrophe
    is inside ("дев'ять", a number word of the lexicon); '' when it has none."""
    if "'" in token or "’" in token or "ʼ" in token:
        return fold(token)
    m = WORD.search(token)
    return fold_word(m.group()) if m else ""


def _fatalities(doc: Document, lex: lexicon.Lexicon, sentence: Sentence) -> int | None:
    """The number of dead the sentence states: 'killing at least 12', '5 orang tewas', 'two dead'."""
    text = sentence.text
    # numbers with thousands separators are one token here ('6.500', '1,100')
    tokens = [(m.start(), m.end()) for m in _COUNT_TOKEN.finditer(text)]
    keys = [_token_key(text[s:e]) for s, e in tokens]
    best = None
    months = _date_phrases(doc.lang).months
    for i, cue in lex.killed.quick().find(keys):
        j = i + len(cue.words) - 1
        for rng in (range(j + 1, min(len(tokens), j + 4)), range(i - 1, max(-1, i - 7), -1)):
            for k in rng:
                lo, hi = sorted((k, i if k < i else j))
                if _CLAUSE_BREAK.search(text[tokens[lo][1] : tokens[hi][0]]) or (k > j and _COMMA.search(text, tokens[j][1], tokens[k][0])):
                    break
                if any(c.matches_at(keys, k) for c in lex.not_killed.starting(keys[k])):
                    break
                n = _number(lex, text[tokens[k][0] : tokens[k][1]], keys[k])
                if n == 1 and k > j and keys[k - 1] in lex.locative:
                    break  # 'tués dans une frappe', 'muertos en un ataque': an article, no count
                if n is not None and not _year_or_day(keys, k, n, months):
                    best = n if best is None else max(best, n)
                    break
            else:
                continue
            if best is not None:
                break
    return best


def _year_or_day(keys: list[str], k: int, n: int, months: frozenset[str]) -> bool:
    """'killed in 2020', 'killed on 12 September': a date, not a count."""
    if 1900 <= n <= 2100 and len(keys[k]) == 4:
        return True
    return (k + 1 < len(keys) and keys[k + 1] in months) or (k > 0 and keys[k - 1] in months)


# --- the role: incident place or mention -----------------------------------------------------------
#
# Every toponym of a sentence that reports an event gets a few language-independent
# features (what governs it, where it stands against the event word and of what type that
# word is, what kind of place it is, what the other places of the sentence are); a logistic
# model weighs them (data/role_model.json, fitted by scripts/train_role_model.py) and the
# toponyms above its threshold are the event's places. A language with a lexical layer in
# the model (English, fitted on the same sentences) adds the weights of the words around
# the name (lexical_words) to that logit and decides at the layer's own threshold. Then a
# context stage (ContextStage; TreeStage for a language with a lexical layer) weighs each logit
# again with the others of its sentence: a place beaten by a likelier one of its sentence needs
# more to be picked.

ROLE_MODEL = "role_model.json"
# what the model does not weigh: a name that qualifies a noun ('Syrian soldiers', 'U.S.-led') is
# never the incident place. (One that seems to contain the place named after it, "Baghdad's
# district of X", is only weighed down: the 'container' feature, as 'the X area of Y' is alike.)
VETOES = ("modifier",)


CONTEXT_FEATURES = ("z", "has_other", "gap", "others_p")


@dataclass(frozen=True)
class ContextStage:
    """The second look at a sentence's candidates: each one's logit is weighed again with what
    the other candidates of the sentence scored (``context_features``), so that a place beaten
    by a likelier one of its sentence needs more, and a place alone needs less."""

    weights: dict[str, float]
    bias: float

    def logits(self, zs: list[float]) -> list[float]:
        w = self.weights
        return [self.bias + sum(w.get(n, 0.0) * v for n, v in f.items()) for f in context_features(zs)]


def context_features(zs: list[float]) -> list[dict[str, float]]:
    """For each first-stage logit of a sentence's candidates: itself, whether the sentence has
    other candidates, its lead over the best of them (negative when behind) and the sum of
    their probabilities."""
    out = []
    for i, z in enumerate(zs):
        others = zs[:i] + zs[i + 1 :]
        out.append({
            "z": z,
            "has_other": 1.0 if others else 0.0,
            "gap": z - max(others) if others else 0.0,
            "others_p": sum(1.0 / (1.0 + math.exp(-o)) for o in others),
        })
    return out


@dataclass(frozen=True)
class TreeStage:
    """The second look as boosted trees (for a language with a lexical layer, in place of its
    ContextStage): a sum of small regression trees over the candidate's role features and the
    context features of the first-stage logits of its sentence ('ctx:z', 'ctx:gap', ...), so that
    features can count differently together than apart, which the logistic sums cannot. Each tree
    is nested lists: [input index, threshold, left, right], a number at a leaf; an input at most
    the threshold goes left. They are walked as arrays, all trees and candidates at once
    (_TreeArrays)."""

    inputs: tuple[str, ...]
    bias: float
    trees: tuple
    _at: dict[str, int] = field(init=False, repr=False, compare=False)  # input name -> index
    _arrays: "_TreeArrays" = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # made once, with the model (a frozen dataclass: set so)
        object.__setattr__(self, "_at", {n: j for j, n in enumerate(self.inputs)})
        object.__setattr__(self, "_arrays", _TreeArrays.of(self.trees))

    def logits(self, features: list[dict[str, float]], zs: list[float]) -> list[float]:
        """The logits of one sentence's candidates: their features and first-stage logits."""
        return self.logits_many([(features, zs)])[0]

    def rows_logits(self, x: np.ndarray) -> np.ndarray:
        """The logit of each row of ``x`` (the inputs, in ``inputs``' order): the bias, then each
        tree's value added in turn."""
        return self._arrays.sums(self.bias, x)

    def logits_many(self, sentences: list[tuple[list[dict[str, float]], list[float]]]) -> list[list[float]]:
        """logits() of each sentence, all walked at once (a document's: fewer, larger array steps)."""
        at = self._at
        rows = [(f, ctx) for features, zs in sentences for f, ctx in zip(features, context_features(zs))]
        if not rows:
            return [[] for _ in sentences]
        x = np.zeros((len(rows), len(self.inputs)))
        for row, (f, ctx) in zip(x, rows):
            for n, v in f.items():
                j = at.get(n)
                if j is not None:
                    row[j] = v
            for n, v in ctx.items():
                row[at["ctx:" + n]] = v
        flat = self.rows_logits(x).tolist()
        out, k = [], 0
        for _, zs in sentences:
            out.append(flat[k : k + len(zs)])
            k += len(zs)
        return out


@dataclass(frozen=True)
class _TreeArrays:
    """Trees as complete binary trees of one depth in heap order (node i's children 2i+1, 2i+2):
    each tree's input and threshold at its inner nodes, its values at its leaves. A leaf above
    the full depth becomes inner nodes that always go left (threshold +inf) down to copies of
    its value, so every walk takes ``depth`` steps."""

    depth: int
    inputs: np.ndarray  # (trees, inner nodes) input index
    thresholds: np.ndarray  # (trees, inner nodes)
    leaves: np.ndarray  # (trees, leaves)

    @classmethod
    def of(cls, trees) -> "_TreeArrays":
        def depth_of(node) -> int:
            return 1 + max(depth_of(node[2]), depth_of(node[3])) if isinstance(node, list) else 0

        depth = max((depth_of(t) for t in trees), default=0)
        inner = 2 ** depth - 1
        inputs = np.zeros((len(trees), inner), dtype=np.intp)
        thresholds = np.full((len(trees), inner), np.inf)
        leaves = np.zeros((len(trees), inner + 1))

        def place(k: int, node, i: int) -> None:
            if i >= inner:
                leaves[k, i - inner] = node
            elif isinstance(node, list):
                inputs[k, i], thresholds[k, i] = node[0], node[1]
                place(k, node[2], 2 * i + 1)
                place(k, node[3], 2 * i + 2)
            else:  # a leaf above the full depth: both ways lead to its value
                place(k, node, 2 * i + 1)
                place(k, node, 2 * i + 2)

        for k, tree in enumerate(trees):
            place(k, tree, 0)
        return cls(depth, inputs, thresholds, leaves)

    def sums(self, bias: float, x: np.ndarray) -> np.ndarray:
        """``bias`` plus every tree's value, for each row of ``x``, added tree after tree (as a
        loop over the trees would: the training script's figures are those sums)."""
        n, (trees, inner) = len(x), self.inputs.shape
        inputs, thresholds = self.inputs.ravel(), self.thresholds.ravel()
        first = np.arange(trees) * inner  # each tree's root in the flat arrays
        row_start = (np.arange(n) * x.shape[1])[:, None]
        flat_x = x.ravel()
        node = np.zeros((n, trees), dtype=np.intp)
        for _ in range(self.depth):
            at = first + node
            node = 2 * node + 1 + (flat_x.take(row_start + inputs.take(at)) > thresholds.take(at))
        out = np.empty((n, trees + 1))
        out[:, 0] = bias
        out[:, 1:] = self.leaves.ravel().take(np.arange(trees) * (inner + 1) + node - inner)
        return np.cumsum(out, axis=1)[:, -1]


@dataclass(frozen=True)
class LexicalLayer:
    """One language's weights of the words around a name (``lexical_words``), added to the
    language-independent logit; with them the toponym is an incident place at ``threshold``."""

    weights: dict[str, float]
    bias: float
    threshold: float  # on the sum of both logits (on the context or tree stage's logit when there is one)
    context: ContextStage | None = None
    trees: TreeStage | None = None  # in place of ``context``


@dataclass(frozen=True)
class RoleModel:
    """Weights of the role features; a toponym is an incident place when its logit reaches
    ``threshold`` (or, in a language with a lexical layer, that layer's threshold)."""

    weights: dict[str, float]
    bias: float
    threshold: float  # on the logit (on the context stage's logit when there is one)
    lexical: Mapping[str, LexicalLayer] = field(default_factory=dict)  # by language code
    context: ContextStage | None = None
    # the weights for documents that come with their event words (Document.triggers), fitted with
    # the trigger as the event cue; None: these weights serve them too
    with_triggers: "RoleModel | None" = None

    def for_document(self, doc: Document) -> "RoleModel":
        """The weights that serve ``doc``: with_triggers when it comes with event words."""
        return self.with_triggers if doc.triggers and self.with_triggers is not None else self

    def logit(self, features: dict[str, float], words: tuple[str, ...] = (), lang: str | None = None) -> float:
        w = self.weights
        z = self.bias + sum(w.get(name, 0.0) * v for name, v in features.items())
        layer = self.lexical.get(lang) if lang else None
        if layer is not None:
            lw = layer.weights
            z += layer.bias + sum(lw.get(word, 0.0) for word in words)
        return z

    def threshold_for(self, lang: str | None) -> float:
        layer = self.lexical.get(lang) if lang else None
        return self.threshold if layer is None else layer.threshold

    def sentence_logits(self, candidates: list[tuple[dict[str, float], tuple[str, ...]]],
                        lang: str | None = None) -> list[float]:
        """The logits of one sentence's candidates ((features, words) each), to be compared with
        ``threshold_for(lang)``: the first stage's, weighed again by the context (or tree) stage."""
        return self.sentences_logits([candidates], lang)[0]

    def sentences_logits(self, sentences: list[list[tuple[dict[str, float], tuple[str, ...]]]],
                         lang: str | None = None) -> list[list[float]]:
        """sentence_logits() of each of a document's sentences (the tree stage takes them at once)."""
        zss = [[self.logit(f, ws, lang) for f, ws in candidates] for candidates in sentences]
        layer = self.lexical.get(lang) if lang else None
        if layer is not None and layer.trees is not None:
            return layer.trees.logits_many([([f for f, _ in c], zs) for c, zs in zip(sentences, zss)])
        stage = self.context if layer is None else layer.context
        return [stage.logits(zs) if stage is not None and zs else zs for zs in zss]


def _context_stage(raw: dict | None) -> ContextStage | None:
    return ContextStage(dict(raw["weights"]), float(raw["bias"])) if raw else None


def _tree_stage(raw: dict | None) -> TreeStage | None:
    return TreeStage(tuple(raw["inputs"]), float(raw["bias"]), tuple(raw["trees"])) if raw else None


@lru_cache(maxsize=1)
def role_model() -> RoleModel:
    raw = json.loads((resources.files("geoincidents") / "data" / ROLE_MODEL).read_text(encoding="utf-8"))
    return _role_model(raw)


class _Layers(Mapping):
    """RoleModel.lexical as read from role_model.json: each language's layer (10,000 word weights
    and 600 trees for English) is made the first time a document of the language asks for it, so
    that a run in another language does not pay for it (about 30 ms)."""

    def __init__(self, raw: dict):
        self._raw = raw
        self._made: dict[str, LexicalLayer] = {}

    def __getitem__(self, lang: str) -> LexicalLayer:
        layer = self._made.get(lang)
        if layer is None:
            r = self._raw[lang]
            layer = self._made[lang] = LexicalLayer(
                dict(r["weights"]), float(r["bias"]), float(r["threshold_logit"]),
                _context_stage(r.get("context")), _tree_stage(r.get("trees")))
        return layer

    def __iter__(self):
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _role_model(raw: dict) -> RoleModel:
    lexical = _Layers(raw.get("lexical", {}))
    with_triggers = _role_model(raw["with_triggers"]) if raw.get("with_triggers") else None
    return RoleModel(dict(raw["weights"]), float(raw["bias"]), float(raw["threshold_logit"]), lexical,
                     _context_stage(raw.get("context")), with_triggers)


@dataclass
class RoleCandidate:
    """A toponym of an event sentence with its role features."""

    index: int  # into the toponyms
    features: dict[str, float]
    approximate: bool
    free: int
    words: tuple[str, ...] = ()  # what a lexical layer weighs (lexical_words)
    # the event or locative word that governs the name, and whether it does so through a list
    # ('toward Goris, Sotk and Jermuk': all three share the word, the last two through the list)
    governor: int | None = None
    listed: bool = False


LEXICAL_WINDOW = 3  # words each side of a name that a lexical layer weighs by their position
LEXICAL_BAG = 8  # and, as a bag, the words after those up to this far


def lexical_words(keys: list[str], first: int, last: int, found, bag=()) -> tuple[str, ...]:
    """The words a lexical layer weighs for the name at words ``first``..``last`` of a sentence
    (folded ``keys``, event cues ``found``): the words next to it by position ('L1:in', 'R1:on',
    '<s>' and '</s>' past the sentence's ends), the two-word phrases on either side, the further
    words as a bag ('Lb:', 'Rb:'), the nearest event word with its side, the word before the name
    with it ('L1:in|cue:killed'), every event word of the sentence, and ``bag``, the sentence's
    lowercase words ('S:since'). _role_candidates adds the word that governs the name
    ('gov:locative:near'), alone and with the nearest event word."""
    n = len(keys)
    out = []
    for j in range(1, LEXICAL_WINDOW + 1):
        out.append("L%d:%s" % (j, keys[first - j] if first - j >= 0 else "<s>"))
        out.append("R%d:%s" % (j, keys[last + j] if last + j < n else "</s>"))
    out.append("L21:" + " ".join(keys[k] if k >= 0 else "<s>" for k in (first - 2, first - 1)))
    out.append("R12:" + " ".join(keys[k] if k < n else "</s>" for k in (last + 1, last + 2)))
    for j in range(LEXICAL_WINDOW + 1, LEXICAL_BAG + 1):
        if first - j >= 0:
            out.append("Lb:" + keys[first - j])
        if last + j < n:
            out.append("Rb:" + keys[last + j])
    cues = [(i, i + len(c.words) - 1, " ".join(keys[i : i + len(c.words)])) for i, c in found]
    if cues:
        _, (_, e, w) = min(
            ((first - e if e < first else (s - last if s > last else 0)), (s, e, w)) for s, e, w in cues
        )
        out.append("cue:" + w)
        out.append("cue:%s:%s" % (w, "before" if e < first else "after"))
        out.extend("anycue:" + w for _, _, w in cues)
        out.append("%s|cue:%s" % (out[0], w))  # the word before the name with the event word: 'L1:in|cue:killed'
    out.extend("S:" + k for k in bag)
    return tuple(dict.fromkeys(out))


_QUOTE = re.compile(r"[\"“”«»„]|``|''")  # quotation marks: reported speech
_DASH = re.compile(r"--|[—–]")

JOIN_WORDS = 7  # how far a name may stand from the one it is joined to ('X neighbourhood of the port city of Y')


def _joined_place(doc: Document, lex: lexicon.Lexicon, ws, keys: list[str], start: int, step: int,
                  place_words: set[int], cue_words: set[int]) -> bool:
    """Walking from word ``start`` (the name's first word with ``step`` -1, its last with +1), is
    another name reached through 1 to JOIN_WORDS lowercase words, with no list connector, event
    word, word that takes a name away from the event ('from', 'by'), other capitalised word,
    number or clause break on the way? ('the Zahra neighbourhood of the port city of Jiddah',
    'at Sopore town in Baramulla district', 'Mutarule, in the territory of Uvira'; not 'Goris,
    Sotk and Jermuk', 'Atmeh, Syria')."""
    i = start
    for _ in range(JOIN_WORDS + 1):
        j = i + step
        if not 0 <= j < len(ws) or _CLAUSE_BREAK.search(doc.text[ws[min(i, j)][1] : ws[max(i, j)][0]]):
            return False
        if j in place_words:
            return j != start + step
        if j in cue_words or _ends_at(lex.connectors, keys, j) or _ends_at(_not_before(lex.lang), keys, j):
            return False
        w = doc.text[ws[j][0] : ws[j][1]]
        if w[:1].isupper() or w.isdigit():
            return False
        i = j
    return False


def _distance_bin(d: int) -> str:
    if d <= 2:
        return "cue_dist_0_2"
    if d <= 6:
        return "cue_dist_3_6"
    if d <= 12:
        return "cue_dist_7_12"
    return "cue_dist_13_"


def _role_candidates(
    doc: Document,
    lex: lexicon.Lexicon,
    toponyms: tuple[Toponym, ...],
    members: list[int],
    ws,
    keys: list[str],
    found,
    source_words: set[int],
    actor_words: set[int],
    event_cues=None,
) -> list[RoleCandidate]:
    """Role features of the toponyms ``members`` of one sentence with event cues ``found``.
    ``event_cues``: when ``found`` is a given event word (Document.triggers), the lexicon's event
    cues of the sentence (the other events it may report)."""
    starts = [s for s, _ in ws]
    place_words: set[int] = set()
    word_place: dict[int, Toponym] = {}  # first word of a name -> its toponym
    last_word_place: dict[int, Toponym] = {}  # last word of a name -> its toponym
    for k in members:
        m = toponyms[k].mention
        i = bisect_left(starts, m.start)
        if i < len(ws):
            word_place.setdefault(i, toponyms[k])
        while i < len(ws) and ws[i][1] <= m.end:  # the words within the name
            place_words.add(i)
            i += 1
        if i > 0:
            last_word_place.setdefault(i - 1, toponyms[k])
    cue_spans = [(i, i + len(c.words) - 1) for i, c in found]
    cue_words = {k for s, e in cue_spans for k in range(s, e + 1)}
    # the sentence's lowercase words, what kind of sentence it is ('war', 'since', 'wicket'), for
    # the lexical layer: not its names, whose weights would learn the train corpus' topics
    bag = tuple(dict.fromkeys(keys[i] for i, (s, _) in enumerate(ws) if doc.text[s].islower()))
    cue_ends = {e for _, e in cue_spans}
    cue_starts = {s for s, _ in cue_spans}
    cue_type = {}
    for i, c in found:
        cue_type.setdefault((i, i + len(c.words) - 1), _CUE_TYPES.get(c.label.split("|")[0]))
    event_spans = None if event_cues is None else [(i, i + len(c.words) - 1) for i, c in event_cues]
    out: list[RoleCandidate] = []
    words_of: dict[int, tuple[str, ...]] = {}
    governed: dict[int, bool] = {}
    distance: dict[int, int] = {}
    at: dict[int, tuple[int, int]] = {}  # toponym -> its first and last word
    nearest_cue: dict[int, tuple[int, int]] = {}  # toponym -> the word span of the event word nearest it
    earlier: list[Toponym] = []
    seen_keys: set[str] = set()
    for k in members:
        t = toponyms[k]
        first, last = _word_index(ws, starts, t.mention.start), _word_index(ws, starts, t.mention.end - 1)
        g = _governor(doc, lex, ws, keys, first, place_words, cue_ends)
        if g.kind is None and _suffixed(doc, lex, ws, keys, last):
            g = _Governor("locative", keys[last + 1] in _approx_words(lex), 0, None, True, False, last + 1)
        d, nearest = min(
            ((first - e if e < first else (s - last if s > last else 0)), (s, e)) for s, e in cue_spans
        )
        between = doc.text[ws[min(nearest[1], last)][1] : ws[max(nearest[0], first)][0]] if d else ""
        nxt = last + 1 if last + 1 < len(keys) and doc.text[ws[last][1] : ws[last + 1][0]].isspace() else None
        area = _is_area(t)
        code = _code(t)
        f: dict[str, float] = {
            "gov_cue": g.kind == "cue",
            "gov_locative": g.kind == "locative",
            "gov_speaker": g.kind == "speaker",
            "gov_blocked": g.kind == "blocked",
            "next_actor": nxt is not None and any(c.matches_at(keys, nxt) for c in lex.actor_heads.starting(keys[nxt])),
            "next_cue": nxt is not None and nxt in cue_starts,
            "gov_adjacent": g.kind in ("cue", "locative") and g.adjacent,
            "gov_direct": g.kind == "locative" and g.at is not None,
            "approximate": g.approximate and g.kind in ("cue", "locative"),
            "measured_from_place": g.measured == "place",
            "measured_from_event": g.measured == "event",
            "free_words": g.free if g.kind in ("cue", "locative") else 0,
            "inside_named": g.kind == "locative" and _inside_named(doc, lex, ws, keys, g.at),
            "modifier": _modifier(doc, lex, t),
            "qualifies_previous": _qualifies_previous(t, earlier),
            "container": _container(doc, lex, ws, keys, last, lambda j: _holds(word_place.get(j), t)),
            "possessive": last + 1 < len(keys) and keys[last + 1] in lex.possessive
            and doc.text[ws[last][1] : ws[last + 1][0]] in ("'", "’"),
            "area": area,
            "country": code.startswith(("PCL", "TERR")),
            "region": code.startswith(("CONT", "RGN")),
            "adm1": code.startswith("ADM1"),
            "division": code.startswith("ADM") and not code.startswith("ADM1"),
            "populated": _populated(t),
            _distance_bin(d): 1.0,
            "before_cue": all(first < s for s, _ in cue_spans),
            "cue_same_clause": not _SUBJECT_BREAK.search(between),
            "sentence_start": first == 0,
            "in_source": not source_words.isdisjoint(range(first, last + 1)),
            "in_actor": not actor_words.isdisjoint(range(first, last + 1)),
            "repeated": t.mention.key in seen_keys,
            "only_place": len(members) == 1,
            "many_places": len(members) >= 3,
            "resolution_score": t.score,
            "gov_shared": g.kind in ("cue", "locative") and g.shared,
            # 'Mauthausen, Austria': the second name says where the first lies
            "appositive": first > 0 and first - 1 in place_words and doc.text[ws[first - 1][1] : ws[first][0]].strip() == ",",
            "has_appositive": last + 1 < len(ws) and last + 1 in place_words
            and doc.text[ws[last][1] : ws[last + 1][0]].strip() == ",",
        }
        # reported speech between the name and the nearest event word: a quotation mark, or a word
        # of saying ('... were killed in A," the governor of B said'): the name is the speaker's
        lo, hi = (nearest[1], first) if nearest[1] < first else (last, nearest[0])
        f["quote_between"] = d > 0 and bool(_QUOTE.search(between))
        f["said_between"] = d > 0 and any(
            _ends_at(lex.said, keys, i) or _ends_at(lex.according_to, keys, i) for i in range(lo + 1, hi))
        f["dash_between"] = d > 0 and bool(_DASH.search(between))
        # the event word nearest the name: its ACLED type, on which side of the name it stands
        kind = cue_type.get(nearest)
        if kind:
            f["cue_type_" + kind] = 1.0
        f["cues_several"] = len(found) >= 2
        f["cue_before_in_clause"] = d > 0 and nearest[1] < first and f["cue_same_clause"]
        f["cue_after_in_clause"] = d > 0 and nearest[0] > last and f["cue_same_clause"]
        f["ungoverned"] = g.kind is None
        f["ungoverned_before_cue"] = g.kind is None and f["before_cue"]
        f["position"] = first / max(1, len(ws))  # 0 at the start of the sentence, near 1 at its end
        # 'the Zahra neighbourhood of the port city of X', 'at Sopore town in X district': another
        # name stands shortly before, joined to this one by a few lowercase words (not a list, not
        # an event word): this one mostly says where that one lies. And the other way round:
        # 'the X neighbourhood of the port city of Jiddah'
        f["joined_after_place"] = _joined_place(doc, lex, ws, keys, first, -1, place_words, cue_words)
        f["joined_before_place"] = _joined_place(doc, lex, ws, keys, last, 1, place_words, cue_words)
        # 'KABUL, Afghanistan (AP) -- ...', 'BAGHDAD -- ...': where the report was filed
        f["dateline"] = first == 0 and _dateline(doc, t, ws, place_words, last)
        lexical = lexical_words(keys, first, last, found, bag)
        if g.word is not None:  # the governing word, alone and with the nearest event word
            gov = "gov:%s:%s" % (g.kind, keys[g.word])
            lexical += (gov,) + tuple("%s|%s" % (gov, w) for w in lexical if w.startswith("cue:") and w.count(":") == 1)
        words_of[k] = lexical
        # 'the Dora neighbourhood of Baghdad': the name holds the place named before it
        before = _named_before_division(doc, lex, ws, keys, first, last_word_place)
        f["holds_previous"] = before is not None and _holds(t, before)
        f["named_before_division"] = before is not None  # the same in words alone: the gazetteer may lack the first
        f["seat"] = code.startswith("PPLA")
        f["capital"] = code == "PPLC"
        if event_spans is not None:
            words_of[k] = lexical + _trigger_features(
                f, doc, lex, ws, keys, place_words, first, last, d, nearest, between, g, event_spans)
        distance[k] = d
        at[k] = (first, last)
        nearest_cue[k] = nearest
        governed[k] = g.kind in ("cue", "locative")
        out.append(RoleCandidate(k, f, f["approximate"], int(f["free_words"]),
                                 governor=g.word if governed[k] else None,
                                 listed=governed[k] and g.shared and _in_list(doc, lex, ws, keys, first, last, place_words)))
        earlier.append(t)
        seen_keys.add(t.mention.key)
    # what the other governed places of the sentence say about this one
    ruled = [c.index for c in out if governed[c.index]]
    nearest_ruled = min(ruled, key=lambda k: distance[k]) if ruled else None
    for c in out:
        t = toponyms[c.index]
        others = [toponyms[o.index] for o in out if o.index != c.index and governed[o.index]]
        precise = [o for o in others if not _is_area(o)]
        f = c.features
        f["governed_x_area"] = governed[c.index] and f["area"]
        f["governed_x_only"] = governed[c.index] and f["only_place"]
        f["several_governed"] = governed[c.index] and len(ruled) > 1
        f["nearest_governed"] = c.index == nearest_ruled and len(ruled) > 1
        f["area_with_governed_precise"] = f["area"] and bool(precise)
        f["area_holds_governed"] = f["area"] and any(_inside(o, t) for o in precise)
        f["in_governed_area"] = not f["area"] and any(_is_area(o) and _inside(t, o) for o in others)
        f["division_of_governed_town"] = _holds_a_town(t, others)
        f["first_governed"] = bool(ruled) and c.index == ruled[0]
        # 'an offensive in northern Aleppo, targeting the village of X': another governed place of the
        # sentence covers less ground (_extent), and may be the event's place rather than this one
        f["finer_governed_other"] = any(_extent(o) < _extent(t) for o in others)
        _between_places(f, c.index, nearest_cue[c.index], at, governed)
        c.features = {name: float(v) for name, v in f.items() if v}
        c.words = words_of[c.index]
    return out


def _between_places(f: dict, k: int, trigger: tuple[int, int], at: dict[int, tuple[int, int]],
                    governed: dict[int, bool]) -> None:
    """Features (into ``f``) of the other names of the sentence that stand between the event word
    nearest the name ``k`` (``trigger``, its word span: the given event word when there is one) and
    that name (``at``: each name's first and last word; ``governed``: whether a locative or event
    word governs it): '[[killed]] in A, near B' (one between, itself governed: B mostly says where A
    is), and whether it is the nearest name on its side of the word."""
    first, last = at[k]
    lo, hi = (trigger[1], first) if trigger[1] < first else (last, trigger[0])
    inside = [o for o, (a, b) in at.items() if o != k and lo < a and b < hi]
    f["place_between"] = len(inside) >= 1
    f["places_between_2_"] = len(inside) >= 2
    f["governed_between"] = any(governed[o] for o in inside)
    f["nearest_on_side"] = hi > lo + 1 and not inside  # (right next to it: the distance features say so)


def _trigger_features(f: dict, doc: Document, lex: lexicon.Lexicon, ws, keys: list[str], place_words: set[int],
                      first: int, last: int, d: int, trigger: tuple[int, int], between: str, g: _Governor,
                      event_spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """Features (into ``f``) of the name at words ``first``..``last`` against a given event word
    (``trigger``, its word span, at ``d`` words; ``between``: the text between them): what the
    lexicon's own event cues of the sentence (``event_spans``, their word spans) add (another event
    word stands nearer the name, or between them, or governs the name: 'killed in A after
    fighting in B': B is the fighting's; whether the given word is a known cue at all), and what
    stands between the two (a clause word, commas, capitalised words). Gives the lexical words
    they add: the words between them ('[[killed]] ... retreated towards X') and the side and
    distance of the given word."""
    f["trigger_known"] = any(s <= trigger[1] and trigger[0] <= e for s, e in event_spans)
    spans = [(s, e) for s, e in event_spans if not (s <= trigger[1] and trigger[0] <= e)]
    lo, hi = (trigger[1], first) if trigger[1] < first else (last, trigger[0])

    def dist(s: int, e: int) -> int:
        return first - e if e < first else (s - last if s > last else 0)

    f["other_cue_nearer"] = any(dist(s, e) < d for s, e in spans)
    f["other_cue_between"] = d > 0 and any(lo < s and e < hi for s, e in spans)
    if g.word is not None:
        ends = {e for _, e in spans}
        f["other_cue_governs"] = g.word in ends or (g.kind == "locative" and g.word - 1 in ends)
    f["trigger_before"] = d > 0 and trigger[1] < first
    f["trigger_after"] = d > 0 and trigger[0] > last
    f["clause_word_between"] = d > 0 and any(keys[i] in lex.clause_words for i in range(lo + 1, hi))
    commas = between.count(",")
    f["commas_between_1"] = commas == 1
    f["commas_between_2_"] = commas >= 2
    f["capitalised_between"] = d > 0 and any(
        doc.text[ws[i][0]].isupper() and i not in place_words for i in range(lo + 1, hi))
    side_of = "before" if trigger[1] < first else "after"
    f["trigger_%s_%s" % (side_of, _distance_bin(d)[9:])] = 1.0
    return (tuple("B:" + keys[i] for i in range(lo + 1, hi) if hi - lo <= 16)
            + ("Bside:%s:%s" % (side_of, _distance_bin(d)[9:]),))


_CUE_TYPES = {
    "Explosions/Remote violence": "remote", "Battles": "battle", "Violence against civilians": "violence",
    "Protests": "protest", "Riots": "riot", "Strategic developments": "strategic", "Disasters": "disaster",
    "Accidents": "accident",
}


def _named_before_division(doc: Document, lex: lexicon.Lexicon, ws, keys, first: int, last_word_place) -> Toponym | None:
    """The place named right before '<division word> [of]' before word ``first``: 'the Dora
    neighbourhood of X', 'Daychopan district of X'."""
    k = first - 1
    if k < 1 or _SUBJECT_BREAK.search(doc.text[ws[k][1] : ws[first][0]]):
        return None
    if not doc.text[ws[k][0]].isupper() and not lex.divisions.quick().ends_at(keys, k):
        k -= 1  # 'of', 'de'
    for c in lex.divisions.quick().ending_at(keys, k):
        j = k - len(c.words)
        if j >= 0 and not _SUBJECT_BREAK.search(doc.text[ws[j][1] : ws[first][0]]):
            return last_word_place.get(j)
    return None


_DATELINE_DASH = re.compile(r"^\s*(?:\([^()]{1,30}\)\s*)?(?:--|[—–-])\s")


def _dateline(doc: Document, t: Toponym, ws, place_words: set[int], last: int) -> bool:
    """Is the name that opens the sentence a dateline: in capitals, followed (after perhaps a
    second name: 'TEHRAN, Iran') by the agency in brackets and a dash?"""
    if not t.mention.text.isupper() or len(t.mention.text) < 3:
        return False
    end = t.mention.end
    j = last + 1
    if j < len(ws) and j in place_words and doc.text[ws[last][1] : ws[j][0]].strip() == ",":
        while j + 1 < len(ws) and j + 1 in place_words and doc.text[ws[j][1] : ws[j + 1][0]].isspace():
            j += 1
        end = ws[j][1]
    return bool(_DATELINE_DASH.match(doc.text[end : end + 40]))


def role_features(doc: Document, toponyms: tuple[Toponym, ...]) -> list[tuple[int, RoleCandidate]]:
    """(sentence index, candidate) for every toponym of a sentence with an event cue: what the
    role model sees (scripts/train_role_model.py fits it on these)."""
    out = []
    for s_index, ctx in _event_sentences(doc, toponyms):
        out.extend((s_index, c) for c in ctx.candidates)
    return out


@dataclass
class _EventSentence:
    label: tuple[str, str]
    source: tuple[str, tuple[int, int]] | None
    actors: list[str]
    candidates: list[RoleCandidate]
    ws: list[tuple[int, int]]  # the sentence's words: document offsets
    keys: list[str]  # and folded
    event: str = ""  # what tells apart the events of one sentence in the event id (given event words)


TRIGGER_LABEL = "Strategic developments|Other"
"""The event type of a given event word (Document.triggers) that is no cue of the lexicon."""


def _event_sentences(doc: Document, toponyms: tuple[Toponym, ...]):
    """(sentence index, _EventSentence) for each sentence that reports an event; for a document
    with given event words (Document.triggers), one for each such word, and only for them."""
    lex = lexicon.get(doc.lang)
    events = lex.events.quick()
    by_sentence: dict[int, list[int]] = {}
    for k, t in enumerate(toponyms):
        by_sentence.setdefault(t.mention.sentence, []).append(k)
    # an event sentence matters when it names places, or when a sentence after it that does
    # may take its actors and source (_inherited): other sentences need not be read
    near_places = {s - back for s in by_sentence for back in range(LOOKBACK_SENTENCES + 1)}
    given = _triggers_by_sentence(doc) if doc.triggers else None
    for s_index, sentence in enumerate(doc.sentences):
        if s_index not in near_places:
            continue
        if given is None:
            if sentence.boilerplate:
                continue
            found = events.find(_word_tokens(sentence.text).keys)  # (most sentences report no event)
            if lex.separable:
                found += _separable(lex, sentence.text)
            if not found:
                continue
        elif s_index not in given:
            continue
        found_words = words(sentence.text)
        keys = list(map(_KEY, found_words))
        ws = _offsets(sentence, found_words)
        if given is None:
            each = [("", found, None)]
        else:
            cues = events.find(keys) + (_separable(lex, sentence.text) if lex.separable else [])
            each = _trigger_cues(doc, lex, ws, keys, given[s_index], cues)
        source = _source(doc, lex, ws, keys)
        source_words = {i for i, (s, e) in enumerate(ws) if source[1][0] <= s and e <= source[1][1]} if source else set()
        members = by_sentence.get(s_index, [])
        for event, found, event_cues in each:
            label = _label(doc, lex, ws, found)
            cue_words = {i + j for i, c in found for j in range(len(c.words))}
            spans = _actor_spans(doc, lex, ws, keys, source_words | cue_words, set())
            actor_words = {i for lo, hi in spans for i in range(lo, hi + 1)}
            actors = _actors(doc, ws, spans)
            if label[0].startswith("Accidents|") and len(actors) >= 2:
                # 'Soldati e ribelli si sono scontrati' (Italian, like Turkish 'çarpıştı', says
                # 'collided' and 'clashed' alike): two sides that collide fight
                label = ("Battles|Armed clash", label[1])
            candidates = (
                _role_candidates(doc, lex, toponyms, members, ws, keys, found, source_words, actor_words, event_cues)
                if members else []
            )
            yield s_index, _EventSentence(label, source, actors, candidates, ws, keys, event)


def _separable(lex: lexicon.Lexicon, text: str) -> list[tuple[int, lexicon.Cue]]:
    """(word index, cue) of the verbs of ``text`` whose particle stands apart, last in their
    clause (lexicon [separable]: German 'Israel griff am Montag Gaza an')."""
    t = _word_tokens(text)
    keys, gaps = t.keys, t.gaps
    out = []
    for i, cue in lex.separable.quick().find(keys):
        particles = lex.particles[cue]
        for k in range(i + len(cue.words), len(keys)):
            if keys[k] in particles and (k + 1 == len(keys) or _CLAUSE_BREAK.search(gaps[k + 1])
                                         or _COMMA.search(gaps[k + 1])):
                out.append((i, cue))
                break
    return out


def _triggers_by_sentence(doc: Document) -> dict[int, list[tuple[int, int]]]:
    """The given event words (Document.triggers) by the sentence their start is in."""
    out: dict[int, list[tuple[int, int]]] = {}
    for start, end in sorted(set(doc.triggers)):
        k = doc.sentence_at(start)
        if k is not None:
            out.setdefault(k, []).append((start, end))
    return out


def _trigger_cues(doc: Document, lex: lexicon.Lexicon, ws, keys: list[str], spans, cues):
    """(event id suffix, found, the lexicon's cues of the sentence) for each given event word
    (``spans``: document offsets) of a sentence (words ``ws``, folded ``keys``, the lexicon's
    event cues ``cues``): the words it covers stand as the cue, with the label of the most specific
    lexicon cue among them ('shelled' -> shelling), else TRIGGER_LABEL. A given word that covers
    no word of the sentence is left out."""
    order = _label_order(lex.lang)
    covered = []
    for start, end in spans:
        at = [i for i, (s, e) in enumerate(ws) if s < end and start < e]
        if at:
            covered.append((at[0], at[-1]))
    covered = list(dict.fromkeys(covered))
    out = []
    for n, (a, b) in enumerate(covered, start=1):
        known = [c for i, c in cues if i <= b and a <= i + len(c.words) - 1]
        label = min(known, key=lambda c: order.get(c.label, len(order))).label if known else TRIGGER_LABEL
        cue = lexicon.Cue(tuple(keys[a : b + 1]), (False,) * (b - a + 1), label, lex.clitics)
        out.append(("" if len(covered) == 1 else ".%d" % n, [(a, cue)], cues))
    return out


# --- putting it together -------------------------------------------------------------------------


@dataclass
class _Evidence:
    actors: list[str]
    source: str | None
    label: str


def _in_list(doc: Document, lex: lexicon.Lexicon, ws, keys: list[str], first: int, last: int,
             place_words: set[int]) -> bool:
    """Is the name at words ``first..last`` an item after the first of a list of places: a
    connector before it ('Sotk, dan Jermuk'), or a comma before it with the list going on after
    it ('Goris, Sotk, dan')? A comma alone does not make a list: 'Atmeh, Syria', 'Samarra, north
    of Baghdad', 'Calamar, Guaviare province' name where the first place is."""

    def comma(i: int, j: int) -> bool:  # only a comma between words i and j
        return doc.text[ws[i][1] : ws[j][0]].strip() == ","

    before = lex.connectors.past(keys, first - 1, -1)
    if before is not None:
        return before in place_words
    if first - 1 not in place_words or not comma(first - 1, first):
        return False
    after = lex.connectors.past(keys, last + 1, 1)
    if after is not None:
        return after in place_words
    return last + 1 in place_words and comma(last, last + 1)


def _listed_with(candidates, picked, toponyms) -> list[tuple[RoleCandidate, float]]:
    """The other places of a list share the role of its picked items: one event naming several
    places ('shelled Goris, Sotk and Jermuk') happened at each. A list is the places after one
    governing word joined by commas and connectors (RoleCandidate.listed) and the place that
    begins it; only places of the picked item's kind (towns with a town, areas with an area)
    and never vetoed ones join."""
    groups: dict[int, list[RoleCandidate]] = {}
    for c in candidates:
        if c.governor is not None:
            groups.setdefault(c.governor, []).append(c)
    chosen = {id(c): p for c, p in picked}
    out = []
    for group in groups.values():
        items = [c for c in group if c.listed]
        if not items:
            continue
        heads = [c for c in group if not c.listed and c.index < items[0].index]
        items = heads[-1:] + items
        for c in items:
            if id(c) in chosen or any(v in c.features for v in VETOES):
                continue
            area = _is_area(toponyms[c.index])
            probs = [chosen[id(o)] for o in items if id(o) in chosen and _is_area(toponyms[o.index]) == area]
            if probs:
                out.append((c, max(probs)))
    return out


def find_incidents(
    doc: Document, toponyms: tuple[Toponym, ...]
) -> tuple[tuple[Toponym, ...], tuple[Incident, ...]]:
    """Assign each toponym its role and build one Incident per incident place."""
    lex = lexicon.get(doc.lang)
    model = role_model().for_document(doc)
    threshold = model.threshold_for(doc.lang)
    roles = ["mention"] * len(toponyms)
    incidents: list[tuple[int, Incident]] = []  # (toponym index, incident)
    evidence: dict[int, list[_Evidence]] = {}  # sentence -> its events' (several with given triggers)
    said: dict[int, tuple] = {}  # sentence -> (date, denial, fatalities): the same for each of its events
    events = list(_event_sentences(doc, toponyms))
    weighed_of = [[c for c in ev.candidates if not any(v in c.features for v in VETOES)] for _, ev in events]
    logits = model.sentences_logits([[(c.features, c.words) for c in weighed] for weighed in weighed_of], doc.lang)
    for (s_index, ev), weighed, zs in zip(events, weighed_of, logits):
        sentence = doc.sentences[s_index]
        label = ev.label
        here = _Evidence(ev.actors, ev.source[0] if ev.source else None, label[0])
        evidence.setdefault(s_index, []).append(here)
        picked = [(c, 1.0 / (1.0 + math.exp(-z))) for c, z in zip(weighed, zs) if z >= threshold]
        picked += _listed_with(ev.candidates, picked, toponyms)
        if not picked:
            continue
        event_type, sub_event_type = label[0].split("|")
        actor_list, claimed = _inherited(doc, evidence, s_index, here)
        if s_index not in said:
            disputed = _denial(doc, lex, ev.ws, ev.keys)
            if disputed is None and s_index + 1 < len(doc.sentences) and not doc.sentences[s_index + 1].boilerplate:
                disputed = _denial(doc, lex, *_sentence_words(doc.sentences[s_index + 1]))
            said[s_index] = _event_date(doc, lex, s_index), disputed, _fatalities(doc, lex, sentence)
        when, disputed, dead = said[s_index]
        for c, p in picked:
            t = toponyms[c.index]
            confidence = p * (0.2 + 0.8 * t.score)
            incidents.append(
                (
                    c.index,
                    Incident(
                        event_id=f"{doc.id}#{s_index}{ev.event}",
                        toponym=replace(t, role="incident"),
                        sentence=sentence,
                        event_type=event_type,
                        sub_event_type=sub_event_type,
                        cue=label[1],
                        event_date=when[0] if when else None,
                        time_precision=when[1] if when else None,
                        actor1=actor_list[0] if actor_list else None,
                        actor2=actor_list[1] if len(actor_list) > 1 else None,
                        claimed_by=claimed,
                        disputed_by=disputed,
                        fatalities=dead,
                        confidence=round(max(0.05, min(1.0, confidence)), 3),
                        geo_precision=_precision(t, c.approximate),
                    ),
                )
            )
    # a country or region is the incident place only when no incident place of the
    # document lies inside it
    precise = [inc.toponym for _, inc in incidents if not _is_area(inc.toponym)]
    kept = [
        (k, inc) for k, inc in incidents
        if not (_is_area(inc.toponym) and any(_inside(p, inc.toponym) for p in precise))
        and not _division_of_a_town(inc, incidents)
    ]
    for k, _ in kept:
        roles[k] = "incident"
    roled = tuple(t if t.role == r else replace(t, role=r) for t, r in zip(toponyms, roles))
    return roled, tuple(inc for _, inc in kept)


def _inherited(doc: Document, evidence: dict[int, list[_Evidence]], s_index: int,
               here: _Evidence) -> tuple[list[str], str | None]:
    """Actors and source of the event (``here``, in sentence ``s_index``), or of the sentence
    before it in the paragraph that reports an event of the same type ('... melakukan serangan
    artileri. Serangan itu ...'; its first such event when it has several)."""
    actors, source = list(here.actors), here.source
    event_type = here.label.split("|")[0]
    for k in list(_paragraph_back(doc, s_index))[1:]:
        if actors and source:
            break
        prev = next((e for e in evidence.get(k, ()) if e.label.split("|")[0] == event_type), None)
        if prev is None:
            break
        actors = actors or list(prev.actors)
        source = source or prev.source
    return actors, source


@lru_cache(maxsize=None)
def _date_names(lang: str) -> frozenset[str]:
    """Folded one-word date phrases and month names of the language."""
    data = _date_phrases(lang)
    return frozenset({p[0][0] for p in data.phrases if len(p[0]) == 1} | data.months)


def _word_index(ws, starts: list[int], offset: int) -> int:
    """Index of the word (``ws``, starting at ``starts``) that holds ``offset``; 0 when none does."""
    i = bisect_right(starts, offset) - 1
    return i if i >= 0 and offset < ws[i][1] else 0
