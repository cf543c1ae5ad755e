"""Demo organisations, staff for every role, and a few applicants (idempotent)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation
from stdnum.cn import ric, uscc

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
from yiwang.demo.context import DEMO_PASSWORD, DemoContext

from . import accounts_data as d


def resident_id(area: str, birth: str, seq: int) -> str:
    body = f"{area}{birth}{seq:03d}"
    return body + ric.calc_check_digit(body)


def credit_code(org: str) -> str:
    body = f"9144030{org}"  # 91 enterprise · 440307 district · 9-char organisation code
    body = body[:17]
    return body + uscc.calc_check_digit(body)


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


def load(ctx: DemoContext) -> None:
    task = ctx.progress.add_task("organisations", total=6)
    district = _get_or_create(
        ctx, District, {"code": d.DISTRICT[0]}, {"name": d.DISTRICT[1], "name_en": d.DISTRICT[2]}
    )

    departments = {}
    for code, name, en, short in d.DEPARTMENTS:
        departments[code] = _get_or_create(
            ctx,
            Department,
            {"code": code},
            {
                "district": district,
                "name": name,
                "name_en": en,
                "short_name": short,
                "kind": Department.Kind.GOVERNMENT,
            },
        )
    for code, name, en, short in d.UTILITIES:
        departments[code] = _get_or_create(
            ctx,
            Department,
            {"code": code},
            {
                "district": district,
                "name": name,
                "name_en": en,
                "short_name": short,
                "kind": Department.Kind.UTILITY,
            },
        )
    for code, dept in departments.items():
        for suffix, name, en in d.OFFICE_TEMPLATES:
            _get_or_create(
                ctx, Office, {"code": f"{code}{suffix}"}, {"name": name, "name_en": en, "department": dept}
            )
    ctx.progress.advance(task)

    streets = {}
    for code, name, en, lat, lng, communities in d.STREETS:
        street = _get_or_create(
            ctx,
            Street,
            {"code": code},
            {"district": district, "name": name, "name_en": f"{en} Subdistrict", "lat": lat, "lng": lng},
        )
        streets[name] = street
        _get_or_create(
            ctx,
            Office,
            {"code": f"ST{code[-3:]}01"},
            {"name": "公共服务办公室", "name_en": "Public Services Office", "street": street},
        )
        for i, cname in enumerate(communities, start=1):
            _get_or_create(
                ctx,
                Community,
                {"code": f"{code}{i:03d}"},
                {"street": street, "name": f"{cname}社区", "name_en": f"{cname} Community"},
            )
    ctx.progress.advance(task)

    halls = []
    code, name, en, address, lat, lng = d.DISTRICT_HALL
    district_hall = _get_or_create(
        ctx,
        Hall,
        {"code": code},
        {
            "name": name,
            "name_en": en,
            "kind": Hall.Kind.DISTRICT,
            "district": district,
            "street": streets["龙城街道"],
            "address": address,
            "lat": lat,
            "lng": lng,
            "phone": "0755-28949000",
            "opening_hours": d.DISTRICT_HALL_HOURS,
        },
    )
    halls.append((district_hall, 20))
    for i, (_scode, sname, sen, lat, lng, _c) in enumerate(d.STREETS, start=1):
        street = streets[sname]
        hall = _get_or_create(
            ctx,
            Hall,
            {"code": f"H1{i:03d}"},
            {
                "name": f"{sname}党群服务中心（政务服务大厅）",
                "name_en": f"{sen} Subdistrict Service Hall",
                "kind": Hall.Kind.STREET,
                "district": district,
                "street": street,
                "address": f"深圳市龙岗区{sname}行政服务大厅",
                "lat": lat + 0.002,
                "lng": lng + 0.002,
                "phone": f"0755-2{i:03d}0000",
                "opening_hours": d.STREET_HALL_HOURS,
            },
        )
        halls.append((hall, 6))
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
                    "address": f"深圳市龙岗区{sname}{community.name}",
                    "lat": lat + 0.004 * ((j % 5) - 2),
                    "lng": lng + 0.004 * ((j // 5) - 1),
                    "opening_hours": d.STREET_HALL_HOURS,
                },
            )
            halls.append((station, 2))
    for i, (pname, pen, sname, lat, lng) in enumerate(d.PARKS, start=1):
        park = _get_or_create(
            ctx,
            Hall,
            {"code": f"H3{i:03d}"},
            {
                "name": pname,
                "name_en": pen,
                "kind": Hall.Kind.PARK,
                "district": district,
                "street": streets[sname],
                "address": f"深圳市龙岗区{sname}{pname.replace('园区服务平台', '').replace('服务平台', '')}",
                "lat": lat,
                "lng": lng,
                "opening_hours": d.STREET_HALL_HOURS,
            },
        )
        halls.append((park, 3))
    ctx.progress.advance(task)

    utility_depts = [departments[c] for c, *_ in d.UTILITIES]
    for hall, n in halls:
        for k in range(1, n + 1):
            _get_or_create(
                ctx,
                Window,
                {"hall": hall, "number": f"{k:02d}"},
                {"name": f"综合窗口{k:02d}", "kind": Window.Kind.COMPREHENSIVE},
            )
        if hall.kind == Hall.Kind.DISTRICT:
            for k, dept in enumerate(utility_depts, start=n + 1):
                _get_or_create(
                    ctx,
                    Window,
                    {"hall": hall, "number": f"{k:02d}"},
                    {"name": f"{dept.short_name}窗口", "kind": Window.Kind.UTILITY, "department": dept},
                )
            _get_or_create(
                ctx, Window, {"hall": hall, "number": "G1"}, {"name": "绿色通道", "kind": Window.Kind.GREEN}
            )
    ctx.progress.advance(task)

    # Staff: one login per role, each posted where the role acts.
    msa_office = Office.objects.get(code="LG1901")
    civil_office = Office.objects.get(code="LG0601")
    pinghu_hall = Hall.objects.get(code="H1001")
    community = Community.objects.get(code="440307006001")
    staff = [
        ("clerk", "综合窗口受理员 张敏", [Role.CLERK], {"hall": district_hall}),
        ("clerk_ph", "平湖街道窗口受理员 陈晓", [Role.CLERK], {"hall": pinghu_hall}),
        ("reviewer", "市场监管审批员 李强", [Role.REVIEWER], {"office": msa_office}),
        ("reviewer_mz", "民政审批员 黄丽", [Role.REVIEWER], {"office": civil_office}),
        ("supervisor", "审批科长 王军", [Role.SUPERVISOR], {"office": msa_office}),
        ("hall_super", "大厅值班主任 刘芳", [Role.SUPERVISOR], {"hall": district_hall}),
        ("hallmgr", "大厅管理员 赵磊", [Role.HALL_MANAGER], {"hall": district_hall}),
        ("grid", "网格员 周洁", [Role.GRID_WORKER], {"community": community}),
        (
            "deptadmin",
            "部门管理员 孙伟",
            [Role.DEPT_ADMIN],
            {"office": msa_office, "department": msa_office.department},
        ),
        ("sysadmin", "系统管理员 吴昊", [Role.SYS_ADMIN], {}),
        ("secadmin", "安全管理员 郑雪", [Role.SEC_ADMIN], {}),
        ("auditadmin", "审计管理员 冯涛", [Role.AUDIT_ADMIN], {}),
    ]
    for username, full_name, roles, posting in staff:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                kind=User.Kind.STAFF,
                is_staff=True,
                department=posting.get("department")
                or (posting["office"].department if "office" in posting else None),
                **{k: v for k, v in posting.items() if k != "department"},
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            for role in roles:
                RoleGrant.objects.create(user=user, role=role)
            ctx.count("staff")
        where = posting.get("hall") or posting.get("office") or posting.get("community") or "—"
        ctx.logins.append((", ".join(_both(Role(r).label) for r in roles), username, str(where)))
    ctx.progress.advance(task)

    # Applicants: residents and enterprises (valid GB 11643 / GB 32100 numbers, invented people).
    people = [
        ("张三", resident_id("440307", "19800101", 11), "13800138000", "resident"),
        ("李四", resident_id("440307", "19900215", 22), "13900139000", "agent"),
        ("王老伯", resident_id("440307", "19410308", 31), "13700137000", None),
        ("陈阿婆", resident_id("440307", "19440612", 42), "13600136000", None),
        ("刘小红", resident_id("440307", "19951120", 62), "15000150000", None),
    ]
    persons = {}
    for name, idn, mobile, login in people:
        person = _get_or_create(
            ctx,
            Person,
            {"id_number": idn},
            {"name": name, "mobile": mobile, "community": community, "address": "深圳市龙岗区龙城街道"},
        )
        persons[name] = person
        if login and person.user_id is None:
            user = User(username=login, full_name=name, kind=User.Kind.APPLICANT, mobile=mobile)
            user.set_password(DEMO_PASSWORD)
            user.save()
            person.user = user
            person.save(update_fields=["user"])
            ctx.count("applicant accounts")
    ctx.logins.append(("Applicant (person) 申请人（个人）", "resident", "张三"))
    ctx.logins.append(
        ("Applicant (enterprise agent) 企业代理人", "agent", "李四 → 深圳市龙岗示范科技有限公司")
    )
    enterprises = [
        ("深圳市龙岗示范科技有限公司", credit_code("MA5DXM1A1"), "李四", "坂田街道"),
        ("深圳市平湖物流有限公司", credit_code("MA5DXM2B2"), "赵六", "平湖街道"),
        ("龙城食品经营部", credit_code("MA5DXM3C3"), "钱七", "龙城街道"),
    ]
    for name, code, rep, sname in enterprises:
        ent = _get_or_create(
            ctx,
            Enterprise,
            {"credit_code": code},
            {
                "name": name,
                "legal_representative": rep,
                "street": streets[sname],
                "address": f"深圳市龙岗区{sname}",
            },
        )
        if name.startswith("深圳市龙岗示范"):
            _get_or_create(
                ctx,
                AgentAuthorization,
                {"enterprise": ent, "person": persons["李四"]},
                {"kind": AgentAuthorization.Kind.LEGAL_REPRESENTATIVE, "valid_from": date(2020, 1, 1)},
            )
    ctx.progress.advance(task)
