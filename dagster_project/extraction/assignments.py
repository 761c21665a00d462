"""Who leads and who helps: the printed assignment phrases of tasks, parsed into (name, role, line).

The source names responsible bodies in 16 ways (source-catalog §4, forms A–P): table columns
(牵头部门 / 配合部门 / 协办单位 / 责任单位, one name per line in some), one cell mixing roles
("X牵头，Y、Z参加"), trailing annotations in （…） or 〔…〕 (with nested （市、区）, so brackets are
matched by depth), labelled ones (（牵头单位：X，配合单位：Y）, 责任单位：… on a line of its own),
"A会同B、C等部门负责", "X负责，有关部门配合", and prose whose subject is a body ("市农业局负责……").

This module only reads text: it returns the names *as printed* with a role and the line each
name starts on. Resolving names to organisations is organizations.py's job.

Role rules: the subject of 牵头 / 会同 / 负责 is ``lead``; names introduced by 配合 / 参加 / 协办 /
协助 / 落实, after 会同, or 分别负责 / 按职责分工负责 *after a lead* are ``co``; a plain list with no
lead marker (责任单位：A、B、C or （A、B、C）) is all ``lead``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from . import organizations

LEAD = "lead"
CO = "co"

_OPEN = "（〔([【"
_CLOSE = "）〕)]】"


@dataclass(frozen=True)
class Printed:
    """One printed name with its role and the 1-based line where the name starts."""

    name: str
    role: str
    line: int


@dataclass(frozen=True)
class LinedText:
    """Text (whitespace removed) with the source line of every character, for provenance."""

    text: str
    lines: tuple[int, ...]

    @classmethod
    def build(cls, parts: Iterable[tuple[int, str]], separator: str = "") -> "LinedText":
        text, lines = [], []
        for number, raw in parts:
            clean = re.sub(r"\s+", "", raw)
            if not clean:
                continue
            if text and separator and _needs_separator(text[-1], clean):
                text.append(separator)
                lines.append(lines[-1])
            text.extend(clean)
            lines.extend([number] * len(clean))
        return cls("".join(text), tuple(lines))

    def slice(self, start: int, end: int) -> "LinedText":
        return LinedText(self.text[start:end], self.lines[start:end])

    def line_at(self, offset: int) -> int:
        return self.lines[min(offset, len(self.lines) - 1)] if self.lines else 0


# Department cells put one name per line: a line that ends a name and a line that starts one
# are joined with a 、 (市财政局⏎市残联, 1229/1231); a name that wraps mid-word is joined directly.
_NAME_END = re.compile(r"[局委办会行队部府区司院台社所站厅处室心团联盟组关]$")
_NAME_START = re.compile(r"^(市|廊坊|人行|人民银行|中国|国家|国网|各|团市委|有关|相关)")


def _needs_separator(last_char: str, next_text: str) -> bool:
    return bool(_NAME_END.search(last_char) and _NAME_START.match(next_text))


# --- splitting a list of names ----------------------------------------------------------------------
_SEPARATORS = "、，,；;"
# Trailing "etc." words: 市审计局、市法制办等有关部门 → 市审计局, 市法制办.
_ETC = re.compile(r"(等(有关|相关|其他|其它)?(部门|单位|成员单位)?|等)$")
_INNER_ETC = re.compile(r"等(有关|相关)?(部门|单位)(?=及|和|，|、)")
_LEADING_NOISE = re.compile(r"^(由|及|和|以及|其中|并|与|此外)")
_TRAILING_NOISE = re.compile(r"(要|应|等部门|分别|共同|按职责分工|按照职责分工|各自)$")


def split_printed(lt: LinedText) -> list[tuple[str, int]]:
    """Split a printed list of bodies into (name, line): 、，；-separated, brackets kept intact."""
    pieces: list[tuple[int, int]] = []
    depth = 0
    start = 0
    text = lt.text
    index = 0
    while index < len(text):
        char = text[index]
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and char in _SEPARATORS:
            pieces.append((start, index))
            start = index + 1
        elif depth == 0 and text.startswith("以及", index):
            pieces.append((start, index))
            start = index + 2
            index += 2
            continue
        elif depth == 0 and char in "及等" and re.match(r"[及等](其他|其它)", text[index:]):
            # 民政局及其他登记管理部门, 卫计委等其他登记管理部门: the generic rest is its own name.
            pieces.append((start, index))
            start = index + 1
        elif depth == 0 and _INNER_ETC.match(text, index):
            # 人行廊坊市中心支行等相关部门及各县（市、区）政府: "etc." in the middle of a list.
            pieces.append((start, index))
            index = _INNER_ETC.match(text, index).end()
            start = index
            continue
        elif depth == 0 and char in "及和" and re.match(r"[及和](各县|市直|市政府)", text[index:]) and index > start:
            # 廊坊开发区管委会和市直有关单位
            pieces.append((start, index))
            start = index + 1
        index += 1
    pieces.append((start, len(text)))
    names: list[tuple[str, int]] = []
    for begin, end in _split_typos(text, pieces):
        name = text[begin:end]
        while True:
            stripped = _LEADING_NOISE.sub("", name)
            if stripped == name:
                break
            begin += len(name) - len(stripped)
            name = stripped
        name = _ETC.sub("", name) if not _ETC.fullmatch(name) else ""
        name = _TRAILING_NOISE.sub("", name)
        if len(name) >= 2:
            names.append((name, lt.line_at(begin)))
    return names


# 「市教育局是工信局」(799) is a typo for 市教育局、市工信局: a 是 between two bodies separates them.
_TYPO_SEPARATOR = re.compile(r"^(.+?[局委办])是(.+[局委办])$")


def _split_typos(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result = []
    for begin, end in pieces:
        match = _TYPO_SEPARATOR.match(text[begin:end])
        if match:
            middle = begin + match.end(1)
            result.extend([(begin, middle), (middle + 1, end)])
        else:
            result.append((begin, end))
    return result


# --- one assignment phrase ---------------------------------------------------------------------------
_LABELS = re.compile(r"(牵头单位|牵头部门|配合单位|配合部门|协办单位|责任单位|责任部门|负责单位)[:：]")
_VERBS = re.compile(
    r"(按照?职责分工负责|分别负责|牵头组织|牵头|会同|负责|积极配合|配合|参加|参与|落实|协助|协办)"
)
_CO_VERBS = ("积极配合", "配合", "参加", "参与", "落实", "协助", "协办")


def parse_phrase(lt: LinedText, default_role: str = LEAD, table_cell: bool = False) -> list[Printed]:
    """Parse one assignment phrase: labelled, verb-marked, or a plain list (all ``default_role``).

    A table cell holds nothing but bodies, so there any name is kept (任务涉及的各应用示范单位, 4859);
    in running text a name must look like a body.
    """
    accept = _is_cell_name if table_cell else looks_like_body
    text = lt.text
    labels = list(_LABELS.finditer(text))
    if labels:
        has_lead_label = any("牵头" in m.group(1) for m in labels)
        found: list[Printed] = []
        for index, match in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
            label = match.group(1)
            if "牵头" in label:
                role = LEAD
            elif label.startswith(("配合", "协办")) or has_lead_label:
                role = CO
            else:
                role = LEAD
            found.extend(_names(lt.slice(match.end(), end), role, accept))
        return found
    verbs = [m for m in _VERBS.finditer(text) if _depth_at(text, m.start()) == 0]
    if not verbs:
        return _names(lt, default_role, accept)
    found = []
    have_lead = False
    after_huitong = False
    cursor = 0
    for match in verbs:
        segment = lt.slice(cursor, match.start())
        verb = match.group(1)
        if after_huitong:
            role = CO
            after_huitong = False
        elif verb in ("牵头", "牵头组织", "会同"):
            role = LEAD
        elif verb in _CO_VERBS:
            role = CO if have_lead or verb != "落实" else LEAD
        else:  # 负责, 分别负责, 按职责分工负责
            role = CO if have_lead else LEAD
        names = _names(segment, role, accept)
        found.extend(names)
        if role == LEAD and names:
            have_lead = True
        if verb == "会同":
            after_huitong = True
        cursor = match.end()
    tail = lt.slice(cursor, len(text))
    if tail.text.strip("，,。；;、"):
        found.extend(_names(tail, CO if have_lead else default_role, accept))
    return found


def _depth_at(text: str, offset: int) -> int:
    depth = 0
    for char in text[:offset]:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
    return depth


def _names(lt: LinedText, role: str, accept: Callable[[str], bool]) -> list[Printed]:
    return [Printed(name, role, line) for name, line in split_printed(lt) if accept(name)]


def _is_cell_name(name: str) -> bool:
    return 2 <= len(name) <= 40 and not re.search(r"[。：:“”《》]", name)


# --- what a printed body looks like ------------------------------------------------------------------
_BODY_END = re.compile(
    r"(局|委|委员会|办|办公室|部|会|行|支行|分行|分局|队|调查队|院|中心|公司|分公司|政府|管委会|部门|单位|"
    r"海关|台|社|所|站|厅|处|联|团市委|妇联|总工会|残联|科协|侨联|文联|工商联|红十字会|成员单位|法院|检察院|"
    r"军分区|部队|支队|指挥部|人民政府|人行|协会|组)$"
)
_NOT_BODY = re.compile(
    r"[。：:“”《》的]|^(各级|各部门$|各地|积极|认真|进一步|加强|做好|建立|要|并|是|一个|多个|每个|各个|同一|该|本|其中|指定|对应)"
)


def looks_like_body(name: str) -> bool:
    """A printed body name ends with an institutional suffix and carries no sentence punctuation."""
    # 市审改办（市编办）: the bracket says where the office sits; the name before it decides.
    core = re.sub(r"[（(][^（()）]*[）)]$", "", name)
    return 2 <= len(name) <= 40 and bool(_BODY_END.search(core)) and not _NOT_BODY.search(name)


# --- annotations inside a measure's running text ----------------------------------------------------
_ANNOTATION_HINT = re.compile(r"责任单位|牵头单位|配合单位|牵头|负责|配合|会同")


def bracket_groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of every top-level bracket group, matched by depth (（市、区） nests inside)."""
    groups = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in _OPEN:
            if depth == 0:
                start = index
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, index + 1))
    return groups


