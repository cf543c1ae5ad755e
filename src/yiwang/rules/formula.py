"""The text form of an expression for the workbench editor: ``rd_spend / revenue``, ``min(rd_spend * 0.1,
500000)``. Parsed by a small recursive-descent parser into the document's JSON tree — never evaluated as
code — and printed back from it."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([a-z][a-z0-9_]*)|(.))")
_PREC = {"+": 1, "-": 1, "*": 2, "/": 2}


class FormulaError(ValueError):
    pass


def _tokens(text: str) -> list[str]:
    out = []
    for m in _TOKEN.finditer(text.strip()):
        tok = m.group(1) or m.group(2) or m.group(3)
        if tok and not tok.isspace():
            out.append(tok)
    return out


class _Parser:
    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise FormulaError(_("Expected “%(t)s”.") % {"t": expected or _("a value")})
        self.i += 1
        return tok

    def expr(self, level: int = 1) -> Any:
        left = self.atom()
        while (op := self.peek()) is not None and op in _PREC and _PREC[op] >= level:
            self.take()
            right = self.expr(_PREC[op] + 1)
            left = {"op": op, "args": [left, right]}
        return left

    def atom(self) -> Any:
        tok = self.take()
        if tok == "(":
            e = self.expr()
            self.take(")")
            return e
        if tok in ("min", "max") and self.peek() == "(":
            self.take("(")
            a = self.expr()
            self.take(",")
            b = self.expr()
            self.take(")")
            return {"op": tok, "args": [a, b]}
        if re.fullmatch(r"\d+(?:\.\d+)?", tok):
            return {"const": tok}
        if re.fullmatch(r"[a-z][a-z0-9_]*", tok):
            return {"fact": tok}
        raise FormulaError(_("Unexpected “%(t)s”.") % {"t": tok})


def parse_formula(text: str) -> Any:
    if not text.strip():
        raise FormulaError(_("Empty formula."))
    p = _Parser(text)
    e = p.expr()
    if p.peek() is not None:
        raise FormulaError(_("Unexpected “%(t)s”.") % {"t": p.peek()})
    return e


def to_text(e: Any, parent: int = 0) -> str:
    if not isinstance(e, dict):
        return ""
    if "fact" in e:
        return str(e["fact"])
    if "const" in e:
        return str(e["const"])
    op, args = e.get("op"), e.get("args") or []
    if op in ("min", "max"):
        return f"{op}({to_text(args[0])}, {to_text(args[1])})"
    level = _PREC.get(str(op), 3)
    s = f"{to_text(args[0], level)} {op} {to_text(args[1], level + 1)}"
    return f"({s})" if level < parent else s
