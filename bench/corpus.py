"""A seeded generator of realistic work reports, for the benchmarks and the tests.

    generate_corpus(folder, n, seed=0, formats=None) -> list[Path]   n reports written as files
    generate_reports(n, seed=0) -> Iterator[Report]                    the same reports in memory
    python -m bench.corpus OUT N [--seed S] [--formats txt=0.8,md=0.2] [--labels FILE]

Everything is composed from phrase templates (no sentence of a real report is copied) and drawn
from `random.Random` seeded per report, so the same (seed, index) gives the same text and the same
bytes on every machine, and report i does not depend on how many reports come after it.

A report has a title line, then achievements, problems and plans at level 1 (`一、`), with
`(一)`/`（一）` subsections, `1.`/`1、`/`1．` items, `(1)` sub-items, `①` lists and inline
`一是…二是…` enumerations, sometimes fused into the heading before them (`一、…动能一是…`). The
indicators are of every kind the warehouse knows: money in 元/万元/亿元/万美元, percents, year-on-year
changes, percentage points, counts in many units, area, mass, power, energy, length, durations;
with the qualifiers 约/余/超过/近/不低于/不少于/以上/以内, ranges (`5—6家`, `3-5次`), Chinese
numerals (`两场`, `一千二百人`) and masked digits (`x`, `xx`, `xxx.x`, `*`). Deadlines (`6月底前`),
document names (`《…》`), `十四五` and route codes (`S456`) appear as things that are not indicators.

Every quantity the generator writes is recorded as a `Mention` with its exact span in the text,
so the money mentions are a labelled set by construction (`Report.money`).
"""
from __future__ import annotations

import argparse
import codecs
import csv
import importlib.util
import io
import json
import random
import sys
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# Bumped whenever a change alters the generated text, so cached corpora are regenerated.
GENERATOR_VERSION = 3
MIN_CHARS = 2_000
MAX_CHARS = 20_000

# File formats and their share of the files. Corpus formats (jsonl, csv) hold several reports each.
DEFAULT_MIX: dict[str, float] = {
    "txt": 0.76,          # UTF-8, no BOM: most reports today
    "txt-gb18030": 0.08,  # older office software
    "txt-bom": 0.05,      # UTF-8 saved by Notepad
    "md": 0.04,
    "jsonl": 0.02,
    "csv": 0.02,
    "docx": 0.015,
    "pdf": 0.01,
    "html": 0.005,
}
CORPUS_FORMATS = ("jsonl", "csv")
# The reader module each format needs; a format whose reader is missing is left out of the mix.
_READER = {
    "txt": "txt", "txt-gb18030": "txt", "txt-bom": "txt", "md": "txt", "jsonl": "corpus",
    "csv": "corpus", "docx": "docx", "pdf": "pdf", "html": "html",
}
_SUFFIX = {
    "txt": ".txt", "txt-gb18030": ".txt", "txt-bom": ".txt", "md": ".md", "jsonl": ".jsonl",
    "csv": ".csv", "docx": ".docx", "pdf": ".pdf", "html": ".html",
}
# TrueType-outline CJK fonts (Debian fonts-wqy-microhei / fonts-wqy-zenhei). Noto CJK is CFF-based,
# and fpdf2's CFF subsets come out with a text layer pdfplumber cannot read, so it is not used.
_CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


# ---------------------------------------------------------------------------------------------
# What a generated report is
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Mention:
    """One quantity as written: `text` is text[start:end]; `core` drops leading/trailing qualifier words."""

    kind: str  # currency | percent | points | count | area | mass | power | energy | length | duration
    text: str
    start: int
    end: int
    core_start: int
    core_end: int
    masked: bool
    target: bool


@dataclass(slots=True)
class Report:
    index: int
    text: str
    title: str
    region: str
    department: str
    year: int
    period: str | None
    markdown: bool
    mentions: list[Mention] = field(default_factory=list)

    @property
    def money(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "currency"]


