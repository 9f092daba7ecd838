"""The names of days and months and the relative day phrases of dateparser's locales, found
without importing dateparser at every start.

The incident stage needs these names for any document (day and month names are no places, no
actors, no counts), but only reads a date with dateparser when a document has a publication
date. Importing dateparser (its settings, parser, language loader, and through them regex
patterns, logging's config, dateutil) costs about 0.1 s per process. The first time a locale's
names are asked for (per dateparser installation), the entries used here are written as JSON to
the cache folder; later runs read that file. The answer is dateparser's own: the same lists,
in the same order.

Reading a day with dateparser (parse_day) costs another 0.1 s in a process, for its time zone
patterns. The locale's day names and its 'yesterday', 'today', 'last week' phrases mean a day
that is plain arithmetic on the base day (by_rule); when the file is written, each is parsed
by dateparser relative to every day of a week (29 February and a month's end among them) and
kept, under 'checked', only if dateparser gives the rule's day each time; parse_day finds those
without dateparser, and asks it about every other phrase.
"""
from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path

from ._files import replacing

# the entries of a locale's info that the incident stage reads
RELATIVE = ("1 day ago", "0 day ago", "1 week ago", "0 week ago", "1 month ago", "0 month ago")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
# the relative phrases whose day is a number of days before the base day
DAYS_BACK = {"1 day ago": 1, "0 day ago": 0, "1 week ago": 7, "0 week ago": 0}
# the base days a rule is checked on: a week (every weekday) across the end of a leap February
CHECK_BASES = tuple(date(2024, 2, 26) + timedelta(days=i) for i in range(7))
_FORMAT = 2  # of the cached files; a new one makes new files


def parse_day(phrase: str, code: str, base: date, checked: dict[str, list] | None = None) -> date | None:
    """The day dateparser reads in ``phrase`` (locale ``code``), relative to ``base`` and
    preferring the past, or None; found by rule for a phrase of ``checked`` (the locale info's
    'checked'), without dateparser."""
    rule = checked.get(phrase) if checked else None
    if rule is not None:
        return by_rule(rule, base)
    import dateparser  # imported when a day is to be read

    try:
        got = dateparser.parse(phrase, languages=[code], settings={
            "RELATIVE_BASE": datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": "past"})
    except Exception:
        got = None
    return got.date() if got else None


def by_rule(rule: list, base: date) -> date:
    """The day of a ``checked`` rule: ['weekday', k] the last weekday k (0: Monday) before
    ``base``, ['days', n] n days before it."""
    kind, n = rule
    if kind == "weekday":
        return base - timedelta(days=(base.weekday() - n - 1) % 7 + 1)
    return base - timedelta(days=n)


def locale_info(code: str) -> dict:
    """What ``dateparser.languages.loader.default_loader.get_locale(code).info`` holds of
    RELATIVE (under 'relative-type'), DAYS and MONTHS, and under 'checked' the phrases of
    DAYS and DAYS_BACK with the rule (by_rule) that gives dateparser's day for them (see the
    module docstring); {} when dateparser has no such locale or fails."""
    path = _path(code)
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    info = _from_dateparser(code)
    if path is not None:
        _write(path, info)
    return info


def _from_dateparser(code: str) -> dict:
    try:
        from dateparser.languages.loader import default_loader

        full = default_loader.get_locale(code).info
    except Exception:  # a language dateparser does not know
        return {}
    rel = full.get("relative-type", {})
    info: dict = {"relative-type": {k: list(rel[k]) for k in RELATIVE if k in rel}}
    for k in DAYS + MONTHS:
        if k in full:
            info[k] = list(full[k])
    info["checked"] = _checked(code, info)
    return info


def _checked(code: str, info: dict) -> dict[str, list]:
    """The locale's day names and DAYS_BACK phrases whose dateparser day, on each of
    CHECK_BASES, is that of their rule."""
    rules = [(name, ["weekday", k]) for k, day in enumerate(DAYS) for name in info.get(day, [])]
    rules += [(p, ["days", n]) for key, n in DAYS_BACK.items() for p in info["relative-type"].get(key, [])]
    checked: dict[str, list] = {}
    for phrase, rule in rules:
        if phrase not in checked and all(parse_day(phrase, code, b) == by_rule(rule, b) for b in CHECK_BASES):
            checked[phrase] = rule
    return checked


def _path(code: str) -> Path | None:
    """The cache file of ``code`` for the installed dateparser; None when there is none."""
    if not code.replace("-", "").isalnum() or len(code) > 20:
        return None
    try:
        installation = _installation()
        if installation is None:
            return None
        from .gazetteer import cache_dir

        return cache_dir() / f"dateparser-{installation}-v{_FORMAT}" / f"{code}.json"
    except OSError:
        return None


_installations: list[str | None] = []


def _installation() -> str | None:
    """A name for the installed dateparser (its files that make a locale's info: sizes and
    modification times), found without importing it; None when it is not installed."""
    if _installations:
        return _installations[0]
    from importlib.util import find_spec

    found = None
    spec = find_spec("dateparser")
    if spec is not None and spec.origin:
        package = Path(spec.origin).parent
        parts = [str(package)]
        for rel in ("__init__.py", "languages/loader.py", "languages/locale.py", "languages/dictionary.py",
                    "data/__init__.py", "data/languages_info.py"):
            f = package / rel
            if f.is_file():
                st = f.stat()
                parts.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}")
        data = package / "data" / "date_translation_data"
        if data.is_dir():
            st = data.stat()
            parts.append(f"data:{st.st_mtime_ns}")
            with os.scandir(data) as entries:
                parts += sorted(f"{e.name}:{e.stat().st_size}" for e in entries if e.name.endswith(".py"))
        import hashlib

        found = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    _installations.append(found)
    return found


def _write(path: Path, info: dict) -> None:
    """Write the cache file atomically; a folder that cannot be written is left alone."""
    try:
        with replacing(path) as tmp:
            tmp.path.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass
