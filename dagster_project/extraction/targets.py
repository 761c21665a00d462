"""Quantitative targets and the indicators they measure.

What counts (source-catalog §1): a value the document requires to be reached or kept —
outcome targets (达到, 提高到, 突破, 增长), quantities of work (建成 N 个, 培育 N 家), lower and
upper standards (不少于, 不超过, 每 N 户至少 N 名) and frequencies (每年不少于 2 次). What does
not: rule parameters (tax rates, subsidies, fines, reimbursement ratios, price mark-ups, score
grades, eligibility thresholds such as "20万元以上的仪器"), pure time limits (N 日内), the
current state (以我市 6 个试验站为依托, 273 项改革任务) and indicator names without values.

How: every number with a unit is a *mention*; a mention is a target when the text around it
says so (a comparator, a goal verb, a frequency 每…N次, or a goal sentence 到2020年…达到…) and
no rule-parameter or current-state marker says otherwise. The markers are curated word lists
(module constants below, reviewed against the source); the parsing is generic. A document that
repeats a target in its annex table counts it once (the first, body, occurrence is kept).

Counting conventions that the parser applies (documented choices):
- 分别达到 a、b、c (and 分别不少于 7人、5人) → one target per value; when the subjects are listed
  with 、 as often as the values, each target gets its own subject (indicator / scope).
- comparators: ≥ 以上 不少于 不低于 至少 最少 不得少于 → ``>=``; ≤ 以下 以内 不超过 不得超过 不高于
  不得多于 控制在…以内 降到…以下 → ``<=``; 超过 突破 (strictly more, as printed) → ``>``;
  左右 近 约 → ``approx``; ranges 2—3 / 2-3 / 10至15 → ``between`` (value, value_high);
  达到 / 建成 N 个 / plain numbers → ``=``.
- 翻一番 is encoded as value 2, unit 倍 (relative to the base the text names), comparator ``=``
  (``>=`` with 以上). Chinese numerals become digits (一所 → 1, 两场 → 2, 万名 → 1 with unit 万名,
  近百万 → 100 with unit 万). A clock time (营业时间延长至22时30分) is decimal hours, unit 时 (22.5).
- One count with several frequencies (综合性事项每季度、专项工作每个月…报告一次) → one target per
  frequency, scoped to its subject. 3KM×3KM is one target (the second factor is skipped).
- The due date is the nearest time anchor before the value in the same line (到2017年, 2015年底前,
  今年/年内/全年 → the document's year end, 到“十三五”末 → 2020-12-31, 明年2月份 → the end of that
  month of the next year), or one stated in a line
  that introduces a list (到2017年，…应当达到以下标准：). No anchor → empty (a standing standard).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from .context import ExtractionContext
from .deadlines import find_deadline
from .indicators import measured_quantity
from .documents import Document
from .numbers import normalise_digits, normalise_unit, plain_decimal
from .seed_files import SeedTable

TARGET_COLUMNS = (
    "target_id", "doc_id", "task_id", "indicator_id", "comparator", "value", "value_high", "unit", "scope",
    "region_code", "due_date", "verbatim", "line",
)
INDICATOR_COLUMNS = ("indicator_id", "name", "unit", "direction", "description", "line")
COMPARATORS = (">=", "<=", "=", ">", "<", "between", "approx")

# --- reviewed word lists -------------------------------------------------------------------------
# Rule parameters: a number whose clause speaks of money paid, taxes, fines, prices or scores is
# a parameter of a rule, not a target (§1, §5 规则参数).
RULE_PARAMETER_WORDS = (
    "税", "扣除", "补贴", "补助", "奖励", "奖金", "资助", "贴息", "罚款", "起罚", "加罚", "罚金", "报销", "补偿", "起付", "缴", "征收",
    "加价", "水价", "收费", "减免", "上浮", "加5分", "原始分", "满分", "得分", "收益", "基数", "盈利", "筹资",
    "保险费", "专项资金", "支付限额", "比例归", "逾期", "评审一次",
)
# The current state or a frame, not a requirement (§1 对现状的描述).
CURRENT_STATE_WORDS = (
    "已有", "现有", "目前", "截至", "共有", "为依托", "为重点", "为主要载体", "为核心", "主要包括",
    "已在岗", "确定的", "列入国家", "综合评选", "近3年", "前5至10个",
)
# Genres whose body is a rule book: their numbers are rule parameters (§1 不计 …规则参数).
RULE_BOOK_GENRES = ("办法", "实施细则", "考核办法", "规定")
# Verbs that make a number a quantity of work or an outcome to reach.
GOAL_VERBS = (
    "达到", "达", "提高到", "提高至", "提升到", "提升至", "提高", "增加到", "增长", "增加", "降到", "降低到", "下降到",
    "降至", "保持在", "保持", "稳定在", "实现", "完成", "建成", "建设", "新建", "新增", "培育", "引进", "培养",
    "培训", "打造", "创建", "推广", "改造", "推进", "抓好", "改善", "组织", "举办", "开展", "拥有", "配备",
    "覆盖", "争创", "扩大", "树立", "制订", "认定", "选派", "聘请", "建有", "突破", "超过", "召开", "进行",
    "检查", "通报", "报告", "公开", "抽查", "设置", "掌握", "参与", "转移", "落户", "挂牌上市", "上市", "融资",
    "投保", "明确", "建立", "构建", "升级", "开办", "争取", "力争", "确保", "占", "学习", "训练", "用于",
    "具备", "检测", "安排", "实施", "提供",
)
# Words that make a whole sentence a rule (a subsidy scale, a tax clause, a fine).
SENTENCE_RULE_WORDS = (
    "补助", "补贴", "奖励", "罚款", "报销", "税", "加价", "收费", "贴息", "征收", "水价", "水量",
)
_CONDITION = re.compile(
    r"\d+(?:\.\d+)?\s*[\u4e00-\u9fff%]{0,3}?(?:以内|以上|以下)的[，,]|超过\d+(?:\.\d+)?\s*[\u4e00-\u9fff%]{0,3}?的[，,]"
)
GOAL_SENTENCE = re.compile(r"到20\d\d年|力争|确保|目标|今年|全年")

# Comparator words, longest first.
PREFIX_COMPARATORS = (
    ("最多不得超过", "<="), ("最高不超过", "<="), ("不得超过", "<="), ("不得多于", "<="), ("不得少于", ">="),
    ("不超过", "<="), ("不高于", "<="), ("不少于", ">="), ("不低于", ">="), ("至少", ">="), ("最少", ">="),
    ("≥", ">="), ("≤", "<="), ("超过", ">"), ("突破", ">"), ("控制在", "<="), ("降到", "<="), ("降低到", "<="),
    ("下降到", "<="), ("降至", "<="), ("约", "approx"), ("近", "approx"),
)
SUFFIX_COMPARATORS = {
    "及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "左右": "approx",
}

# --- the mention grammar --------------------------------------------------------------------------
_CN = "一两二三四五六七八九十百千"
_NUMBER = rf"\d+(?:\.\d+)?|[{_CN}]+万?|万|百"
# Units, longest first; 个月/小时/分钟/天/周/年 are durations (see _DURATION_UNITS).
_UNITS = (
    "个百分点", "万人次", "万平方米", "平方米", "万美元", "亿元", "万元", "万户", "万亩", "万套", "万人", "万名",
    "人次", "批次", "个工作日", "个小时", "小时", "分钟", "学时", "个月", "平米", "KM", "km", "公里", "%",
    "元", "户", "亩", "件", "张", "套", "倍", "分", "家", "个", "项", "所", "名", "人", "次", "天", "周", "年",
    "条", "座", "种", "场", "类", "万",
)
_UNIT = "|".join(re.escape(u) for u in _UNITS)
MENTION = re.compile(
    rf"(?P<num>{_NUMBER})(?:\s*%)?(?:\s*(?P<sep>—|-|至|~)\s*(?P<num2>{_NUMBER}))?\s*(?P<unit>{_UNIT})"
    rf"(?P<post>及以上|以上|及以下|以下|以内|之内|左右)?"
)
_DURATION_UNITS = {"个工作日", "个月", "小时", "个小时", "分钟", "天", "周", "年"}
_AMOUNT_UNITS = {"元", "万元", "亿元", "万美元", "亩", "万亩", "平米", "平方米", "人", "万人", "户", "年", "万", "岁"}
_CHINESE_OK_UNITS = {"万名", "所", "个", "名", "次", "项", "场", "小时", "个小时", "万名", "家"}
# 翻一番 (value 2, unit 倍), 近百万 (≈100 万), 营业时间延长至22时30分 (a clock time as decimal hours: 22.5 时)
_SPECIAL = re.compile(
    r"(?P<double>翻一番|翻番)(?P<more>以上)?|近(?P<big>[百千])万|(?<=延长至)(?P<hour>\d{1,2})时(?:(?P<minute>\d{1,2})分)?"
)
_FREQUENCY = re.compile(r"每(?:\d+|[一二两三四五六七八九十])?个?(?:年|月|季度|半年|半月|周|天|日)")
_CLAUSE_BREAK = re.compile(r"[，,；;。：:！？]")
_SENTENCE_BREAK = re.compile(r"[；;。！？]")
# 第7届, 〔2015〕, GB5749, 3KM×3KM (the second factor), 12·4
_NOT_A_QUANTITY_BEFORE = re.compile(r"(?:第|〔|（\d{4}|GB|DB|[A-Za-z]|\d[:：·•]|×)$")
_YEAR_NUMBER = re.compile(r"^(?:19|20)\d\d$")


@dataclass
class Mention:
    line: int
    start: int          # offsets in the (digit-normalised) line
    end: int
    value: str
    value_high: str
    unit: str
    comparator: str
    clause: str         # the clause before the number (from the last clause break)
    after: str          # the text after the mention up to the next clause break
    chinese: bool
    special: bool = False   # 翻一番 / 近百万: a target by its very wording
    segment: str | None = None   # for the 2nd… value of a list: the text since the previous value


@dataclass
class Target:
    doc_id: str
    line: int
    comparator: str
    value: str
    value_high: str
    unit: str
    scope: str
    due_date: str
    verbatim: str
    indicator_name: str
    direction: str
    context: str
    position: int = 0
    task_id: str = ""
    region_code: str = ""
    indicator_id: str = ""
    target_id: str = ""
    key: tuple = field(default_factory=tuple)


def _value(token: str) -> str:
    token = token.strip()
    if token in ("万", "百"):
        return {"万": "1", "百": "100"}[token]
    if token.endswith("万") and len(token) > 1 and not token[:-1].isdigit():
        return plain_decimal(token[:-1])
    return plain_decimal(token)


def _prefix_comparator(before: str) -> tuple[str, str] | None:
    """(word, comparator) when the text right before a number is a comparator word."""
    tail = before[-7:]
    for word, comparator in PREFIX_COMPARATORS:
        # allow a short filler between the word and the number: 不低于本单位在职职工人数的1.5%
        index = tail.rfind(word)
        if index >= 0 and len(tail) - (index + len(word)) <= 1:
            return word, comparator
    for word, comparator in PREFIX_COMPARATORS[:11]:
        index = before.rfind(word)
        filler = before[index + len(word):]
        if index >= 0 and len(filler) <= 16 and not re.search(r"[，,；;。：:、（）()\d]", filler):
            return word, comparator
        if index >= 0 and len(filler) <= 40 and filler.endswith("的") and not re.search(r"[，,；;。：:、\d]", filler):
            return word, comparator   # 不超过当年本级一般公共预算支出总额（含对下级转移支付）的5%
    return None


def find_mentions(line_no: int, text: str) -> list[Mention]:
    """Every number with a unit in one line, with its comparator and clause context."""
    norm = normalise_digits(text).replace("％", "%")
    mentions: list[Mention] = []
    for m in MENTION.finditer(norm):
        num, unit = m.group("num"), m.group("unit")
        chinese = not num[0].isdigit()
        before = norm[: m.start()]
        if _NOT_A_QUANTITY_BEFORE.search(before):
            continue
        if not chinese and _YEAR_NUMBER.match(num) and unit == "年":
            continue
        if norm[m.end(): m.end() + 1] in ("号", "月", "日", "届", "期", "条", "章", "·", "•") and unit in ("年", "个", "次", "项"):
            continue
        if unit == "万" and chinese:
            continue
        if before.endswith("含"):
            continue   # （含20%）: the bound of a band, not a value
        if chinese and before.endswith("每"):
            continue   # 每万名城市居民, 每百户: a scope, not a value
        if num == "万":
            num, unit = "一", "万" + unit if not unit.startswith("万") else unit
        if chinese and num in ("十", "千") or chinese and unit not in _CHINESE_OK_UNITS:
            continue
        clause_start = max((b.end() for b in _CLAUSE_BREAK.finditer(before)), default=0)
        after_end = _CLAUSE_BREAK.search(norm, m.end())
        comparator = "="
        prefix = _prefix_comparator(before)
        if prefix:
            comparator = prefix[1]
        post = m.group("post")
        if post:
            suffix = SUFFIX_COMPARATORS[post]
            if prefix and prefix[1] in ("<=",) and suffix == ">=":
                pass
            elif prefix and prefix[0] in ("降到", "降低到", "下降到", "降至", "控制在") and suffix == "approx":
                comparator = "approx"
            elif not prefix or prefix[1] in ("=", "approx", ">"):
                comparator = suffix
            elif suffix == "approx":
                comparator = "approx"
        value_high = ""
        if m.group("num2"):
            comparator = "between"
            value_high = _value(m.group("num2"))
        try:
            value = _value(num)
        except ValueError:
            continue
        mentions.append(
            Mention(
                line=line_no, start=m.start(), end=m.end(), value=value, value_high=value_high,
                unit=normalise_unit(unit), comparator=comparator, clause=before[clause_start:],
                after=norm[m.end(): after_end.start() if after_end else len(norm)], chinese=chinese,
            )
        )
    for m in _SPECIAL.finditer(norm):
        before = norm[: m.start()]
        clause_start = max((b.end() for b in _CLAUSE_BREAK.finditer(before)), default=0)
        after_end = _CLAUSE_BREAK.search(norm, m.end())
        if m.group("double"):
            value, unit = "2", "倍"
            comparator = ">=" if m.group("more") else "="
        elif m.group("hour"):
            hours = int(m.group("hour")) + (int(m.group("minute")) / 60 if m.group("minute") else 0)
            value, unit, comparator = plain_decimal(f"{hours:.2f}"), "时", "="
        else:
            value, unit, comparator = {"百": "100", "千": "1000"}[m.group("big")], "万", "approx"
        mentions.append(
            Mention(
                line=line_no, start=m.start(), end=m.end(), value=value, value_high="", unit=unit,
                comparator=comparator, clause=before[clause_start:],
                after=norm[m.end(): after_end.start() if after_end else len(norm)], chinese=True, special=True,
            )
        )
    mentions.sort(key=lambda x: x.start)
    return mentions


# --- classification -------------------------------------------------------------------------------
def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def _goal_verb_before(clause: str) -> bool:
    return _has_any(clause, GOAL_VERBS)


def _attributive_threshold(mention: Mention, has_prefix: bool) -> bool:
    """20万元以上的仪器, 30万以上人口的县, 50人以上的企业数: a threshold that picks a population.

    Only a suffix comparator (以上/以下) makes a threshold; 配备不少于2人的专门人员 is a standard.
    """
    if has_prefix or mention.comparator not in (">=", "<=") or mention.unit not in _AMOUNT_UNITS:
        return False
    if mention.after.startswith(("的标准", "的规定", "的比例")):
        return False
    after = mention.after.lstrip("的")
    return bool(after) and bool(re.match(r"[\u4e00-\u9fff]", after)) and not after.startswith("用于")


def is_target(
    mention: Mention, sentence_before: str, previous_clause: str, in_list: bool, sentence_after: str = "",
) -> bool:
    """Decide whether a mention is a quantitative target (see the module docstring)."""
    clause = mention.clause
    if mention.special:
        return True
    context = previous_clause[-12:] + clause + mention.after[:8]
    if _has_any(context, RULE_PARAMETER_WORDS) or _has_any(clause + mention.after, CURRENT_STATE_WORDS):
        return False
    if _has_any(sentence_before + sentence_after, SENTENCE_RULE_WORDS):
        return False
    if "的基础上" in sentence_after and not _ANCHOR.search(sentence_before) or mention.after.startswith("的部分"):
        return False   # 在办好1所…的基础上 (a frame); 超过…30%的部分 (a rule). 在“十二五”末达到800亿元的基础上 is
        # dated: at the end of 2015 (the document's own year) it is still a target.
    if _CONDITION.search(sentence_before) or mention.after == "的":
        # 种植面积1000亩以内的，配套设施用地控制在3亩以内: the numbers of a conditional rule
        return False
    if re.match(r"\d+(?:\.\d+)?\s*万?元", mention.after):
        return False   # 100—300平米10万元: a band of a subsidy scale
    if mention.unit in ("倍",):
        return False
    frequency = _FREQUENCY.search(clause) or clause.endswith("每")
    has_prefix = _prefix_comparator(clause) is not None
    if _attributive_threshold(mention, has_prefix):
        return False
    if mention.unit == "年" and not clause.endswith("每"):
        return False   # 5年内, 满10年, 不超过3年: terms and durations of rules, not targets
    if clause.endswith("每") and re.search(r"(?:\d+|[一两二三四五六七八九十])次", mention.after):
        return False   # 每3个月向社会公开一次: the period of a frequency, counted with its 次
    if mention.unit in _DURATION_UNITS:
        # durations count only as standards (不少于2周, 每天1小时, 提前量达到30分钟以上, 达到10至15天)
        if not (has_prefix or frequency or re.search(r"达|实现", clause)):
            return False   # 全部实现…信用信息7天“双公示” passes
        if re.search(r"[内后]", mention.after[:1]):
            return False
    if mention.chinese:
        if mention.unit == "次" and not (frequency or has_prefix):
            return False
        if mention.unit in ("个", "项", "家") and not (has_prefix or mention.comparator != "="):
            return False
        if re.search(r"(?:拥有|有|举办|培育|选派|引进)$", clause):
            return True   # 每个行政村有一所, 举办两场, 选派百名
        if not (has_prefix or frequency or mention.comparator != "="):
            return False   # 掌握一项以上体育运动技能 passes; 一次告知 does not
    if has_prefix or mention.comparator in ("between", "approx") and mention.unit != "万":
        return True
    if mention.comparator in (">=", "<=", ">") or in_list:
        return True
    if frequency and (mention.unit == "次" or mention.unit in _DURATION_UNITS):
        return True   # 每年一次, 每天1小时
    if mention.unit in _COUNT_UNITS and re.search(r"到20\d\d年", sentence_before) and not _core(clause):
        return True   # 到2018年，10家企业通过…认证
    if _goal_verb_before(clause):
        return True
    if mention.unit == "%" and not _core(clause) and mention.after.startswith("的") and _has_any(
        mention.after, ("建成", "具备", "达到", "实现", "建立")
    ):
        return True   # 10%的村卫生室和社区卫生服务站建成中医药特色示范单位
    if mention.unit in _COUNT_UNITS and _ANCHOR.search(sentence_before) and _has_any(
        mention.after[:24], ("建立", "建成", "实现", "完成")
    ):
        return True   # 2015年年底前，所有县（市、区）在…等9个重点行业和领域建立…
    return bool(GOAL_SENTENCE.search(sentence_before)) and mention.unit in ("%", "次", "个百分点")


# --- context: scope, due date, indicator name, verbatim --------------------------------------------
SCOPE = re.compile(
    r"全市|市本级|市区|各县[（(]市、区[)）](?:、廊坊开发区)?|各县[（(]市[)）]|县[（(]市、区[)）]行业监管部门|"
    r"市级行业监管部门|城乡每万名居民|市、县两级政府|市、每个县[（(]市、区[)）]|县级公立医院|"
    r"每个?(?:县[（(]市、区[)）]|县[（(]市[)）]|县|乡[（(]镇[)）]、街道|乡镇[（(]街道[)）]|乡镇卫生院|乡镇|社区|行政村|重点扶持对象家庭)|"
    r"每(?:万名城市居民|万名居民|100户|3万人|千服务人口|户)"
)
_ANCHOR = re.compile(
    r"(?:到|至|在)?(?:20\d\d年(?:年?底|末)?(?:前)?|[“\"]十[二三]五[”\"](?:期)?末|明年\d{1,2}月份?)|今年(?:年底)?|年内|全年|年底前"
)
_ANCHOR_EXCLUDED_BEFORE = re.compile(r"(?:比|较|从|自|—|-|和|（|\d|[一二三四五六七八九十])$")
_ANCHOR_EXCLUDED_AFTER = re.compile(r"^(?:起|以来|度|和|、|—|-|）|\))")
_LEADING_NOISE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]\s*)?"
    r"(?:(?:力争|确保|争取|努力|要|并|且|同时|全年|今年|年底前|年内|逐步|进一步|尽快|基本|全面|其中|每年|"
    r"到20\d\d年(?:年?底|末)?|20\d\d年(?:年?底|末)?前?|在?[“\"]十[二三]五[”\"]末|将|使|实现|\d+年内|用\d+年时间)\s*)*"
)
_TRAILING_VERB = re.compile(
    r"(?:要|应|均|都|总体|一般|原则上|力争|确保|逐步|稳步)*(?:"
    + "|".join(sorted((re.escape(w) for w, _ in PREFIX_COMPARATORS), key=len, reverse=True))
    + r"|提高到|提高至|提升到|提升至|增加到|延长至|增长|保持在|保持|稳定在|达到|(?<![雷下传表到])达|为|在|拥有|有|占|是)*$"
)
_COUNT_UNITS = {"万", 
    "个", "家", "项", "所", "名", "人", "次", "场", "座", "条", "种", "件", "批次", "户", "万户", "张", "套",
    "万套", "万亩", "亩", "万人次", "人次", "类", "万名", "万人", "学时",
}
_OBJECT = re.compile(r"^(?:以上|左右|及以上)?的?(?P<obj>[^、，。；：（(和及与“”]{2,24})")
_NOT_AN_OBJECT = re.compile(r"^(?:规定|要求|比例|目标|标准)$")
_RATE_ENDING = re.compile(r"(?:率|比例|比重|占比|指数|度|量|额|规模|收入|总数|数量|面积|时间|水平|覆盖面|提前量|产值|增速)$")


def _anchor_before(text: str, end: int) -> str:
    """The nearest time-anchor phrase before ``end`` in ``text`` ('' if none)."""
    found = ""
    masked = re.sub(r"《[^》]*》|（\d{4}[—-]\d{4}年）|\(\d{4}[—-]\d{4}年\)", lambda m: "＿" * len(m.group(0)), text[:end])
    for m in _ANCHOR.finditer(masked):
        if _ANCHOR_EXCLUDED_BEFORE.search(masked[: m.start()]) or _ANCHOR_EXCLUDED_AFTER.match(masked[m.end():]):
            continue
        found = m.group(0)
    return found


def _due_date(anchor: str, doc: Document) -> str:
    if not anchor:
        return ""
    anchor = anchor.replace("明年", f"{doc.year + 1}年").replace("月份", "月底")
    deadline = find_deadline(anchor, doc.year, doc.issued_on)
    if deadline is None or deadline.date is None:
        if anchor in ("全年",):
            return date(doc.year, 12, 31).isoformat()
        plain = re.match(r"(?:到|至|在)?(20\d\d)年", anchor)
        return date(int(plain.group(1)), 12, 31).isoformat() if plain else ""
    return deadline.date.isoformat()


def _core(clause: str) -> str:
    """The clause before a number without list markers, anchors, adverbs and the comparator/verb."""
    core = _LEADING_NOISE.sub("", clause)
    scope = None
    for scope in SCOPE.finditer(core):
        pass
    if scope is not None and scope.start() == 0:
        core = core[scope.end():]
    core = core.lstrip("的、，要")
    return _TRAILING_VERB.sub("", core)


def _indicator_name(mention: Mention) -> str:
    core = _core(mention.clause if mention.segment is None else mention.segment)
    core = re.sub(r"^按照|分别$", "", core)
    share = re.match(r"^(?:以上|以下|左右)?的(?P<obj>[^、，。；：和及与]{2,20}?)(?:和|、|建立|建成|具备|达到|实现|$)", mention.after)
    if mention.unit == "%" and share and (len(core) < 4 or core.endswith(("和", "、"))):
        return f"{share.group('obj')}比例"   # 力争60%以上的高新技术企业…建立研发机构
    core = re.sub(r"(?:至少|不少于|不低于|每年|每季度|每月|每半年)+$", "", core)
    obj = _OBJECT.match(mention.after)
    if obj and _NOT_AN_OBJECT.match(obj.group("obj")):
        obj = None   # 培训不少于40学时的规定: the rule, not what is counted
    if mention.unit in _COUNT_UNITS and obj and (len(core) < 2 or not _RATE_ENDING.search(core)):
        verb = next((v for v in sorted(GOAL_VERBS, key=len, reverse=True) if core.endswith(v)), "")
        head = core if len(core) <= 12 else verb
        return f"{head}{obj.group('obj')}".strip("的")
    if core:
        return core.strip("的")
    return ""   # nothing printed before or after the value: the caller takes the previous target's


def _verbatim_span(mention: Mention) -> tuple[int, int]:
    """Offsets of the verbatim phrase: the subject/verb before the value, the value, a short object."""
    clause = mention.clause if mention.segment is None else mention.segment
    core = _LEADING_NOISE.sub("", clause)
    start = mention.start - len(core)
    if mention.start - start > 40:
        start = mention.start - 40
        window = clause[len(clause) - 40:]
        boundary = re.search(r"[、的和]", window[:20])
        if boundary:
            start += boundary.end()
    end = mention.end
    obj = _OBJECT.match(mention.after)
    if (mention.unit in _COUNT_UNITS or mention.unit == "%" and mention.after.startswith(("的", "以上的"))) \
            and obj and len(core) < 14:
        end = mention.end + obj.end()
    return start, end


# --- the document walk ----------------------------------------------------------------------------
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LIST_JOINER = re.compile(r"[、和及]")
_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百]+条")
_LIST_INTRO = re.compile(r"[：:]\s*$")
# A label such as 组织奖（3家）, 模范集体名单（30个）, （40分）: a count of what follows, no requirement.
_TEAM = re.compile(r"(?P<who>[^，。；、的]{2,8}?)(?:队伍|人员队伍)")
_LABEL_LINE = re.compile(r"^\s*[^，。；：:、]{0,12}[（(]\d+[^）)]{0,3}[）)]\s*$")


def _is_rule_book(doc: Document) -> bool:
    return doc.genre in RULE_BOOK_GENRES


def _split_subjects(head: str, n: int) -> list[str] | None:
    """'提供中医药服务的A、B、C、D占同类机构比例' → the n subjects with the shared prefix and rest."""
    head = _LEADING_NOISE.sub("", head)
    rest = ""
    for marker in ("占", "的比例"):
        if marker in head:
            index = head.index(marker)
            head, rest = head[:index], head[index:]
            break
    items = [i for i in head.split("、") if i]
    if len(items) != n:
        return None
    if items[-1].endswith("两级政府"):
        # 市、县两级政府分别不少于7人、5人 → 市政府, 县政府
        items = [re.sub(r"^按照", "", i).removesuffix("两级政府") + "政府" for i in items]
    prefix = items[0][: items[0].rfind("的") + 1] if "的" in items[0] else ""
    items[0] = items[0][len(prefix):]
    return [f"{prefix}{item}{rest}" for item in items]


def _document_targets(ctx: ExtractionContext, doc: Document) -> list[Target]:
    source = ctx.source
    targets: list[Target] = []
    carried_anchor = ""
    for line_no in range(doc.number_line + 1, doc.line_end + 1):
        text = source.line(line_no)
        if not text.strip():
            continue
        norm = normalise_digits(text).replace("％", "%")
        if _LIST_INTRO.search(norm):
            carried_anchor = _anchor_before(norm, len(norm))
        if _ARTICLE.match(text) or _LABEL_LINE.match(text):
            continue
        chosen = _targets_in_line(line_no, norm)
        for mention, group in chosen:
            target = _target(doc, line_no, text, norm, mention, group, carried_anchor)
            if not target.indicator_name:
                # 挂牌上市24家，争取达到40家: the same quantity as the value before it on the line
                same_line = [t for t in targets if t.line == line_no]
                target.indicator_name = same_line[-1].indicator_name if same_line else f"{target.verbatim}"
            targets.extend(_per_frequency(target, mention))
    return _drop_repeats(targets)


def _targets_in_line(line_no: int, norm: str) -> list[tuple[Mention, list[Mention]]]:
    """The mentions of one line that are targets, each with the list (same clause) it belongs to."""
    mentions = find_mentions(line_no, norm)
    kept: list[tuple[Mention, bool]] = []
    previous: Mention | None = None
    for mention in mentions:
        sentence_start = max((b.end() for b in _SENTENCE_BREAK.finditer(norm[: mention.start])), default=0)
        sentence_before = norm[sentence_start: mention.start]
        sentence_end = _SENTENCE_BREAK.search(norm, mention.end)
        sentence_after = norm[mention.end: sentence_end.start() if sentence_end else len(norm)]
        clause_start = mention.start - len(mention.clause)
        prev_break = max((b.end() for b in _CLAUSE_BREAK.finditer(norm[: max(clause_start - 1, 0)])), default=0)
        previous_clause = norm[max(prev_break, sentence_start): clause_start]
        between = norm[previous.end: mention.start] if previous is not None else ""
        in_list = bool(
            previous is not None and kept and kept[-1][1]
            and (
                _LIST_JOINER.fullmatch(between.strip() or "x")
                or (previous.unit == mention.unit and not _SENTENCE_BREAK.search(between)
                    and between.startswith(("，", ",")) and not _goal_verb_before(mention.clause)
                    and len(between) <= 16)
            )
        )
        ok = is_target(mention, sentence_before, previous_clause, in_list, sentence_after)
        if ok and in_list and mention.comparator == "=" and previous.comparator not in ("between",) \
                and _LIST_JOINER.fullmatch(between.strip() or "x"):
            mention.comparator = previous.comparator
        if previous is not None and kept and kept[-1][1] and \
                previous.start - len(previous.clause) == clause_start:
            segment = norm[previous.end: mention.start].lstrip("、，,和及与").lstrip("）)").lstrip("、和及与")
            mention.segment = re.sub(r"^×\d+(?:\.\d+)?[A-Za-z]*、?", "", segment)   # 3KM×3KM、时间分辨率
        kept.append((mention, ok))
        previous = mention
    chosen = [m for m, ok in kept if ok]
    groups: dict[int, list[Mention]] = {}
    for m in chosen:
        groups.setdefault(m.start - len(m.clause), []).append(m)
    return [(m, groups[m.start - len(m.clause)]) for m in chosen]


def _per_frequency(target: Target, mention: Mention) -> list[Target]:
    """综合性事项每季度、专项工作每个月向市政府报告一次: one count, two frequencies → two targets."""
    if mention.unit != "次":
        return [target]
    parts = [
        p for p in mention.clause.split("、")
        if _FREQUENCY.search(p) and not re.search(r"(?:\d+|[一两二三四五六七八九十])次", p)   # not one with its own count
    ]
    if len(parts) < 2:
        return [target]
    split = []
    for part in parts:
        subject = part[: _FREQUENCY.search(part).start()]
        value, high, unit, _scope, after, before = target.key
        twin = replace(target, scope=subject or target.scope, key=(value, high, unit, subject, after, before))
        split.append(twin)
    return split


def _mask_parentheses(text: str) -> str:
    """Blank out closed （…） groups (keeps offsets): 新增10个卫生乡镇（每个县至少1个）、20个卫生社区."""
    return re.sub(r"（[^（）]*\d[^（）]*）|\([^()]*\d[^()]*\)", lambda m: "＿" * len(m.group(0)), text)


def _target(
    doc: Document, line_no: int, text: str, norm: str, mention: Mention, group: list[Mention], carried_anchor: str,
) -> Target:
    index = group.index(mention)
    name = _indicator_name(mention)
    if mention.segment is not None and index > 0 and (
        not _core(mention.segment) or _core(mention.segment).endswith(("和", "、", "及", "与"))
        and mention.unit in _COUNT_UNITS and _OBJECT.match(mention.after)
    ):   # 新增10个卫生乡镇…、20个卫生社区和60个卫生村: the list's verb with this item's object
        obj = _OBJECT.match(mention.after)
        first = _core(group[0].clause)
        verb = next((v for v in sorted(GOAL_VERBS, key=len, reverse=True) if first.endswith(v)), "")
        name = f"{verb}{obj.group('obj')}" if obj and mention.unit in _COUNT_UNITS else _indicator_name(group[0])
    sentence_start = max((b.end() for b in _SENTENCE_BREAK.finditer(norm[: mention.start])), default=0)
    scope = ""
    clause_start = mention.start - len(mention.clause)
    for scope_match in SCOPE.finditer(_mask_parentheses(norm[: mention.start])):
        # 全市 at the head of a sentence holds for the whole sentence; every other scope for its clause
        limit = sentence_start if scope_match.group(0) == "全市" else clause_start
        if scope_match.start() >= limit:
            scope = scope_match.group(0)
    head = group[0].clause
    if len(group) > 1 and "分别" in head:
        subjects = _split_subjects(head[: head.index("分别")], len(group))
        if subjects:
            subject = subjects[index]
            if re.search(r"(?:市|县|区|政府|两级)$", subject):
                scope = re.sub(r"^按照", "", subject)
                name = _indicator_name(group[0])   # the same quantity for each listed level of government
                stop = _SENTENCE_BREAK.search(norm, mention.end)
                team = _TEAM.search(norm, mention.end, stop.start() if stop else len(norm))
                if team and mention.unit in ("人", "名"):
                    # 按照市、县两级政府分别不少于7人、5人的标准，建立…法律顾问队伍 → 政府法律顾问人数
                    name = ("政府" if scope.endswith("政府") else "") + team.group("who")
            else:
                name = subject
    regional = re.match(r"^(?P<regions>[^，。；：]*?(?:市|县|区|开发区))分别", mention.clause)
    if regional:
        scope = regional.group("regions")
    if name:
        clause = norm[max(sentence_start, clause_start - 60): mention.start]
        list_head = _indicator_name(group[0]) if index > 0 and mention.segment is not None else ""
        name = measured_quantity(name, mention.unit, clause, mention.after, list_head)
    anchor = _anchor_before(norm, mention.start) or carried_anchor
    start, end = _verbatim_span(mention)
    if index > 0 and not _core(mention.segment or ""):
        head = group[0].start - len(group[0].clause)
        respectively = norm.find("分别", head, mention.start)
        start = respectively if respectively >= 0 else min(start, _verbatim_span(group[0])[0])
    verbatim = text[start:end].strip()
    direction = "lower_is_better" if mention.comparator == "<=" or re.search(
        r"降|控制|压缩|减少", mention.clause[-8:]) else "higher_is_better"
    cjk = _CJK
    after_key = "".join(cjk.findall(mention.after.lstrip("以上左右及的")))[:6]
    before_key = "".join(cjk.findall(mention.clause))[-8:]
    return Target(
        doc_id=doc.doc_id, line=line_no, comparator=mention.comparator, value=mention.value,
        value_high=mention.value_high, unit=mention.unit, scope=scope, due_date=_due_date(anchor, doc),
        verbatim=verbatim, indicator_name=name, direction=direction, position=mention.start,
        context=mention.clause[-30:] + text[mention.start:mention.end],
        key=(mention.value, mention.value_high, mention.unit, re.sub(r"[（(][^）)]*[）)]", "", scope),
             after_key if len(after_key) >= 2 else "", before_key if len(before_key) >= 4 else ""),
    )


def _drop_repeats(targets: list[Target]) -> list[Target]:
    """The same target in body and annex table of one document counts once: keep the first.

    Two mentions are the same target when value, unit and scope agree and either the words right
    after the value (its object) or the eight characters before it (its subject) agree: the
    tables reword the body slightly (一个 for 1个, 2-3 for 2—3), never both sides at once.
    """
    seen_after: dict[tuple, int] = {}
    seen_before: dict[tuple, int] = {}
    unique = []
    for target in targets:
        value, high, unit, scope, after, before = target.key
        by_after, by_before = (value, high, unit, scope, after), (value, high, unit, scope, before)
        if (after and seen_after.get(by_after, target.line) != target.line) or (
            before and seen_before.get(by_before, target.line) != target.line
        ):
            continue   # a repeat on another line (the annex table); two equal values on one line are two targets
        if after:
            seen_after.setdefault(by_after, target.line)
        if before:
            seen_before.setdefault(by_before, target.line)
        unique.append(target)
    return unique


# --- tables ---------------------------------------------------------------------------------------
def find_targets(ctx: ExtractionContext) -> list[Target]:
    """All targets of all documents in source order, with ids, tasks, regions and indicators (cached)."""
    return ctx.cached("targets", lambda: _find_targets(ctx))


def _find_targets(ctx: ExtractionContext) -> list[Target]:
    targets: list[Target] = []
    for doc in ctx.documents:
        if _is_rule_book(doc):
            continue
        found = _document_targets(ctx, doc)
        for number, target in enumerate(found, start=1):
            target.target_id = f"{doc.doc_id}-g{number:03d}"
        targets.extend(found)
    _attach_tasks(ctx, targets)
    _attach_regions(targets)
    return targets


def _attach_tasks(ctx: ExtractionContext, targets: list[Target]) -> None:
    """task_id: the innermost task of the same document whose [line, line_end] holds the target's line."""
    try:
        from .tasks import find_tasks

        tasks = list(find_tasks(ctx))
    except Exception:  # the tasks module may still be a stub or fail while it is being written
        return
    by_doc: dict[str, list] = {}
    for task in tasks:
        by_doc.setdefault(getattr(task, "doc_id", ""), []).append(task)
    for target in targets:
        holding = [
            t for t in by_doc.get(target.doc_id, [])
            if getattr(t, "line", 0) <= target.line <= (getattr(t, "line_end", 0) or getattr(t, "line", 0))
        ]
        if holding:
            innermost = max(holding, key=lambda t: (t.line, -(t.line_end or t.line)))
            target.task_id = innermost.task_id


