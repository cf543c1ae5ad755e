"""Demo organisations (``data/organisations.json``), staff for every role and the applicants
(``data/people.json``), idempotent.

People are created through the accounts services (``person_register``, ``enterprise_register``,
``agent_authorize``, ``staff_create``, ``applicant_account_create``), so they carry their audit events.
The organisation tree has no writer service (it is configuration, maintained in the admin): it is written
with ``get_or_create`` by code.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.utils import translation
from stdnum.cn import ric

from yiwang.accounts import services as accounts
from yiwang.accounts.models import (
    AgentAuthorization,
    Community,
    Department,
    District,
    Enterprise,
    Hall,
    Office,
    Person,
    RoleGrant,
    Street,
    User,
    Window,
)
from yiwang.accounts.roles import Role
from yiwang.demo.context import DEMO_PASSWORD, DemoContext, data_json
from yiwang.demo.seals import seal_png


def resident_id(area: str, birth: str, seq: int) -> str:
    """A valid GB 11643 number (python-stdnum's ``calc_check_digit`` takes the number with a placeholder
    check character)."""
    body = f"{area}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _get_or_create(ctx: DemoContext, model: Any, lookup: dict[str, Any], defaults: dict[str, Any]) -> Any:
    obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
    if created:
        ctx.count(model._meta.label_lower)
    return obj


def _both(label: Any) -> str:
    """A role's name in English and Chinese, for the printed list of demo logins."""
    with translation.override("en"):
        en = str(label)
    with translation.override("zh-hans"):
        return f"{en} {label}"


def _letterhead(office: Any, dept: Any) -> None:
    """What a department office's documents carry (docs/adr/0059): the 机关代字 of its 文号 (深龙 + the short
    name), a stand-in electronic seal, and for a vertically managed department (深圳市…局龙岗…局, the tax
    bureau) the body above it that hears reconsideration instead of the district government."""
    if office.document_code:
        return
    office.document_code = f"深龙{dept.short_name}"
    if dept.name.startswith("国家税务总局"):
        office.reconsideration_body = "国家税务总局深圳市税务局"
    elif dept.name.startswith("深圳市") and "龙岗" in dept.name:
        office.reconsideration_body = dept.name.split("龙岗")[0]
    png = seal_png(dept.name)
    if png is not None:
        office.seal.save(f"{office.code}.png", ContentFile(png), save=False)
    office.save()


