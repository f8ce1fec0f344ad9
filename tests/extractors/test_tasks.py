"""Tasks: items from enumerations and from action-led sentences, status and deadlines."""
from __future__ import annotations

from datetime import date

import pytest

from extractors.records import Section, Sentence
from extractors.structure import parse_sections
from extractors.sentences import split_sentences
from extractors.tasks import action_verb, extract_tasks, find_deadline, make_lead, status_of


def run(text: str, year: int | None = 2024):
    sections, _ = parse_sections(text, "d")
    sentences = split_sentences(text, "d", sections)
    return extract_tasks(text, "d", sections, sentences, year)


def test_one_task_per_inline_item_and_heading_is_not_an_item():
    text = "(二)抢抓绿色发展新机遇,转型升级迈出新步伐。一是继续开展试点工作。积极跟踪指导。二是抓紧推进碳达峰顶层设计。"
    tasks = run(text)
    assert [t.marker for t in tasks] == ["一是", "二是"]
    assert [t.task_id for t in tasks] == ["d:t1", "d:t2"]
    first = tasks[0]
    assert first.lead == "继续开展试点工作"
    assert first.task_text == "继续开展试点工作。积极跟踪指导。"
    assert text[first.char_start:first.char_end] == first.task_text
    assert first.action_verb == "开展"


def test_numbered_items_under_a_plan_heading_are_planned():
    text = "二、下半年工作计划\n(一)切实做好参保筹资工作。确保参保率不低于98%。\n(二)优化医保业务经办。深化改革。\n"
    tasks = run(text)
    assert [(t.marker, t.lead, t.status) for t in tasks] == [
        ("(一)", "切实做好参保筹资工作", "planned"), ("(二)", "优化医保业务经办", "planned")]
    assert tasks[0].action_verb == "做好"


def test_problem_items():
    text = "二、存在问题和不足\n(一)养老服务机构入院率不高,资源闲置。据统计入住率仅为37.8%。\n"
    (task,) = run(text)
    assert task.status == "problem"


def test_unmarked_text_yields_action_led_sentences():
    text = "统筹实施新建学校设备采购。目前项目意向公开已结束。投入资金1983万元采购办公设备。"
    tasks = run(text)
    assert [t.lead for t in tasks] == ["统筹实施新建学校设备采购", "投入资金1983万元采购办公设备"]


@pytest.mark.parametrize("item,kind,status", [
    ("道路x条已完成主体工程施工。", None, "completed"),
    ("各类教育资助序时发放完毕。", None, "completed"),
    ("项目正在进行招标。", None, "in_progress"),
    ("招标正在进行中。", None, "in_progress"),
    ("预计6月底全部完工。", None, "planned"),
    ("力争申报项目全部列入省级重点项目库。", None, "planned"),
    ("加强宣传引导。", "plan", "planned"),
    ("各层级人才缺失较为严重。", "problem", "problem"),
    ("加强宣传引导。", "achievement", "completed"),
    ("加强宣传引导。", None, "unknown"),
])
def test_status(item, kind, status):
    assert status_of(item, kind) == status


@pytest.mark.parametrize("item,text,when", [
    ("进行危房改造工程实施中,预计6月底全部完工。", "6月底", date(2024, 6, 30)),
    ("7月份全面开工建设,确保9月秋季开学之前竣工并投入使用。", "9月秋季开学之前", date(2024, 8, 31)),
    ("有望三季度再签约x个百亿项目。", "三季度", date(2024, 9, 30)),
    ("力争2025年底前建成。", "2025年底前", date(2025, 12, 31)),
    ("预计x月初竣工。", "x月初", None),
])
def test_deadlines(item, text, when):
    assert find_deadline(item, 2024, planned=False) == (text, when)


def test_deadline_without_a_year_keeps_the_text():
    assert find_deadline("预计6月底全部完工。", None, planned=False) == ("6月底", None)


@pytest.mark.parametrize("item", ["截至6月底,共排查隐患732处。", "1-6月份工作中存在问题。", "2023年1月至6月,储备项目xx个。"])
def test_periods_are_not_deadlines(item):
    assert find_deadline(item, 2024, planned=True) == (None, None)


@pytest.mark.parametrize("lead,verb", [
    ("继续开展省绿色低碳高质量发展先行区建设试点工作", "开展"),
    ("抓紧推进全区碳达峰顶层设计", "推进"),
    ("建立健全基金监管长效机制", "建立健全"),
    ("严格外伤报销", "严格"),
    ("到村项目", None),
])
def test_action_verb(lead, verb):
    assert action_verb(lead) == verb


def test_long_first_sentence_is_cut_to_its_first_clause():
    item = "紧盯两个省考断面水质变化,及时分析研判,务实推进入河排污口排查整治,持续巩固鳌溪河环境问题整治成果。"
    assert make_lead(item) == "紧盯两个省考断面水质变化"


