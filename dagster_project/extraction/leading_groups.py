"""Leading groups, committees and joint conferences, with their named members (source-catalog §6.4).

These coordinating bodies (议事协调机构) are not departments, so they get their own two tables:
``leading_groups`` (one row per body a document establishes, adjusts, names with members, or only
mentions) and ``leading_group_members`` (one row per member line of a printed name list).

Why the parser looks the way it does:

* A name list is a run of lines ``职务：姓名<gap>单位+职务``; only the first line of each rank
  carries the label (``组  长：``, ``副　组　长：``, ``召 集 人：``), the lines below it inherit it.
  Labels, two-character names and the gap are padded with ASCII double spaces *or* U+3000
  (§9.3), so a line is split on whitespace runs and a name padded into two one-character tokens
  (``李  波``) is joined again. Labels are accepted only from ``ROLE_LABELS``: a contact line such
  as ``办公室联系人：…`` (7450, with a phone number and e-mail, §9.7) can never become a member.
* A long unit name wraps onto a line of its own (8161–8163), and so does a long list title
  (7933–7935); both are joined back.
* The body's name sits either in a title above the list (``…领导小组成员名单``) or in the sentence
  that introduces it (``决定成立廊坊市…领导小组，具体组成人员如下：``).
* ``办公室设在X`` (§4.3 P) on the line after the list gives the body's standing office.
* Bodies a document only *mentions* (§6.4 “只提到、没有名单的”), and the one 〔2015〕135号 names
  in running prose (7224), are reviewed by hand in ``PROSE_GROUPS``; the extractor checks each
  entry against its line and fails loudly when the source and the table disagree.

Conventions (documented here because the CSV cannot say them):

* ``person_name`` is printed without layout spaces and *not* merged with variants
  (左德江 5035 / 左得江 6941 stay two spellings). A gender/ethnicity note printed after a name
  (``安玉慧（女，回族）``, only in the honours list of 〔2015〕21号, which is no group) is kept out of
  the name and put in front of ``position_text``.
* Only list lines become members; the office director named in a closing sentence
  (``办公室主任由张维真同志兼任``, 74) is not repeated as a member row.
* ``org_id`` comes from ``organizations.resolve_name`` on the unit part of the position: the
  trailing title is stripped, a multi-part position keeps its LAST part that resolves, and a
  city-leadership title with no unit (副市长, 市政府副秘书长) resolves to the municipal government.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import organizations
from .context import ExtractionContext
from .documents import DATE_LINE, ISSUER_LINE, Document
from .seed_files import SeedTable
from .source import normalise_whitespace, remove_whitespace

GROUP_COLUMNS = ("group_id", "doc_id", "name", "office_org_id", "line", "kind", "has_member_list")
MEMBER_COLUMNS = ("group_id", "role", "person_name", "position_text", "org_id", "line")

# ---------------------------------------------------------------------------------------------
# Reviewed knowledge
# ---------------------------------------------------------------------------------------------

# Rank labels printed before the colon of a name-list line (padding removed).
ROLE_LABELS = frozenset({
    "组长", "常务副组长", "副组长", "成员", "名誉主任", "主任", "副主任", "委员",
    "召集人", "副召集人", "主持人", "办公室主任", "办公室副主任", "秘书长", "副秘书长",
})

# Bodies named in running prose rather than in a name list, reviewed by hand from §6.4 and the
# lines themselves: (line, name as printed there, the X of its 办公室设在X on that line or "").
# The extractor verifies both strings against the line, so a drifted line number fails loudly.
# Beyond §6.4's list this holds the city-level bodies a document sets up in prose (1531, 3272,
# 3836) or assigns a role (5016, 8760). Left out on purpose: bodies that have a name list in
# another document (爱卫会 1864, 法制咨询委员会 6616, 医改领导小组 7062/8432, 防治艾滋病工作委员会
# 8432), county-level or “各级” bodies (2426, 5921, 5927, 9097, 1080) and the party's
# 市委全面深化改革领导小组 (3403), which only appears as the body that approved a text.
PROSE_GROUPS: tuple[tuple[int, str, str], ...] = (
    (651, "廊坊市促进慈善事业健康发展领导小组", ""),
    (893, "打击和处置非法集资领导小组", ""),
    (937, "全市推进企业上市工作领导小组", "市政府金融办"),
    (969, "耕地质量建设管理工作领导小组", ""),
    (1213, "市残疾人工作委员会", ""),
    (1531, "市级科学技术奖励评审委员会", ""),
    (1619, "科技计划（专项、基金等）管理联席会议", ""),
    (1734, "市农民工工作联席会议", ""),
    (2474, "全市旅游工作领导小组", ""),
    (2615, "服务贸易发展工作领导小组", ""),
    (2802, "服务外包工作协调推进领导小组", "商务局"),
    (3272, "市服务外包工作联席会议", ""),                # a task-table cell: “建立市服务外包工作联席会议制度”
    (3707, "市行政审批制度改革工作领导小组", ""),
    (3836, "房地产价格评估专家委员会", ""),
    (5016, "廊坊市全面推进依法行政工作领导小组", ""),
    (5318, "内贸流通工作部门联席会议", ""),
    (6296, "市中医药工作联席会议", ""),
    (6329, "廊坊市质量与名牌战略领导小组", "廊坊市质量技术监督局"),
    (6606, "促消费领导协调小组", "市商务局"),          # “协调小组联络办公室设在市商务局”
    (6606, "廊坊市促消费联席会议", ""),
    (7224, "廊坊市创建省级服务外包示范城市领导小组", "市商务局"),  # members named in the sentence
    (8432, "市计划生育领导小组", ""),
    (8432, "市保健委员会", ""),
    (8432, "市地方病防治工作领导小组", ""),
    (8760, "打击传销领导小组", ""),
    (9012, "市质评委", ""),
    (9051, "市质量与名牌战略领导小组", ""),
    (9121, "廊坊市运动员文化教育和运动员保障工作领导小组", "市体育局"),
    (9210, "市社会信用体系建设领导小组", ""),
)

_PROSE_GROUP_ORDER = {(line, name): i for i, (line, name, _) in enumerate(PROSE_GROUPS)}

# Misprints in office names that the resolver cannot be expected to know (source-catalog §9.6).
NAME_CORRECTIONS = {"市计委": "市卫计委"}  # 7797: “办公室设在市计委” means 市卫计委

# Titles that end a position text, so that what remains is the unit (longest first when used).
TITLES = (
    "常务副市长", "副市长", "市长", "副秘书长", "秘书长", "常务副区长", "副区长", "区长", "副县长", "县长",
    "常务副局长", "副局长", "局长", "常务副主任", "专职副主任", "副主任", "主任", "党组副书记", "党组书记",
    "党委副书记", "专职副书记", "副书记", "纪委书记", "书记", "党委常委", "党委委员", "常委",
    "纪检组长", "系统工会主任", "工会主席", "副总经理", "总经理", "副行长", "行长", "副调研员", "调研员",
    "正处级督学", "督学", "常务副部长", "副部长", "部长", "副主席", "主席", "专职副会长", "副会长", "会长",
    "副院长", "院长", "副检察长", "检察长", "副关长", "关长", "副台长", "台长", "副总编", "总编",
    "副校长", "校长", "理事长", "参谋长", "副政委", "政委", "支队长", "处长", "科长", "副所长", "所长",
    "教授级高级工程师", "副总工程师", "总工程师", "研究员", "教授",
)
_TITLES_LONGEST_FIRST = tuple(sorted(TITLES, key=len, reverse=True))
CITY_LEADERSHIP_TITLES = frozenset({"市长", "副市长", "常务副市长", "秘书长", "副秘书长"})
MUNICIPAL_GOVERNMENT_NAMES = ("市政府", "廊坊市人民政府")
# Characters a body's name ends with: used to back off from an unknown sub-unit to its parent
# (市人社局就业服务局 → 市人社局, 93792部队政治部 → 93792部队).
_BODY_END_CHARS = frozenset("局委办院部会行司队台社校所站处室府厅关团联协区县")
# …but a court or procuratorate is a body of its own, never a sub-unit of the region it sits in
# (4083 广阳区人民法院 is not 广阳区's government).
_NO_BACK_OFF_ENDINGS = ("法院", "检察院")

# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------

_LABELLED = re.compile(r"^\s*(?P<label>[\u4e00-\u9fff][\u4e00-\u9fff \u3000]{0,9}?)\s*[：:]\s*(?P<rest>.*)$")
_PERSON_NAME = re.compile(r"^(?P<name>[\u4e00-\u9fff·]{2,8})(?P<note>（[^（）]*）)?$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_GROUP_SUFFIX = re.compile(r"(领导协调小组|领导小组|协调小组|委员会|联席会议|专家委|质评委)$")
_LIST_TITLE_SUFFIX = re.compile(r"(组成人员名单|成员名单|人员名单|名单)$")
_TITLE_LINE = re.compile(r"^[\u4e00-\u9fff、（）“”]{2,40}$")
_INTRO_NAME = re.compile(
    r"(?:成立|建立|对|为)“?(?P<name>(?:廊坊市|全市|市|第[一二三四五六七八九十]+届)[\u4e00-\u9fff、]*?"
    r"(?:领导小组|委员会|联席会议))"
)
_OFFICE_SEAT = re.compile(r"设在(?P<org>[^，。；、（）,;\s]+)")
_SENTENCE_PUNCTUATION = re.compile(r"[：:，。；,;]")
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")
_LEADING_NOTE = re.compile(r"^（[^（）]*）")
_POSITION_PARTS = re.compile(r"[、，,]")
_CLAUSE_MARK = re.compile(r"[，。]")
_PROSE_ASSIGNMENT = re.compile(r"(?P<who>[^，。；]+?)任(?P<role>常务副组长|副组长|组长|办公室副主任|办公室主任)")


@dataclass(frozen=True)
class MemberLine:
    """What one name-list line says; ``label`` is None for a line that inherits the rank above."""

    label: str | None
    person_name: str | None
    position_text: str
    note: str = ""   # a label's remark such as （以姓氏笔画为序）


@dataclass
class Member:
    role: str
    person_name: str
    position_text: str
    line: int
    org_id: str = ""


@dataclass
class LeadingGroup:
    doc_id: str
    name: str
    line: int
    office_as_printed: str = ""
    has_member_list: bool = False
    members: list[Member] = field(default_factory=list)
    group_id: str = ""
    office_org_id: str = ""

    @property
    def kind(self) -> str:
        if self.name.endswith("联席会议"):
            return "joint_conference"
        if self.name.endswith(("委员会", "专家委", "质评委")):
            return "committee"
        return "leading_group"


def _split_name(tokens: list[str]) -> tuple[str, str, list[str]] | None:
    """(name, note, position tokens) from a line's whitespace-separated tokens, or None."""
    if len(tokens) >= 3 and len(tokens[0]) == 1:
        candidate, rest = tokens[0] + tokens[1], tokens[2:]       # 李  波  市委常委… / 胡　倩（女，回族）
    elif len(tokens) >= 2:
        candidate, rest = tokens[0], tokens[1:]
    else:
        return None
    match = _PERSON_NAME.match(candidate)
    if not match or not _HAN.search("".join(rest)):
        return None
    return match.group("name"), match.group("note") or "", rest