def find_annotations(lt: LinedText) -> list[Printed]:
    """Departments named in bracketed annotations (forms E, F, H, I, J, K, L) of a measure's text."""
    found: list[Printed] = []
    for start, end in bracket_groups(lt.text):
        inner = lt.slice(start + 1, end - 1)
        names = split_printed(inner)
        if not names:
            continue
        if _ANNOTATION_HINT.search(inner.text):
            parsed = parse_phrase(inner)
            if parsed:
                found.extend(parsed)
        elif (
            all(looks_like_body(name) for name, _ in names)
            and _is_department_list(names)
            and _stands_alone(lt.text, start, end)
        ):
            found.extend(Printed(name, LEAD, line) for name, line in names)
    return found


def _stands_alone(text: str, start: int, end: int) -> bool:
    """An annotation closes a sentence (…。（市科技局、…）); 市审改办（市编办） glosses the name before it."""
    before = text[:start].rstrip()
    if not before or before[-1] in "。；;！":
        return True
    return end >= len(text.rstrip("。；; ")) and not _NAME_END.search(before[-1])


_CITY_BODY = re.compile(r"^(市|廊坊|人行|人民银行|中国|国家|国网|各县|团市委)")


def _is_department_list(names: list[tuple[str, int]]) -> bool:
    """A bracket of bodies, not a gloss like （以下简称…） or （PPP）: its first name is a city body."""
    return bool(_CITY_BODY.match(names[0][0]))


