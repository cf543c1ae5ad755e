"""The demo's proactive outreach in the two pilot streets (平湖, 南湾): a grid worker in every pilot community
(two of them with logins), 3,000 generated residents, the benefits most seniors already hold, one screening
through the service, and a few visits recorded (one applied on the resident's behalf)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from yiwang.accounts import services as accounts
from yiwang.accounts.models import Community, User
from yiwang.accounts.roles import Role
from yiwang.demo.context import DEMO_PASSWORD, DemoContext
from yiwang.outreach import generate
from yiwang.outreach import services as os_
from yiwang.outreach.facts import conf
from yiwang.outreach.models import Resident, ResidentBenefit, Visit

RESIDENTS = 3_000
LOGINS = {"440307003001": "grid_ph", "440307002001": "grid_nw"}
_HASH: dict[str, str] = {}


def _demo_password(user: User) -> None:
    """Every demo login has the same password: hash it once (Argon2 takes most of a second each time)."""
    if "h" not in _HASH:
        _HASH["h"] = make_password(DEMO_PASSWORD)
    user.password = _HASH["h"]
    user.save(update_fields=["password"])


def load(ctx: DemoContext) -> None:
    if Resident.objects.exists():
        return
    pilot = list(conf()["pilot_streets"])
    communities = list(Community.objects.filter(street__code__in=pilot).order_by("code"))
    if not communities:
        return
    workers = {}
    for c in communities:
        username = LOGINS.get(c.code, f"grid_{c.code}")
        user = User.objects.filter(username=username).first() or accounts.staff_create(
            actor=None,
            username=username,
            password=None,
            full_name=f"{c.name}网格员",
            roles=[Role.GRID_WORKER],
            community=c,
        )
        workers[c.pk] = user
        if c.code in LOGINS:
            _demo_password(user)
            ctx.logins.append(("Grid worker 网格员 (outreach)", username, c.name))
    people = generate.residents(communities, RESIDENTS, today=ctx.today)
    Resident.objects.bulk_create(people, batch_size=1000)
    ResidentBenefit.objects.bulk_create(generate.benefits_held(people, today=ctx.today))
    ctx.count("residents", len(people))
    screening = os_.screening_run(actor=None, purpose="平湖、南湾街道敬老优待证和高龄津贴主动服务筛查")
    ctx.count("outreach visits", Visit.objects.filter(screening=screening).count())
    # What a grid worker writes after a visit, one of each outcome.
    outcomes = {
        "applied": "入户核对身份证和户口簿，本人同意，已代为提交申请。",
        "declined": "本人表示暂不需要，已告知可随时到社区党群服务中心申请。",
        "retry": "两次上门家中无人，已留联系卡，约定下周二上午再访。",
        "moved": "邻居反映已随子女迁往外区居住，已报街道核实户籍和居住地。",
    }
    for visit, (outcome, note) in zip(
        Visit.objects.filter(screening=screening).order_by("pk")[:4], outcomes.items(), strict=False
    ):
        os_.visit_record(actor=workers[visit.community_id], visit_id=visit.pk, outcome=outcome, note=note)
