"""Reading inputs: every kind of bad input gives a clear one-line error or a note, and the rest is read.

The bad files are made here, in tmp_path.
"""
from __future__ import annotations

import datetime
import gzip
import io
import json
import sys

import pytest

from geoincidents import inputs
from geoincidents.inputs import InputDoc, InputError, InputNote, html_text, read_input

RU = ("Обстрел села Новоивановка начался в понедельник утром. Военные сообщили о погибших и раненых. "
      "В Баку заявили, что армия ответила огнём, а в Ереване призвали к прекращению огня.")
FR = ("Des manifestants ont défilé samedi à Besançon et à Orléans, où la préfecture a été évacuée. "
      "La police a procédé à plusieurs interpellations près de la gare. Selon la mairie, les dégâts "
      "sont importants et une enquête a été ouverte. Les écoles resteront fermées lundi, a précisé le préfet.")
AR = ("قصفت القوات قرية قرب حلب يوم الاثنين وقتل ثلاثة مدنيين. وقال مسؤولون في دمشق إن الهجوم استهدف "
      "منازل سكنية، فيما نزح عشرات السكان إلى إدلب.")


def items(source, **kw):
    return list(read_input(source, **kw))


def docs(source, **kw):
    return [i for i in items(source, **kw) if isinstance(i, InputDoc)]


def errors(source, **kw):
    return [i for i in items(source, **kw) if isinstance(i, InputError)]


def notes(source, **kw):
    return [i for i in items(source, **kw) if isinstance(i, InputNote)]


def one_line(item) -> bool:
    return "\n" not in str(item) and len(str(item)) < 400


# ---------------------------------------------------------------- one document

@pytest.mark.parametrize("content, says", [
    (b"\x00\x01\x02binary\x00data", "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
    (bytes(range(1, 256)) * 8, "binary"),
])
def test_binary_files_are_refused(tmp_path, content, says):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    (err,) = items(f)
    assert isinstance(err, InputError) and says in err.message and one_line(err)
    assert err.where == str(f)


@pytest.mark.parametrize("content, says", [(b"", "is empty"), (b" \n\t\r\n  \n", "white space"),
                                           (b"\xef\xbb\xbf", "is empty")])
def test_empty_and_blank_files_are_refused(tmp_path, content, says):
    f = tmp_path / "empty.txt"
    f.write_bytes(content)
    (err,) = items(f)
    assert isinstance(err, InputError) and says in err.message


@pytest.mark.parametrize("text, encoding", [(RU, "cp1251"), (FR, "latin-1"), (FR, "cp1252"), (AR, "windows-1256")])
def test_legacy_encodings_are_detected_with_a_note(tmp_path, text, encoding):
    f = tmp_path / "legacy.txt"
    f.write_bytes(text.encode(encoding))
    found = items(f)
    (doc,) = [i for i in found if isinstance(i, InputDoc)]
    assert doc.text == text
    (note,) = [i for i in found if isinstance(i, InputNote)]
    assert "not UTF-8" in note.message and "charset-normalizer" in note.message and one_line(note)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom", "utf-32", "utf-8-sig"])
def test_byte_order_marks_decide_silently(tmp_path, encoding):
    text = RU + "\r\n" + FR
    data = ("\ufeff" + text).encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)
    f = tmp_path / "bom.txt"
    f.write_bytes(data)
    assert items(f) == [InputDoc(id="bom", text=text, where=str(f))]  # BOM gone, CR LF kept, no note


def test_utf8_text_is_kept_exactly(tmp_path):
    text = "Line one\r\nTab\there\x0bvertical \x1b[0m esc \u200f\u202e RTL \u0301 e\u0301 \U0001f525\n\u2028next"
    f = tmp_path / "exact.txt"
    f.write_bytes(text.encode("utf-8"))
    assert items(f) == [InputDoc(id="exact", text=text, where=str(f))]


def test_a_document_over_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "MAX_DOCUMENT_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("Shelling hit Kharkiv. " * 100, encoding="utf-8")
    (err,) = items(big)
    assert "1000 bytes, the limit for one document" in err.message
    ok = tmp_path / "ok.txt"
    ok.write_text("Shelling hit Kharkiv. " * 40, encoding="utf-8")
    assert len(docs(ok)) == 1


