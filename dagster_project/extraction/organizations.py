"""Organisations named in the source, their aliases, and the resolver every other extractor uses.

Why this shape: the documents write one body in up to six ways (人行廊坊市中心支行, 市人行,
中国人民银行廊坊中心支行 …), drop the 市 inside lists (工商局、编办、民政局), misspell some (市计委,
市教育厅) and assign work to functional names (发展改革部门) or to generic phrases (有关部门,
各县（市、区）政府). Tasks are only comparable when every printed form lands on one key. The
reviewed knowledge (which bodies exist, their full names and forms) lives in
``organization_registry``; this module

* scans the source for those forms to build the alias table, so each alias cites the first line it
  really occurs on and nothing listed is absent from the text. A form starting with 市 must not
  continue a place name (三河市财政局 is a county body, not 市财政局); a bare form (财政局) counts
  only in list positions, after 、，；（ or 会同/联合/及/和, and not when the list is a county's;
* compiles the same forms into a dictionary for ``resolve_name``, which is called thousands of
  times: exact lookup first, then a few cheap normalisations (brackets, spaces, labels such as
  责任单位：, trailing role words such as 牵头/负责, trailing 等部门, the 市/廊坊市 prefix);
* splits printed lists (``split_names``) by bracket depth, so 各县（市、区）政府 and 〔…〕 survive.

A region's name or its government's (三河市, 三河市人民政府, 廊坊开发区管委会) resolves to the region
government's org with its ``region_code``; a body inside a region (三河市财政局, 永清县财政局) resolves
to nothing. ``organizations.csv`` carries ``region_code`` as an extra last column for that link.

org_id scheme: see ``organization_registry`` (``lf-<english-slug>`` for Langfang's bodies,
``gov-<pinyin>`` for region governments, ``lf-government`` for the municipal government).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from . import regions
from .context import ExtractionContext
from .organization_registry import (
    FUNCTIONAL_NAMES, GENERIC_NAMES, ORGANIZATIONS, REGION_GOVERNMENTS, OrgSpec,
)
from .seed_files import SeedTable
from .source import remove_whitespace

ORGANIZATION_COLUMNS = (
    "org_id", "name", "short_name", "kind", "level", "parent_org_id", "valid_from", "valid_to", "line",
    "region_code",   # added at the end: links a region government (and 市政府) to its row in regions.csv
)
ALIAS_COLUMNS = ("alias", "org_id", "line")

ALL_ORGANIZATIONS: tuple[OrgSpec, ...] = ORGANIZATIONS + REGION_GOVERNMENTS
ORG_BY_ID: dict[str, OrgSpec] = {o.org_id: o for o in ALL_ORGANIZATIONS}


@dataclass(frozen=True)
class NameResolution:
    """What one printed name refers to.

    Exactly one of: an organisation (``org_id``), a region's government (``org_id`` of kind
    region_government *and* ``region_code``), a generic phrase (``generic`` true, e.g. 有关部门,
    市政府各部门, 各县（市、区）政府), or nothing (all empty: unresolved, reported by --report).
    """

    name_as_printed: str
    org_id: str | None = None
    region_code: str | None = None
    generic: bool = False

    @property
    def resolved(self) -> bool:
        return bool(self.org_id or self.region_code or self.generic)


# ---------------------------------------------------------------------------------------------
# The form tables, compiled once at import.

PREFIXED, BARE, FUNCTIONAL, GENERIC = "prefixed", "bare", "functional", "generic"
DERIVED = "derived"   # 市 + a functional name (市建设部门 5671); kept only where the text has it
# Only departments and vertical bodies lose their 市 in lists; 工商联、红十字会、供销社 without 市 are
# the kind of organisation in general (source lines 192, 1989, 5270). The 厅 typos (6033) give no stem.
_KINDS_WITH_BARE_FORMS = frozenset({"government_department", "central_vertical"})


def _form_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(form → org_id, form → kind of form). A form claimed by two bodies is a registry error."""
    owner: dict[str, str] = {}
    form_kind: dict[str, str] = {}

    def claim(form: str, org_id: str, kind: str) -> None:
        if form in owner and owner[form] != org_id:
            raise ValueError(f"written form {form!r} claimed by {owner[form]} and {org_id}")
        if form not in owner:
            owner[form] = org_id
            form_kind[form] = kind

    for org in ALL_ORGANIZATIONS:
        for form in org.forms:
            claim(form, org.org_id, PREFIXED)
    for form, org_id in FUNCTIONAL_NAMES.items():
        claim(form, org_id, FUNCTIONAL)
    for form, org_id in FUNCTIONAL_NAMES.items():   # 市建设部门 (5671), 市财政部门 …
        if not form.startswith("市"):
            claim("市" + form, org_id, DERIVED)
    for org in ALL_ORGANIZATIONS:
        for form in org.bare:
            claim(form, org.org_id, BARE)
        if org.kind not in _KINDS_WITH_BARE_FORMS:
            continue
        for form in org.forms:   # every 市X also gives the list-only form X (工商局, 编办, 卫计委 …)
            if (form.startswith("市") and not form.startswith(("市委", "市政府", "市人民")) and len(form) >= 3
                    and not form.endswith("厅")):
                stem = form[1:]
                if stem not in owner:
                    claim(stem, org.org_id, BARE)
    return owner, form_kind