class _Writer:
    """Appends text pieces, keeping the running length so that every mention's span is exact."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.mentions: list[Mention] = []

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def qty(self, kind: str, pre: str, core: str, post: str = "", *, masked: bool = False,
            target: bool = False) -> None:
        start = self.pos
        self.add(pre + core + post)
        self.mentions.append(Mention(kind, pre + core + post, start, self.pos, start + len(pre),
                                     start + len(pre) + len(core), masked, target))

    def mark(self) -> tuple[int, int, int]:
        return len(self.parts), self.pos, len(self.mentions)

    def rollback(self, mark: tuple[int, int, int]) -> None:
        del self.parts[mark[0]:]
        self.pos = mark[1]
        del self.mentions[mark[2]:]

    def text(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------------------------------------
# Vocabulary: departments and their work, written for this generator
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Domain:
    key: str
    depts: tuple[str, ...]
    focus: str                               # the opening paragraph's "以…为…"
    areas: tuple[str, ...]                   # (一)-level headings of achievements
    leads: tuple[str, ...]                   # 一是-level work items
    plan_areas: tuple[str, ...]
    plan_leads: tuple[str, ...]
    problems: tuple[str, ...]
    count_objs: tuple[tuple[str, str], ...]  # (noun, unit)
    money_objs: tuple[str, ...]
    pct_objs: tuple[str, ...]
    fused: tuple[str, ...]                   # objects of a fused level-1 heading
    projects: tuple[str, ...]
    extra: tuple[str, ...] = ()              # domain sentence templates


def _t(s: str) -> tuple[str, ...]:
    return tuple(x for x in s.split("|") if x)


def _c(s: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(x.split(":")) for x in s.split("|") if x)  # type: ignore[misc]


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "eco", _t("生态环境局|生态环境分局"), "以持续改善生态环境质量为核心",
        _t("环境质量稳中向好|大气污染防治纵深推进|水环境治理成效明显|土壤和固废监管持续加强|环境执法保持高压态势|生态保护修复有序开展"),
        _t("狠抓工业源深度治理|强化移动源污染管控|深化扬尘精细化管理|推进入河排污口整治|加强饮用水水源保护|开展危险废物专项检查|推动重点行业清洁生产|落实排污许可管理"),
        _t("坚决打好蓝天保卫战|持续深化碧水保卫战|扎实推进净土保卫战|加快推动绿色低碳转型|持续提升环境监管能力"),
        _t("开展臭氧污染专项攻坚|推进燃煤锅炉综合整治|完成重点断面达标治理|推动危险废物规范化处置|实施农村生活污水治理"),
        _t("部分断面水质稳定达标压力较大|臭氧污染防控形势依然严峻|环境基础设施仍有短板|基层环境监管力量相对薄弱"),
        _c("涉挥发性有机物企业:家|燃煤小锅炉:台|重点排污单位:家|柴油货车:辆|非道路移动机械:台|建筑工地:个|入河排污口:个|环境违法案件:件|执法检查:次|农村生活污水处理设施:座"),
        _t("中央大气污染防治资金|省级生态环境专项资金|环境违法案件罚没款|污水管网建设资金|生态补偿资金"),
        _t("空气质量优良天数比例|国控断面水质达标率|集中式饮用水水源地水质达标率|受污染耕地安全利用率|危险废物规范化管理抽查合格率"),
        _t("生态环境治理效能|污染防治攻坚合力|绿色发展内生动力"),
        _t("城西污水处理厂提标改造工程|河道生态修复工程|垃圾焚烧发电项目|工业园区集中污水处理设施"),
        _t("细颗粒物(PM2.5)平均浓度为{UG}，同比下降{PG}。|完成农村黑臭水体治理{CN}，治理面积{A}。|全年处置危险废物{W}，综合利用一般工业固废{W}。"),
    ),
    Domain(
        "medins", _t("医疗保障局|医保局"), "以人民健康为中心",
        _t("参保扩面稳步推进|医保待遇全面落实|基金监管持续加力|医药服务管理不断规范|经办服务提质增效"),
        _t("压实参保扩面责任|夯实参保数据基础|拓宽缴费渠道|落实门诊慢特病待遇|推进异地就医直接结算|开展定点机构专项检查|推进药品集中带量采购|深化支付方式改革"),
        _t("持续巩固参保覆盖面|守牢医保基金安全底线|深化医保支付方式改革|提升医保经办服务水平"),
        _t("开展打击欺诈骗保专项行动|推进DRG付费改革全覆盖|落实集采药品结余留用政策|推进医保服务站点下沉"),
        _t("参保人员结构老化趋势明显|基金收支平衡压力加大|基层经办服务能力不足|部分定点机构违规使用基金问题仍有发生"),
        _c("参保人员:万人|定点医药机构:家|住院报销:万人次|重复参保信息:条|宣传活动:场次|违规机构:家|医保服务站点:个|集采药品:个品种|异地就医结算:万人次"),
        _t("医保基金支出|职工医保统筹基金支出|居民医保基金支出|资助参保资金|追回违规基金|大病保险赔付"),
        _t("户籍人口参保率|政策范围内住院费用报销比例|异地就医直接结算率|手机端缴费人数占比|医保电子凭证激活率"),
        _t("医保基金监管效能|医疗保障服务能力|多层次医疗保障体系"),
        _t("医保信息平台升级项目|智慧医保服务大厅|乡镇医保服务站"),
        _t("上半年基金当期结余{M}，累计结余可支付{D}。|集采药品平均降价{P}，减轻群众负担{M}。"),
    ),
    Domain(
        "safety", _t("应急管理局|安全生产委员会办公室"), "以防范化解重大安全风险为主线",
        _t("安全生产形势总体平稳|安全生产责任压紧压实|重点行业领域整治深入开展|防灾减灾能力持续提升|应急救援体系不断完善"),
        _t("强化组织领导|落实包保责任|严格考核问责|开展隐患排查整治|加强危化品安全监管|推进矿山安全治理|开展应急演练|加强应急物资储备"),
        _t("从严压实安全生产责任|深化重大事故隐患排查整治|全力做好防汛抗旱工作|加快提升应急救援能力"),
        _t("开展安全生产集中攻坚|推进企业安全生产标准化建设|完善应急预案体系|加强基层应急队伍建设"),
        _t("部分企业主体责任落实不到位|基层应急管理力量相对薄弱|小微企业安全隐患点多面广|应急物资储备结构不够合理"),
        _c("生产经营单位:家|安全隐患:处|执法检查:次|应急演练:场|重点企业:家|应急救援队伍:支|应急物资:万件|培训人员:人次|安全生产事故:起"),
        _t("安全生产专项资金|应急物资采购资金|直接经济损失|隐患整改投入资金|救灾资金"),
        _t("隐患整改率|企业安全生产标准化达标率|应急预案备案率|重点岗位持证上岗率"),
        _t("安全生产治理能力|防灾减灾救灾体系|应急管理基层基础"),
        _t("应急指挥中心建设项目|综合应急救援基地|应急物资储备库"),
        _t("全年共发生一般生产安全事故{C_ACC}，死亡{C_DEATH}，同比下降{PG}。|建成避难场所{CN}，可容纳{C_PEOPLE}。"),
    ),
    Domain(
        "civil", _t("民政局|民政和养老服务局"), "以构建居家社区机构相协调的养老服务体系为主线",
        _t("兜牢基本民生底线|养老服务网络加快完善|社会救助精准高效|基层治理不断加强|社会事务管理规范有序"),
        _t("落实特困供养政策|完善高龄津贴制度|开展特殊困难老年人探访关爱|推进老年助餐服务|实施家庭养老床位建设|规范社会组织管理|推进婚姻登记便民服务|加强殡葬领域整治"),
        _t("持续提升养老服务质量|织密织牢社会救助网|深化基层治理创新|提升民政服务效能"),
        _t("推进街道综合养老服务中心建设|扩大老年助餐覆盖面|开展养老机构安全整治|推进低保扩围增效"),
        _t("养老服务供需结构性矛盾依然存在|养老护理人员数量不足|农村养老服务设施利用率不高|社会组织发展不够均衡"),
        _c("特困人员:人|低保对象:户|养老服务站点:个|助餐点:个|护理型床位:张|家庭养老床位:张|探访关爱:万人次|社会组织:家|老年食堂:个"),
        _t("特困人员救助供养金|高龄津贴|城乡低保金|临时救助资金|财政助餐补贴|福彩公益金"),
        _t("养老服务设施覆盖率|护理型床位占比|特困人员集中供养率|助餐服务满意率|养老机构消防达标率"),
        _t("养老服务供给能力|社会救助兜底效能|基层社会治理水平"),
        _t("城南街道综合养老服务中心|社会福利院改扩建工程|区域性养老服务中心"),
        _t("特困人员基本生活标准提高至每人每月{M_SMALL}。|城市低保标准提高至每人每月{M_SMALL}，同比提高{P}。"),
    ),
    Domain(
        "edu", _t("教育局|教育体育局"), "以立德树人为根本任务",
        _t("办学条件持续改善|教育质量稳步提升|教师队伍不断优化|民生保障更加有力|教育改革不断深化"),
        _t("深化课堂教学改革|推动义务教育优质均衡|提升普通高中办学水平|推进学前教育普惠发展|加强教师培训|落实学生资助政策|推进课后服务提质|守牢校园安全底线"),
        _t("加快补齐教育资源短板|全面提升教育教学质量|建设高素质教师队伍|强化教育民生保障|深化教育综合改革"),
        _t("补充教师力量|推进集团化办学|持续巩固双减成果|完善特殊教育保障|做好营养改善计划"),
        _t("城区学位供给依然紧张|农村学校师资结构性短缺|优质教育资源总量不足|部分学校办学条件仍需改善"),
        _c("学校:所|新增学位:个|新任教师:名|紧缺学科教师:名|资助学生:万人次|教育集团:个|精品课程:门|培训教师:人次|校外培训机构:家"),
        _t("教育投入|学生资助资金|营养改善计划补助|校舍维修改造资金|教师培训经费"),
        _t("本科上线率|九年义务教育巩固率|学前教育毛入园率|普惠性幼儿园覆盖率|学生体质健康优良率"),
        _t("教育高质量发展动能|立德树人育人体系|城乡教育均衡水平"),
        _t("城东九年一贯制学校|县职业教育中心实训楼|第二实验小学扩建工程"),
        _t("义务教育学校课后服务参与率达到{P}，每周安排劳动教育课不少于{C_HOURS}。|全年送教上门不少于{C_TIMES}。"),
    ),
    Domain(
        "devref", _t("发展和改革局|发展改革委"), "以推动高质量发展为主题",
        _t("主要经济指标运行平稳|重点项目建设提速|项目储备持续加强|改革创新不断深化|能源保供有力有序"),
        _t("加大项目储备|强化要素保障|推进重大项目开工|争取上级资金支持|深化营商环境改革|推进社会信用体系建设|加强价格监测|保障能源供应"),
        _t("全力稳住经济增长|加快重点项目建设|持续优化营商环境|推动绿色低碳转型"),
        _t("推进项目全生命周期管理|争取专项债券资金|推动新能源项目建设|抓好粮食和物资储备"),
        _t("经济恢复基础尚不牢固|项目接续能力不足|要素保障压力较大|民间投资意愿偏弱"),
        _c("重点项目:个|新开工项目:个|竣工项目:个|储备项目:个|入库项目:个|市场主体:万户|审批事项:项|信用承诺书:份"),
        _t("地区生产总值|固定资产投资|社会消费品零售总额|年度计划投资|中央预算内投资|专项债券资金|项目总投资"),
        _t("规模以上工业增加值增速|开工率|项目投资完成率|民间投资占比"),
        _t("高质量发展新动能|项目建设主引擎|经济运行基本盘"),
        _t("智能装备产业园一期|城北220千伏变电站扩建工程|滨河路改造工程|冷链物流园项目"),
        _t("新增光伏装机容量{E}，年发电量约{EN}。|{CODE}改扩建工程完成路基工程{L}，占全线的{P}。|已完成征地{A}，剩余部分{DL}完成。"),
    ),
    Domain(
        "commerce", _t("商务局|投资促进局"), "以招商引资为经济工作的一号工程",
        _t("产业链招商精准发力|以商招商成效显现|基金招商持续推进|展会招商亮点纷呈|外贸外资稳中有进"),
        _t("目标责任有效传导|重大项目取得突破|到位资金稳步增长|建立项目全周期服务机制|加快项目开工投产|推进签约项目履约|持续优化营商环境|加强招商载体建设"),
        _t("聚焦目标任务全力冲刺|聚焦产业链条精准招商|聚焦落地转化提升质效|聚焦队伍建设增强本领"),
        _t("实施产业链图谱招商|用好产业引导基金|推进驻点招商|开展云上招商"),
        _t("重大项目支撑不足|项目落地转化偏慢|招商队伍专业化水平不高|招商载体承载能力有限"),
        _c("签约项目:个|目标企业:家|拜访企业:家|项目信息:条|招商顾问:名|专题招商活动:场|外商投资企业:家|招商小分队:支"),
        _t("协议投资额|实际到位内资|实际使用外资|签约金额|招商引资扶持资金|产业引导基金"),
        _t("签约项目开工率|履约率|线上渠道项目线索占比|标准厂房出租率"),
        _t("招商引资动能|招商引资渠道|项目落地质效"),
        _t("新能源电池材料项目|智能制造基地项目|精密结构件项目|再生铝项目"),
        _t("标准厂房二期建成面积约{A}，新规划工业用地约{A}。|进出口总额完成{M}，同比增长{PG}。"),
    ),
    Domain(
        "agri", _t("农业农村局|乡村振兴局"), "以推进乡村全面振兴为总抓手",
        _t("粮食生产再获丰收|特色产业提质增效|农村人居环境持续改善|巩固衔接成果持续拓展|农业科技支撑不断增强"),
        _t("落实粮食播种面积|建设高标准农田|发展设施农业|培育新型经营主体|推进农村厕所革命|开展动物疫病防控|推广农业机械化|实施农产品质量安全监测"),
        _t("全力抓好粮食安全|推动乡村产业振兴|建设宜居宜业和美乡村|守牢不发生规模性返贫底线"),
        _t("实施高标准农田提升工程|培育农业产业化龙头企业|推进农村改厕|开展防返贫监测帮扶"),
        _t("农业产业链条偏短|农村基础设施仍有短板|新型经营主体带动能力不强|农村集体经济发展不平衡"),
        _c("家庭农场:家|农民专业合作社:家|龙头企业:家|农村户厕:户|农机:台|监测对象:户|示范村:个|培训农民:人次"),
        _t("衔接推进乡村振兴补助资金|耕地地力保护补贴|农机购置补贴|高标准农田建设资金|农业产业发展资金"),
        _t("农作物耕种收综合机械化率|农产品质量安全抽检合格率|农村卫生厕所普及率|农村生活垃圾治理率"),
        _t("乡村振兴发展动能|现代农业产业体系|农民增收渠道"),
        _t("高标准农田建设项目|现代农业产业园|农产品冷链仓储中心"),
        _t("全县粮食播种面积稳定在{A}，总产量达到{W}。|新建高标准农田{A}，新增有效灌溉面积{A}。"),
    ),
    Domain(
        "housing", _t("住房和城乡建设局|住建局"), "以城市更新为牵引",
        _t("城市更新扎实推进|住房保障持续加强|建筑市场平稳发展|城市管理精细高效|燃气安全专项整治深入开展"),
        _t("推进老旧小区改造|建设保障性租赁住房|实施城市管网更新|规范建筑市场秩序|开展燃气安全排查|推进海绵城市建设|加强物业服务管理|推动绿色建筑发展"),
        _t("持续推进城市更新行动|促进房地产市场平稳健康发展|提升城市管理水平|守牢城市安全底线"),
        _t("实施老旧小区改造提升|推进城中村改造|完善城市排水防涝体系|开展住建领域安全生产整治"),
        _t("城市基础设施历史欠账较多|房地产市场持续调整|老旧管网更新资金压力大|物业服务覆盖率不高"),
        _c("老旧小区:个|保障性租赁住房:套|燃气用户:万户|建筑工地:个|加装电梯:部|物业小区:个|排查隐患:处|施工许可:项"),
        _t("城市更新资金|老旧小区改造资金|住房公积金归集额|建筑业总产值|房地产开发投资"),
        _t("绿色建筑占新建建筑比例|物业服务覆盖率|城市污水集中收集率|燃气隐患整改率"),
        _t("城市更新发展动能|住房保障体系|城市精细化管理水平"),
        _t("城东片区棚户区改造项目|雨污分流改造工程|城市供水管网改造工程"),
        _t("改造城市燃气管网{L}，新建雨污管网{L}。|完成老旧小区改造面积{A}，惠及居民{C_HH}。"),
    ),
    Domain(
        "transport", _t("交通运输局|交通局"), "以建设人民满意交通为目标",
        _t("交通基础设施建设提速|农村公路提档升级|运输服务保障有力|行业安全形势稳定|交通综合执法规范有序"),
        _t("推进国省干线改造|实施农村公路提质改造|开展桥梁隐患排查|优化城乡公交线网|推进交通运输绿色转型|加强道路运输安全监管|开展超限超载治理|推进物流体系建设"),
        _t("加快重大交通项目建设|深化四好农村路建设|提升运输服务品质|筑牢交通安全防线"),
        _t("推进国道改扩建工程|实施危桥改造|推广新能源公交车|完善县乡村三级物流体系"),
        _t("交通项目资金筹措难度加大|农村公路养护能力不足|部分路段通行能力偏低|运输结构调整任务较重"),
        _c("危桥:座|公交线路:条|新能源公交车:辆|超限车辆:辆次|物流服务站点:个|充电桩:个|路政巡查:次|客运站:个"),
        _t("交通固定资产投资|车购税补助资金|农村公路建设资金|养护资金|成品油税费改革转移支付"),
        _t("农村公路优良中等路率|建制村通客车率|公交出行分担率|货车违法超限超载率"),
        _t("交通强县建设动能|综合立体交通网络|运输服务保障能力"),
        _t("G330国道改扩建工程|S225线提质改造工程|城乡公交枢纽站|物流园区项目"),
        _t("完成{CODE}路面改造{L}，新建农村公路{L}。|新增新能源公交车{CN}，全年减少二氧化碳排放约{W}。"),
    ),
)

SURNAME = _t("青|泓|桐|云|临|安|东|南|北|西|金|白|松|望|长|平|永|兴|宁|丰|和|清|华|阳")
SECOND = _t("岚|川|柏|溪|江|平|阳|屏|湖|林|水|鹭|山|海|乐|安|泉|源|宁|河|城|丰")
TIER = _t("县|区|市|旗|县|区")
PROVINCIAL = _t("省|市|州|盟")

VERB_DONE = _t("完成|实施|推进|组织开展|累计完成|共完成")
MONEY_VERB = _t("争取|拨付|投入|兑现|下达|发放|落实|筹集")
ACTIVITY = _t("专项检查|联合执法|督导检查|集中宣传活动|业务培训|现场调度会|明查暗访|交叉互查")
PRINCIPLE = _t("问题导向|目标导向|系统观念|底线思维|人民至上|稳中求进")
GENERIC_OBJ = _t("工作机制|制度体系|服务流程|责任链条|工作台账|考核办法|协调机制|监测体系|问题清单|责任清单")
GENERIC_VERB = _t("健全|完善|优化|压实|规范|细化|落实|建立")
ADVERB = _t("扎实|持续|全力|有序|稳步|深入|大力|积极")
FUSED_HEAD = _t("对标先进|精准发力|优化服务|压实责任|聚焦重点|守牢底线|创新机制|补齐短板|拉高标杆|统筹推进|强化保障|深化改革")
FUSED_ADV = _t("全面|不断|持续|有效|加快|着力")
FUSED_VERB = _t("激活|拓宽|提升|夯实|筑牢|增强|释放")
STATE = _t("进行设备安装|开展内部装修|办理用地手续|进行主体施工|开展前期工作|招标中")
SCOPE = _t("全{T}|我局|{T}本级|各乡镇(街道)|系统内")

PERIODS = (
    # (code, in the title, in the text, the plan's period)
    ("H1", "上半年", "上半年", "下半年"),
    ("H1", "上半年", "1-6月", "下半年"),
    ("FY", "", "全年", "{next}年"),
    ("M01-M05", "1-5月份", "1-5月份", "下一步"),
    ("Q1-Q3", "前三季度", "1-9月", "第四季度"),
    (None, "", "今年以来", "下一步"),
)
TITLE_FORMS = (
    "{region}{dept}{year}年{ptitle}工作总结和{pnext}工作计划",
    "{region}{dept}{year}年{ptitle}工作总结及{pnext}工作打算",
    "{region}{dept}{year}年{ptitle}工作情况及下一步工作打算",
    "{region}{dept}关于{year}年{ptitle}工作情况的报告",
    "{region}{dept}{year}年{ptitle}工作总结",
)
FY_TITLE_FORMS = (
    "{region}{dept}{year}年工作总结和{next}年工作计划",
    "{region}{dept}{next}年工作要点",
    "{region}{dept}{year}年度工作总结",
)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """1..99999 as written in reports: 十二, 两百, 一千二百, 三万."""
    if n <= 0:
        return "零"
    out = []
    units = ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, ""))
    zero = False
    for size, name in units:
        d, n = divmod(n, size)
        if d:
            if zero and out:
                out.append("零")
            digit = "两" if d == 2 and size >= 100 else _CN_DIGITS[d]
            if size == 10 and d == 1 and not out:
                digit = ""
            out.append(digit + name)
            zero = False
        elif out:
            zero = True
    return "".join(out)


def _num(rng: random.Random, lo: float, hi: float, decimals: int) -> str:
    value = rng.uniform(lo, hi)
    if decimals == 0:
        return str(max(1, int(round(value))))
    return f"{value:.{decimals}f}"


def _mask(rng: random.Random, digits: str) -> str:
    """Mask a numeral the way publishers redact: same shape in x, or a single * or xx."""
    r = rng.random()
    if r < 0.15:
        return "*"
    if r < 0.25:
        return "xx"
    return "".join("x" if ch.isdigit() else ch for ch in digits)


class _Numbers:
    """Quantity expressions for one document; `masked_share` of the numerals are redacted."""

    def __init__(self, rng: random.Random, masked_share: float) -> None:
        self.rng = rng
        self.masked_share = masked_share

    def _digits(self, lo: float, hi: float, decimals: int) -> tuple[str, bool]:
        digits = _num(self.rng, lo, hi, decimals)
        if self.rng.random() < self.masked_share:
            return _mask(self.rng, digits), True
        return digits, False

    def money(self, target: bool = False, small: bool = False) -> tuple[str, str, str, bool]:
        """(pre, core, post, masked) of a money quantity."""
        rng = self.rng
        if small:
            unit, (lo, hi, dec) = "元", (rng.choice(((300, 2000, 0), (5, 50, 0))))
        else:
            unit, (lo, hi, dec) = rng.choices(
                (("万元", (10, 9999, rng.choice((0, 1, 2)))), ("亿元", (0.3, 300, rng.choice((1, 2)))),
                 ("元", (800, 99999, 0)), ("万美元", (50, 9999, 0)), ("千元", (10, 900, 0))),
                weights=(60, 25, 5, 6, 4))[0]
        r = rng.random()
        if not target and r < 0.06 and unit in ("万元", "亿元"):  # a range: 5—6亿元, 3000至5000万元
            a = float(_num(rng, lo, hi / 2, 0))
            b = a + max(1, round(a * rng.uniform(0.1, 0.8)))
            sep = rng.choice(("—", "-", "～", "至"))
            return "", f"{int(a)}{sep}{int(b)}{unit}", "", False
        if not target and r < 0.10 and unit in ("万元", "亿元", "元"):  # Chinese numerals: 两千万元
            n = rng.choice((2, 3, 5, 8, 10, 12, 20, 30, 50, 100, 200, 300, 500, 1200, 2000, 3000))
            return "", f"{to_chinese(n)}{unit}", "", False
        digits, masked = self._digits(lo, hi, dec)
        if target:
            pre, post = rng.choice((("不低于", ""), ("", "以上"), ("超过", ""), ("", ""), ("约", ""),
                                    ("不超过", ""), ("", "左右")))
            return pre, digits + unit, post, masked
        if r < 0.18:
            return "约", digits + unit, "", masked
        if r < 0.24 and dec == 0 and not masked:  # 300余万元
            return "", f"{digits}余{unit}", "", False
        if r < 0.28:
            return rng.choice(("超过", "近", "逾")), digits + unit, "", masked
        return "", digits + unit, "", masked

    def percent(self, target: bool = False, growth: bool = False) -> tuple[str, str, str, bool]:
        rng = self.rng
        if growth:
            digits, masked = self._digits(0.3, 28, 1)
        elif rng.random() < 0.12:
            digits, masked = "100", False
        else:
            digits, masked = self._digits(35, 99.9, rng.choice((0, 1, 1, 2)))
        if target:
            pre, post = rng.choice((("不低于", ""), ("", "以上"), ("", ""), ("达到", ""), ("超过", "")))
            if pre == "达到":  # a verb, not a qualifier: keep it out of the quantity
                return "", digits + "%", "", masked
            return pre, digits + "%", post, masked
        return "", digits + "%", "", masked

    def points(self) -> tuple[str, str, str, bool]:
        digits, masked = self._digits(0.1, 9.9, 1)
        return "", digits + "个百分点", "", masked

    def count(self, unit: str, target: bool = False) -> tuple[str, str, str, bool]:
        rng = self.rng
        big = unit.startswith("万")
        lo, hi, dec = (0.2, 60, 2) if big else (2, rng.choice((30, 300, 3000)), 0)
        r = rng.random()
        if not big and r < 0.07:  # 5—6家, 3-5次
            a = rng.randint(2, 30)
            return "", f"{a}{rng.choice(('—', '-', '～', '至'))}{a + rng.randint(1, 5)}{unit}", "", False
        if not big and r < 0.14:  # 两场, 十二家, 一百余人
            n = rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 100, 200))
            if n >= 100 and rng.random() < 0.5:
                return "", f"{to_chinese(n)}余{unit}", "", False
            return "", f"{to_chinese(n)}{unit}", "", False
        digits, masked = self._digits(lo, hi, dec)
        if target:
            pre, post = rng.choice((("不少于", ""), ("", "以上"), ("", ""), ("超过", ""), ("", "左右")))
            return pre, digits + unit, post, masked
        if not big and not masked and r < 0.22 and int(digits) >= 10:  # 40余家
            return "", f"{int(digits) // 10 * 10}余{unit}", "", False
        if r < 0.28:
            return rng.choice(("约", "近", "超过")), digits + unit, "", masked
        return "", digits + unit, "", masked

    def measure(self, kind: str) -> tuple[str, str, str, bool]:
        rng = self.rng
        unit, lo, hi, dec = {
            "area": rng.choice((("亩", 50, 9000, 0), ("万亩", 0.5, 60, 1), ("平方米", 300, 90000, 0),
                                ("万平方米", 0.5, 80, 1), ("公顷", 10, 2000, 0), ("平方公里", 0.5, 60, 1))),
            "mass": rng.choice((("吨", 20, 90000, 0), ("万吨", 0.5, 200, 1), ("公斤", 100, 9000, 0),
                                ("千克", 50, 5000, 0))),
            "power": rng.choice((("千瓦", 100, 90000, 0), ("万千瓦", 0.5, 90, 1), ("兆瓦", 5, 800, 0),
                                 ("MW", 5, 500, 0))),
            "energy": rng.choice((("万千瓦时", 50, 9000, 0), ("亿千瓦时", 0.1, 30, 2),
                                  ("吨标准煤", 100, 50000, 0))),
            "length": rng.choice((("公里", 1, 300, 1), ("千米", 1, 80, 1), ("米", 100, 9000, 0))),
            "duration": rng.choice((("天", 2, 180, 0), ("个工作日", 2, 45, 0), ("小时", 1, 72, 0),
                                    ("分钟", 10, 90, 0), ("个月", 2, 18, 0))),
            "ug": (("微克/立方米", 15, 60, 0)),
        }[kind]
        digits, masked = self._digits(lo, hi, dec)
        if rng.random() < 0.15:
            return "约", digits + unit, "", masked
        return "", digits + unit, "", masked


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------

# Templates by purpose. Slots: {NC} noun + count, {CN} count + noun, {M}/{Mt} money (actual /
# target), {mobj} a money subject, {P}/{Pt} percent, {PG} growth percent, {PP} points, {pobj} a
# percent subject, {A} area, {W} mass, {E} power, {EN} energy, {L} length, {D} duration,
# {DL} a deadline, {DOC} a document name, {CODE} a route code, {ACT} an activity, {T} the tier.
ACHIEVED = _t(
    "{time}，{scope}{pobj}达到{P}，同比提高{PP}。|"
    "累计{mverb}{mobj}{M}，同比增长{PG}。|"
    "{vdone}{CN}{act}，{vdone}{CN}。|"
    "{scope}共排查{NC}，其中{CN}已完成整改。|"
    "{mobj}支出{M}，占年度预算的{P}。|"
    "开展{ACT}{C_TIMES}，检查{CN}，发现并督促整改问题{C_ISSUES}。|"
    "完成{project}投资{M}，完成年度计划的{P}。|"
    "{scope}{pobj}为{P}，较去年同期下降{PP}。|"
    "{mobj}完成{M}，同比增长{PG}，高于全{P_TIER}平均水平{PP}。|"
    "{mobj}完成{M}，同比下降{PG}，主要受{cause}影响。|"
    "新建{project}，建筑面积{A}，总投资{M}。|"
    "{time}，全{T}新增{NC}，{pobj}提升至{P}。|"
    "印发《{region}{topic}实施方案》，明确{NC_TASKS}，{gverb}{gobj}。|"
    "对照“十四五”规划目标，{pobj}已达到{P}，{project}已完成{P}。|"
    "办理时限由{D}压缩至{D}以内，群众满意度达到{P}。|"
    "{mverb}{mobj}{M}，惠及{CN}。"
)
PROBLEM = _t(
    "{pobj}仅为{P}，低于全{P_TIER}平均水平{PP}。|"
    "部分{cobj}工作推进较慢，仍有{CN}尚未完成。|"
    "{mobj}缺口约{M}，资金保障压力较大。|"
    "从签约到开工平均周期超过{D}，{pobj}不足{P}。|"
    "{problem_generic}，{gobj}有待进一步{gverb}。|"
    "全{T}仅有{NC}，与{need}的需求相比仍有差距。"
)
PLANNED = _t(
    "力争全年{mverb}{mobj}{Mt}。|"
    "确保{pobj}稳定在{Pt}。|"
    "计划{vplan}{CN}，{DL}完成。|"
    "每月开展{ACT}不少于{C_RANGE}。|"
    "{DL}完成{project}建设，{vplan}{NC_T}。|"
    "加快推进{project}，力争{DL}建成投用，新增{NC_T}。|"
    "{pobj}同比提高{PP}以上，{mobj}达到{Mt}。|"
    "年内组织{ACT}不少于{C_TIMES}，培训人员约{C_PEOPLE}。|"
    "严格落实{DOC}，{DL}完成{gobj}修订。|"
    "推动{mobj}{DL}全部拨付到位，确保资金使用率不低于{P_BARE}。"
)
PROSE = _t(
    "坚持{principle}，{gverb}{gobj}，{gverb}{gobj}，推动各项工作落地见效。|"
    "围绕{lead_plain}，{adv}{gverb}{gobj}，形成上下联动、齐抓共管的工作格局。|"
    "建立“周调度、月通报、季考核”工作机制，{gverb}{gobj}。|"
    "针对{problem_generic}等问题，逐一分析原因，建立{gobj}，实行销号管理。|"
    "加强与上级部门的沟通对接，积极争取政策和项目支持，{gverb}{gobj}。|"
    "同时，{gverb}{gobj}，确保各项任务按时保质完成。"
)
DEADLINES = _t("6月底前|年底前|9月30日前|三季度末|10月中旬前|{next}年3月底前|年内|11月底前|8月底前|12月31日前")
CAUSES = _t("房地产市场持续调整|原材料价格上涨|上年同期基数较高|项目投资进度滞后|外部需求减弱")
NEEDS = _t("群众|企业|高质量发展|上级考核")


_QUALIFIER_ENDINGS = ("约", "近", "超过", "不低于", "不少于", "不足", "不超过", "仅为", "仅有")


class _Composer:
    """Writes one report, drawing every choice from its own RNG."""

    def __init__(self, rng: random.Random, domain: Domain, region: str, tier: str, year: int,
                 period: tuple, fullwidth: bool, w: _Writer) -> None:
        self.rng = rng
        self.d = domain
        self.region = region
        self.tier = tier
        self.year = year
        self.period = period
        self.w = w
        self.lp, self.rp = ("（", "）") if fullwidth else ("(", ")")
        masked_doc = rng.random() < 0.12
        self.num = _Numbers(rng, rng.uniform(0.4, 0.9) if masked_doc else 0.02)

    # -- slots ---------------------------------------------------------------------------------

    def _pre(self, pre: str) -> str:
        """No second qualifier after a template's own (`缺口约` + `约68亿元`, `不少于` + `超过5次`)."""
        last = self.w.parts[-1] if self.w.parts else ""
        return "" if last.endswith(_QUALIFIER_ENDINGS) else pre

    def _money(self, target: bool = False, small: bool = False) -> None:
        pre, core, post, masked = self.num.money(target, small)
        self.w.qty("currency", self._pre(pre), core, post, masked=masked, target=target)

    def _q(self, kind: str, parts: tuple[str, str, str, bool], target: bool = False) -> None:
        pre, core, post, masked = parts
        self.w.qty(kind, self._pre(pre), core, post, masked=masked, target=target)

    def _count(self, unit: str, target: bool = False) -> None:
        self._q("count", self.num.count(unit, target), target)

    def render(self, template: str, target: bool = False) -> None:
        rng, d, w = self.rng, self.d, self.w
        noun, unit = rng.choice(d.count_objs)  # one counted thing per sentence
        pos = 0
        while True:
            i = template.find("{", pos)
            if i == -1:
                w.add(template[pos:])
                return
            w.add(template[pos:i])
            j = template.index("}", i)
            slot = template[i + 1:j]
            pos = j + 1
            if slot == "NC":
                w.add(noun)
                self._count(unit)
            elif slot == "CN":
                self._count(unit)
                w.add(noun)
            elif slot in ("NC_T", "NC_TASKS"):
                if slot == "NC_TASKS":
                    w.add("重点任务")
                    self._count("项", target=False)
                else:
                    w.add(noun)
                    self._count(unit, target=True)
            elif slot == "M":
                self._money(target)
            elif slot == "Mt":
                self._money(True)
            elif slot == "M_SMALL":
                self._money(small=True)
            elif slot == "P":
                self._q("percent", self.num.percent(target), target)
            elif slot == "P_BARE":
                self._q("percent", self.num.percent(), target)
            elif slot == "Pt":
                self._q("percent", self.num.percent(True), True)
            elif slot == "PG":
                self._q("percent", self.num.percent(growth=True), target)
            elif slot == "PP":
                self._q("points", self.num.points(), target)
            elif slot in ("A", "W", "E", "EN", "L", "D", "UG"):
                kind = {"A": "area", "W": "mass", "E": "power", "EN": "energy", "L": "length",
                        "D": "duration", "UG": "ug"}[slot]
                self._q("concentration" if kind == "ug" else kind, self.num.measure(kind), target)
            elif slot.startswith("C_"):
                # not 期: `二期` reads as "phase two" as often as "two sessions"
                unit = {"C_TIMES": rng.choice(("次", "场", "场次", "批次")), "C_ISSUES": "个",
                        "C_RANGE": "次", "C_PEOPLE": "人次", "C_ACC": "起", "C_DEATH": "人",
                        "C_HOURS": "课时", "C_HH": "户"}[slot]
                if slot == "C_RANGE":
                    a = rng.randint(1, 4)
                    w.qty("count", "", f"{a}-{a + rng.randint(1, 3)}次", "")
                else:
                    self._count(unit, target)
            elif slot == "mobj":
                w.add(rng.choice(d.money_objs))
            elif slot == "pobj":
                w.add(rng.choice(d.pct_objs))
            elif slot == "cobj":
                w.add(noun)
            elif slot == "project":
                w.add(rng.choice(d.projects))
            elif slot == "lead_plain":
                w.add(rng.choice(d.leads))
            elif slot == "problem_generic":
                w.add(rng.choice(d.problems))
            elif slot == "time":
                w.add(self.period[2])
            elif slot == "scope":
                w.add(rng.choice(SCOPE).replace("{T}", self.tier))
            elif slot == "T":
                w.add(self.tier)
            elif slot == "P_TIER":
                w.add(rng.choice(PROVINCIAL))
            elif slot == "region":
                w.add(self.region)
            elif slot == "topic":
                w.add(rng.choice(d.plan_leads))
            elif slot == "DOC":
                w.add(f"《{self.region}{rng.choice(d.plan_leads)}三年行动方案({self.year}—{self.year + 2}年)》")
            elif slot == "CODE":
                w.add(rng.choice((f"S{rng.randint(201, 499)}线", f"G{rng.randint(101, 399)}国道",
                                  f"X{rng.randint(10, 99)}县道", "HG*")))
            elif slot == "DL":
                w.add(rng.choice(DEADLINES).replace("{next}", str(self.year + 1)))
            elif slot == "ACT":
                w.add(rng.choice(ACTIVITY))
            elif slot == "act":
                w.add(rng.choice(("深度治理", "提标改造", "规范化整治", "专项检查", "集中整治")))
            elif slot == "vdone":
                w.add(rng.choice(VERB_DONE))
            elif slot == "vplan":
                w.add(rng.choice(("新建", "改造", "培育", "新增", "推动", "完成")))
            elif slot == "mverb":
                w.add(rng.choice(MONEY_VERB))
            elif slot == "gverb":
                w.add(rng.choice(GENERIC_VERB))
            elif slot == "gobj":
                w.add(rng.choice(GENERIC_OBJ))
            elif slot == "principle":
                w.add(rng.choice(PRINCIPLE))
            elif slot == "adv":
                w.add(rng.choice(ADVERB))
            elif slot == "cause":
                w.add(rng.choice(CAUSES))
            elif slot == "need":
                w.add(rng.choice(NEEDS))
            else:  # pragma: no cover - a typo in a template
                raise KeyError(slot)

    def sentences(self, kind: str, k: int) -> None:
        pool = {"achievement": ACHIEVED + self.d.extra, "problem": PROBLEM, "plan": PLANNED}[kind]
        for _ in range(k):
            if self.rng.random() < 0.4:
                self.render(self.rng.choice(PROSE))
            else:
                self.render(self.rng.choice(pool), target=(kind == "plan"))

    def fill(self, kind: str, until: int, most: int = 12) -> None:
        """Sentences of `kind` until the text reaches position `until` (at least one, at most `most`)."""
        for _ in range(most):
            self.sentences(kind, 1)
            if self.w.pos >= until:
                return

    def circled(self) -> None:
        """A ① list inside running text: `今年新建的3个项目中，①…；②…；③…。`"""
        rng, w = self.rng, self.w
        k = rng.randint(2, 4)
        w.add(f"今年实施的{k}个重点项目中，")
        projects = rng.sample(self.d.projects, min(k, len(self.d.projects)))
        while len(projects) < k:
            projects.append(rng.choice(self.d.projects))
        for i, project in enumerate(projects):
            w.add("①②③④"[i] + project)
            r = rng.random()
            if r < 0.4:
                w.add("已完工并投入使用")
            elif r < 0.7:
                w.add(f"正在{rng.choice(STATE)}，预计{rng.choice(DEADLINES).replace('{next}', str(self.year + 1))}完工")
            else:
                w.add("完成投资")
                self._money()
            w.add("；" if i < k - 1 else "。")


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------