def parse_member_line(text: str) -> MemberLine | None:
    """Read one line of a name list (labelled or not); None if it is not one."""
    label = None
    rest = text
    labelled = _LABELLED.match(text)
    if labelled and remove_whitespace(labelled.group("label")) in ROLE_LABELS:
        label = remove_whitespace(labelled.group("label"))
        rest = labelled.group("rest")
        if rest.strip().startswith("（") or not rest.strip():
            return MemberLine(label=label, person_name=None, position_text="", note=remove_whitespace(rest))
    if rest.rstrip().endswith(("。", "：", ":")):
        return None
    split = _split_name(rest.split())
    if split is None:
        return None
    name, note, position_tokens = split
    position = normalise_whitespace(" ".join(position_tokens))
    return MemberLine(label=label, person_name=name, position_text=note + position)


def _is_continuation(text: str) -> bool:
    """A unit name wrapped onto a line of its own (8163 “公司副总经理”)."""
    stripped = text.strip()
    return (
        bool(stripped)
        and len(stripped.split()) == 1
        and len(stripped) <= 20
        and not _SENTENCE_PUNCTUATION.search(stripped)
        and not ISSUER_LINE.match(text)
        and not DATE_LINE.match(text)
        and not _GROUP_SUFFIX.search(_LIST_TITLE_SUFFIX.sub("", stripped))
        and not stripped.startswith("附件")
    )


