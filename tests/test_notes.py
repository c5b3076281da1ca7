"""Footnotes and cross-references on real outputs: the PDF's pages and the HTML version."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Built, build_once, page_texts
from pdfgeom import fragments, lines

from briefing.check import check
from briefing.load import load

FILLER = ("Words that fill the answer so that the questions fall on different pages of "
          "the briefing and the notes with them. ")

#: Each note is called right after a sentence of its own, and its text is unique: the
#: page of both can be found from the PDF's text alone.
NOTES = {
    "intro": ("Gamma opens the briefing", "Gamma note says who wrote it."),
    "1.1": ("Alpha ends here", "Alpha note, with *emphasis* and [a link](https://example.org/a)."),
    "2.2": ("Beta ends here", "Beta note, the second text using one."),
    "3.3": ("Delta ends here", "Delta note, late in the briefing."),
}


def _answer(key: str, extra: str = "") -> str:
    """Markdown: the note's sentence and its call, filler, and the note's definition."""
    sentence, note = NOTES[key]
    return f"{sentence}.[^1] {extra}{FILLER * 9}\n\n[^1]: {note}\n"


def _block(text: str, indent: int) -> str:
    """A YAML literal block holding ``text``."""
    pad = " " * indent
    return "|\n" + "".join(pad + line + "\n" if line else "\n" for line in text.splitlines())


def _source() -> str:
    """Three parts of three questions: notes in the introduction and three answers (two
    answers both use ``[^1]``), cross-references forward and back."""
    answers = {
        "1.1": _answer("1.1", "Details are in [the last question](#last) "),
        "2.2": _answer("2.2", "Compare [the first](#first) and [the third part](#s-3) "),
        "3.3": _answer("3.3", "As in [the first question](#first), "),
    }
    intro = _answer("intro", "The end is in [the last question](#last). ")
    out = ["title: Notes\nlanguage: en\nintroduction: " + _block(intro, 2) + "sections:\n"]
    for s in range(1, 4):
        out.append(f"  - title: Part {s}\n    questions:\n")
        for q in range(1, 4):
            key = f"{s}.{q}"
            out.append(f"      - question: Question {key} asked here?\n")
            if key in ("1.1", "3.3"):
                out.append(f"        id: {'first' if key == '1.1' else 'last'}\n")
            out.append("        answer: " + _block(answers.get(key, FILLER * 8), 10))
    return "".join(out)


@pytest.fixture(scope="module")
def noted(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A multi-page briefing with footnotes in its introduction and answers; cross-references."""
    folder = tmp_path_factory.mktemp("noted-src")
    source = folder / "noted.yaml"
    source.write_text(_source(), encoding="utf-8")
    return build_once(source, tmp_path_factory.mktemp("noted"))


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The same briefing as appendix B: every body page number starts with "B-"."""
    folder = tmp_path_factory.mktemp("prefixed-src")
    source = folder / "noted.yaml"
    source.write_text(_source().replace("title: Notes\n", "title: Notes\nappendix: B\n"),
                      encoding="utf-8")
    return build_once(source, tmp_path_factory.mktemp("prefixed"))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _footer_number(text: str) -> str | None:
    """The page number the footer prints ("Page 3 of 9"), read from the page's text."""
    found = re.search(r"(?:Page|Página) (\S+) (?:of|de) \S*\d", _flat(text))
    return found[1] if found else None


