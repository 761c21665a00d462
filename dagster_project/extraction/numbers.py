"""Numbers as the source prints them: Arabic digits, Chinese numerals, ranges and units.

Targets and deadlines both read numbers out of running Chinese text, and the source mixes
writing systems (一所 / 2所 / 两所, 30％ / 30% / "12 %", 2—3 / 2-3 / 10至15, 20l5 with a
letter l, source-catalog §5, §9.1, §9.2, §9.6). This module is the one place that knows them;
it does arithmetic on nothing (6.8万户 stays 6.8 with the unit 万户 — the printed unit is kept).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "〇零一二两三四五六七八九十百千"

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
# The typo 20l5 (§9.6, line 5844): a letter l inside a year.
_YEAR_WITH_LETTER_L = re.compile(r"(?<=20)[l](?=\d)|(?<=20\d)[l]")

# Range separators (§9.2): U+2014, ASCII hyphen, 至, 到, ~ and 〜.
RANGE_SEPARATOR = r"(?:—|-|－|至|~|〜|到)"


def normalise_digits(text: str) -> str:
    """Full-width digits, point and percent → ASCII; the 20l5 typo → 2015. Length is preserved."""
    return _YEAR_WITH_LETTER_L.sub("1", text.translate(_FULL_WIDTH_DIGITS))


def chinese_to_int(numeral: str) -> int:
    """一 → 1, 两 → 2, 十五 → 15, 二十 → 20, 一百二十 → 120, 三〇 → 30 (digit by digit)."""
    if not numeral or any(c not in CN_DIGITS and c not in CN_UNITS for c in numeral):
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    if not any(c in CN_UNITS for c in numeral):
        value = 0
        for c in numeral:
            value = value * 10 + CN_DIGITS[c]
        return value
    total, digit = 0, None
    for c in numeral:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        else:
            total += (1 if digit is None else digit) * CN_UNITS[c]
            digit = None
    return total + (digit or 0)


def to_number(token: str) -> int | float:
    """'12' → 12, '6.8' → 6.8, '１２' → 12, '两' → 2, '十五' → 15."""
    token = normalise_digits(token.strip())
    if re.fullmatch(r"\d+", token):
        return int(token)
    if re.fullmatch(r"\d+\.\d+", token):
        return float(token)
    return chinese_to_int(token)


def plain_decimal(token: str) -> str:
    """The value as a plain decimal string: '6.8' → '6.8', '100' → '100', '一' → '1', '0.50' → '0.5'."""
    token = normalise_digits(token.strip())
    if not re.fullmatch(r"\d+(?:\.\d+)?", token):
        return str(chinese_to_int(token))
    try:
        value = Decimal(token)
    except InvalidOperation as error:  # pragma: no cover - guarded by the regex above
        raise ValueError(token) from error
    text = format(value.normalize(), "f")
    return text


def normalise_unit(unit: str) -> str:
    """The printed unit without padding, with ％ → % ('12 %' → '%', '万人次' stays)."""
    return re.sub(r"\s+", "", unit).replace("％", "%")
