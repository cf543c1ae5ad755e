"""Catalogue search: Chinese substrings (also 1–2 characters), full pinyin, pinyin initials and synonyms.

Each item carries three search columns (``search_text``, ``search_pinyin``, ``search_initials``) computed by
``search_columns``. A query is expanded through the synonym table and matched with ``LIKE '%…%'``
(Django's ``__contains``): on PostgreSQL the pg_trgm GIN indexes serve it, on SQLite it scans a few
thousand short rows. 1–2 character Chinese queries match whole space-separated tokens of ``search_grams``
(also trigram-indexed on PostgreSQL). Ranking, best first: exact name (or synonym), name starts with the query,
pinyin or initials that are a whole word or begin one, everything else; within each, shorter names first, then code (see ``SearchResults``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from .models import Synonym
from .selectors import published_items

_ASCII = re.compile(r"^[a-z0-9 '\-]+$")
_KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


@lru_cache(maxsize=4096)
def _pinyin(text: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    keep: Any = lambda s: list(s.lower())  # noqa: E731 - non-Chinese characters stay as they are
    full = "".join(lazy_pinyin(text, errors=keep)).lower()
    initials = "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors=keep) if p)
    return _KEEP.sub("", full), _KEEP.sub("", initials.lower())


SEARCH_FIELDS = ("search_text", "search_pinyin", "search_initials", "search_grams")
_CJK = re.compile(r"[\u3400-\u9fff]+")


def search_columns(
    name: str,
    keywords: str = "",
    result_name: str = "",
    main_name: str = "",
    department: str = "",
    code: str = "",
    name_en: str = "",
) -> dict[str, str]:
    """The four search columns of an item. Words are separated by ``|`` so matches do not run across them:
    ``search_text`` the Chinese words; ``search_pinyin`` their full pinyin plus the code and English name in
    lower case; ``search_initials`` their pinyin initials; ``search_grams`` every Chinese character and
    character pair inside a word (for 1–2 character queries, which trigram indexes cannot serve)."""
    words = [
        w
        for w in [name, *re.split(r"[,，;；、\s]+", keywords or ""), result_name, main_name, department]
        if w
    ]
    seen: list[str] = []
    for w in words:
        if w not in seen:
            seen.append(w)
    grams: list[str] = []
    for w in seen:
        for run in _CJK.findall(w):
            grams += list(run) + [run[i : i + 2] for i in range(len(run) - 1)]
    extra = [x.lower() for x in (code, name_en) if x]
    return {
        "search_text": "|".join(seen),
        "search_pinyin": "|".join([_pinyin(w)[0] for w in seen] + extra),
        "search_initials": "|".join(_pinyin(w)[1] for w in seen),
        "search_grams": f" {' '.join(dict.fromkeys(grams))} " if grams else "",
    }


def item_search_columns(item: Any) -> dict[str, str]:
    return search_columns(
        item.name,
        item.keywords,
        item.result_name,
        item.main.name,
        item.department.short_name,
        item.code,
        item.name_en,
    )


def synonyms_for(query: str) -> list[str]:
    """The query and its variants through the synonym table (社保 → 社会保险; 营业执照 ← 执照 …)."""
    variants = [query]
    for term, expansion in synonym_pairs():
        if term == query or (len(term) >= 2 and term in query):
            v = query.replace(term, expansion)
            if v not in variants:
                variants.append(v)
    return variants


SYNONYM_CACHE_SECONDS = 60


def default_synonyms() -> list[tuple[str, str]]:
    """Common abbreviations and everyday words for government services (社保 → 社会保险, 狗证 → 养犬登记), shipped
    in ``catalogue/data/synonyms.json``; ``yiwang catalogue synonyms`` adds the missing ones to the table."""
    import json
    from importlib import resources

    raw = resources.files("yiwang.catalogue").joinpath("data", "synonyms.json").read_text(encoding="utf-8")
    return [(str(term), str(expansion)) for term, expansion in json.loads(raw)]


def synonym_pairs() -> list[tuple[str, str]]:
    """The synonym table, cached for a minute (an edit in the admin shows within a minute)."""
    pairs = cache.get("catalogue:synonyms")
    if pairs is None:
        pairs = list(Synonym.objects.values_list("term", "expansion"))
        cache.set("catalogue:synonyms", pairs, SYNONYM_CACHE_SECONDS)
    return pairs


def normalise(query: str) -> str:
    return re.sub(r"\s+", " ", (query or "").strip().lower())[:60]


COUNT_CAP = 1000  # counts stop here ("more than 1,000"): counting every match of 证 in a province is waste


class SearchResults:
    """Search matches in ranked order, fetched lazily a page at a time (works with Django's Paginator).

    Order: items whose name is the query (or a synonym of it), then names starting with it, then (ASCII
    queries) items whose pinyin or initials are a word or begin one, then every other match; within each group shorter names first, then by code. Each group is one query ordered by
    ``length(name), code``; for broad queries (社保, 证) PostgreSQL reads that order from an index and stops
    after a page instead of sorting every match (docs/adr/0023)."""

    def __init__(self, qs: QuerySet[Any], cond: Q, variants: list[str], letters: str = ""):
        self.qs = qs
        self.cond = cond
        self.variants = variants
        self.letters = letters  # an ASCII query (pinyin or initials), spaces and apostrophes removed
        self._count: int | None = None
        self.truncated = False

    def _groups(self) -> list[QuerySet[Any]]:
        if self.count() == 0:
            return []
        matches = self.qs.filter(self.cond)
        exact = Q(name__in=self.variants)
        prefix = Q(pk__in=[])
        for v in self.variants:
            prefix |= Q(name__startswith=v)
        # Many matches: walk the (length(name), code) index and stop after a page. Few matches: let the
        # planner fetch them through the search indexes and sort them (``+ 0`` hides the index order).
        length = Length("name") if self.truncated else Length("name") + 0
        first = Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
        groups = [matches.filter(prefix | exact).order_by(first, Length("name"), "code")]
        rest = matches.exclude(prefix | exact)
        if self.letters:
            # Pinyin or initials that are a whole word, or begin one (yyzz: 营业执照), before those found
            # inside a word (yyzz in 养老机构运营资助 = yljgyyzz); whole words first.
            whole, start = _word_q(self.letters, whole=True), _word_q(self.letters, whole=False)
            rank = Case(When(whole, then=Value(0)), default=Value(1), output_field=IntegerField())
            groups.append(rest.filter(start).order_by(rank, Length("name"), "code"))
            rest = rest.exclude(start)
        groups.append(rest.order_by(length.asc(), "code"))
        return groups

    def _first(self, stop: int) -> list[Any]:
        rows: list[Any] = []
        for group in self._groups():
            if len(rows) >= stop:
                break
            rows += list(group[: stop - len(rows)])
        return rows

    def count(self) -> int:
        """The number of matches, at most ``COUNT_CAP`` (``truncated`` tells whether there are more)."""
        if self._count is None:
            # No ORDER BY in the capped count: with one, PostgreSQL walks the code order past every
            # non-matching row to find the first 1,001 matches of a broad query.
            n = self.qs.filter(self.cond).order_by()[: COUNT_CAP + 1].count()
            self.truncated = n > COUNT_CAP
            self._count = min(n, COUNT_CAP)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
            return self._first(stop)[start:stop]
        return self._first(key + 1)[key]

    def __iter__(self) -> Any:
        return iter(self._first(self.count()))

    def filter(self, *args: Any, **kwargs: Any) -> SearchResults:
        return SearchResults(self.qs.filter(*args, **kwargs), self.cond, self.variants, self.letters)

    def select_related(self, *fields: str) -> SearchResults:
        return SearchResults(self.qs.select_related(*fields), self.cond, self.variants, self.letters)

    def values_list(self, *fields: str, flat: bool = False) -> list[Any]:
        return [getattr(i, fields[0]) if flat else tuple(getattr(i, f) for f in fields) for i in self]


def _word_q(letters: str, *, whole: bool) -> Q:
    """Pinyin or initials columns (words joined by ``|``) where ``letters`` is a whole word, or (``whole``
    False) the beginning of one."""
    q = Q(pk__in=[])
    for col in ("search_initials", "search_pinyin"):
        if whole:
            q |= Q(**{col: letters}) | Q(**{f"{col}__startswith": f"{letters}|"})
            q |= Q(**{f"{col}__contains": f"|{letters}|"}) | Q(**{f"{col}__endswith": f"|{letters}"})
        else:
            q |= Q(**{f"{col}__startswith": letters}) | Q(**{f"{col}__contains": f"|{letters}"})
    return q


def search_items(query: str, qs: QuerySet[Any] | None = None) -> SearchResults:
    """Items matching ``query`` (Chinese words, full pinyin, initials, synonyms), ranked best first."""
    qs = published_items() if qs is None else qs
    q = normalise(query)
    if not q:
        return SearchResults(qs, Q(pk__in=[]), [])
    variants = synonyms_for(q)
    cond = Q(pk__in=[])
    for v in variants:
        if len(v) <= 2 and _CJK.fullmatch(v):
            cond |= Q(search_grams__contains=f" {v} ")  # a whole token; trigram index on PostgreSQL
        else:
            cond |= Q(search_text__contains=v)  # trigram index on PostgreSQL
    ascii_q = q.replace(" ", "").replace("'", "")
    letters = ""
    if _ASCII.match(q) and ascii_q:
        cond |= Q(search_pinyin__contains=ascii_q) | Q(search_initials__contains=ascii_q)
        if " " in q:
            cond |= Q(search_pinyin__contains=q)
        letters = ascii_q
    return SearchResults(qs, cond, variants, letters)


def ranked_codes(query: str) -> list[str]:
    """The codes of the published items matching ``query``, best first (``search_items``' order), at most
    ``COUNT_CAP``: what the searchable pickers of the pages (``core.forms.PickerSelect``) show among their
    options."""
    return [i.code for i in search_items(query, published_items().only("code", "name"))[:COUNT_CAP]]