_RESPONSIBILITY_LINE = re.compile(r"^责任单位[:：]")


def find_responsibility_lines(parts: Iterable[tuple[int, str]]) -> list[Printed]:
    """Form G: a separate line 责任单位：A、B、C after the measure (廊政〔2015〕91号) — all lead."""
    found: list[Printed] = []
    for number, raw in parts:
        clean = re.sub(r"\s+", "", raw)
        if _RESPONSIBILITY_LINE.match(clean):
            lt = LinedText.build([(number, clean)])
            found.extend(parse_phrase(lt))
    return found


# --- prose: a body as the subject of 负责 / 牵头 / 会同 (form M, N) ---------------------------------------
_CLAUSE_SPLIT = re.compile(r"[。；;！]")
_SUBJECT = re.compile(
    r"(?:^|[，,：:]|由)(?:此外，)?(?P<names>(?:市|廊坊|人行|国网|国家|中国|各县)[^，,。；;：:“”《》]{1,60}?"
    r"|[^，,。；;：:“”《》各]{2,12}部门)(?:要|应|应当|将)?(?P<verb>牵头|负责(?!同志|人)|会同)"
)


# "市发改委、市财政局……积极配合" / "……等相关部门参加" / "……等相关部门要配合做好……": helpers.
_CO_SUBJECT = re.compile(
    r"(?:^|[，,])(?:此外，)?(?P<names>(?:市|廊坊|人行|国网|国家|中国)[^，,。；;：:“”《》]{1,120}?)"
    r"(?:要|应|等部门|等相关部门|等有关部门)*(?:积极)?(?:配合|参加)"
)