def test_the_real_limit_is_named_in_mib(tmp_path):
    assert inputs.MAX_DOCUMENT_BYTES == 20 * 1024 * 1024
    assert "20 MiB" in inputs._too_big("x").message


def test_gzipped_documents(tmp_path):
    f = tmp_path / "a.txt.gz"
    f.write_bytes(gzip.compress(FR.encode("utf-8")))
    assert [d.text for d in docs(f)] == [FR]
    assert docs(f)[0].id == "a"
    broken = tmp_path / "b.txt.gz"
    broken.write_bytes(gzip.compress(FR.encode("utf-8"))[:40])
    (err,) = items(broken)
    assert isinstance(err, InputError) and ".gz" in err.message and one_line(err)


def test_gzip_bomb_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "MAX_DOCUMENT_BYTES", 10_000)
    f = tmp_path / "bomb.txt.gz"
    f.write_bytes(gzip.compress(b"a " * 5_000_000))  # 10 MB unpacked
    (err,) = items(f)
    assert "limit for one document" in err.message


# ---------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Site | Strike</title>
<meta property="article:published_time" content="2023-01-04T08:00:00Z">
<style>p { color: red }</style><script>var menu = "<p>Paris</p>";</script></head>
<body><nav><a href="/">Home</a> <a href="/world">Lyon desk</a></nav>
<article><h1>Strike on Kharkiv</h1>
<p>Shelling hit <b>Kharkiv</b> on Monday &amp; Tuesday,<br>officials in Kyiv said.</p>
<aside>Read also: floods in Jakarta</aside><p>Two   people
were hurt.</p></article>
<footer>&copy; 2023 Marseille Media</footer><script>track("Berlin")</script></body></html>"""


def test_html_article_text_is_extracted(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(PAGE, encoding="utf-8")
    (doc,) = items(f)
    assert doc.text == ("Strike on Kharkiv\nShelling hit Kharkiv on Monday & Tuesday,\nofficials in Kyiv said.\n"
                        "Two people were hurt.")
    assert doc.published == datetime.date(2023, 1, 4)
    for chrome in ("Paris", "Lyon", "Jakarta", "Marseille", "Berlin", "color"):
        assert chrome not in doc.text


def test_html_found_by_content_and_legacy_charset(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>'
            f"<body><main><p>{RU}</p></main><div>меню</div></body></html>")
    f = tmp_path / "saved.txt"  # a page saved under another name
    f.write_bytes(page.encode("cp1251"))
    found = items(f)
    (doc,) = [i for i in found if isinstance(i, InputDoc)]
    assert doc.text == RU  # <main> only, no menu
    (note,) = [i for i in found if isinstance(i, InputNote)]
    assert "cp1251" in note.message and "meta charset" in note.message


def test_html_without_article_uses_body_and_tolerates_broken_markup():
    text, published = html_text("<body><div>Floods in <i>Lyon</div><p>More <span>rain</p><nav>unclosed")
    assert text == "Floods in Lyon\nMore rain" and published is None
    assert html_text("<html><body><script>only()</script></body></html>") == ("", None)
    text, _ = html_text("<p>A</p><nav><p>menu</p>")  # an unclosed <nav> hides only what follows it
    assert text == "A"


def test_html_page_with_no_text_is_refused(tmp_path):
    f = tmp_path / "empty.html"
    f.write_text("<!doctype html><html><head><title>x</title></head><body><script>x()</script></body></html>")
    (err,) = items(f)
    assert isinstance(err, InputError) and "no article text" in err.message


# ---------------------------------------------------------------- JSON lines

def test_jsonl_bad_lines_are_reported_and_skipped(tmp_path):
    f = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Shelling hit Kharkiv.", "published": "2023-01-04", "lang": "en"}),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"id": "d", "text": "x", "published": "last Tuesday"}),
        json.dumps({"id": "e", "text": "   "}),
        "",
        json.dumps({"id": "g", "text": "Sep \u2028 arator and \x85 NEL stay inside", "lang": "English"}),
        json.dumps({"text": "no id"}),
        "[" * 100_000,
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = items(f)
    assert [(d.id, d.where) for d in found if isinstance(d, InputDoc)] == [
        ("a", f"{f}:1"), ("g", f"{f}:7"), ("batch-8", f"{f}:8")]
    assert [e.where.rsplit(":", 1)[1] for e in found if isinstance(e, InputError)] == ["2", "3", "4", "5", "9"]
    assert all(one_line(i) for i in found)
    assert docs(f)[1].text == "Sep \u2028 arator and \x85 NEL stay inside" and docs(f)[1].lang is None
    assert any("not a language code" in n.message for n in notes(f))


def test_jsonl_lone_surrogates_become_replacement_characters(tmp_path):
    f = tmp_path / "s.jsonl"
    f.write_text('{"id": "\\udc80x", "text": "Kharkiv \\ud800 shelled"}\n', encoding="utf-8")
    (doc,) = docs(f)
    assert doc.text == "Kharkiv \ufffd shelled" and doc.id == "\ufffdx"
    doc.text.encode("utf-8")
    assert len(notes(f)) == 1


def test_jsonl_line_over_the_limit_is_skipped_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "MAX_DOCUMENT_BYTES", 200)
    f = tmp_path / "long.jsonl"
    f.write_text(json.dumps({"id": "a", "text": "x" * 500}) + "\n" + json.dumps({"id": "b", "text": "Lyon"}) + "\n")
    found = items(f)
    assert [type(i).__name__ for i in found] == ["InputError", "InputDoc"]
    assert found[0].where == f"{f}:1" and "limit" in found[0].message and found[1].id == "b"


def test_jsonl_bad_bytes_on_one_line(tmp_path):
    good = b"".join(b'{"id": "a%d", "text": "Shelling hit Kharkiv \xe2\x80\x94 again"}\n' % i for i in range(2000))
    assert len(good) > 64 * 1024  # the encoding is settled on the first 64 KiB: UTF-8
    f = tmp_path / "mixed.jsonl"
    f.write_bytes(good + b'{"id": "b", "text": "caf\xe9"}\n{"id": "c", "text": "Lyon"}\n')
    found = items(f)
    assert [d.id for d in found if isinstance(d, InputDoc)][-2:] == ["a1999", "c"]
    (err,) = [e for e in found if isinstance(e, InputError)]
    assert err.where == f"{f}:2001" and "UTF-8" in err.message and one_line(err)


def test_jsonl_in_a_legacy_encoding_is_guessed(tmp_path):
    f = tmp_path / "latin.jsonl"
    f.write_bytes(json.dumps({"id": "fr", "text": FR}, ensure_ascii=False).encode("cp1252") + b"\n")
    found = items(f)
    assert [d.text for d in found if isinstance(d, InputDoc)] == [FR]
    assert [type(n) for n in found] == [InputNote, InputDoc]


def test_jsonl_in_utf16_and_gzip(tmp_path):
    body = "\n".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) for i, t in enumerate([RU, FR]))
    f = tmp_path / "u.jsonl"
    f.write_bytes(body.encode("utf-16"))
    assert [d.text for d in docs(f)] == [RU, FR]
    g = tmp_path / "u.jsonl.gz"
    g.write_bytes(gzip.compress(body.encode("utf-8")))
    assert [d.text for d in docs(g)] == [RU, FR] and docs(g)[0].where == f"{g}:1"


def test_empty_jsonl_is_an_error(tmp_path):
    f = tmp_path / "none.jsonl"
    f.write_bytes(b"")
    (err,) = items(f)
    assert isinstance(err, InputError) and "empty" in err.message


# ---------------------------------------------------------------- CSV

def test_csv_rows_with_line_numbers(tmp_path):
    f = tmp_path / "rows.csv"
    f.write_text(
        "id,text,lang,published\n"
        'a,"Shelling hit Kharkiv,\nofficials said.",en,2023-01-04\n'   # lines 2-3
        "b,Floods in Lyon,,\n"                                          # 4
        "c,too,many,fields,here\n"                                     # 5
        "d,,en,\n"                                                      # 6
        "e,Protest in Paris,fr,04/01/2023\n"                            # 7
        "\n"                                                            # 8
        'f,"bad "quote" here",en,\n'                                    # 9
        "g,Rain in Jakarta,id,2023-01-05\n",                            # 10
        encoding="utf-8",
    )
    found = items(f)
    got = [(d.id, d.where.rsplit(":", 1)[1], d.lang) for d in found if isinstance(d, InputDoc)]
    assert got == [("a", "2", "en"), ("b", "4", None), ("g", "10", "id")]
    assert docs(f)[0].text == "Shelling hit Kharkiv,\nofficials said." and docs(f)[0].published == datetime.date(2023, 1, 4)
    assert [e.where.rsplit(":", 1)[1] for e in found if isinstance(e, InputError)] == ["5", "6", "7", "9"]
    assert all(one_line(i) for i in found)


def test_csv_text_column_and_delimiter(tmp_path):
    f = tmp_path / "semi.csv"
    f.write_bytes(("headline;body\nT1;" + FR + "\nT2;" + FR[:50] + "\n").encode("cp1252"))
    assert "has no 'text' column" in errors(f)[0].message and "--text-column" in errors(f)[0].message
    got = docs(f, text_column="body")
    assert [d.text for d in got] == [FR, FR[:50]] and [d.id for d in got] == ["semi-2", "semi-3"]


def test_csv_gzipped_and_in_a_legacy_encoding(tmp_path):
    f = tmp_path / "ru.csv.gz"
    f.write_bytes(gzip.compress(f'id,text\n1,"{RU}"\n'.encode("cp1251")))
    found = items(f)
    assert [d.text for d in found if isinstance(d, InputDoc)] == [RU]
    assert any(isinstance(n, InputNote) and "cp1251" in n.message for n in found)


def test_csv_huge_field_is_read_up_to_the_limit(tmp_path):
    text = "Shelling hit Kharkiv. " * 20_000  # 440 kB, over csv's default field limit
    f = tmp_path / "big.csv"
    f.write_text(f'text\n"{text}"\n', encoding="utf-8")
    assert [d.text for d in docs(f)] == [text]


# ---------------------------------------------------------------- folders, missing files, stdin

def test_folder_reads_supported_files_sorted_and_recursively(tmp_path):
    (tmp_path / "b.txt").write_text("Floods in Lyon.", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text('{"id": "a1", "text": "Kharkiv"}\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("<p>Jakarta</p>", encoding="utf-8")
    (tmp_path / "sub" / "d.csv.gz").write_bytes(gzip.compress(b"text\nParis\n"))
    (tmp_path / "notes.md").write_text("Berlin", encoding="utf-8")         # not a supported suffix
    (tmp_path / ".hidden.txt").write_text("Madrid", encoding="utf-8")       # hidden
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Rome", encoding="utf-8")
    (tmp_path / "z.txt").write_bytes(b"")                                   # empty: an error, the rest read
    found = items(tmp_path)
    assert [d.text for d in found if isinstance(d, InputDoc)] == ["Kharkiv", "Floods in Lyon.", "Jakarta", "Paris"]
    assert [e.where for e in found if isinstance(e, InputError)] == [str(tmp_path / "z.txt")]


def test_empty_folder_and_missing_file(tmp_path):
    (err,) = items(tmp_path)
    assert isinstance(err, InputError) and "folder holds no" in err.message
    (err,) = items(tmp_path / "nope.txt")
    assert err.message == "no such file"


def test_unreadable_file(tmp_path, monkeypatch):
    f = tmp_path / "locked.txt"
    f.write_text("x")

    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    (err,) = items(f)
    assert "cannot be read (Permission denied)" in str(err)


class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize("data, ids", [
    (b"Shelling hit Kharkiv.", ["stdin"]),
    (b'{"id": "j1", "text": "Kharkiv"}\n{"id": "j2", "text": "Lyon"}\n', ["j1", "j2"]),
    (gzip.compress(b'{"id": "z", "text": "Kharkiv"}\n'), ["z"]),
    (b"<!doctype html><p>Floods in Lyon</p>", ["stdin"]),
])
def test_stdin_kinds_told_apart_by_content(monkeypatch, data, ids):
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    assert [d.id for d in docs("-")] == ids


def test_stdin_html_gives_extracted_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(b"<html><body><article><p>Floods in Lyon</p></article></body></html>"))
    assert docs("-")[0].text == "Floods in Lyon"