@dataclass
class _ListBlock:
    first_line: int
    last_line: int
    members: list[Member]


def _find_list_blocks(ctx: ExtractionContext, doc: Document) -> list[_ListBlock]:
    """Runs of name-list lines inside one document, each opened by a labelled line."""
    blocks: list[_ListBlock] = []
    current: _ListBlock | None = None
    role = ""
    previous_was_member = False
    for number, text in ctx.source.span(doc.number_line + 1, doc.line_end):
        if not text.strip():
            continue
        parsed = parse_member_line(text)
        if current is None:
            if parsed is None or parsed.label is None:
                continue
            current = _ListBlock(first_line=number, last_line=number, members=[])
            blocks.append(current)
        if parsed is not None:
            role = parsed.label or role
            if parsed.person_name:
                current.members.append(Member(role, parsed.person_name, parsed.position_text, number))
            current.last_line = number
            previous_was_member = parsed.person_name is not None
        elif previous_was_member and _is_continuation(text):
            last = current.members[-1]
            last.position_text += remove_whitespace(text)
            current.last_line = number
            previous_was_member = False
        else:
            current, role, previous_was_member = None, "", False
    return blocks


def _previous_nonblank(ctx: ExtractionContext, line: int, floor: int) -> int | None:
    for number in range(line - 1, floor - 1, -1):
        if ctx.source.line(number).strip():
            return number
    return None


