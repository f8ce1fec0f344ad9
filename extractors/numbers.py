"""Numeral spans: the regex pieces that find a number, and the parsers that turn one into a float.

Why a separate module: Chinese numerals are converted with cn2an, but only on a span that a regex
has already isolated. Run over a whole sentence, cn2an rewrites `统一` to `统1`, `一是` to `1是` and
`五六家` to `56家`; on an isolated `十四` or `两千三百` it is exact. Everything here is pure and
cheap: patterns are compiled once and conversions are cached, since reports repeat the same few
numerals thousands of times.
"""
from __future__ import annotations

import re
from functools import lru_cache

import cn2an

# Arabic digits, ASCII or full-width (`re` treats both as \d, but we spell them out so that other
# scripts' digits, which cn2an and float() may not agree on, never match). A thousands separator
# is a comma followed by exactly three digits; `732处,已整改` keeps its comma as punctuation.
ARABIC = r"[0-9０-９]+(?:,[0-9０-９]{3}(?![0-9０-９]))*(?:[.．][0-9０-９]+)?"

# Masked digits as the publishers redact them: x, xx, xxx.x, x.xx, *, ***, full-width ｘ/＊.
MASK_CHARS = "xXｘＸ*＊"
MASKED = r"[xXｘＸ*＊]+(?:[.．][xXｘＸ*＊]+)?"

# A Chinese numeral core. It never ends in 万/亿: those are read as the magnitude of the unit, so
# `三万人` is 3 in 万人 exactly as `3万人` is (value as written, unit as written).
CN_DIGIT_CHARS = "零〇一二两三四五六七八九"
CN_CHARS = CN_DIGIT_CHARS + "十百千万亿"
CHINESE = r"[零〇一二两三四五六七八九十百千万亿]*[零〇一二两三四五六七八九十百千](?:点[零〇一二三四五六七八九]+)?"

_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_CN_SIMPLE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}


class NumeralError(ValueError):
    """A span that looked like a numeral but is not one (the caller drops the match)."""


_MASK_SET = frozenset(MASK_CHARS)
_CN_DIGIT_SET = frozenset(CN_DIGIT_CHARS)


def is_masked(token: str) -> bool:
    return not _MASK_SET.isdisjoint(token)


def parse_arabic(token: str) -> float:
    if token.isascii():  # the common case; the table only maps full-width characters
        return float(token.replace(",", "") if "," in token else token)
    return float(token.translate(_FULLWIDTH).replace(",", ""))


@lru_cache(maxsize=4096)
def parse_chinese(token: str) -> float:
    """An isolated Chinese numeral (`十四`, `两千三百`, `一万二千`, `三点五`) as a float."""
    if len(token) == 1 and token in _CN_SIMPLE:
        return float(_CN_SIMPLE[token])
    try:
        return float(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, IndexError) as exc:  # cn2an raises ValueError on bad input
        raise NumeralError(f"not a Chinese numeral: {token!r}") from exc


def adjacent_digit_range(token: str) -> tuple[float, float] | None:
    """`五六` (five or six) and `七八` are ranges, not fifty-six: two consecutive plain digits."""
    if len(token) == 2 and token[0] in _CN_SIMPLE and token[1] in _CN_SIMPLE:
        a, b = _CN_SIMPLE[token[0]], _CN_SIMPLE[token[1]]
        if a >= 1 and b == a + 1:
            return float(a), float(b)
    return None


def is_chinese_numeral(token: str) -> bool:
    return bool(token) and all(c in CN_CHARS or c in "点" for c in token)


def parse_number(token: str) -> float | None:
    """Any numeral token (Arabic, Chinese, masked) as a float; None when masked."""
    if is_masked(token):
        return None
    if token[0] in CN_CHARS:
        return parse_chinese(token)
    return parse_arabic(token)


def chinese_has_digit(token: str) -> bool:
    """`千家万户` and `百亿项目` are idioms, not counts: a real numeral names a digit or starts at 十."""
    return token[0] == "十" or not _CN_DIGIT_SET.isdisjoint(token)


def fraction_value(denominator: str, numerator: str) -> float:
    """`三分之一` -> 33.333…, as a percentage, so that fractions share the `%` unit."""
    d, n = parse_number(denominator), parse_number(numerator)
    if not d or n is None:
        raise NumeralError(f"not a fraction: {numerator}/{denominator}")
    return n / d * 100


ARABIC_RE = re.compile(ARABIC)
CHINESE_RE = re.compile(CHINESE)