def test_a_footnote_is_at_the_foot_of_the_page_of_its_call(noted: Built) -> None:
    reader = noted.reader
    texts = [_flat(t) for t in page_texts(reader)]
    for order, (sentence, note) in enumerate(NOTES.values()):
        plain = note.replace("*", "").replace("[a link](https://example.org/a)", "a link")
        (called,) = [i for i, t in enumerate(texts) if f"{sentence}." in t]
        (noted_on,) = [i for i, t in enumerate(texts) if plain.split(",")[0] in t]
        assert called == noted_on, sentence
        # One series of numbers through the body, in reading order (the fixture's links
        # are all inside notes, where they take no number of their own).
        number = re.search(re.escape(sentence) + r"\.(\d+)", texts[called])[1]
        assert number == str(order + 1), sentence
        assert re.search(rf"\b{number}\. {re.escape(plain.split(',')[0])}", texts[called])
        found = lines(fragments(reader.pages[called]))
        call_y = next(y for y, text in found if sentence in text)
        note_y = next(y for y, text in found if plain.split(",")[0] in text)
        assert note_y < call_y  # below its call, in the footnote area
    # Rich content: the link's address prints in the note itself, after its text.
    assert "emphasis and a link (https://example.org/a)." in " ".join(texts)


def test_the_cover_notice_keeps_its_footnote_and_the_body_its_own(example: Built) -> None:
    briefing = load(example.outcome.source)
    texts = [_flat(t) for t in page_texts(example.reader)]
    definition = re.search(r"\[\^rsmo\]: (.*)", briefing.notice.text)[1]
    words = re.fullmatch(r"(.*)\[(.*)\]\((.*)\)\.", definition)
    # The address of a link in a note follows its text, in the note.
    plain = f"{words[1]}{words[2]} ({words[3]})."
    # The cover has no footnote area: its notice ends with its note, on the cover.
    assert "Revised Statutes of Missouri,1 before" in texts[0]
    assert plain in texts[0] and not any(plain in t for t in texts[1:])
    section = briefing.sections[0]
    note = re.search(r"\[\^editorial\]: (.*)", section.introduction.text)[1].replace("*", "")
    (page,) = [t for t in texts if f"{section.number} {section.title}" in t
               and _footer_number(t)]
    assert f"1. {note}" in page


@pytest.mark.parametrize("name", ["noted", "example", "spanish", "prefixed"])
def test_a_cross_reference_prints_the_page_its_target_is_on(name: str, request) -> None:
    built: Built = request.getfixturevalue(name)
    briefing = load(built.outcome.source)
    titles = {s.number: s.title for s in briefing.sections if s.title is not None}
    titles |= {q.number: q.question for q in briefing.questions}
    texts = [_flat(t) for t in page_texts(built.reader)]
    found = [m for t in texts for m in re.finditer(r"\((?:see|ver) ([\d.]+), (?:page|pág\.) "
                                                    r"(\S+?)\)", t)]
    expected = sum(len([u for u in text.links if u.url.startswith("#")])
                   for node, text in _markdown(briefing))
    assert len(found) == expected > 0
    for match in found:
        number, printed = match[1], match[2]
        heading = f"{number} {titles[number]}"
        pages = [_footer_number(t) for t in texts if heading in t and _footer_number(t)]
        if not pages:  # a flat briefing's question: its number and text on one line
            pages = [_footer_number(t) for t in texts if re.search(
                rf"(?:^| ){re.escape(number)} {re.escape(titles[number][:30])}", t)
                and _footer_number(t)]
        assert pages and printed == pages[0], heading


def _markdown(briefing):
    from briefing.model import markdown
    return markdown(briefing)


def test_the_html_version_keeps_the_cross_reference_without_a_page(spanish: Built) -> None:
    html = spanish.html
    assert re.search(r"\(ver \d+\)", html) and "pág." not in html