def _name_of_list(ctx: ExtractionContext, doc: Document, first_line: int) -> tuple[str, int]:
    """The body's name and the line it is printed on, from the title above the list or its intro sentence."""
    intro_line = None
    cursor = _previous_nonblank(ctx, first_line, doc.number_line + 1)
    if cursor is not None and _CLAUSE_MARK.search(ctx.source.line(cursor)):
        intro_line = cursor
        cursor = _previous_nonblank(ctx, cursor, doc.number_line + 1)
    title_lines: list[int] = []
    while cursor is not None:
        text = remove_whitespace(ctx.source.line(cursor))
        if not _TITLE_LINE.match(text) or text.startswith("附件"):
            break
        title_lines.insert(0, cursor)
        cursor = _previous_nonblank(ctx, cursor, doc.number_line + 1)
    # Drop lines above the title proper (a title never starts after a complete body name).
    while title_lines:
        joined = _LIST_TITLE_SUFFIX.sub("", "".join(remove_whitespace(ctx.source.line(n)) for n in title_lines))
        if _GROUP_SUFFIX.search(joined):
            return joined, title_lines[0]
        title_lines.pop(0)
    if intro_line is not None:
        found = _INTRO_NAME.search(remove_whitespace(ctx.source.line(intro_line)))
        if found:
            return found.group("name"), intro_line
    raise ValueError(f"{doc.doc_id}: cannot find the name of the list starting at line {first_line}")


def _office_near(ctx: ExtractionContext, doc: Document, block: _ListBlock, name: str, only_list: bool) -> str:
    """X of “办公室设在X” on the line after the list, else (single-list documents) in the body."""
    after = next(
        (n for n in range(block.last_line + 1, doc.line_end + 1) if ctx.source.line(n).strip()), None
    )
    if after is not None:
        text = remove_whitespace(ctx.source.line(after))
        if "办公室" in text:
            seat = _OFFICE_SEAT.search(text)
            if seat:
                return seat.group("org")
    if only_list:
        core = name.removeprefix("廊坊市")
        for number, text in ctx.source.span(doc.number_line + 1, doc.line_end):
            compact = remove_whitespace(text)
            if core in compact and "办公室设在" in compact:
                seat = _OFFICE_SEAT.search(compact, compact.index(core))
                if seat:
                    return seat.group("org")
    return ""


def split_person(segment: str) -> tuple[str, str] | None:
    """“市长冯韶慧” → (“市长”, “冯韶慧”): a position ending in a known title, then a 2–3 character name."""
    found = []
    for size in (2, 3):
        position, name = segment[:-size], segment[-size:]
        if _HAN_ONLY.fullmatch(name) and position.endswith(TITLES):
            found.append((position, name))
    return found[0] if len(found) == 1 else None


def parse_prose_members(text: str, line: int) -> list[Member]:
    """Members named in a sentence: “由市委副书记、市长冯韶慧任组长，…胡志福、…范增英任办公室主任”."""
    members: list[Member] = []
    for match in _PROSE_ASSIGNMENT.finditer(remove_whitespace(text)):
        who = match.group("who").removeprefix("由")
        pending: list[str] = []
        for segment in who.split("、"):
            person = split_person(segment)
            if person is None:
                pending.append(segment)
                continue
            position, name = person
            members.append(Member(match.group("role"), name, "、".join(pending + [position]), line))
            pending = []
    return members


# ---------------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------------


def _resolve(name: str) -> str:
    name = NAME_CORRECTIONS.get(name, name)
    if not name:
        return ""
    return organizations.resolve_name(name).org_id or ""


