"""Bad input: every case gets its own ExtractionError subclass and a message a person can act on.

Symlinks pointing outside the inbox are refused by the pipeline's discovery before any reader
runs, so they are tested there, not here.
"""
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from extractors.formats import read_file
from extractors.formats import errors as e
from extractors.records import ExtractionError
from extractors.sentences import split_sentences
from extractors.structure import parse_sections

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def reason(path: Path, error: type[ExtractionError]) -> str:
    with pytest.raises(error) as caught:
        read_file(path)
    message = str(caught.value)
    assert message.endswith(".") and len(message) > 40  # a sentence, not a code
    return message


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in reason(write(tmp_path, "empty.txt", b""), e.EmptyFileError)


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "empty" in reason(write(tmp_path, "blank.md", b" \r\n\t\n"), e.EmptyFileError)


def test_binary_file_with_a_report_extension(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    assert "PNG image" in reason(write(tmp_path, "report.txt", png), e.BinaryFileError)


def test_nul_bytes(tmp_path: Path) -> None:
    data = "一、主要工作".encode() + b"\x00\x00\x01" + "内容。".encode()
    assert "NUL" in reason(write(tmp_path, "nul.txt", data), e.BinaryFileError)


def test_control_characters(tmp_path: Path) -> None:
    data = "一、主要工作\n内容\x07\x1b[31m。".encode()
    message = reason(write(tmp_path, "ctrl.txt", data), e.ControlCharactersError)
    assert "U+0007" in message and "line 2" in message


def test_one_huge_line_without_punctuation_is_refused_quickly(tmp_path: Path) -> None:
    path = write(tmp_path, "dump.txt", ("数据" * 2_621_440).encode())  # 5 MB of text on one line
    started = time.monotonic()
    message = reason(path, e.NotRunningTextError)
    assert time.monotonic() - started < 10
    assert "Line 1" in message and "punctuation" in message


def test_file_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(31 * 1024 * 1024)  # sparse: no disk or memory used
    assert "far larger than any .txt report" in reason(path, e.FileTooLargeError)


def test_undecodable_bytes(tmp_path: Path) -> None:
    data = bytes([0x81, 0x30, 0xFF, 0xFE, 0x80]) * 200  # neither UTF-8 nor GB18030 nor coherent text
    assert "neither UTF-8 nor GB18030" in reason(write(tmp_path, "junk.txt", data), e.UndecodableTextError)


def test_not_a_zip_docx(tmp_path: Path) -> None:
    assert "not a Word document" in reason(write(tmp_path, "r.docx", "一、主要工作".encode()), e.CorruptFileError)


def test_truncated_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、主要工作")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    assert "truncated or damaged" in reason(write(tmp_path, "cut.docx", data[: len(data) // 2]), e.CorruptFileError)


def test_docx_without_any_text(tmp_path: Path) -> None:
    import docx

    docx.Document().save(tmp_path / "blank.docx")
    assert "no text at all" in reason(tmp_path / "blank.docx", e.EmptyFileError)


def test_zip_without_word_document(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "word/document.xml" in reason(write(tmp_path, "sheet.docx", buffer.getvalue()), e.CorruptFileError)


def test_docx_zip_bomb_is_refused_without_unpacking(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(160):
                member.write(chunk)
    assert path.stat().st_size < 2_000_000
    started = time.monotonic()
    message = reason(path, e.ZipBombError)
    assert time.monotonic() - started < 2
    assert "zip bomb" in message


def test_legacy_doc(tmp_path: Path) -> None:
    assert "save it as .docx" in reason(write(tmp_path, "old.doc", OLE + b"\0" * 512), e.LegacyFormatError)


def test_legacy_doc_renamed_to_docx(tmp_path: Path) -> None:
    assert "97-2003" in reason(write(tmp_path, "old.docx", OLE + b"\0" * 512), e.LegacyFormatError)


def test_password_protected_docx(tmp_path: Path) -> None:
    data = OLE + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64
    assert "password" in reason(write(tmp_path, "secret.docx", data), e.EncryptedFileError)


def test_not_a_pdf(tmp_path: Path) -> None:
    assert "not a PDF" in reason(write(tmp_path, "r.pdf", b"<html>not a pdf</html>"), e.CorruptFileError)


def test_corrupt_pdf(tmp_path: Path) -> None:
    data = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x9c" * 300
    assert "damaged" in reason(write(tmp_path, "broken.pdf", data), e.CorruptFileError)


def test_truncated_pdf(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 6, "Work report. " * 200)
    data = bytes(pdf.output())
    message = reason(write(tmp_path, "cut.pdf", data[: len(data) // 3]), e.CorruptFileError)
    assert "truncated or damaged" in message


def _latin_pdf(tmp_path: Path, pages: int = 3) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for word in ("Alpha", "Beta", "Gamma", "Delta")[:pages]:  # different pages: no running header
        pdf.add_page()
        pdf.multi_cell(0, 6, f"{word} work report. " * 100)
    path = tmp_path / "report.pdf"
    pdf.output(str(path))
    return path


def test_pdf_reading_is_bounded_in_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors.formats import pdf

    path = _latin_pdf(tmp_path)
    assert read_file(path)[0].text.startswith("Alpha work report.")  # within the budget: read normally
    monkeypatch.setattr(pdf, "TIME_BUDGET_SECONDS", 0.0)
    started = time.monotonic()
    message = reason(path, e.ProcessingBudgetError)
    assert "longer than 0 s" in message and "page 1 of 3" in message
    assert time.monotonic() - started < 5
    assert issubclass(e.ProcessingBudgetError, e.FileTooLargeError)


def test_pdf_reading_is_bounded_in_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors.formats import pdf

    monkeypatch.setattr(pdf, "MAX_CHARS", 2000)
    message = reason(_latin_pdf(tmp_path), e.ProcessingBudgetError)
    assert "more than 2,000 characters" in message and "by page 2" in message


def test_pdf_page_with_absurd_drawing_instructions_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors.formats import pdf

    monkeypatch.setattr(pdf, "MAX_PAGE_CONTENT_BYTES", 100)
    parsed = []
    monkeypatch.setattr(pdf, "_page_lines", lambda page: parsed.append(page) or [])
    message = reason(_latin_pdf(tmp_path), e.ProcessingBudgetError)
    assert "Page 1" in message and "drawing instructions" in message
    assert parsed == []  # refused before the page was interpreted


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("RGB", (200, 280), "white")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    message = reason(path, e.ScannedPdfError)
    assert "no text layer" in message and "OCR" in message


@pytest.mark.parametrize("name", ["data.xlsx", "run.exe", "noext", "slides.pptx"])
def test_unsupported_formats(tmp_path: Path, name: str) -> None:
    assert "not reports the warehouse reads" in reason(write(tmp_path, name, b"PK\x03\x04rest"), e.UnsupportedFormatError)


def test_jsonl_with_a_broken_line(tmp_path: Path) -> None:
    data = '{"text": "一、主要工作"}\n{"text": "二、\n'.encode()
    assert "Line 2" in reason(write(tmp_path, "c.jsonl", data), e.BadCorpusError)


def test_jsonl_record_without_text(tmp_path: Path) -> None:
    assert "no `text` field" in reason(write(tmp_path, "c.jsonl", b'{"body": "x"}\n'), e.BadCorpusError)


def test_csv_without_text_column(tmp_path: Path) -> None:
    assert "no `text` column" in reason(write(tmp_path, "c.csv", "id,body\n1,内容\n".encode()), e.BadCorpusError)


def test_corrupt_parquet(tmp_path: Path) -> None:
    assert "Parquet" in reason(write(tmp_path, "c.parquet", b"PAR1garbage"), e.CorruptFileError)


@pytest.mark.parametrize("name", [
    "it's \"quoted\".txt", "with spaces.txt", "semi;colon.txt", "工作总结（2023）.txt", "-leading-dash.txt",
])
def test_odd_file_names_are_read_normally(tmp_path: Path, name: str) -> None:
    [doc] = read_file(write(tmp_path, name, "一、主要工作\n（一）抓项目。".encode()))
    assert [s.path for s in parse_sections(doc.text, "d")[0]] == ["一", "一/(一)"]


def test_large_report_like_text_is_parsed_in_bounded_time() -> None:
    paragraph = "（一）加强统筹。一是保障住房安全，投入资金1983万元。二是“最后一公里”打通；（1）完成。\n"
    text = "一、工作情况\n" + paragraph * 20_000  # about 1 MB of dense markers
    started = time.monotonic()
    sections, _ = parse_sections(text, "d")
    sentences = split_sentences(text, "d", sections)
    assert time.monotonic() - started < 30
    assert len(sections) > 60_000 and len(sentences) > 60_000


def test_a_megabyte_line_with_only_commas_and_unmatched_quotes_stays_linear() -> None:
    text = "一、" + "数据“指标，" * 170_000  # one 1 MB line: no sentence end, 170k unclosed quotes
    started = time.monotonic()
    sections, _ = parse_sections(text, "d")
    sentences = split_sentences(text, "d", sections)
    assert time.monotonic() - started < 20
    assert len(sections) == 1 and len(sections[0].heading) <= 120
    assert max(len(s.text) for s in sentences) <= 1000