_CN_ORD = "一二三四五六七八九十"


def _cn_ord(i: int) -> str:
    return _CN_ORD[i - 1] if i <= 10 else "十" + _CN_ORD[i - 11]


def _target_size(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.25:
        return rng.randint(2_300, 5_000)
    if r < 0.80:
        return rng.randint(5_000, 11_000)
    return rng.randint(11_000, 18_500)


def generate_report(index: int, seed: int = 0, markdown: bool = False) -> Report:
    """Report `index` of the corpus `seed`; its text does not depend on any other report."""
    rng = random.Random(f"report-warehouse/{seed}/{index}")
    d = rng.choice(DOMAINS)
    dept = rng.choice(d.depts)
    tier = rng.choice(TIER)
    r = rng.random()
    if r < 0.10:
        region = rng.choice(("xx", "*", "***", "x")) + tier
    elif r < 0.15:
        region = ""  # 市民政局: the tier is in the department's own name
        dept = tier + dept
    else:
        region = rng.choice(SURNAME) + rng.choice(SECOND) + tier
    year = rng.choice((2022, 2023, 2023, 2024, 2024, 2024, 2025))
    period = rng.choice(PERIODS)
    code, ptitle, ptext, pnext = period
    pnext = pnext.replace("{next}", str(year + 1))
    period = (code, ptitle, ptext, pnext)
    if code == "FY":
        form = rng.choice(FY_TITLE_FORMS)
        title = form.format(region=region, dept=dept, year=year, next=year + 1)
    else:
        title = rng.choice(TITLE_FORMS).format(region=region, dept=dept, year=year, ptitle=ptitle,
                                               pnext=pnext)
    fullwidth = rng.random() < 0.6
    layout = rng.choices(("lines", "runon", "numbered"), weights=(50, 25, 25))[0]
    blank = rng.random() < 0.45  # blank lines between paragraphs
    nl = "\n\n" if blank else "\n"
    l3 = rng.choice(("1.", "1、", "1．"))[1:]

    w = _Writer()
    c = _Composer(rng, d, region, tier, year, period, fullwidth, w)
    lp, rp = c.lp, c.rp
    w.add(("# " if markdown else "") + title + nl)
    w.add(f"{ptext if ptext != '今年以来' else '今年以来'}，{'我局' if rng.random() < 0.5 else dept}"
          f"坚持{d.focus}，{rng.choice(ADVERB)}推进各项工作，{'、'.join(rng.sample(d.leads, 2))}取得积极进展，"
          f"{rng.choice(d.areas)}。现将有关情况{rng.choice(('报告如下', '汇报如下', '总结如下'))}：" + nl)

    target = _target_size(rng)
    plan_only = code == "FY" and "要点" in title
    shares = (("achievement", 0.25), ("plan", 0.75)) if plan_only else (
        ("achievement", 0.50), ("problem", 0.14), ("plan", 0.36))
    fused_doc = layout == "runon" and rng.random() < 0.6
    hard_max = MAX_CHARS - 600
    top = 0
    for kind, share in shares:
        top += 1
        budget = w.pos + int(target * share)
        if kind == "achievement":
            head = rng.choice((f"{pnext and ptitle or ''}工作开展情况", "主要工作完成情况", "工作进展及成效",
                               f"{year}年工作回顾", "主要工作及成效"))
            if head.startswith("工作开展情况"):
                head = "主要" + head
        elif kind == "problem":
            head = rng.choice(("存在的问题和不足", "面临的困难和短板", "存在的主要问题", "工作中存在的困难和问题"))
        else:
            head = rng.choice((f"{pnext}工作计划", f"{pnext}工作打算", f"{year + 1}年工作思路",
                               f"{pnext}重点工作安排"))
        subs = d.areas if kind == "achievement" else (d.problems if kind == "problem" else d.plan_areas)
        subs = list(subs)
        rng.shuffle(subs)
        # Level-1 headings of several achievement parts in a fused report: `一、对标先进,全面…动能一是…`
        parts = [head]
        if kind == "achievement" and fused_doc:
            parts = [f"{rng.choice(FUSED_HEAD)}，{rng.choice(FUSED_ADV)}{rng.choice(FUSED_VERB)}"
                     f"{rng.choice(d.fused)}" for _ in range(rng.randint(2, 3))]
        for p_i, heading in enumerate(parts):
            if p_i:
                top += 1
            if p_i == 0:
                part_budget = budget if len(parts) == 1 else w.pos + int(target * share / len(parts))
            else:
                part_budget = w.pos + int(target * share / len(parts))
            w.add(f"{_cn_ord(top)}、{heading}")
            if kind == "problem" or (fused_doc and kind == "achievement"):
                # inline 一是/二是 right after the heading (fused when the layout runs on)
                w.add("" if layout == "runon" else nl)
                items = list(subs if kind == "problem" else d.leads)
                rng.shuffle(items)
                per_item = max(60, (part_budget - w.pos) // len(items))
                for i, lead in enumerate(items, start=1):
                    m = w.mark()
                    w.add(f"{_cn_ord(i)}是{lead}。")
                    c.fill(kind, w.pos + int(per_item * rng.uniform(0.6, 1.4)))
                    if w.pos > hard_max or (i > 1 and w.pos > part_budget + 400):
                        w.rollback(m)
                        break
                    if w.pos >= part_budget:
                        break
                w.add(nl)
                continue
            w.add("" if layout == "runon" else nl)
            for s_i, sub in enumerate(subs, start=1):
                m = w.mark()
                need = max(300, (part_budget - w.pos) // (len(subs) - s_i + 1))
                n_items = rng.randint(2, 5)
                per_item = need // n_items
                w.add(f"{lp}{_cn_ord(s_i)}{rp}{sub}")
                leads = list(d.plan_leads if kind == "plan" else d.leads)
                rng.shuffle(leads)
                leads = (leads * 2)[:n_items]
                if layout == "numbered" or rng.random() < 0.3:
                    # (一) heading on its own line, then 1．items, some with (1) sub-items
                    w.add("。" if layout == "runon" else nl)
                    for k, lead in enumerate(leads, start=1):
                        w.add(f"{k}{l3}{lead}。")
                        c.fill(kind, w.pos + int(per_item * rng.uniform(0.5, 1.2)))
                        if rng.random() < 0.25:
                            for q in range(1, rng.randint(2, 4)):
                                w.add(f"{lp}{q}{rp}{rng.choice(d.leads)}。")
                                c.sentences(kind, rng.randint(1, 2))
                        if rng.random() < 0.12:
                            c.circled()
                        w.add("" if layout == "runon" else nl)
                else:
                    # (一)heading。一是…二是…  inline enumeration
                    w.add("。")
                    if rng.random() < 0.5:
                        c.sentences(kind, 1)
                    for k, lead in enumerate(leads, start=1):
                        w.add(f"{_cn_ord(k)}是{lead}。")
                        c.fill(kind, w.pos + int(per_item * rng.uniform(0.6, 1.4)))
                    if rng.random() < 0.1:
                        c.circled()
                    w.add("" if layout == "runon" else nl)
                if w.pos > hard_max:
                    w.rollback(m)
                    break
                if w.pos >= part_budget:
                    break
            if layout == "runon":
                w.add(nl)
    while w.pos < MIN_CHARS + 100:  # a closing paragraph brings a short report up to size
        c.sentences("plan", 2)
    if rng.random() < 0.5 and w.pos < hard_max:
        w.add(f"{_cn_ord(top + 1)}、保障措施" + nl)
        for k, lead in enumerate(("加强组织领导", "强化要素保障", "严格督导考核")[:rng.randint(1, 3)], start=1):
            m = w.mark()
            w.add(f"{lp}{_cn_ord(k)}{rp}{lead}。")
            c.sentences("plan", 1)
            if w.pos > hard_max:
                w.rollback(m)
                break
        w.add("\n")
    text = w.text()
    if not fullwidth:  # one character for one: the spans stay exact
        text = text.translate(_HALFWIDTH)
    return Report(index, text, title.translate(_HALFWIDTH) if not fullwidth else title, region,
                  dept, year, code, markdown, w.mentions)


_HALFWIDTH = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})


def generate_reports(n: int, seed: int = 0) -> Iterator[Report]:
    for i in range(n):
        yield generate_report(i, seed)


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------

def supported_formats() -> list[str]:
    """Formats of DEFAULT_MIX whose reader exists in `extractors.formats` (and, for PDF, a CJK font)."""
    out = []
    for fmt, reader in _READER.items():
        if importlib.util.find_spec(f"extractors.formats.{reader}") is None:
            continue
        if fmt == "docx" and importlib.util.find_spec("docx") is None:
            continue
        if fmt == "pdf" and (importlib.util.find_spec("fpdf") is None or _cjk_font() is None):
            continue
        out.append(fmt)
    return out


def default_mix() -> dict[str, float]:
    supported = set(supported_formats())
    return {fmt: share for fmt, share in DEFAULT_MIX.items() if fmt in supported}


def parse_mix(spec: str) -> dict[str, float]:
    """`txt=0.8,md=0.2` (or `txt,md` for equal shares) -> {format: share}."""
    mix: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, share = part.partition("=")
        mix[name] = float(share) if share else 1.0
    return mix


def _cjk_font() -> str | None:
    return next((f for f in _CJK_FONTS if Path(f).is_file()), None)


_SLUG = {"eco": "eco_env", "medins": "medical_insurance", "safety": "emergency_safety",
         "civil": "civil_affairs", "edu": "education", "devref": "dev_reform", "commerce": "commerce",
         "agri": "agriculture", "housing": "housing", "transport": "transport"}


def _slug(report: Report) -> str:
    key = next(d.key for d in DOMAINS if report.department.endswith(d.depts) or
               any(dep in report.department for dep in d.depts))
    period = (report.period or "ytd").lower().replace("-", "")
    return f"{_SLUG[key]}_{report.year}{period}"


def generate_corpus(folder: Path, n: int, seed: int = 0,
                    formats: Mapping[str, float] | None = None,
                    labels: Path | None = None) -> list[Path]:
    """Write n reports into `folder` as files in the format mix; return the paths written.

    `formats` maps a format (`txt`, `txt-gb18030`, `txt-bom`, `md`, `jsonl`, `csv`, `docx`, `pdf`,
    `html`) to its share; by default DEFAULT_MIX less the formats the extractors cannot read yet.
    A corpus file (`jsonl`, `csv`) holds 2–6 consecutive reports, so fewer than n files may be
    written. `labels`, if given, receives one JSON line per money mention: file, record key, the
    exact quantity text and its span in the document's text (the decoded text for txt/md/corpus;
    for docx/pdf/html, in the text as generated).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    mix = dict(formats) if formats is not None else default_mix()
    unknown = set(mix) - set(DEFAULT_MIX)
    if unknown:
        raise ValueError(f"unknown format(s) {sorted(unknown)}; known: {sorted(DEFAULT_MIX)}")
    missing = set(mix) - set(supported_formats())
    if missing:
        raise ValueError(f"no reader (or no tool to write) for {sorted(missing)} yet; "
                         f"supported now: {supported_formats()}")
    names, weights = list(mix), [mix[k] for k in mix]
    paths: list[Path] = []
    label_rows: list[dict] = []
    i = 0
    while i < n:
        frng = random.Random(f"report-warehouse/{seed}/file/{i}")
        fmt = frng.choices(names, weights=weights)[0]
        if fmt in CORPUS_FORMATS:
            k = min(n - i, frng.randint(2, 6))
            reports = [generate_report(j, seed) for j in range(i, i + k)]
            path = folder / f"{i:05d}_corpus_{k}{_SUFFIX[fmt]}"
            _write_corpus(path, fmt, reports, frng)
            keys = [f"r{r.index:05d}" for r in reports]
        else:
            report = generate_report(i, seed, markdown=(fmt == "md"))
            reports, keys = [report], [None]
            path = folder / f"{i:05d}_{_slug(report)}{_SUFFIX[fmt]}"
            _write_report(path, fmt, report)
        paths.append(path)
        if labels is not None:
            for report, key in zip(reports, keys):
                label_rows.extend(
                    {"file": path.name, "record_key": key, "format": fmt, "text": m.text,
                     "core": report.text[m.core_start:m.core_end], "start": m.start, "end": m.end,
                     "masked": m.masked}
                    for m in report.money)
        i += len(reports)
    if labels is not None:
        Path(labels).parent.mkdir(parents=True, exist_ok=True)
        with open(labels, "w", encoding="utf-8") as fh:
            for row in label_rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return paths


def _write_report(path: Path, fmt: str, report: Report) -> None:
    text = report.text
    if fmt in ("txt", "md"):
        path.write_bytes(text.encode("utf-8"))
    elif fmt == "txt-gb18030":
        path.write_bytes(text.encode("gb18030"))
    elif fmt == "txt-bom":
        path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    elif fmt == "docx":
        path.write_bytes(_docx_bytes(text))
    elif fmt == "pdf":
        path.write_bytes(_pdf_bytes(text))
    elif fmt == "html":
        path.write_bytes(_html_bytes(report).encode("utf-8"))
    else:  # pragma: no cover
        raise ValueError(fmt)


def _write_corpus(path: Path, fmt: str, reports: list[Report], rng: random.Random) -> None:
    with_meta = rng.random() < 0.5
    rows = []
    for r in reports:
        row = {"id": f"r{r.index:05d}", "text": r.text}
        if with_meta:
            row.update(title=r.title, department=r.department, region=r.region, year=str(r.year))
        rows.append(row)
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    else:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_bytes(buf.getvalue().encode("utf-8"))


_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def _docx_bytes(text: str) -> bytes:
    """A .docx with one paragraph per line, re-zipped with fixed timestamps so bytes are stable."""
    import datetime as dt

    import docx

    document = docx.Document()
    props = document.core_properties
    props.created = props.modified = dt.datetime(2024, 1, 1)
    props.author = props.last_modified_by = "bench"
    for line in text.split("\n"):
        document.add_paragraph(line)
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, _FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _pdf_bytes(text: str) -> bytes:
    import datetime as dt

    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    pdf.add_font("cjk", fname=_cjk_font(), collection_font_number=0)
    pdf.set_font("cjk", size=11)
    pdf.add_page()
    for line in text.split("\n"):
        pdf.multi_cell(0, 7, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _html_bytes(report: Report) -> str:
    from html import escape

    body = "\n".join(f"<p>{escape(line)}</p>" for line in report.text.split("\n")[1:] if line.strip())
    return (f"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(report.title)}</title></head>\n<body>\n<h1>{escape(report.title)}</h1>\n"
            f"{body}\n</body></html>\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the reports into (created)")
    parser.add_argument("n", type=int, help="number of reports")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", type=parse_mix, default=None,
                        help="format mix, e.g. txt=0.8,txt-gb18030=0.1,md=0.1 (default: all supported)")
    parser.add_argument("--labels", type=Path, help="write the money mentions as JSON lines here")
    args = parser.parse_args(argv)
    paths = generate_corpus(args.out, args.n, args.seed, args.formats, args.labels)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} files ({args.n} reports, {size / 1e6:.1f} MB) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