def _strip_titles(part: str) -> tuple[str, str]:
    """(unit, last title stripped) — strips every trailing title: “市人社局就业服务局局长” → (“市人社局就业服务局”, “局长”)."""
    last_title = ""
    stripped = True
    while stripped:
        stripped = False
        for title in _TITLES_LONGEST_FIRST:
            if part.endswith(title) and len(part) >= len(title):
                part, last_title, stripped = part[: -len(title)], last_title or title, True
                break
    return part, last_title


def _resolve_unit(unit: str) -> str:
    """The unit itself, else its longest prefix that ends like a body's name and resolves."""
    org_id = _resolve(unit)
    if org_id or unit.endswith(_NO_BACK_OFF_ENDINGS):
        return org_id
    for end in range(len(unit) - 1, 1, -1):
        if unit[end - 1] in _BODY_END_CHARS:
            org_id = _resolve(unit[:end])
            if org_id:
                return org_id
    return ""


def resolve_position(position_text: str) -> str:
    """org_id of the body a position belongs to (LAST part that resolves), or ""."""
    text = _LEADING_NOTE.sub("", remove_whitespace(position_text))
    resolved = ""
    for part in _POSITION_PARTS.split(text):
        if not part:
            continue
        unit, title = _strip_titles(part)
        org_id = ""
        if unit in ("", "市政府") and title in CITY_LEADERSHIP_TITLES:
            org_id = next((o for o in map(_resolve, MUNICIPAL_GOVERNMENT_NAMES) if o), "")
        elif unit:
            org_id = _resolve_unit(unit)
        resolved = org_id or resolved
    return resolved


# ---------------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------------


def _prose_groups(ctx: ExtractionContext) -> list[LeadingGroup]:
    groups = []
    for line, name, office in PROSE_GROUPS:
        compact = remove_whitespace(ctx.source.line(line))
        if name not in compact:
            raise ValueError(f"PROSE_GROUPS: {name!r} is not printed on line {line}")
        if office and f"设在{office}" not in compact:
            raise ValueError(f"PROSE_GROUPS: “设在{office}” is not printed on line {line}")
        members = parse_prose_members(ctx.source.line(line), line)
        groups.append(LeadingGroup(
            doc_id=ctx.document_at(line).doc_id, name=name, line=line, office_as_printed=office,
            has_member_list=bool(members), members=members,
        ))
    return groups


def _listed_groups(ctx: ExtractionContext) -> list[LeadingGroup]:
    groups = []
    for doc in ctx.documents:
        blocks = [b for b in _find_list_blocks(ctx, doc) if b.members]
        for block in blocks:
            name, line = _name_of_list(ctx, doc, block.first_line)
            office = _office_near(ctx, doc, block, name, only_list=len(blocks) == 1)
            groups.append(LeadingGroup(
                doc_id=doc.doc_id, name=name, line=line, office_as_printed=office,
                has_member_list=True, members=block.members,
            ))
    return groups


def find_leading_groups(ctx: ExtractionContext) -> list[LeadingGroup]:
    """Every body, ids assigned in source order per document, org ids resolved (cached per run)."""

    def compute() -> list[LeadingGroup]:
        order = {d.doc_id: i for i, d in enumerate(ctx.documents)}
        groups = _listed_groups(ctx) + _prose_groups(ctx)
        groups.sort(key=lambda g: (order[g.doc_id], g.line, _PROSE_GROUP_ORDER.get((g.line, g.name), -1)))
        counters: dict[str, int] = {}
        for group in groups:
            counters[group.doc_id] = counters.get(group.doc_id, 0) + 1
            group.group_id = f"{group.doc_id}-grp{counters[group.doc_id]:02d}"
            group.office_org_id = _resolve(group.office_as_printed)
            for member in group.members:
                member.org_id = resolve_position(member.position_text)
        return groups

    return ctx.cached("leading_groups", compute)


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    groups = find_leading_groups(ctx)
    group_rows = [
        {
            "group_id": g.group_id, "doc_id": g.doc_id, "name": g.name, "office_org_id": g.office_org_id,
            "line": g.line, "kind": g.kind, "has_member_list": g.has_member_list,
        }
        for g in groups
    ]
    member_rows = [
        {
            "group_id": g.group_id, "role": m.role, "person_name": m.person_name,
            "position_text": m.position_text, "org_id": m.org_id, "line": m.line,
        }
        for g in groups
        for m in g.members
    ]
    return [
        SeedTable("leading_groups", GROUP_COLUMNS, group_rows),
        SeedTable("leading_group_members", MEMBER_COLUMNS, member_rows),
    ]
