"""Stage 4: Toponyms -> roles and Incidents (what happened where, and when).

A toponym is an incident place when its sentence reports an event (a cue word of
the language's lexicon: 'serangan artileri', 'shelling', 'banjir', ...) and the
name stands where the event's location stands: after a locative word, possibly
through place nouns and lists ('ke arah pemukiman Novoivanovka', 'in the village of
X', 'toward Goris, Sotk and Jermuk'). Countries, regions and continents stay
mentions (an analyst wants a town, not a country's centroid), and so does a
division that only says where the place before it lies ('Novoivanovka di wilayah
Gadabay'). Dates come from weekday and relative-day words resolved by dateparser
against the publication date, in the sentence or the ones before it in its paragraph.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from . import lexicon
from .names import words
from .resolve import is_area
from .types import Document, Incident, Sentence, Toponym

_CLAUSE_BREAK = re.compile(r"[.;:!?\"“”()\n]")
_EXPLICIT_DATE = re.compile(r"\b\d{1,2}\s+\w+\s+\d{4}\b|\b\w+\s+\d{1,2},\s+\d{4}\b")
LOOKBACK_SENTENCES = 2


def _label(doc: Document, lex: lexicon.Lexicon, ws, found) -> tuple[str, str]:
    """(label, cue as written) of the most specific of the event cues found."""
    order: dict[str, int] = {}
    for k, c in enumerate(lex.events):
        order.setdefault(c.label, k)
    i, cue = min(found, key=lambda f: (order[f[1].label], f[0]))
    return cue.label, doc.text[ws[i][0] : ws[i + len(cue.words) - 1][1]]


def _governed_by_locative(
    doc: Document,
    lex: lexicon.Lexicon,
    ws,
    keys: list[str],
    first: int,
    place_words: set[int],
    cue_ends: set[int],
) -> bool:
    """Does a locative word or an event word ('shelled the town of X') stand before
    word ``first``, through place nouns and lists?"""
    i = first - 1
    while i >= 0:
        gap = doc.text[ws[i][1] : ws[i + 1][0]]
        if _CLAUSE_BREAK.search(gap):
            return False
        if i in cue_ends:
            return True
        if keys[i] in lex.locative:
            return not any(
                i - len(c.words) >= 0 and c.matches_at(keys, i - len(c.words)) for c in lex.speakers
            )
        if i in place_words:
            i -= 1
            continue
        stepped = False
        for cue in lex.place_nouns + lex.connectors:
            n = len(cue.words)
            if i - n + 1 >= 0 and cue.matches_at(keys, i - n + 1):
                i -= n
                stepped = True
                break
        if not stepped:
            return False
    return False


def _qualifies_previous(t: Toponym, earlier: list[Toponym]) -> bool:
    """'X di wilayah Y', 'X, Y': Y names a division that contains an earlier place X.

    Y may have resolved to the division's seat town ('Lachin' the town or the
    district): any of its candidates being that division is enough.
    """
    divisions = {
        (c.place.country_code, c.place.admin1_code)
        for c in t.mention.candidates
        if c.place.feature_code.startswith("ADM1") and c.place.admin1_code
    }
    for e in earlier:
        q = e.place
        if e.mention.sentence == t.mention.sentence and (q.country_code, q.admin1_code) in divisions:
            return True
    return False


def _parse_day(phrase: str, lang: str, base: datetime) -> date | None:
    import dateparser  # imported when a date is to be read

    got = dateparser.parse(
        phrase,
        languages=[lang] if lang != "en" else ["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"},
    )
    return got.date() if got else None


def sentence_date(doc: Document, lex: lexicon.Lexicon, sentence: Sentence) -> date | None:
    """The day a sentence dates its event to, relative to the publication date."""
    if doc.published is None:
        return None
    published = datetime(doc.published.year, doc.published.month, doc.published.day)
    keys = [k for _, _, k in words(sentence.text)]
    for phrase in lex.relative_days:
        if _contains(keys, phrase):
            got = _parse_day(phrase, lex.lang, published)
            if got:
                return got
    for day in lex.weekdays:
        if _contains(keys, day):
            # A weekday in news means the latest such day up to publication (the same
            # day included): parse it from the day after.
            got = _parse_day(day, lex.lang, published + timedelta(days=1))
            if got and got <= doc.published:
                return got
    for m in _EXPLICIT_DATE.finditer(sentence.text):
        got = _parse_day(m.group(), lex.lang, published)
        if got and got <= doc.published:
            return got
    return None


def _contains(keys: list[str], phrase: str) -> bool:
    target = [k for _, _, k in words(phrase)]
    n = len(target)
    return any(keys[i : i + n] == target for i in range(len(keys) - n + 1))


def _event_date(doc: Document, lex: lexicon.Lexicon, index: int) -> date | None:
    """Date of the event in sentence ``index``, or in the sentences before it in its paragraph."""
    for back in range(LOOKBACK_SENTENCES + 1):
        k = index - back
        if k < 0:
            break
        if back and "\n" in doc.text[doc.sentences[k].end : doc.sentences[k + 1].start]:
            break
        got = sentence_date(doc, lex, doc.sentences[k])
        if got:
            return got
    return None


def find_incidents(
    doc: Document, toponyms: tuple[Toponym, ...]
) -> tuple[tuple[Toponym, ...], tuple[Incident, ...]]:
    """Assign each toponym its role and build one Incident per incident place."""
    lex = lexicon.get(doc.lang)
    by_sentence: dict[int, list[int]] = {}
    for k, t in enumerate(toponyms):
        by_sentence.setdefault(t.mention.sentence, []).append(k)
    roles = ["mention"] * len(toponyms)
    incidents: list[Incident] = []
    for s_index, members in sorted(by_sentence.items()):
        sentence = doc.sentences[s_index]
        ws = [(sentence.start + s, sentence.start + e) for s, e, _ in words(sentence.text)]
        keys = [k for _, _, k in words(sentence.text)]
        found = lex.find(lex.events, keys)
        if not found:
            continue
        label = _label(doc, lex, ws, found)
        cue_ends = {i + len(c.words) - 1 for i, c in found}
        first_word = {k: _word_index(ws, toponyms[k].mention.start) for k in members}
        place_words = set()
        for k in members:
            m = toponyms[k].mention
            place_words.update(i for i, (s, e) in enumerate(ws) if m.start <= s and e <= m.end)
        event_type, sub_event_type = label[0].split("|")
        event_day = None
        earlier: list[Toponym] = []
        for k in members:
            t = toponyms[k]
            if (
                not is_area(t.place)
                and not _qualifies_previous(t, earlier)
                and _governed_by_locative(doc, lex, ws, keys, first_word[k], place_words, cue_ends)
            ):
                roles[k] = "incident"
                if event_day is None:
                    event_day = _event_date(doc, lex, s_index) or False
                incidents.append(
                    Incident(
                        event_id=f"{doc.id}#{s_index}",
                        toponym=replace(t, role="incident"),
                        sentence=sentence,
                        event_type=event_type,
                        sub_event_type=sub_event_type,
                        cue=label[1],
                        event_date=event_day or None,
                        time_precision=1 if event_day else None,
                        confidence=round(0.8 * t.score + 0.1, 3),
                    )
                )
            earlier.append(t)
    roled = tuple(replace(t, role=r) for t, r in zip(toponyms, roles))
    return roled, tuple(incidents)


def _word_index(ws, offset: int) -> int:
    for i, (s, e) in enumerate(ws):
        if s <= offset < e:
            return i
    return 0