class _Links(HTMLParser):
    """Every id, every link, and the footnote sections with what they hold."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[dict[str, str]] = []
        self.stack: list[dict[str, str]] = []
        self.inside: dict[str, list[str]] = {}  # a footnote section's id path -> ids in it

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = {k: v or "" for k, v in attrs}
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a":
            self.links.append({**attrs, "in": " ".join(a.get("id", "") for a in self.stack)})
        if tag not in ("br", "img", "wbr", "meta", "link", "hr"):
            self.stack.append({**attrs, "tag": tag})

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()["tag"] != tag:
            pass


def test_html_footnotes_link_both_ways_with_unique_ids(noted: Built) -> None:
    parsed = _Links()
    parsed.feed(noted.html)
    assert len(parsed.ids) == len(set(parsed.ids))
    calls = [a for a in parsed.links if a.get("role") == "doc-noteref"]
    backs = [a for a in parsed.links if a.get("role") == "doc-backlink"]
    assert len(calls) == len(backs) == len(NOTES)
    for call in calls:
        note = call["href"][1:]
        assert note in parsed.ids
        (back,) = [b for b in backs if note in b["in"].split()]
        assert back["href"] == "#" + call["id"]
    # Each list of notes is a landmark with a name of its own.
    names = re.findall(r'role="doc-endnotes" aria-label="([^"]*)"', noted.html)
    assert len(set(names)) == len(names) == len(NOTES)
    # Each note closes its own answer: between the call's answer and the next question.
    html = noted.html
    for sentence, note in NOTES.values():
        start = html.index(sentence)
        end = html.find('class="question"', start)
        section = html.index('role="doc-endnotes"', start)
        assert section < (end if end > 0 else len(html))
        assert note.split(",")[0] in html[section:end if end > 0 else len(html)]


def test_unmatched_footnotes_are_warnings_where_they_are_written(tmp_path: Path) -> None:
    source = tmp_path / "notes.yaml"
    call = "      A text that is long enough for the answer rules, with a call[^gone] here."
    source.write_text("title: T\nquestions:\n  - question: Where?\n    answer: |\n"
                      f"{call}\n\n      [^kept]: Never called.\n", encoding="utf-8")
    briefing = load(source)
    assert [str(d) for d in check(briefing)] == [
        f"{source}:5:{call.index('[^') + 1}: warning: footnote call '[^gone]' has no note, "
        "so it is printed as written: add a line '[^gone]: ...' to the same text",
        f"{source}:7:7: warning: footnote '[^kept]' is never called, so it is not printed: "
        "call it with [^kept] in the text or remove it"]



def test_list_items_of_the_cover_notes_hold_only_label_and_body(example: Built) -> None:
    import pikepdf

    pdf = pikepdf.open(example.pdf_path)
    items = []
    todo = [pdf.Root.StructTreeRoot]
    while todo:
        element = todo.pop()
        kids = element.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        kids = [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        if element.get("/S") == "/LI":
            items.append([str(k.S) for k in kids])
        todo.extend(kids)
    assert items  # the notice's note and the answers' lists
    assert [i for i in items if set(i) - {"/Lbl", "/LBody"}] == []  # PDF/UA-1 7.2-20


def test_one_prefix_numbers_the_footer_the_contents_and_cross_references(prefixed: Built) -> None:
    texts = [_flat(t) for t in page_texts(prefixed.reader)]
    footers = [_footer_number(t) for t in texts if _footer_number(t)]
    assert footers and all(f.startswith("B-") for f in footers)
    assert re.findall(r"\(see [\d.]+, page (\S+?)\)", " ".join(texts))
    assert all(p.startswith("B-") for p in re.findall(r"\(see [\d.]+, page (\S+?)\)",
                                                       " ".join(texts)))
    contents = texts[1]  # after the cover
    assert re.search(r"Part 1 [. ]+B-\d", contents)


def test_a_note_called_twice_is_printed_at_each_call_and_linked_back_to_both() -> None:
    from briefing.markup import parse, render

    text = parse("First call[^n] and second call[^n].\n\n[^n]: The note.\n")
    assert render(text, link_notes=True).count("The note.") == 2  # each on its call's page
    screen = render(text, note_scope="7")
    assert screen.count("The note.") == 1
    calls = re.findall(r'<a href="#(fn-7-1)" id="([^"]+)" role="doc-noteref">', screen)
    backs = re.findall(r'<a href="#([^"]+)" class="footnote-back"', screen)
    assert [c[1] for c in calls] == backs and len(set(backs)) == 2
    assert 'id="fn-7-1"' in screen
