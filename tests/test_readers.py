"""The registry of import readers: which reader reads a file, and how the command says so."""

from __future__ import annotations

import pytest

from briefing.cli import main
from briefing.readers import READERS, Reader, choose


def test_every_reader_follows_the_protocol() -> None:
    for name, reader in READERS.items():
        assert isinstance(reader.name, str) and reader.name == name
        assert reader.description and reader.extensions
        assert all(ext.startswith(".") and ext == ext.lower() for ext in reader.extensions)
        assert callable(reader.read) and callable(reader.recognises)


@pytest.mark.parametrize(("name", "forced", "reader", "why"), [
    ("faq.txt", None, "text", "from the name .txt"),
    ("FAQ.TXT", None, "text", "from the name .txt"),
    ("faq", None, "text", "the default"),
    ("<stdin>", None, "text", "the default"),
    ("faq.txt", "text", "text", "given with --from"),
])
def test_choose_names_the_reader_and_why(name: str, forced: str | None, reader: str,
                                         why: str) -> None:
    chosen: Reader
    chosen, said = choose(name, "Title\n1. Why?\nBecause.\n", forced)
    assert (chosen.name, said) == (reader, why)


def test_from_reads_a_file_whatever_its_name(tmp_path, capsys) -> None:
    faq = tmp_path / "faq.notes"
    faq.write_text("Title\n1. Why?\nBecause.\n", encoding="utf-8")
    out = tmp_path / "faq.yaml"
    assert main(["import", str(faq), "--from", "text", "--out", str(out)]) == 0
    assert capsys.readouterr().out == (
        f"wrote {out}: 1 question, read as text (given with --from), "
        "language en (guessed from the questions)\n")


def test_from_refuses_a_format_it_does_not_know(tmp_path, capsys) -> None:
    faq = tmp_path / "faq.txt"
    faq.write_text("Title\n1. Why?\nBecause.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(faq), "--from", "docx"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    # Python 3.12 quotes the choices and 3.10 does not; the refusal and the names are what count.
    assert "briefing import: error: argument --from: invalid choice: 'docx' (choose from " in err
    assert all(name in err.rsplit("choose from", 1)[1] for name in READERS)