FORM_OWNER, FORM_KIND = _form_tables()

# A 市… form right after these characters belongs to another place or word: 三河市财政局, 霸州市政府,
# 我市政府机构, 上市政府 (source lines 4242, 6971, 4838).
_NOT_BEFORE_CITY_FORM = frozenset("河州我上城都县本省区乡镇")
# Bare forms count only after a list separator or a joining word (source-catalog §6.1 counting rule).
_LIST_PUNCTUATION = frozenset("、，,；;（(〔：:\t 　")
_JOINING_WORDS = ("会同", "联合", "设在", "以及", "及", "和", "由")
# A bare form right after a county's or the province's body names that body's sibling
# (永清县财政局、公安局; 省体育局、教育厅 at 9099), not the city's.
_PLACE_PREFIX = re.compile(r"省|县|国家|" + "|".join(
    sorted({f for r in regions.REGIONS if r.region_code != regions.CITY_CODE for f in r.forms}, key=len, reverse=True)))
_GENERIC_REGION_PHRASE = re.compile(
    r"各县[（(]市(?:、区)?[）)](?:人民)?政府|县[（(]市(?:、区)?[）)](?:人民)?政府|各县[（(]市(?:、区)?[）)]")

_SCANNER = re.compile(
    _GENERIC_REGION_PHRASE.pattern + "|" + "|".join(
        re.escape(f) for f in sorted(set(FORM_OWNER) | GENERIC_NAMES, key=len, reverse=True)))
_ITEM_BREAK = re.compile(r"[、，,；;（(〔：:\t。]")


def _previous_item_is_elsewhere(line: str, separator_at: int) -> bool:
    """Whether the list item before the separator is a county's or the province's body."""
    if separator_at < 0 or line[separator_at] not in "、，,；;" and not line.startswith(_JOINING_WORDS, separator_at):
        return False
    head_from = 0
    for m in _ITEM_BREAK.finditer(line, 0, separator_at):
        head_from = m.end()
    previous = _GENERIC_REGION_PHRASE.sub("", line[head_from:separator_at])
    return bool(_PLACE_PREFIX.search(previous))


def _accept(line: str, start: int, form: str) -> bool:
    """Whether the form matched at ``start`` really is that body here (see the module docstring)."""
    kind = FORM_KIND.get(form)
    if kind is None:           # a generic phrase: consumed so that its parts are not read as names
        return False
    before = line[start - 1] if start else ""
    if form.startswith("市") and before in _NOT_BEFORE_CITY_FORM:
        return False
    if form == "市政府办" and line[start + len(form): start + len(form) + 1] in ("理", "事", "公"):
        return False
    if kind == BARE:
        if before in _LIST_PUNCTUATION:
            separator_at = start - 1
        else:
            word = next((w for w in _JOINING_WORDS if line.endswith(w, 0, start)), None)
            if word is None:
                return False
            separator_at = start - len(word)
        if _previous_item_is_elsewhere(line, separator_at):
            return False
    return True


