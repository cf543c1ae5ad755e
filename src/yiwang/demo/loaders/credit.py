"""Demo credit records: about 3,000 records in the 14 categories for the demo district's enterprises and
residents (some on the red list, some on the black list, so the reception screen shows them) and for subjects
the platform does not know, loaded through the real import (checks, staging table, merge) and derived.
Idempotent: a second run finds every record unchanged."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from yiwang.accounts.models import Enterprise, Person
from yiwang.core.validators import uscc_check_character
from yiwang.credit import services as s
from yiwang.credit.models import Record
from yiwang.credit.rows import RowChecker
from yiwang.credit.vocabulary import CATEGORIES

if TYPE_CHECKING:
    from yiwang.demo.context import DemoContext

SOURCES = {
    "tax": ("国家税务总局深圳市龙岗区税务局", ["tax_a", "tax_d"]),
    "court": ("深圳市龙岗区人民法院", ["court_dishonest"]),
    "market": (
        "深圳市市场监督管理局龙岗监管局",
        ["mr_abnormal", "mr_serious", "admin_penalty", "contract_honour"],
    ),
    "hrss": ("龙岗区人力资源局", ["social_arrears"]),
    "env": ("深圳市生态环境局龙岗管理局", ["env_dishonest"]),
    "safety": ("龙岗区应急管理局", ["safety_black"]),
    "finance": ("龙岗区财政局", ["procurement_ban"]),
    "customs": ("深圳海关", ["customs_aeo", "customs_dishonest"]),
    "gov": ("龙岗区人民政府", ["honours"]),
}
UNKNOWN_FIRMS = 1200
BLACK = {"tax_d", "court_dishonest", "mr_serious", "safety_black", "procurement_ban", "customs_dishonest"}


def _unknown_code(n: int) -> str:
    body = f"91440307MA5{n:06d}"
    return body + uscc_check_character(body)


def _rows(opening: datetime) -> dict[str, list[dict[str, object]]]:
    rng = random.Random(2019)
    by_source: dict[str, list[dict[str, object]]] = {k: [] for k in SOURCES}
    cat_source = {c: src for src, (_office, cats) in SOURCES.items() for c in cats}
    harmless = ["mr_abnormal", "admin_penalty", "tax_a", "contract_honour", "honours", "customs_aeo"]
    subjects: list[tuple[str, str, str]] = []  # (code, name, role)
    # The subjects registered when the district was set up: later loaders add enterprises and people, and a
    # second load must build the same rows (re-importing them then changes nothing).
    people = list(Person.objects.filter(created_at__lte=opening).order_by("pk"))
    for i, e in enumerate(Enterprise.objects.filter(created_at__lte=opening).order_by("pk")):
        role = "black" if i % 12 == 3 else "red" if i % 6 == 1 else "other"
        subjects.append((e.credit_code, e.name, role))
    for i, p in enumerate(people):
        role = "black" if i % 20 == 2 else "other"
        subjects.append((p.id_number, p.name, role))
    for n in range(UNKNOWN_FIRMS):
        subjects.append(
            (_unknown_code(n), f"企业{n:04d}", "black" if n % 15 == 0 else "red" if n % 7 == 0 else "other")
        )
    today = date(2026, 6, 30)
    seq = 0
    for code, name, role in subjects:
        person = code[:2] != "91"
        if person:  # residents: penalties, and the dishonest judgment debtors
            cats = ["admin_penalty"] + (["court_dishonest"] if role == "black" else [])
        else:
            cats = [rng.choice(harmless) for _ in range(rng.randint(1, 2))]
            if role == "black":
                cats.append(rng.choice(sorted(BLACK)))
            elif role == "red":
                cats.append(rng.choice(["tax_a", "honours", "customs_aeo"]))
        for cat in cats:
            seq += 1
            decided = today - timedelta(days=rng.randint(30, 1500))
            src = cat_source[cat]
            by_source[src].append(
                {
                    "subject_code": code,
                    "subject_name": name,
                    "category": cat,
                    "source_record_id": f"{src.upper()}-{seq:06d}",
                    "source_office": SOURCES[src][0],
                    "decision_date": decided.isoformat(),
                    "valid_from": decided.isoformat(),
                    "valid_to": ""
                    if cat in BLACK or rng.random() < 0.5
                    else (decided + timedelta(days=3 * 365)).isoformat(),
                    "severity": str(3 if cat in BLACK else rng.randint(1, 3)),
                    "text": str(CATEGORIES[cat]),
                }
            )
    return by_source


def load(ctx: DemoContext) -> None:
    # Imported when the district was set up, before its history (the audit trail runs forward in time);
    # the standings are derived for today.
    with ctx.as_of(ctx.opening + timedelta(hours=3)):
        _load(ctx)


def _load(ctx: DemoContext) -> None:
    s.credit_rules_install()
    if Record.objects.filter(source__in=list(SOURCES)).exists():
        return  # loaded before: a re-import would change nothing but still log a batch
    by_source = _rows(ctx.opening + timedelta(hours=1))
    task = ctx.progress.add_task("credit", total=len(by_source))
    new = 0
    for source, rows in by_source.items():
        checker = RowChecker()
        out = s.credit_import(
            actor=None,
            source=source,
            rows=(checker.check(n, r) for n, r in enumerate(rows, start=2)),
            file_name=f"{source}-2026.csv",
            channel="demo",
            derive=False,
        )
        new += out.batch.inserted + out.batch.updated
        ctx.progress.advance(task)
    if new:
        s.credit_derive(on=ctx.today)
        ctx.count("credit records", new)