def test_sections_given_directly_work_without_the_structure_module():
    text = "一是做好民生保障。受助学生27029人。"
    section = Section("d:s1", "d", None, 5, "一是", 1, "做好民生保障", 2, 8, "achievement", "一是", 0, len(text), 1)
    sentence = Sentence("d:x1", "d", "d:s1", text, 0, len(text), 1)
    (task,) = extract_tasks(text, "d", [section], [sentence], None)
    assert (task.lead, task.status, task.deadline_date) == ("做好民生保障", "completed", None)


# ---------------------------------------------------------------------------------------------
# The fast paths of extractors.tasks against the plain patterns they stand for.
# ---------------------------------------------------------------------------------------------

import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from extractors import tasks as tasks_mod  # noqa: E402

_DEADLINE_WORDS = st.sampled_from([
    "2024年", "2023年", "年", "1", "6", "10", "12", "一", "三", "十", "十二", "x", "xx", "*", "ｘ", "月", "日", "份",
    "底", "末", "初", "上旬", "中旬", "下旬", "前", "之前", "以前", "第", "季度", "上半年", "下半年", "年底", "年末",
    "年内", "今年内", "年终", "全年", "内", "至", "到", "—", "-", "~", "开学", "竣工", "完成", "，", "。", "预计",
    "计划", "将", "已", "即", "继续", "于", "推进", "项目", "工作",
])
_PLAIN_JIANG = tasks_mod.FUTURE_JIANG.replace("将(?<![已即]将)", "(?<![已即])将", 1)


@settings(max_examples=600, deadline=None)
@given(st.lists(_DEADLINE_WORDS, max_size=16).map("".join))
def test_deadline_first_character_check_changes_nothing(item):
    lookahead = re.match(r"\(\?=\[[^\]]*\]\)", tasks_mod._DEADLINE_RE.pattern)
    assert lookahead, "the cheap first check is expected at the start of _DEADLINE_RE"
    plain = re.compile(tasks_mod._DEADLINE_RE.pattern[lookahead.end():])
    spans = lambda rx: [(m.span(), m.groups()) for m in rx.finditer(item)]  # noqa: E731
    assert spans(tasks_mod._DEADLINE_RE) == spans(plain)


@settings(max_examples=600, deadline=None)
@given(st.lists(_DEADLINE_WORDS, max_size=12).map("".join), st.integers(0, 3))
def test_future_jiang_is_the_lookbehind_form(text, pos):
    assert _PLAIN_JIANG != tasks_mod.FUTURE_JIANG
    fast, plain = re.compile(tasks_mod.FUTURE_JIANG), re.compile(_PLAIN_JIANG)
    assert [m.span() for m in fast.finditer(text, pos)] == [m.span() for m in plain.finditer(text, pos)]
    assert [m.span() for m in fast.finditer(text[pos:])] == [m.span() for m in plain.finditer(text[pos:])]


def test_line_numbers_count_the_lines_before_the_item():
    text = "工作情况\n\n一是继续开展试点工作。\n二是抓紧推进碳达峰顶层设计。\n"
    for t in run(text):
        assert t.line_no == text.count("\n", 0, t.char_start) + 1


@pytest.mark.parametrize("item,status", [
    ("1-5月份,地区生产总值预计完成186.4亿元,同比增长6.2%。", "completed"),
    ("争取中央资金1260万元,实施项目4个。", "completed"),
    ("扎实做好防汛准备,落实抢险队伍23支。", "completed"),
    ("对全旗在建的38个房屋建筑项目开展安全检查。", "completed"),
    ("对在建工地落实围挡、覆盖等措施。", "completed"),
    ("力争年底前开工建设。", "planned"),
    ("项目正在进行设备安装调试。", "in_progress"),
])
def test_achievement_sections_report_what_was_done(item, status):
    # 预计/争取/计划/确保 and 在建 objects do not make a reported item a plan or work in progress.
    assert status_of(item, "achievement") == status


@pytest.mark.parametrize("item,text,when", [
    ("三季度前新增门诊慢特病病种3个。", "三季度前", date(2024, 9, 30)),
    ("力争年底前全市养老机构入住率提高5个百分点。", "年底前", date(2024, 12, 31)),
])
def test_deadlines_by_the_end_of_a_period(item, text, when):
    assert find_deadline(item, 2024, planned=True) == (text, when)


def test_whole_year_is_a_period_outside_plans():
    assert find_deadline("全年完成教育投入12.86亿元。", 2024, planned=False) == (None, None)
    assert find_deadline("全年组织业务培训不少于10期。", 2024, planned=True) == ("全年", date(2024, 12, 31))


@pytest.mark.parametrize("item,status", [
    ("新建的粮食储备库项目已完成主体工程,计划8月底前交付使用。", "in_progress"),
    ("光伏电站项目已完成组件安装约60%,预计三季度全容量并网。", "in_progress"),
    ("两个项目已完成签约,计划三季度开工建设。", "completed"),
])
def test_reported_item_with_a_dated_finish_ahead_is_in_progress(item, status):
    assert status_of(item, "achievement") == status