def scan_aliases(lines: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Every written form that really occurs, with the (line, offset) of its first occurrence."""
    first: dict[str, tuple[int, int]] = {}
    for number, line in enumerate(lines, start=1):
        for match in _SCANNER.finditer(line):
            form = match.group(0)
            if form not in first and _accept(line, match.start(), form):
                first[form] = (number, match.start())
    return first


# ---------------------------------------------------------------------------------------------
# Resolution.

_REGION_GOV_BY_CODE: dict[str, str] = {o.region_code: o.org_id for o in ALL_ORGANIZATIONS if o.region_code}
_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})
_LABEL = re.compile(r"^(?:责任单位|牵头单位|配合单位|协办单位|负责单位|责任部门|牵头部门|配合部门|负责部门|参加单位)[：:]")
_TRAILING_ETC = re.compile(r"等(?:[^、，；等]{0,12}(?:部门|单位|机构))?$")
_TRAILING_ROLE = re.compile(
    r"(?:按职责分工负责|分别负责|牵头组织|积极配合|具体组织实施|牵头|负责|配合|参加|落实|协办|参与)$")
_MEMBER_UNITS = re.compile(r"(?:各|其他)?成员单位$")
_COUNTY_BODY = re.compile(r"^(?:各?县|[县区乡镇]级)")
# 各县（市、区）价格主管部门 (6006), 县级畜牧兽医部门 (7189): every county's department of that kind.
_LOWER_LEVEL_DEPARTMENTS = re.compile(r"^(?:各县[（(]市(?:、区)?[）)]|县级|各级).+部门$")
_QUALIFIER = re.compile(r"^.+的(?=.{3,}$)")   # 批准登记的民政部门 (638) → the functional name 民政部门


def _generic(name: str) -> bool:
    return (name in GENERIC_NAMES or bool(_GENERIC_REGION_PHRASE.fullmatch(name))
            or bool(_MEMBER_UNITS.search(name) and len(name) > 4) or bool(_LOWER_LEVEL_DEPARTMENTS.match(name)))


def _lookup(name: str) -> NameResolution | None:
    """Exact lookup of one already-normalised name."""
    org_id = FORM_OWNER.get(name)
    if org_id:
        return NameResolution(name, org_id=org_id, region_code=ORG_BY_ID[org_id].region_code or None)
    if _generic(name):
        return NameResolution(name, generic=True)
    return None


def _prefix_variants(name: str) -> list[str]:
    """The same name with the city prefix written differently (廊坊市X → 市X, X; 市X → X; X → 市X)."""
    variants = []
    for prefix in ("廊坊市", "廊坊"):
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            rest = name[len(prefix):]
            variants += ["市" + rest, rest]
            break
    if name.startswith("市") and len(name) > 2:
        variants.append(name[1:])
    elif not _COUNTY_BODY.match(name):
        variants.append("市" + name)
    return variants


def _normalise(name: str) -> str:
    name = remove_whitespace(name).translate(_HALF_TO_FULL)
    name = _LABEL.sub("", name)
    return name.strip("、，；：。")


def _without_tails(name: str) -> str:
    previous = None
    while previous != name:
        previous = name
        name = _TRAILING_ROLE.sub("", name)
        name = _TRAILING_ETC.sub("", name) if name not in GENERIC_NAMES else name
    return name


@lru_cache(maxsize=16384)
def resolve_name(name: str) -> NameResolution:
    """Resolve one printed name (市人社局, 工商局, 发展改革部门, 三河市政府, 有关部门 …)."""
    found = _lookup(name)
    if found:
        return NameResolution(name, found.org_id, found.region_code, found.generic)
    normalised = _normalise(name)
    trimmed = _without_tails(normalised)
    qualified = _QUALIFIER.sub("", trimmed)
    if qualified in FUNCTIONAL_NAMES and not _PLACE_PREFIX.search(trimmed[: len(trimmed) - len(qualified)]):
        return NameResolution(name, org_id=FUNCTIONAL_NAMES[qualified])
    for candidate in dict.fromkeys((normalised, trimmed)):
        if not candidate:
            continue
        for variant in (candidate, *_prefix_variants(candidate)):
            found = _lookup(variant)
            if found:
                return NameResolution(name, found.org_id, found.region_code, found.generic)
        code = regions.resolve_region_name(candidate)   # 三河市人民政府, 香河县, 开发区 (not 三河市财政局)
        if code and code in _REGION_GOV_BY_CODE:
            return NameResolution(name, org_id=_REGION_GOV_BY_CODE[code], region_code=code)
    return NameResolution(name_as_printed=name)


def unresolved(names: Iterable[str]) -> list[str]:
    """The distinct names (in first-seen order) that resolve to nothing; for ``--report``."""
    return [n for n in dict.fromkeys(names) if not resolve_name(n).resolved]


# ---------------------------------------------------------------------------------------------
# Splitting printed lists.

_OPEN, _CLOSE = "（(〔[【", "）)〕]】"
_SEPARATORS = frozenset("、，,；;")
_JOINERS = re.compile(r"以及|及|和")


def _top_level_split(text: str, separators: frozenset[str]) -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _top_level_joiners(text: str) -> list[re.Match[str]]:
    depth_at, depth = [], 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        depth_at.append(depth)
    return [m for m in _JOINERS.finditer(text) if depth_at[m.start()] == 0]


def _split_joined(piece: str) -> list[str]:
    """市卫生计生委及中医药管理局 → two names; 市人力资源和社会保障局 stays one (it resolves whole)."""
    if resolve_name(piece).resolved:
        return [piece]
    for joiner in _top_level_joiners(piece):
        left, right = piece[:joiner.start()], piece[joiner.end():]
        left, right = _drop_tails(left), _drop_tails(right)
        if left and right and resolve_name(left).resolved:
            rest = _split_joined(right)
            if all(resolve_name(r).resolved for r in rest):
                return [left, *rest]
    return [piece]


def _drop_tails(piece: str) -> str:
    """Drop a trailing role word (牵头, 负责 …) and a trailing 等部门/等有关部门/等, keeping the name."""
    previous = None
    while previous != piece:
        previous = piece
        stripped = _TRAILING_ROLE.sub("", piece)
        if stripped not in GENERIC_NAMES:
            stripped = _TRAILING_ETC.sub("", stripped)
        if stripped:
            piece = stripped
    return piece


def _unwrap(text: str) -> str:
    """〔责任单位：…〕 → 责任单位：… when one bracket pair encloses the whole text."""
    while len(text) > 1 and text[0] in _OPEN and text[-1] in _CLOSE:
        depth = 0
        for index, char in enumerate(text):
            depth += char in _OPEN
            depth -= char in _CLOSE
            if depth == 0:
                break
        if index != len(text) - 1:
            break
        text = text[1:-1]
    return _LABEL.sub("", text)


def split_names(text: str) -> list[str]:
    """Split a printed list of bodies (顿号/逗号/分号, nested （市、区）kept intact) into single names.

    "市审计局、市法制办等有关部门" → ["市审计局", "市法制办"]; "有关部门" stays as it is;
    "工商局、编办、民政局及其他登记管理部门" → [..., "民政局", "其他登记管理部门"]. A bracket pair
    around the whole list and a leading label (责任单位：) are removed, and so is a trailing role
    word of an item (市商务局牵头 → 市商务局), since neither is part of a name. 会同 is not split:
    it separates lead from co-operating bodies, which the caller must keep apart.
    """
    names: list[str] = []
    for raw in _top_level_split(_unwrap(remove_whitespace(text)), _SEPARATORS):
        piece = _drop_tails(_LABEL.sub("", raw.strip("。：")))
        if not piece:
            continue
        names.extend(_split_joined(piece))
    return names


# ---------------------------------------------------------------------------------------------
# Tables.

def _alias_rows(ctx: ExtractionContext) -> list[dict[str, object]]:
    first = ctx.cached("organization_alias_lines", lambda: scan_aliases(ctx.source.lines))
    ordered = sorted(first.items(), key=lambda item: (item[1], item[0]))
    return [{"alias": form, "org_id": FORM_OWNER[form], "line": line} for form, (line, _) in ordered]


def _organization_rows(alias_rows: list[dict[str, object]]) -> list[dict[str, object]]:
    first_line: dict[str, int] = {}
    for row in alias_rows:
        first_line.setdefault(str(row["org_id"]), int(row["line"]))
    rows = []
    for org in ALL_ORGANIZATIONS:
        line = first_line.get(org.org_id) or org.evidence_line or ""
        rows.append({
            "org_id": org.org_id, "name": org.name, "short_name": org.short_name, "kind": org.kind,
            "level": org.level, "parent_org_id": org.parent_org_id, "valid_from": org.valid_from,
            "valid_to": org.valid_to, "line": line, "region_code": org.region_code,
        })
    rows.sort(key=lambda r: (r["line"] if r["line"] != "" else 10**9, r["org_id"]))
    return rows


def extract_tables(ctx: ExtractionContext) -> list[SeedTable]:
    aliases = _alias_rows(ctx)
    return [
        SeedTable("organizations", ORGANIZATION_COLUMNS, _organization_rows(aliases)),
        SeedTable("organization_aliases", ALIAS_COLUMNS, aliases),
    ]