def _organisations(ctx: DemoContext, task: Any) -> None:
    org = data_json("organisations.json")
    d = org["district"]
    district = _get_or_create(
        ctx, District, {"code": d["code"]}, {"name": d["name"], "name_en": d["name_en"]}
    )
    departments = {}
    for kind, rows in (
        (Department.Kind.GOVERNMENT, org["departments"]),
        (Department.Kind.UTILITY, org["utilities"]),
        (Department.Kind.STATIONED, org["stationed"]),
    ):
        for r in rows:
            departments[r["code"]] = _get_or_create(
                ctx,
                Department,
                {"code": r["code"]},
                {
                    "district": district,
                    "name": r["name"],
                    "name_en": r["name_en"],
                    "short_name": r["short_name"],
                    "kind": kind,
                },
            )
    for code, dept in departments.items():
        for o in org["department_offices"]:
            office = _get_or_create(
                ctx,
                Office,
                {"code": f"{code}{o['suffix']}"},
                {"name": o["name"], "name_en": o["name_en"], "department": dept},
            )
            if dept.kind == Department.Kind.GOVERNMENT:
                _letterhead(office, dept)
    centre = org["hotline_centre"]  # the 12345 centre's own office (settings.HOTLINE["centre_office"])
    _get_or_create(
        ctx,
        Office,
        {"code": centre["code"]},
        {
            "name": centre["name"],
            "name_en": centre["name_en"],
            "department": departments[centre["department"]],
        },
    )
    ctx.progress.advance(task)

    streets = {}
    street_office = org["street_office"]
    for s in org["streets"]:
        street = _get_or_create(
            ctx,
            Street,
            {"code": s["code"]},
            {
                "district": district,
                "name": s["name"],
                "name_en": f"{s['name_en']} Subdistrict",
                "lat": s["lat"],
                "lng": s["lng"],
            },
        )
        streets[s["name"]] = street
        _get_or_create(
            ctx,
            Office,
            {"code": f"ST{s['code'][-3:]}01"},
            {"name": street_office["name"], "name_en": street_office["name_en"], "street": street},
        )
        for i, cname in enumerate(s["communities"], start=1):
            _get_or_create(
                ctx,
                Community,
                {"code": f"{s['code']}{i:03d}"},
                {"street": street, "name": f"{cname}社区", "name_en": f"{cname} Community"},
            )
    ctx.progress.advance(task)

    hours = org["opening_hours"]
    windows = org["windows"]
    halls: list[tuple[Hall, int]] = []
    h = org["district_hall"]
    district_hall = _get_or_create(
        ctx,
        Hall,
        {"code": h["code"]},
        {
            "name": h["name"],
            "name_en": h["name_en"],
            "kind": Hall.Kind.DISTRICT,
            "district": district,
            "street": streets[h["street"]],
            "address": h["address"],
            "lat": h["lat"],
            "lng": h["lng"],
            "phone": h["phone"],
            "opening_hours": hours["district"],
        },
    )
    halls.append((district_hall, windows["district"]))
    for i, s in enumerate(org["streets"], start=1):
        street = streets[s["name"]]
        hall = _get_or_create(
            ctx,
            Hall,
            {"code": f"H1{i:03d}"},
            {
                "name": f"{s['name']}党群服务中心（政务服务大厅）",
                "name_en": f"{s['name_en']} Subdistrict Service Hall",
                "kind": Hall.Kind.STREET,
                "district": district,
                "street": street,
                "address": f"深圳市龙岗区{s['name']}行政服务大厅",
                "lat": s["lat"] + 0.002,
                "lng": s["lng"] + 0.002,
                "phone": f"0755-2{i:03d}0000",
                "opening_hours": hours["street"],
            },
        )
        halls.append((hall, windows["street"]))
        for j, community in enumerate(street.communities.order_by("code"), start=1):
            station = _get_or_create(
                ctx,
                Hall,
                {"code": f"H2{community.code[-6:]}"},
                {
                    "name": f"{community.name}党群服务中心",
                    "name_en": f"{community.name_en} Service Station",
                    "kind": Hall.Kind.COMMUNITY,
                    "district": district,
                    "street": street,
                    "community": community,
                    "address": f"深圳市龙岗区{s['name']}{community.name}",
                    "lat": s["lat"] + 0.004 * ((j % 5) - 2),
                    "lng": s["lng"] + 0.004 * ((j // 5) - 1),
                    "opening_hours": hours["street"],
                },
            )
            halls.append((station, windows["community"]))
    for i, p in enumerate(org["parks"], start=1):
        park = _get_or_create(
            ctx,
            Hall,
            {"code": f"H3{i:03d}"},
            {
                "name": p["name"],
                "name_en": p["name_en"],
                "kind": Hall.Kind.PARK,
                "district": district,
                "street": streets[p["street"]],
                "address": f"深圳市龙岗区{p['street']}{p['name'].replace('园区服务平台', '').replace('服务平台', '')}",
                "lat": p["lat"],
                "lng": p["lng"],
                "opening_hours": hours["street"],
            },
        )
        halls.append((park, windows["park"]))
    ctx.progress.advance(task)

    for hall, n in halls:
        for k in range(1, n + 1):
            _get_or_create(
                ctx,
                Window,
                {"hall": hall, "number": f"{k:02d}"},
                {"name": f"综合窗口{k:02d}", "kind": Window.Kind.COMPREHENSIVE},
            )
        _counters(ctx, hall, n, departments, org["counters"])
    ctx.progress.advance(task)


def _counters(
    ctx: DemoContext, hall: Hall, after: int, departments: dict[str, Department], spec: dict[str, Any]
) -> None:
    """The counters besides the comprehensive windows (``counters`` in organisations.json): at the district
    hall one per utility and stationed organisation, the insurance counters and the green channel; at a
    street hall the counters listed for its street."""
    if hall.kind == Hall.Kind.DISTRICT:
        rows = [(Window.Kind.UTILITY, c) for c in spec["district"]["utility"]]
        rows += [(Window.Kind.DEDICATED, c) for c in spec["district"]["dedicated"]]
    elif hall.kind == Hall.Kind.STREET and hall.street is not None:
        rows = [(Window.Kind.DEDICATED, c) for c in spec["street"].get(hall.street.name, [])]
    else:
        rows = []
    for k, (kind, code) in enumerate(rows, start=after + 1):
        dept = departments[code]
        _get_or_create(
            ctx,
            Window,
            {"hall": hall, "number": f"{k:02d}"},
            {"name": f"{dept.short_name}窗口", "kind": kind, "department": dept},
        )
    if hall.kind == Hall.Kind.DISTRICT:
        _get_or_create(
            ctx, Window, {"hall": hall, "number": "G1"}, {"name": "绿色通道", "kind": Window.Kind.GREEN}
        )


def _staff(
    ctx: DemoContext,
    *,
    username: str,
    full_name: str,
    roles: list[str],
    password: str | None,
    posting: dict[str, Any],
    what: str,
) -> None:
    if User.objects.filter(username=username).exists():
        return
    accounts.staff_create(
        actor=None, username=username, password=password, full_name=full_name, roles=roles, **posting
    )
    ctx.count(what)


def _postings(row: dict[str, Any]) -> dict[str, Any]:
    posting: dict[str, Any] = {}
    if "hall" in row:
        posting["hall"] = Hall.objects.get(code=row["hall"])
    if "office" in row:
        posting["office"] = Office.objects.get(code=row["office"])
    if "community" in row:
        posting["community"] = Community.objects.get(code=row["community"])
    if "department" in row:
        posting["department"] = Department.objects.get(code=row["department"])
    return posting


def _name(i: int) -> str:
    names = data_json("people.json")["names"]
    return names["surnames"][i % len(names["surnames"])] + names["given"][(i * 7) % len(names["given"])]


def _logins(ctx: DemoContext) -> None:
    """One demo login per role, each posted where the role acts (password ``DEMO_PASSWORD``)."""
    for row in data_json("people.json")["staff"]:
        posting = _postings(row)
        _staff(
            ctx,
            username=row["username"],
            full_name=row["full_name"],
            roles=row["roles"],
            password=DEMO_PASSWORD,
            posting=posting,
            what="staff",
        )
        where = posting.get("hall") or posting.get("office") or posting.get("community") or "—"
        ctx.logins.append(
            (", ".join(_both(Role(r).label) for r in row["roles"]), row["username"], str(where))
        )


def _background_staff(ctx: DemoContext) -> None:
    """Who handled the demo history: a reviewer and a supervisor in every office, window clerks in every
    hall (besides the demo logins). They have no password: nobody signs in as them."""
    spec = data_json("people.json")["background_staff"]
    grants = RoleGrant.objects.filter(user__kind=User.Kind.STAFF)
    in_office = set(grants.filter(user__office__isnull=False).values_list("user__office_id", "role"))
    clerks = Counter(
        grants.filter(role=Role.CLERK, user__hall__isnull=False).values_list("user__hall_id", flat=True)
    )
    n = 0
    for office in Office.objects.order_by("code"):
        for r in spec["per_office"]:
            n += 1
            if (office.pk, r["role"]) in in_office:
                continue
            _staff(
                ctx,
                username=f"{office.code.lower()}.{r['role']}",
                full_name=f"{r['title']} {_name(n)}",
                roles=[r["role"]],
                password=None,
                posting={"office": office},
                what="staff (no login)",
            )
    for hall in Hall.objects.order_by("code"):
        want = spec["clerks_per_hall"].get(hall.kind, 0) - clerks[hall.pk]
        for k in range(1, want + 1):
            n += 1
            _staff(
                ctx,
                username=f"{hall.code.lower()}.clerk{k}",
                full_name=f"{spec['clerk_title']} {_name(n)}",
                roles=[Role.CLERK],
                password=None,
                posting={"hall": hall},
                what="staff (no login)",
            )


def _person(ctx: DemoContext, *, name: str, id_number: str, **fields: Any) -> Person:
    person = Person.objects.filter(id_number=id_number).first()
    if person is None:
        person = accounts.person_register(actor=None, name=name, id_number=id_number, **fields)
        ctx.count("persons")
    return person


def _account(ctx: DemoContext, person: Person, username: str, password: str | None) -> None:
    if person.user_id is None and not User.objects.filter(username=username).exists():
        accounts.applicant_account_create(actor=None, username=username, password=password, person=person)
        ctx.count("applicant accounts")


def _applicants(ctx: DemoContext) -> None:
    """The named applicants (two with demo logins), their enterprises, and a few hundred residents whose
    applications make the demo history (a third of them with a portal account, no password)."""
    people = data_json("people.json")
    community = Community.objects.get(code=people["persons_community"])
    named = {}
    for p in people["persons"]:
        person = _person(
            ctx,
            name=p["name"],
            id_number=p["id_number"],
            mobile=p["mobile"],
            community=community,
            address=people["persons_address"],
        )
        named[p["name"]] = person
        if p.get("login"):
            _account(ctx, person, p["login"], DEMO_PASSWORD)
    for login in people["applicant_logins"]:
        ctx.logins.append((login["role"], login["username"], login["where"]))
    streets = {s.name: s for s in Street.objects.all()}
    for e in people["enterprises"]:
        ent = Enterprise.objects.filter(credit_code=e["credit_code"]).first()
        if ent is None:
            ent = accounts.enterprise_register(
                actor=None,
                name=e["name"],
                credit_code=e["credit_code"],
                legal_representative=e["legal_representative"],
                street=streets[e["street"]],
                address=f"深圳市龙岗区{e['street']}",
            )
            ctx.count("enterprises")
        rep = named.get(e.get("legal_representative_person", ""))
        if rep is not None and not AgentAuthorization.objects.filter(enterprise=ent, person=rep).exists():
            accounts.agent_authorize(
                actor=None,
                enterprise=ent,
                person=rep,
                kind=AgentAuthorization.Kind.LEGAL_REPRESENTATIVE,
                valid_from=date(2020, 1, 1),
            )
            ctx.count("agent authorisations")
    gen = people["generated_persons"]
    # ID numbers are encrypted at rest: no prefix search in the database, so filter the decrypted ones here.
    existing = {p.id_number: p for p in Person.objects.all() if p.id_number.startswith(gen["area"])}
    task = ctx.progress.add_task("residents", total=gen["count"])
    for i in range(gen["count"]):
        birth = f"{1950 + i % 50}{1 + i % 12:02d}{1 + i % 28:02d}"
        idn = resident_id(gen["area"], birth, 100 + i % 800)
        resident = existing.get(idn)
        if resident is None:
            resident = existing[idn] = _person(
                ctx,
                name=_name(i),
                id_number=idn,
                mobile=f"13{(i * 7919) % 10**9:09d}"[:11],
                address=gen["address"],
            )
        if i % gen["account_every"] == 0:
            _account(ctx, resident, f"applicant{i:03d}", None)
        ctx.progress.advance(task)
    for e in people["enterprises"]:  # agents who file the enterprises' applications online
        agent = Person.objects.filter(user__username=e.get("agent_account", "")).first()
        ent = Enterprise.objects.get(credit_code=e["credit_code"])
        if agent is not None and not AgentAuthorization.objects.filter(enterprise=ent, person=agent).exists():
            accounts.agent_authorize(actor=None, enterprise=ent, person=agent)
            ctx.count("agent authorisations")


def load(ctx: DemoContext) -> None:
    task = ctx.progress.add_task("organisations and people", total=6)
    with ctx.as_of(ctx.opening):  # the district was set up before its demo history
        _organisations(ctx, task)
        _logins(ctx)
        _background_staff(ctx)
        ctx.progress.advance(task)
        _applicants(ctx)
        ctx.progress.advance(task)