# Form M with other verbs: a clause whose subject is one or more *specific* bodies acting on their own —
# 市粮食局统筹抓好… (1030), 市人力资源和社会保障局根据… (18), 市工商局、质监局尽快完成… (9399),
# 市审改办（市编办）组织… (5155), 农业发展银行等金融机构要… (985), 财政部门要落实… (989), 市旅游局承接… (2447).
# Generic subjects (有关部门, 各级财政部门) and region governments are not departments and are left out,
# so the names are checked against the organisation registry, not just by their look.
_ACTING_SUBJECT = re.compile(
    r"(?:^|(?<=[，,：:]))(?:此外，|同时，)?(?P<names>[^，,。；;：:“”《》]{2,60}?)"
    r"(?:等[^，,。；;：:、]{0,6}(?:机构|部门|单位))?"
    r"(?:要|应当|应|须|必须|将)?(?:统筹|组织(?!机构)|根据|尽快|承接|抓好|做好|认真|切实|充分|要|应|须)"
)


_HELPS = re.compile(r"[^，,。；;]{0,3}?配合")


def _names_a_body(name: str) -> bool:
    """A clause subject that names a body by itself: a prefixed form (市…, 廊坊…, 农业发展银行) or a functional
    name (财政部门). A bare 红十字会 or 工商局 outside a list is the kind of body in general (1999)."""
    return (name.startswith(("市", "廊坊", "人行", "中国", "国家", "国网"))
            or name in organizations.FORM_OWNER and organizations.FORM_KIND.get(name) != organizations.BARE
            or name in organizations.FUNCTIONAL_NAMES)


def is_specific_body(name: str) -> bool:
    """A printed name that resolves to one organisation (not a generic phrase, not a region's government)."""
    if not looks_like_body(name) and not name.endswith(("银行", "领导小组")):
        return False
    try:
        resolution = organizations.resolve_name(name)
    except Exception:  # organizations.py may be mid-edit; a prose subject is then not trusted
        return False
    return bool(resolution.org_id) and not resolution.region_code and not resolution.generic


