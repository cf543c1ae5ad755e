"""The demo policy calculator: a policy officer, the 42 policies of ``policies.catalogue`` (rules published
through the services), profiles for the demo enterprises plus 300 generated ones, and the seeds' figures
(13,000 calculator visits and 2,300 matches over the past year, per policy)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from stdnum.cn import uscc

from yiwang.accounts import services as accounts
from yiwang.accounts.models import Department, Enterprise, Street, User
from yiwang.accounts.roles import Role
from yiwang.catalogue.models import Item
from yiwang.demo.loaders.outreach import _demo_password
from yiwang.policies import catalogue as seed
from yiwang.policies import services as ps
from yiwang.policies.models import CalculatorVisit, EnterpriseProfile, Policy, PolicyStat, TaxCreditRating

if TYPE_CHECKING:
    from yiwang.demo.context import DemoContext

VISITS, MATCHES = 13_000, 2_300
GENERATED = 300
INDUSTRIES = ["C3911", "C3971", "C3562", "C2710", "I6510", "I6520", "M7320", "F5191", "R8710", "C3831"]


def _credit_code(n: int) -> str:
    body = f"91440307MA5P{n:05d}"[:17]
    return body + uscc.calc_check_digit(body)


def _enterprises(ctx: DemoContext) -> None:
    rng = random.Random(12)
    streets = list(Street.objects.order_by("code"))
    new = [
        Enterprise(
            name=f"深圳市龙岗{n:03d}科技有限公司",
            credit_code=_credit_code(n),
            legal_representative="法人代表",
            street=streets[n % len(streets)],
        )
        for n in range(GENERATED)
    ]
    Enterprise.objects.bulk_create(new)
    ctx.count("enterprises", len(new))
    profiles, ratings = [], []
    for e in Enterprise.objects.filter(policy_profile__isnull=True).order_by("pk"):
        revenue = Decimal(rng.choice([2, 8, 15, 30, 60, 120, 250, 600])) * Decimal(1_000_000)
        rd = (revenue * Decimal(rng.choice(["0.01", "0.021", "0.028", "0.031", "0.045", "0.06"]))).quantize(
            Decimal(1)
        )
        profiles.append(
            EnterpriseProfile(
                enterprise=e,
                industry_code=rng.choice(INDUSTRIES),
                registered_on=ctx.today - timedelta(days=rng.randint(200, 4000)),
                registered_capital=Decimal(rng.choice([1, 5, 10, 50])) * Decimal(1_000_000),
                employees=rng.choice([4, 12, 25, 60, 150, 320, 800]),
                revenue=revenue,
                rd_spend=rd if rng.random() > 0.1 else None,  # some have not declared it: unknown
                high_tech=rng.random() < 0.4,
                specialised=rng.random() < 0.15,
                fiscal_year=ctx.today.year - 1,
            )
        )
        ratings.append(TaxCreditRating(enterprise=e, year=ctx.today.year - 1, rating=rng.choice("AABBBMC")))
    demo = Enterprise.objects.filter(credit_code="91440307MA5DXM1A1J").first()
    for p in profiles:
        if demo is not None and p.enterprise_id == demo.pk:  # the agent's enterprise: just misses the 3% R&D
            p.industry_code, p.employees, p.revenue, p.rd_spend = (
                "C3911",
                45,
                Decimal(30_000_000),
                Decimal(630_000),
            )
            p.high_tech, p.specialised = True, False
    EnterpriseProfile.objects.bulk_create(profiles)
    TaxCreditRating.objects.bulk_create(ratings)
    ctx.count("enterprise profiles", len(profiles))


def _figures(ctx: DemoContext) -> None:
    policies = list(Policy.objects.order_by("code"))
    rng = random.Random(5)
    weights = [rng.random() + 0.2 for _ in policies]
    scale = sum(weights)
    stats = []
    visits_left, matches_left = VISITS, MATCHES
    for i, (p, w) in enumerate(zip(policies, weights, strict=True)):
        last = i == len(policies) - 1
        v = visits_left if last else round(VISITS * w / scale)
        m = matches_left if last else round(MATCHES * w / scale)
        visits_left, matches_left = visits_left - v, matches_left - m
        stats.append(PolicyStat(policy=p, day=ctx.today - timedelta(days=1 + i), visits=v, matches=m))
    PolicyStat.objects.bulk_create(stats)
    days = 365
    CalculatorVisit.objects.bulk_create(
        CalculatorVisit(
            day=ctx.today - timedelta(days=d + 1), visits=VISITS // days + (1 if d < VISITS % days else 0)
        )
        for d in range(days)
    )


def load(ctx: DemoContext) -> None:
    if Policy.objects.exists():
        return
    dept = Department.objects.get(code="LG03")
    if not User.objects.filter(username="policy").exists():
        officer = accounts.staff_create(
            actor=None,
            username="policy",
            password=None,
            full_name="科技创新局政策专员 林珊",
            roles=[Role.POLICY_OFFICER],
            department=dept,
        )
        _demo_password(officer)
    ctx.logins.append(("Policy officer 政策专员", "policy", dept.name))
    _enterprises(ctx)
    depts = {d.code: d for d in Department.objects.filter(code__in={p[3] for p in seed.POLICIES})}
    items = {i.code: i for i in Item.objects.filter(code__in={p[4] for p in seed.POLICIES})}
    start = date(ctx.today.year, 1, 1)
    for code, name, category, dept_code, item, conditions, formula, cap in seed.POLICIES:
        ps.policy_create(
            actor=None,
            data=ps.PolicyInput(
                code=code,
                name=name,
                category=category,
                department=depts[dept_code],
                source_document=seed.SOURCES[category],
                document=seed.document(conditions, formula, cap),
                opens_on=start,
                closes_on=date(ctx.today.year, 12, 31),
                item=items.get(item),
                summary=name,
            ),
            publish=True,
        )
    ctx.count("policies", len(seed.POLICIES))
    _figures(ctx)
