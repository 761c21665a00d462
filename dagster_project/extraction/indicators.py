"""Indicators: the measured quantities that targets refer to, shared across documents.

Two sources feed one registry (source-catalog §5 指标体系, §8.2 T6/T10):
- the indicators of the targets themselves (县域内就诊率 in 〔2015〕181号 …), named after the
  subject the text gives the value (the words before 达到/提高到/≥, or the object of 建成 N 个);
- the indicator systems printed as tables without target values: 廊政〔2015〕118号 附件1 (T6,
  50 three-level indicators with unit and responsible unit) and 廊政办〔2015〕68号's assessment
  table (T10, 13 numbered indicators). They are indicators, not targets.

Ids: ``ind-{nnn}``, numbered in order of first appearance in the source (line, then position
on the line); an indicator is SHARED by every occurrence whose normalised name is equal, so a
rate named in the assessment table (制造业产品质量合格率, T10) and targeted by another document
(〔2015〕168号) is one row. The TAB cells are read here directly (one cell per TAB line, lines
without a TAB continue the cell, §8.1) so that the registry does not wait for the tables module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .context import ExtractionContext
from .documents import Document
from .source import remove_whitespace


@dataclass(frozen=True)
class IndicatorOccurrence:
    name: str
    unit: str
    direction: str      # higher_is_better | lower_is_better
    description: str
    line: int
    position: int = 0   # offset on the line, for a stable order among several on one line


@dataclass(frozen=True)
class Cell:
    text: str
    line: int


_SCOPE_PREFIX = re.compile(r"^(?:全市|我市|市本级|全部|所有)")
_FULL_WIDTH = str.maketrans("（）％，：", "()%,:")


def normalise_name(name: str) -> str:
    """The key under which indicators are shared: no spaces, half-width brackets, no scope prefix."""
    key = remove_whitespace(name).translate(_FULL_WIDTH)
    key = _SCOPE_PREFIX.sub("", key)
    return key.strip("的、,")


def read_cells(ctx: ExtractionContext, first: int, last: int) -> list[Cell]:
    """TAB cells between two lines: a TAB line opens a cell, a non-empty line without TAB continues it."""
    cells: list[Cell] = []
    for n in range(first, last + 1):
        text = ctx.source.line(n)
        if text.startswith("\t"):
            cells.append(Cell(remove_whitespace(text), n))
        elif text.strip() and cells:
            cells[-1] = Cell(cells[-1].text + remove_whitespace(text), cells[-1].line)
    return cells


def _find_line(ctx: ExtractionContext, doc: Document, pattern: re.Pattern, start: int | None = None) -> int | None:
    for n in range(start or doc.line_start, doc.line_end + 1):
        if pattern.search(ctx.source.line(n)):
            return n
    return None


_SEQUENCE = re.compile(r"^\d{1,2}$")
_NEXT_ANNEX = re.compile(r"^\s*附件\s*\d\s*$")


def three_level_indicator_system(ctx: ExtractionContext) -> list[IndicatorOccurrence]:
    """T6: the indicator table whose header holds 三级指标 and 单位 (廊政〔2015〕118号 附件1)."""
    found: list[IndicatorOccurrence] = []
    for doc in ctx.documents:
        header = _find_line(ctx, doc, re.compile(r"^\t三\s*级\s*指\s*标\s*$"))
        if header is None:
            continue
        end = _find_line(ctx, doc, _NEXT_ANNEX, header + 1) or doc.line_end
        cells = read_cells(ctx, header, end - 1)
        level1 = level2 = ""
        last_row_end = 0
        for i, cell in enumerate(cells):
            if not _SEQUENCE.match(cell.text) or i + 3 > len(cells):
                continue
            before = [c.text for c in cells[last_row_end:i]]
            if len(before) >= 2:
                level1 = before[-2] or level1
                level2 = before[-1] or level2
            elif len(before) == 1:
                level2 = before[-1] or level2
            name, unit = cells[i + 1].text, cells[i + 2].text
            responsible = cells[i + 3].text if i + 3 < len(cells) and not _SEQUENCE.match(cells[i + 3].text) else ""
            last_row_end = i + 4
            description = f"{doc.doc_no}附件1指标体系：一级指标 {level1}；二级指标 {level2}；序号 {cell.text}"
            if responsible:
                description += f"；责任单位 {responsible}"
            found.append(IndicatorOccurrence(name, unit.replace("％", "%"), "higher_is_better", description, cells[i + 1].line))
    return found


_RATE = re.compile(r"(?:率|指数|满意度|贡献率|产值率)$")


def assessment_indicator_system(ctx: ExtractionContext) -> list[IndicatorOccurrence]:
    """T10: the numbered assessment indicators (考核内容｜序号｜考核指标｜考核要点｜备注)."""
    found: list[IndicatorOccurrence] = []
    for doc in ctx.documents:
        header = _find_line(ctx, doc, re.compile(r"^\t考核要点\s*$"))
        if header is None:
            continue
        cells = read_cells(ctx, header + 1, doc.line_end)
        group = indicator = ""
        sequences = [i for i, c in enumerate(cells) if _SEQUENCE.match(c.text)]
        for k, i in enumerate(sequences):
            stop = sequences[k + 1] if k + 1 < len(sequences) else len(cells)
            if i > 0 and cells[i - 1].text and not _SEQUENCE.match(cells[i - 1].text):
                group = cells[i - 1].text
            # the last cell before the next number is the next row's 考核内容 (often an empty merged cell)
            row = list(cells[i + 1: stop - 1 if k + 1 < len(sequences) else stop])
            if row and row[0].text:
                indicator = row[0].text
            points = [c.text for c in row[1:] if c.text]
            first_point = row[1] if len(row) > 1 and row[1].text else None
            if first_point is not None and _RATE.search(re.sub(r"[（(][^）)]*[）)]$", "", first_point.text)) \
                    and len(points) <= 2:
                name, line = first_point.text, first_point.line
            else:
                name, line = indicator.rstrip("。"), (row[0].line if row else cells[i].line)
            description = f"{doc.doc_no}考核指标 第{cells[i].text}项：考核内容 {group}；考核指标 {indicator}"
            if points and name == indicator:
                description += "；考核要点 " + "、".join(p for p in points if not p.startswith("相关考核目标"))
            found.append(IndicatorOccurrence(name, "", "higher_is_better", description, line))
    return found


@dataclass
class IndicatorRegistry:
    """Assigns ``ind-{nnn}`` ids by first appearance and shares them by normalised name."""

    rows: dict[str, dict[str, object]]

    @classmethod
    def build(cls, occurrences: list[IndicatorOccurrence]) -> "IndicatorRegistry":
        rows: dict[str, dict[str, object]] = {}
        for occurrence in sorted(occurrences, key=lambda o: (o.line, o.position)):
            key = normalise_name(occurrence.name)
            if not key or key in rows:
                if key in rows and not rows[key]["unit"] and occurrence.unit:
                    rows[key]["unit"] = occurrence.unit
                continue
            rows[key] = {
                "indicator_id": f"ind-{len(rows) + 1:03d}",
                "name": _SCOPE_PREFIX.sub("", remove_whitespace(occurrence.name)).strip("的、,，"),
                "unit": occurrence.unit,
                "direction": occurrence.direction,
                "description": occurrence.description,
                "line": occurrence.line,
            }
        return cls(rows)

    def id_for(self, name: str) -> str:
        row = self.rows.get(normalise_name(name))
        return str(row["indicator_id"]) if row else ""

    def table_rows(self) -> list[dict[str, object]]:
        return list(self.rows.values())


# --- naming a target's indicator after the quantity it measures --------------------------------------
# A target's sentence names WHAT is counted or measured; the indicator is that quantity, phrased the
# way a statistics table would head its column: a count gets 数量/人数/户数/次数, a share of a base gets
# 占…比例, a growth gets 增长率, and scope words, modal verbs and goal verbs fall away:
#   全市科技企业孵化器达到30家            → 科技企业孵化器数量
#   培育20家知识产权示范企业               → 知识产权示范企业数量
#   单位应按照不低于…的1.5%的比例安排残疾人就业 → 残疾人就业比例
#   管理成本不得超过当年总支出的10%       → 管理成本占当年总支出比例
#   逐步提高医务人员经费支出占业务支出比例，力争到2017年占比不低于40% → 医务人员经费支出占业务支出比例
#   固定资产投资增长20%以上               → 固定资产投资增长率
# The same quantity named in several documents then shares one indicator (IndicatorRegistry).
_COUNT_SUFFIX = {
    "名": "人数", "人": "人数", "万名": "人数", "万人": "人数", "人次": "人次", "万人次": "人次",
    "户": "户数", "万户": "户数", "次": "次数", "亩": "面积", "万亩": "面积",
}
_GENERIC_COUNT_UNITS = {"个", "家", "项", "所", "座", "条", "种", "场", "件", "批次", "张", "套", "万套", "类"}
_QUANTITY_ENDING = re.compile(
    r"(?:率|比例|比重|占比|指数|度|量|额|规模|收入|总数|数量|人数|户数|次数|面积|时间|水平|覆盖面|提前量|产值|增速|"
    r"人次|总收入|总规模|分辨率|评分)$"
)
_LEAD_SCOPE = re.compile(
    r"^(?:全市|我市|市本级|市区|各县[（(]市、区[)）](?:、廊坊开发区)?|各县[（(]市[)）]|各地|所有|全部|廊坊开发区|"
    r"每个?[^，。；、]{0,12}?(?:县[（(]市、区[)）]|乡[（(]镇[)）]|乡镇|行政村|社区)(?:、廊坊开发区)?)"
)
# single-character modals only where they cannot start a noun (应急, 要素, 一般性, 一般公共)
_LEAD_MODAL = re.compile(
    r"^(?:要(?![求素])|应(?![急用对])|均|都|须|必须|原则上|一般(?![性公])|按照|按(?![因比需期])|严格落实|在(?=全市|我市|各)|总体|逐步|力争|确保|争取|继续|切实|"
    r"加快|着力|重点|至少|最少|不少于|不低于|分别|保证|或|其中|（其中|达到|明确|倡导)+"
)
_LEAD_VERB = re.compile(
    r"^(?:建立和完善|建立健全|建设|建成|建立|建有|建|培育认定|培育|引进培育|引进|培养|打造|创建|争创|推广使用|推广|"
    r"升级改造|改造|推进|抓好|开办|选派|聘请|配备|认定|树立|制订|组织|举办|开展|完成|实现|设置|提供|扩大种植|扩大|"
    r"具备|拥有|有|达到|加快推进|做好|保证|构建起|构建|深化|改善)"
)
_LIST_HEAD = re.compile(r"^.*、.*?等(?=[^等、]{2,}$)")   # “创新工场”、“众创空间”等新型创业孵化机构 → 新型创业孵化机构
_MAIN_AS = re.compile(r"以[^，。；]{1,30}?为主的")         # 以核桃、油用牡丹…等为主的木本油料作物 → 木本油料作物
_TASK_WORDS = re.compile(r"(?:的建设目标|的目标任务|目标任务|建设目标|任务|目标|的组织建设|的?建设|的安装工作)$")
_TRAILING_WORDS = re.compile(r"(?:要|应|均|都|将|动态|分别|总体|一般|原则上|逐步|稳步|达到|为|是|的)+$")
_PARENTHESES = re.compile(r"[（(][^（）()]*[）)]")
_GENERIC_SHARE = re.compile(r"^(?:占比|比例|比重|规模|增速|总量)$")
_SHARE_OF_BASE = re.compile(
    r"(?P<subject>[^，。；：]+?)(?:一般)?(?:不得超过|不超过|不高于|不低于|不少于|达到|占)(?P<base>[^，。；：的]{2,40})的$"
)
_RATIO_OBJECT = re.compile(r"^(?:以上|以下|左右)?的比例(?:安排|设置|配备|招录|招聘|用于)?(?P<obj>[^，。；、并和及]{2,20})")
_BACK_SHARE = re.compile(r"(?P<name>[^，。；：、]{2,40}?(?:比例|比重|占比))[，,][^，,]*$")
_GROWTH = re.compile(r"(?:保持)?(?P<yearly>年均)?(?P<verb>增长|增加|提高|提升)$")
_DURATION_NAME = {"天": "天数", "小时": "时长", "个小时": "时长", "学时": "学时", "周": "时长", "个月": "时长", "分钟": "时长"}
_FIRM_FIRST = re.compile(r"^(?P<who>企业|单位|机构)(?P<what>(?:通过|实施|开展|参加|申报).+)$")
_GOAL_VERB_INSIDE = re.compile(r"^(?P<subject>.{2,}?)要?(?:达到|提高到|提升到|保持在|稳定在)")


def _clean_subject(text: str) -> str:
    """Scope words, modal verbs and list markers off the front; filler off the end."""
    for _ in range(4):
        before = text
        text = _LEAD_SCOPE.sub("", text)
        text = _LEAD_MODAL.sub("", text)
        text = text.lstrip("的、，,")
        if text == before:
            break
    if text.count("（") > text.count("）"):
        # 新增10个卫生乡镇（每个县至少1个: the bracketed standard of the item before it
        text = text.rpartition("（")[0]
    return _TRAILING_WORDS.sub("", text)


def measured_quantity(name: str, unit: str, clause: str, after: str, list_head: str = "") -> str:
    """The quantity a target measures, named from the phrase's subject (see the comment above).

    ``name`` is the subject/object phrase cut around the value (targets.py), ``clause`` the text
    before the value (back to the start of its sentence, at most a few clauses), ``after`` the text
    after it up to the next clause break, ``list_head`` the name of the first value of a 、-list
    whose later items print only their subject (创建成功率达100%、卫生镇达10%).
    """
    own_clause = re.split(r"[，,；;。：:]", clause)[-1]
    ratio = _RATIO_OBJECT.match(after) if unit == "%" else None
    if ratio:
        return f"{_clean_subject(ratio.group('obj'))}比例"
    share = _SHARE_OF_BASE.search(own_clause) if unit == "%" else None
    if share:
        subject = _clean_subject(share.group("subject"))
        subject = re.sub(r"在[^，。；的]{1,20}后的", "", subject)            # …基金在编制…后的规模 → …基金规模
        subject = subject[subject.rfind("等") + 1:] if "等" in subject[:-1] else subject
        base = _PARENTHESES.sub("", share.group("base"))
        if subject and base:
            return f"{subject}占{base}比例"
    subject = _clean_subject(name)
    if _GENERIC_SHARE.match(subject) or not subject:
        masked = _PARENTHESES.sub("", clause)
        back = _BACK_SHARE.search(masked)
        if back:
            antecedent = _clean_subject(back.group("name"))
            antecedent = re.sub(r"^(?:逐步)?(?:提高|提升|降低|增加)", "", antecedent)
            if len(antecedent) > len(subject):
                return antecedent
        return subject or name
    growth = _GROWTH.search(own_clause)
    if growth and unit in ("%", "个百分点"):
        stem = re.sub(r"(?:保持)?(?:年均|年)?$", "", _GROWTH.sub("", subject))
        if unit == "%" and growth.group("verb") == "增长":
            return f"{stem}{growth.group('yearly') or ''}增长率"
        return f"{stem}提高幅度"
    if list_head and unit == "%" and not _QUANTITY_ENDING.search(subject) and list_head.endswith("率"):
        # 省级卫生城市（县城）创建成功率达100%、卫生镇达10% → 卫生镇创建成功率
        suffix = re.split(r"[）)的]", list_head)[-1]
        suffix = suffix if 2 <= len(suffix) <= 6 else list_head[-3:]
        return f"{subject}{suffix}"
    inside = _GOAL_VERB_INSIDE.match(subject)
    if inside and unit in _DURATION_NAME:
        subject = _clean_subject(inside.group("subject"))   # 成品粮油储备要达到常住人口10至15天 → 成品粮油储备
    if unit in _DURATION_NAME:
        if _QUANTITY_ENDING.search(subject):
            return subject
        obj = re.match(r"^[^，。；、的]{2,8}", after.lstrip("的"))
        obj = None if obj and re.match(r"(?:规定|要求|标准)", obj.group(0)) else obj
        if own_clause.endswith("每") and unit not in ("小时", "个小时", "分钟"):
            return f"{subject.rstrip('每')}{re.sub(r'.*[的院构]', '', after)}周期"   # 每3-5年…脱产进修
        if obj and not _QUANTITY_ENDING.search(subject):
            return f"{subject}{obj.group(0)}{_DURATION_NAME[unit]}"
        return f"{subject}{_DURATION_NAME[unit]}"
    if unit in _GENERIC_COUNT_UNITS or unit in _COUNT_SUFFIX or unit == "万":
        listed = re.search(r"、[^的\d]*的(?P<obj>[^、的\d]{2,16})$", after)
        if listed:
            subject = listed.group("obj")   # 1—2家产权清晰、服务高效、诚信度高的专利代理与服务机构
        if _QUANTITY_ENDING.search(subject):
            return subject
        obj = _LEAD_VERB.sub("", subject) or subject
        obj = _TASK_WORDS.sub("", _LIST_HEAD.sub("", _MAIN_AS.sub("", obj)))
        obj = re.sub(r"\d+(?:\.\d+)?[项个名]以上", "", obj)   # 成员掌握1项以上实用技术
        obj = re.sub(r"的?标准(?:配备|设置)", "", obj)          # 每千服务人口…的标准配备乡村医生
        firm = _FIRM_FIRST.match(obj)
        if firm:
            return f"{firm.group('what')}的{firm.group('who')}数量"   # 10家企业通过…认证
        if unit == "万":
            return f"{obj}人数" if re.search(r"人口|人|群体|农民工", obj) else f"{obj}数量"
        suffix = _COUNT_SUFFIX.get(unit, "数量")
        if suffix == "人数" and obj.endswith(("人", "人员")):
            suffix = "数"
        return f"{obj}{suffix}"
    if unit == "倍":
        return re.sub(r"比\d{4}年$", "", subject)   # 平均收入比2010年翻一番
    return _PARENTHESES.sub("", subject) if subject.endswith("）") else subject
