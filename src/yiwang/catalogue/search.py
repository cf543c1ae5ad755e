"""Catalogue search: Chinese substrings (also 1–2 characters), full pinyin, pinyin initials and synonyms.

Each item carries three search columns (``search_text``, ``search_pinyin``, ``search_initials``) computed by
``search_columns``. A query is expanded through the synonym table and matched with ``LIKE '%…%'``
(Django's ``__contains``): on PostgreSQL the pg_trgm GIN indexes serve it, on SQLite it scans a few
thousand short rows. Ranking, best first: exact name, name starts with the query, name contains it,
pinyin/initials start with it, anything else; then shorter names first, then code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

_ASCII = re.compile(r"^[a-z0-9 '\-]+$")
_KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


@lru_cache(maxsize=4096)
def _pinyin(text: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    keep: Any = lambda s: list(s.lower())  # noqa: E731 - non-Chinese characters stay as they are
    full = "".join(lazy_pinyin(text, errors=keep)).lower()
    initials = "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors=keep) if p)
    return _KEEP.sub("", full), _KEEP.sub("", initials.lower())


def search_columns(
    name: str, keywords: str = "", result_name: str = "", main_name: str = "", department: str = ""
) -> tuple[str, str, str]:
    """(text, pinyin, initials) for an item: words separated by ``|`` so matches do not run across them."""
    words = [
        w
        for w in [name, *re.split(r"[,，;；、\s]+", keywords or ""), result_name, main_name, department]
        if w
    ]
    seen: list[str] = []
    for w in words:
        if w not in seen:
            seen.append(w)
    text = "|".join(seen)
    pinyin = "|".join(_pinyin(w)[0] for w in seen[:1] + [w for w in seen[1:] if w != name])
    initials = "|".join(_pinyin(w)[1] for w in seen[:1] + [w for w in seen[1:] if w != name])
    return text, pinyin, initials


def synonyms_for(query: str) -> list[str]:
    """The query and its variants through the synonym table (社保 → 社会保险; 营业执照 ← 执照 …)."""
    from .models import Synonym

    variants = [query]
    for term, expansion in Synonym.objects.values_list("term", "expansion"):
        if term == query or (len(term) >= 2 and term in query):
            v = query.replace(term, expansion)
            if v not in variants:
                variants.append(v)
    return variants


def normalise(query: str) -> str:
    return re.sub(r"\s+", " ", (query or "").strip().lower())[:60]


def search_items(query: str, qs: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """Items matching ``query``, ranked best first (see the module docstring)."""
    from .selectors import published_items

    qs = published_items() if qs is None else qs
    q = normalise(query)
    if not q:
        return qs.none()
    variants = synonyms_for(q)
    cond = Q(pk__in=[])
    for v in variants:
        cond |= Q(search_text__contains=v)
    ascii_q = q.replace(" ", "").replace("'", "").replace("-", "")
    is_ascii = bool(_ASCII.match(q))
    if is_ascii and ascii_q:
        cond |= Q(search_pinyin__contains=ascii_q) | Q(search_initials__contains=ascii_q)
        cond |= Q(code__icontains=ascii_q) | Q(name_en__icontains=q)
    whens = [When(name__in=variants, then=Value(0))]
    whens += [When(name__startswith=v, then=Value(1)) for v in variants]
    whens += [When(name__contains=v, then=Value(2)) for v in variants]
    if is_ascii and ascii_q:
        whens += [
            When(search_pinyin__startswith=ascii_q, then=Value(3)),
            When(search_initials__startswith=ascii_q, then=Value(3)),
        ]
    rank = Case(*whens, default=Value(4), output_field=IntegerField())
    return qs.filter(cond).annotate(rank=rank, name_len=Length("name")).order_by("rank", "name_len", "code")