def _attach_regions(targets: list[Target]) -> None:
    """region_code for a target of one region (全市 → the city) if the regions module can resolve it."""
    try:
        from . import regions

        resolve = getattr(regions, "resolve_region", None)
    except Exception:
        resolve = None
    if resolve is None:
        return
    for target in targets:
        scope = target.scope
        if not scope or "、" in scope or scope.startswith(("每", "各")):
            continue
        try:
            code = resolve(scope)
        except Exception:
            code = None
        if code:
            target.region_code = str(getattr(code, "region_code", code))


def build_indicator_registry(ctx: ExtractionContext):
    """The shared indicator registry: the targets' indicators and the printed indicator systems."""
    from .indicators import (
        IndicatorOccurrence, IndicatorRegistry, assessment_indicator_system, three_level_indicator_system,
    )

    def build() -> IndicatorRegistry:
        occurrences = three_level_indicator_system(ctx) + assessment_indicator_system(ctx)
        for target in find_targets(ctx):
            occurrences.append(
                IndicatorOccurrence(
                    name=target.indicator_name, unit=target.unit, direction=target.direction,
                    description=f"{target.verbatim}（{ctx.document(target.doc_id).doc_no}）",
                    line=target.line, position=target.position,
                )
            )
        return IndicatorRegistry.build(occurrences)

    return ctx.cached("indicator_registry", build)


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    targets = find_targets(ctx)
    registry = build_indicator_registry(ctx)
    rows = []
    for target in targets:
        target.indicator_id = registry.id_for(target.indicator_name)
        rows.append({
            "target_id": target.target_id, "doc_id": target.doc_id, "task_id": target.task_id,
            "indicator_id": target.indicator_id, "comparator": target.comparator, "value": target.value,
            "value_high": target.value_high, "unit": target.unit, "scope": target.scope,
            "region_code": target.region_code, "due_date": target.due_date, "verbatim": target.verbatim,
            "line": target.line,
        })
    return [
        SeedTable("targets", TARGET_COLUMNS, rows),
        SeedTable("indicators", INDICATOR_COLUMNS, registry.table_rows()),
    ]