def find_prose_subjects(lt: LinedText) -> list[Printed]:
    """Bodies that are the subject of 负责 / 牵头 / 会同 in a sentence: "市农业局负责做好……"."""
    found: list[Printed] = []
    text = lt.text
    position = 0
    for clause in _CLAUSE_SPLIT.split(text):
        clause_start = text.index(clause, position) if clause else position
        position = clause_start + len(clause)
        for match in _SUBJECT.finditer(clause):
            names_start = clause_start + match.start("names")
            inner = match.group("names")
            if "由" in inner:  # 融资性担保由工业和信息化部门负责: the body follows 由
                names_start += inner.rindex("由") + 1
            names_lt = lt.slice(names_start, clause_start + match.end("names"))
            names = [(n, line) for n, line in split_printed(names_lt) if looks_like_body(n)]
            if not names or len(names) != len(split_printed(names_lt)):
                continue
            found.extend(Printed(name, LEAD, line) for name, line in names)
            if match.group("verb") == "会同":
                rest_start = clause_start + match.end()
                found.extend(_co_after_huitong(lt.slice(rest_start, clause_start + len(clause))))
        for match in _ACTING_SUBJECT.finditer(clause):
            names_lt = lt.slice(clause_start + match.start("names"), clause_start + match.end("names"))
            names = split_printed(names_lt)
            if names and _names_a_body(names[0][0]) and all(is_specific_body(n) for n, _ in names):
                # 市工业和信息化局做好配合 (5772): the subject helps.
                role = CO if _HELPS.match(clause, match.end()) else LEAD
                found.extend(Printed(name, role, line) for name, line in names)
        for match in _CO_SUBJECT.finditer(clause):
            names_lt = lt.slice(clause_start + match.start("names"), clause_start + match.end("names"))
            names = split_printed(names_lt)
            if names and all(looks_like_body(n) for n, _ in names):
                found.extend(Printed(name, CO, line) for name, line in names)
    for match in _LEAD_UNIT.finditer(text):
        names = split_printed(lt.slice(match.start("names"), match.end("names")))
        if names and all(looks_like_body(n) for n, _ in names):
            found.extend(Printed(name, LEAD, line) for name, line in names)
    for match in _OFFICE_SEAT.finditer(text):
        name = match.group("name")
        if looks_like_body(name):
            found.append(Printed(name, LEAD, lt.line_at(match.start("name"))))
    # Printed order: by where each name first appears (the rules above run one after another).
    found.sort(key=lambda p: (p.line, _position(text, p.name)))
    first_role: dict[str, str] = {}
    for printed in found:
        first_role.setdefault(printed.name, printed.role)
    return _unique([p for p in found if first_role[p.name] == p.role])


def _position(text: str, name: str) -> int:
    index = text.find(name)
    return index if index >= 0 else len(text)


# "廊坊军分区是驻廊部队随军家属就业安置工作的牵头单位" (18).
_LEAD_UNIT = re.compile(
    r"(?:^|(?<=[，,。；;：:]))(?P<names>(?:市|廊坊|人行|国家|中国)[^，,。；;：:“”《》]{1,30}?)是[^，,。；;]{0,40}?牵头单位"
)
# Form P: "领导小组办公室设在市统计局" — the office's host body runs the group's day-to-day work (lead).
_OFFICE_SEAT = re.compile(r"办公室[，,]?设在(?P<name>[^，,。；;（(]{2,20}?(局|委|办|部|会|分局|分区))(?=[，,。；;（(]|$)")
_HUITONG_END = re.compile(r"(局|委|办|部门|单位|分局|支行|海关|政府|管委会)")


def _co_after_huitong(lt: LinedText) -> list[Printed]:
    """The bodies listed right after 会同, up to the first word that is not a body."""
    found = []
    for name, line in split_printed(lt):
        # The longest short prefix that ends like a body: 市政府金融办 (not 市政府), 有关部门.
        ends = [m.end() for m in _HUITONG_END.finditer(name) if m.end() <= 16]
        body = next((name[:end] for end in reversed(ends) if looks_like_body(name[:end])), "")
        body = re.sub(r"等(有关|相关|其他)?(部门|单位)$", "", body)
        if not body or not looks_like_body(body):
            break
        found.append(Printed(body, CO, line))
        if body != name:
            break
    return found


def _unique(found: list[Printed]) -> list[Printed]:
    seen = set()
    result = []
    for printed in found:
        if (printed.name, printed.role) not in seen:
            seen.add((printed.name, printed.role))
            result.append(printed)
    return result


# --- vice-mayor groups (form O) ----------------------------------------------------------------------
_GROUP = re.compile(
    r"^以上工作由(?P<lead>[^，,。]+?副市长)(?:（挂职）)?负责(?P<rest>.*)$"
)
_ASSIST = re.compile(r"(?:由|，|、)(?P<name>[^由，、]{2,8}?副市长)(?:（挂职）)?协助")


def parse_group_closer(number: int, raw: str) -> list[Printed]:
    """"以上工作由李波常务副市长负责，……由喻华锋副市长（挂职）协助。" → lead and co vice-mayors."""
    clean = re.sub(r"\s+", "", raw)
    match = _GROUP.match(clean)
    if not match:
        return []
    found = [Printed(match.group("lead"), LEAD, number)]
    found.extend(Printed(m.group("name"), CO, number) for m in _ASSIST.finditer(match.group("rest")))
    return found
