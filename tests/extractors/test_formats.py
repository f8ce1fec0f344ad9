"""Format readers: the same report in every format and encoding yields the same section tree.

The .docx and .pdf fixtures are generated here (python-docx, fpdf2). fpdf2 needs a CJK font: the
system's Noto CJK (Debian/Ubuntu package `fonts-noto-cjk`) is subset to the report's characters and
converted to TrueType outlines, because pdfminer cannot read the CFF CID fonts fpdf2 would embed.
"""
from __future__ import annotations

import glob
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extractors.formats import read_file
from extractors.structure import parse_sections

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "examples" / "inbox" / "04_civil_affairs_2023h1_gb18030.txt"


def section_tree(text: str) -> list[tuple]:
    sections, _ = parse_sections(text, "d")
    return [(s.level, s.marker, s.heading, s.section_kind, s.path) for s in sections]


@pytest.fixture(scope="module")
def report_text() -> str:
    return read_file(REPORT)[0].text


@pytest.fixture(scope="module")
def paragraphs(report_text: str) -> list[str]:
    return [p for p in report_text.split("\n") if p.strip()]


# --------------------------------------------------------------------------- text encodings


@pytest.mark.parametrize("encoding, recorded", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-16", "utf-16"),
])
def test_text_encodings_decode_to_the_same_text(tmp_path: Path, report_text: str, encoding: str, recorded: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(report_text.encode(encoding))
    [doc] = read_file(path)
    assert doc.text == report_text
    assert doc.encoding == recorded
    assert doc.source_format == "txt"


def test_utf16_without_bom(tmp_path: Path, report_text: str) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(report_text.encode("utf-16-le"))
    [doc] = read_file(path)
    assert (doc.text, doc.encoding) == (report_text, "utf-16-le")


def test_bundled_gb18030_report_is_detected() -> None:
    [doc] = read_file(REPORT)
    assert doc.encoding == "gb18030"
    assert doc.text.startswith("泓川市民政局2023年上半年")


def test_markdown_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("# 工作总结\n\n一、主要工作\n", encoding="utf-8")
    [doc] = read_file(path)
    assert doc.source_format == "md"
    assert [s.heading for s in parse_sections(doc.text, "d")[0]] == ["主要工作"]


# --------------------------------------------------------------------------- docx


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
_MARKERS = [re.compile(r"^[一二三四五六七八九十]+、"), re.compile(r"^（[一二三四五六七八九十]+）"), re.compile(r"^\d+\.")]


def _add_numbering(document) -> str:
    """A multilevel list like the ones Word's 一、/（一）/1. buttons create; returns its numId."""
    from docx.oxml import parse_xml

    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:suff w:val="nothing"/></w:lvl>'
        for i, (fmt, text) in enumerate(_LEVELS)
    )
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {_W_NS} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {_W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _number(paragraph, num_id: str, ilvl: int) -> None:
    from docx.oxml import parse_xml

    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {_W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def test_docx_plain_paragraphs_give_the_same_tree(tmp_path: Path, report_text: str, paragraphs: list[str]) -> None:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(tmp_path / "r.docx")
    [doc] = read_file(tmp_path / "r.docx")
    assert doc.source_format == "docx"
    assert doc.text == "\n".join(paragraphs)
    assert section_tree(doc.text) == section_tree(report_text)


def test_docx_automatic_numbering_is_rendered(tmp_path: Path, report_text: str, paragraphs: list[str]) -> None:
    import docx

    document = docx.Document()
    num_id = _add_numbering(document)
    numbered = 0
    for p in paragraphs:
        for ilvl, marker in enumerate(_MARKERS):
            m = marker.match(p)
            if m:
                _number(document.add_paragraph(p[m.end():]), num_id, ilvl)
                numbered += 1
                break
        else:
            document.add_paragraph(p)
    document.save(tmp_path / "numbered.docx")
    assert numbered >= 20
    # python-docx alone loses the markers Word would display ...
    assert not any(_MARKERS[0].match(p.text) for p in docx.Document(tmp_path / "numbered.docx").paragraphs)
    # ... the reader renders them, so the text and the tree are the report's own.
    [doc] = read_file(tmp_path / "numbered.docx")
    assert doc.text == "\n".join(paragraphs)
    assert section_tree(doc.text) == section_tree(report_text)


def test_docx_numbering_linked_to_heading_styles(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    num_id = _add_numbering(document)
    for level in (1, 2):
        style = document.styles[f"Heading {level}"]
        style.element.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {_W_NS}><w:ilvl w:val="{level - 1}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    document.add_paragraph("泓川市民政局2023年上半年工作总结", style="Title")
    document.add_heading("上半年工作开展情况", level=1)
    document.add_heading("兜牢基本养老服务底线", level=2)
    document.add_paragraph("一是落实特困供养政策。")
    document.add_heading("加快养老服务网络建设", level=2)
    document.add_heading("存在问题和不足", level=1)
    document.add_heading("人才短缺", level=2)
    document.save(tmp_path / "styled.docx")
    [doc] = read_file(tmp_path / "styled.docx")
    assert doc.title == "泓川市民政局2023年上半年工作总结"
    assert doc.text.split("\n")[1:] == ["一、上半年工作开展情况", "（一）兜牢基本养老服务底线", "一是落实特困供养政策。",
                                         "（二）加快养老服务网络建设", "二、存在问题和不足", "（一）人才短缺"]


def test_docx_paragraphs_inside_content_controls_are_kept(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("一、主要工作")
    document.element.body.insert(1, parse_xml(
        f'<w:sdt {_W_NS}><w:sdtContent><w:p><w:r><w:t>（一）抓项目。</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    document.save(tmp_path / "sdt.docx")
    [doc] = read_file(tmp_path / "sdt.docx")
    assert doc.text == "一、主要工作\n（一）抓项目。"


def test_docx_tables_become_rows_that_yield_no_sections(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、主要指标完成情况")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("序号", "指标", "完成值"), ("1.", "地区生产总值", "186.4亿元"), ("2.", "固定资产投资", "72.35亿元")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("（一）投资增长。")
    document.save(tmp_path / "t.docx")
    [doc] = read_file(tmp_path / "t.docx")
    assert doc.text.split("\n") == ["一、主要指标完成情况", "序号 | 指标 | 完成值", "1. | 地区生产总值 | 186.4亿元",
                                    "2. | 固定资产投资 | 72.35亿元", "（一）投资增长。"]
    assert [s.path for s in parse_sections(doc.text, "d")[0]] == ["一", "一/(一)"]


# --------------------------------------------------------------------------- pdf


def _cjk_font() -> Path:
    candidates = sorted(glob.glob("/usr/share/fonts/**/NotoSansCJK-Regular.ttc", recursive=True))
    if not candidates and shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
        candidates = [line.split(":")[0] for line in listed.splitlines() if line.strip()]
    assert candidates, "no CJK font for the PDF fixture: install the Debian package fonts-noto-cjk"
    return Path(candidates[0])


def _truetype_subset(source: Path, characters: str, target: Path) -> Path:
    """Subset a CJK font and give it TrueType outlines, which fpdf2 embeds in a form pdfminer reads."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source), fontNumber=2 if source.suffix == ".ttc" else -1)  # 2 = Simplified Chinese in Noto
    options = subset.Options()
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters + " ")
    subsetter.subset(font)
    if "CFF " in font:
        order, glyph_set = font.getGlyphOrder(), font.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder, glyf.glyphs = order, {}
        for name in order:
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        font["loca"], font["glyf"] = newTable("loca"), glyf
        del font["CFF "]
        if "VORG" in font:
            del font["VORG"]
        glyf.compile(font)
        maxp = newTable("maxp")
        maxp.tableVersion, maxp.maxZones = 0x00010000, 1
        for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                     "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
            setattr(maxp, attr, 0)
        font["maxp"] = maxp
        post = font["post"]
        post.formatType, post.extraNames, post.mapping = 2.0, [], {}
        font["head"].indexToLocFormat = font["head"].glyphDataFormat = 0
        font.sfntVersion = "\x00\x01\x00\x00"
    font.save(str(target))
    return target


@pytest.fixture(scope="module")
def cjk_font(tmp_path_factory, report_text: str) -> Path:
    folder = tmp_path_factory.mktemp("font")
    return _truetype_subset(_cjk_font(), "".join(set(report_text)) + "泓川市民政局工作简报第页共-0123456789", folder / "f.ttf")


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory, cjk_font: Path, paragraphs: list[str]) -> Path:
    from fpdf import FPDF

    folder = tmp_path_factory.mktemp("pdf")
    font = cjk_font

    class Report(FPDF):
        def header(self) -> None:  # a running header on every page
            self.set_font("cjk", size=9)
            self.cell(0, 8, "泓川市民政局工作简报", align="C")
            self.ln(10)

        def footer(self) -> None:  # a page number on every page
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = Report()
    pdf.add_font("cjk", fname=str(font))
    pdf.add_page()
    for p in paragraphs:
        pdf.set_font("cjk", size=11)
        pdf.multi_cell(0, 6, p)
        pdf.ln(3)
    assert pdf.page_no() >= 2, "the fixture must span pages to test running headers"
    pdf.output(str(folder / "report.pdf"))
    return folder / "report.pdf"


def test_pdf_gives_the_same_text_and_tree(report_pdf: Path, report_text: str, paragraphs: list[str]) -> None:
    [doc] = read_file(report_pdf)
    assert doc.source_format == "pdf"
    assert "工作简报" not in doc.text and "- 1 -" not in doc.text  # running header and page numbers dropped
    assert doc.text == "\n".join(paragraphs)  # wrapped lines rejoined, no spaces between CJK characters
    assert section_tree(doc.text) == section_tree(report_text)


def test_letter_spaced_pdf_text_has_no_spaces_between_cjk_characters(tmp_path: Path, cjk_font: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=str(cjk_font))
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    pdf.set_char_spacing(8)
    pdf.cell(0, 10, "一、上半年工作开展情况")
    pdf.ln(12)
    pdf.set_char_spacing(0)
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 8, "（一）兜牢基本养老服务底线。")
    pdf.output(str(tmp_path / "spaced.pdf"))
    [doc] = read_file(tmp_path / "spaced.pdf")
    assert doc.text == "一、上半年工作开展情况\n（一）兜牢基本养老服务底线。"


# --------------------------------------------------------------------------- html


HTML = """<!DOCTYPE html><html><head><meta charset="gb2312"><title>泓川市民政局</title>
<meta name="ArticleTitle" content="泓川市民政局2023年上半年工作总结">
<meta name="ContentSource" content="泓川市民政局"></head>
<body><div class="nav"><a href="/">首页</a> &gt; <a>政务公开</a></div>
<nav><ul><li>首页</li><li>机构概况</li></ul></nav>
<div class="main"><h1>泓川市民政局2023年上半年工作总结</h1>
<div class="tools">【字体：大 中 小】 打印本页</div>
<div id="zoom" class="TRS_Editor">
<p>今年以来，市民政局扎实推进各项工作。</p>
<p>一、上半年工作开展情况</p>
<p>（一）兜牢基本养老服务底线。一是落实特困供养政策。全市集中供养特困人员1236人。</p>
<table><tr><td>指标</td><td>完成值</td></tr><tr><td>助餐点</td><td>318个</td></tr></table>
<p>二、存在问题和不足</p><p>部分养老机构入住率偏低。</p>
</div></div>
<footer>版权所有：泓川市人民政府</footer><script>var a = "一、不是正文";</script>
</body></html>"""


def test_html_main_text_only(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(HTML.encode("gb18030"))
    [doc] = read_file(path)
    assert doc.encoding == "gb18030"
    assert doc.title == "泓川市民政局2023年上半年工作总结"
    assert doc.department == "泓川市民政局"
    assert "机构概况" not in doc.text and "版权所有" not in doc.text and "不是正文" not in doc.text
    assert "指标 | 完成值" in doc.text
    assert [s.path for s in parse_sections(doc.text, "d")[0]] == ["一", "一/(一)", "一/(一)/一是", "二"]


LAYOUT_TABLE_PAGE = """<html><head><meta charset="utf-8"><title>xx县教育局</title></head><body>
<table><tr><td><a>首页</a> | <a>新闻</a> | <a>公开</a></td></tr>
<tr><td><div class="article">xx县教育局2024年工作要点<br>一、2023年工作回顾<br>2023年，全县教育系统攻坚克难。
一是办学条件持续改善。全年完成教育投入12.86亿元。二是教育质量稳步提升。<br>二、面临的困难和短板<br>
第一，城区学位供需矛盾依然突出。第二，城乡教育发展不均衡。</div></td></tr>
<tr><td>版权所有 xx县教育局</td></tr></table></body></html>"""


def test_html_in_a_layout_table_with_br_lines(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text(LAYOUT_TABLE_PAGE, encoding="utf-8")
    [doc] = read_file(path)
    assert doc.encoding == "utf-8"
    assert "首页" not in doc.text and "版权所有" not in doc.text
    assert doc.text.startswith("xx县教育局2024年工作要点\n一、2023年工作回顾\n")
    assert [s.path for s in parse_sections(doc.text, "d")[0]] == ["一", "一/一是", "一/二是", "二", "二/第一", "二/第二"]


# --------------------------------------------------------------------------- corpora


RECORDS = [
    {"id": "a1", "text": "一、主要工作\n（一）抓项目。", "title": "甲局总结", "region": "xx县", "department": "xx县甲局",
     "year": 2023, "period": "上半年"},
    {"id": "a2", "text": "二、存在问题", "year": "2024", "period": "H2"},
    {"text": "三、下半年工作计划"},
]


def _check_corpus(docs, fmt: str) -> None:
    assert [d.record_key for d in docs] == ["a1", "a2", "3"]
    assert all(d.source_format == fmt for d in docs)
    first = docs[0]
    assert (first.title, first.region, first.department, first.year, first.period) == (
        "甲局总结", "xx县", "xx县甲局", 2023, "H1")
    assert (docs[1].year, docs[1].period) == (2024, "H2")
    assert docs[2].title is None and docs[2].text == "三、下半年工作计划"


def test_jsonl_corpus(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n", encoding="utf-8")
    docs = read_file(path)
    # A JSONL record's key is its id, else its line number.
    assert [d.record_key for d in docs] == ["a1", "a2", "3"]
    _check_corpus(docs, "jsonl")


def test_csv_corpus_in_gb18030(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "c.csv"
    frame = pd.DataFrame(RECORDS)
    frame["id"] = frame["id"].fillna("")
    path.write_bytes(frame.to_csv(index=False).encode("gb18030"))
    docs = read_file(path)
    assert docs[0].encoding == "gb18030"
    _check_corpus(docs, "csv")


def test_parquet_corpus(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [dict(r, year=str(r["year"]) if "year" in r else None) for r in RECORDS]
    table = pa.Table.from_pylist(rows)
    pq.write_table(table, tmp_path / "c.parquet")
    docs = read_file(tmp_path / "c.parquet")
    _check_corpus(docs, "parquet")
    assert docs[0].encoding is None


@pytest.mark.parametrize("text", ["泓川市民政局", "数据", "一、主要工作", "abc 中文 123"])
def test_short_gbk_texts_are_not_mistaken_for_other_encodings(tmp_path: Path, text: str) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode("gbk"))
    [doc] = read_file(path)
    assert (doc.text, doc.encoding) == (text, "gb18030")


def test_other_encodings_fall_back_to_detection(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes("一、工作報告書。二、存在問題。".encode("big5"))
    [doc] = read_file(path)
    assert doc.text == "一、工作報告書。二、存在問題。" and doc.encoding == "big5"


# --------------------------------------------------------------------------- unnumbered headings the file marks


def test_docx_heading_styles_without_numbering_open_sections(tmp_path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    document = docx.Document()
    custom = document.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)  # as WPS names its heading styles
    custom.base_style = document.styles["Normal"]
    document.add_paragraph("泓川市民政局2023年上半年工作总结", style="Title")
    document.add_paragraph("今年以来，我局扎实推进各项工作。")
    document.add_heading("上半年工作开展情况", level=1)
    document.add_paragraph("兜牢基本养老服务底线", style="标题 2")
    document.add_paragraph("一是落实特困供养政策。二是提高保障标准。")
    outlined = document.add_paragraph("加快养老服务网络建设")  # a direct outline level, no style
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {_W_NS} w:val="1"/>'))
    document.add_paragraph("新建助餐点52个。")
    document.add_heading("存在问题和不足", level=1)
    document.add_paragraph("部分养老机构入住率偏低。")
    document.add_heading("（一）完善政策", level=2)  # a typed number wins over the style
    document.save(tmp_path / "h.docx")
    [doc] = read_file(tmp_path / "h.docx")
    lines = doc.text.split("\n")
    assert [(doc.text.count("\n", 0, pos), level) for pos, level in doc.headings] == [
        (2, 1), (3, 2), (5, 2), (7, 1), (9, 2)]
    assert lines[2] == "上半年工作开展情况"
    sections, _ = parse_sections(doc.text, "d", doc.headings)
    assert [(s.level, s.marker, s.heading, s.section_kind, s.path) for s in sections] == [
        (1, "", "上半年工作开展情况", "achievement", "上半年工作开展情况"),
        (2, "", "兜牢基本养老服务底线", "achievement", "上半年工作开展情况/兜牢基本养老服务底线"),
        (5, "一是", "落实特困供养政策", "achievement", "上半年工作开展情况/兜牢基本养老服务底线/一是"),
        (5, "二是", "提高保障标准", "achievement", "上半年工作开展情况/兜牢基本养老服务底线/二是"),
        (2, "", "加快养老服务网络建设", "achievement", "上半年工作开展情况/加快养老服务网络建设"),
        (1, "", "存在问题和不足", "problem", "存在问题和不足"),
        (2, "（一）", "完善政策", "problem", "存在问题和不足/(一)"),
    ]


def test_extract_uses_the_heading_styles(tmp_path: Path) -> None:
    import docx

    from extractors import extract

    document = docx.Document()
    document.add_heading("优化营商环境", level=1)
    document.add_paragraph("推进“一网通办”，办结事项2140件。")
    document.save(tmp_path / "h.docx")
    [doc] = read_file(tmp_path / "h.docx")
    extraction = extract(doc, "h.docx", "0" * 64)
    assert [s.heading for s in extraction.sections] == ["优化营商环境"]


def test_html_heading_tags_open_sections(tmp_path: Path) -> None:
    page = ("<html><head><meta charset='utf-8'></head><body><div id='zoom'><h1>泓川市民政局2023年上半年工作总结</h1>"
            "<p>今年以来，市民政局扎实推进各项工作，各项民生保障政策落实到位。</p>"
            "<h2>兜牢民生底线</h2><p>一是落实特困供养政策，全市集中供养特困人员1236人。</p>"
            "<h3>提高保障标准</h3><p>城乡低保标准提高到每人每月1180元。</p>"
            "<h2>存在问题和不足</h2><p>部分养老机构入住率偏低，资源闲置问题仍然存在。</p></div></body></html>")
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    [doc] = read_file(path)
    sections, _ = parse_sections(doc.text, "d", doc.headings)
    assert [(s.level, s.path) for s in sections] == [
        (1, "兜牢民生底线"), (5, "兜牢民生底线/一是"), (2, "兜牢民生底线/提高保障标准"), (1, "存在问题和不足")]


# --------------------------------------------------------------------------- multi-column pdf

COLUMNS_LEFT = ["一、上半年工作开展情况",
                "（一）文旅市场加快复苏。全年全市接待国内游客2863.5万人次，同比增长46.2%，实现旅游总收入241.7亿元。",
                "（二）公共文化服务体系不断完善。新建城市书房12个、乡村文化驿站35个。"]
COLUMNS_RIGHT = ["二、存在的问题",
                 "文旅产品供给不够丰富，高品质旅游产品偏少，游客人均停留时间仅为1.6天。",
                 "三、下半年工作计划",
                 "（一）着力推动文旅消费扩容提质。培育夜间文旅消费集聚区3个以上。"]


def test_two_column_pdf_is_read_column_by_column(tmp_path: Path) -> None:
    from fpdf import FPDF

    title = "澜州市文化和旅游局工作简报"
    font = _truetype_subset(_cjk_font(), "".join(set("".join(COLUMNS_LEFT + COLUMNS_RIGHT) + title)), tmp_path / "f.ttf")
    pdf = FPDF()
    pdf.add_font("cjk", fname=str(font))
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    pdf.cell(0, 10, title, align="C")  # a full-width line above both columns
    pdf.ln(14)
    pdf.set_font("cjk", size=11)
    top = pdf.get_y()
    for x, paragraphs in ((10, COLUMNS_LEFT), (112, COLUMNS_RIGHT)):
        pdf.set_y(top)
        for p in paragraphs:
            pdf.set_x(x)
            pdf.multi_cell(88, 6, p)  # wrapped within the column
            pdf.ln(2)
    pdf.output(str(tmp_path / "columns.pdf"))
    [doc] = read_file(tmp_path / "columns.pdf")
    assert doc.text == "\n".join([title] + COLUMNS_LEFT + COLUMNS_RIGHT)
    assert [s.path for s in parse_sections(doc.text, "d")[0]] == ["一", "一/(一)", "一/(二)", "二", "三", "三/(一)"]


def test_a_table_with_short_cells_is_not_taken_for_two_columns(tmp_path: Path) -> None:
    from fpdf import FPDF

    rows = [("一、主要工作", ""), ("民政", "救助"), ("养老", "服务"), ("儿童", "福利"), ("社会", "事务"), ("基层", "治理"),
            ("婚姻", "登记")]
    font = _truetype_subset(_cjk_font(), "".join(a + b for a, b in rows), tmp_path / "f.ttf")
    pdf = FPDF()
    pdf.add_font("cjk", fname=str(font))
    pdf.add_page()
    pdf.set_font("cjk", size=11)
    for a, b in rows:
        pdf.set_x(10)
        pdf.cell(90, 8, a)
        pdf.cell(90, 8, b)
        pdf.ln(8)
    pdf.output(str(tmp_path / "table.pdf"))
    [doc] = read_file(tmp_path / "table.pdf")
    # Rows stay in row order (cell text is not regrouped column by column).
    assert re.sub(r"\s", "", doc.text) == "".join(a + b for a, b in rows)


# --------------------------------------------------------------------------- held-out reports in every format

HELDOUT_TXT = sorted((ROOT / "tests" / "golden" / "heldout").glob("*.txt"))


@pytest.fixture(scope="module")
def heldout_font(tmp_path_factory) -> Path:
    chars = "".join(set("".join(p.read_text(encoding="utf-8") for p in HELDOUT_TXT)))
    return _truetype_subset(_cjk_font(), chars + "工作简报-0123456789", tmp_path_factory.mktemp("hfont") / "f.ttf")


@pytest.mark.parametrize("source", HELDOUT_TXT, ids=lambda p: p.stem)
def test_heldout_reports_give_the_same_tree_as_docx_and_pdf(tmp_path: Path, heldout_font: Path, source: Path) -> None:
    import docx
    from fpdf import FPDF

    text = read_file(source)[0].text
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    expected = section_tree(text)
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(tmp_path / "r.docx")
    [as_docx] = read_file(tmp_path / "r.docx")
    assert section_tree(as_docx.text) == expected

    pdf = FPDF()
    pdf.add_font("cjk", fname=str(heldout_font))
    pdf.add_page()
    for p in paragraphs:
        pdf.set_font("cjk", size=11)
        pdf.multi_cell(0, 6, p)
        pdf.ln(3)
    pdf.output(str(tmp_path / "r.pdf"))
    [as_pdf] = read_file(tmp_path / "r.pdf")
    assert section_tree(as_pdf.text) == expected
