"""Demo policies modelled on Shenzhen and Longgang technology and enterprise support measures (the amounts and
thresholds are configurable data: each becomes a rule-set document). Used by the demo loader and the bench."""

from __future__ import annotations

from typing import Any

LG = "440307"


def c(cid: str, label: str, fact: str, op: str, value: Any, display: str = "") -> dict[str, Any]:
    return {"id": cid, "label": label, "left": {"fact": fact}, "op": op, "value": value, "display": display}


def ratio(cid: str, label: str, num: str, den: str, value: str) -> dict[str, Any]:
    return {
        "id": cid,
        "label": label,
        "display": "percent",
        "op": ">=",
        "value": value,
        "left": {"op": "/", "args": [{"fact": num}, {"fact": den}]},
    }


def share(fact: str, rate: str) -> dict[str, Any]:
    return {"op": "*", "args": [{"fact": fact}, {"const": rate}]}


def fixed(amount: str) -> dict[str, Any]:
    return {"const": amount}


LOCAL = c("local", "注册在龙岗区", "street_code", "prefix", [LG])
RATED = c("tax", "纳税信用等级为A或B", "tax_rating", "in", ["A", "B"])
HIGH_TECH = c("high_tech", "国家高新技术企业", "high_tech", "==", True)
SPECIALISED = c("specialised", "专精特新企业", "specialised", "==", True)


def staff(n: int) -> dict[str, Any]:
    return c("staff", f"从业人数不少于{n}人", "employees", ">=", n)


def revenue(n: int) -> dict[str, Any]:
    return c("revenue", f"上年营业收入不低于{n // 10000}万元", "revenue", ">=", n)


def years(n: int) -> dict[str, Any]:
    return c("years", f"注册满{n}年", "years_registered", ">=", n)


def sector(label: str, prefixes: list[str]) -> dict[str, Any]:
    return c("sector", label, "industry", "prefix", prefixes)


RD3 = ratio("rd_ratio", "研发投入占营业收入比例不低于3%", "rd_spend", "revenue", "0.03")
RD5 = ratio("rd_ratio", "研发投入占营业收入比例不低于5%", "rd_spend", "revenue", "0.05")
MANUFACTURING = sector("制造业（GB/T 4754 门类C）", ["C"])
SOFTWARE = sector("软件和信息技术服务业（I65）", ["I65"])
RESEARCH = sector("科学研究和技术服务业（门类M）", ["M"])

# (code, name, category, department code, catalogue item, conditions, amount formula, cap)
POLICIES: list[tuple[str, str, str, str, str, list[dict[str, Any]], dict[str, Any], str | None]] = [
    (
        "KJ001",
        "国家高新技术企业认定奖励",
        "tech",
        "LG03",
        "LG03002-00-00",
        [LOCAL, HIGH_TECH, RATED],
        fixed("300000"),
        None,
    ),
    (
        "KJ002",
        "高新技术企业培育入库资助",
        "tech",
        "LG03",
        "LG03002-00-00",
        [LOCAL, RD3, staff(10)],
        fixed("100000"),
        None,
    ),
    (
        "KJ003",
        "企业研发投入激励（按研发投入10%）",
        "tech",
        "LG03",
        "LG03005-00-00",
        [LOCAL, RD3, HIGH_TECH],
        share("rd_spend", "0.1"),
        "1000000",
    ),
    (
        "KJ004",
        "研发投入增量资助",
        "tech",
        "LG03",
        "LG03005-00-00",
        [LOCAL, RD5, revenue(50_000_000)],
        share("rd_spend", "0.05"),
        "2000000",
    ),
    (
        "KJ005",
        "科技成果转化资助",
        "tech",
        "LG03",
        "LG03008-00-00",
        [LOCAL, HIGH_TECH, revenue(10_000_000)],
        fixed("500000"),
        None,
    ),
    ("KJ006", "专利资助（发明专利）", "tech", "LG03", "LG03010-00-00", [LOCAL, RD3], fixed("50000"), None),
    (
        "KJ007",
        "新型研发机构认定资助",
        "tech",
        "LG03",
        "LG03007-00-00",
        [LOCAL, RESEARCH, staff(30), RD5],
        fixed("3000000"),
        None,
    ),
    (
        "KJ008",
        "科技型中小企业研发补贴",
        "tech",
        "LG03",
        "LG03005-00-00",
        [LOCAL, RD3, c("small", "从业人数不超过300人", "employees", "<=", 300)],
        share("rd_spend", "0.08"),
        "500000",
    ),
    (
        "KJ009",
        "软件企业研发资助",
        "tech",
        "LG03",
        "LG03005-00-00",
        [LOCAL, SOFTWARE, RD5],
        share("rd_spend", "0.1"),
        "800000",
    ),
    (
        "KJ010",
        "科技企业孵化器入驻企业补贴",
        "tech",
        "LG03",
        "LG03002-00-00",
        [LOCAL, c("young", "注册不满3年", "years_registered", "<", 3), RD3],
        fixed("80000"),
        None,
    ),
    (
        "ZJ001",
        "专精特新“小巨人”企业奖励",
        "sme",
        "LG04",
        "LG04012-00-00",
        [LOCAL, SPECIALISED, HIGH_TECH, revenue(100_000_000)],
        fixed("1000000"),
        None,
    ),
    (
        "ZJ002",
        "省级专精特新中小企业奖励",
        "sme",
        "LG04",
        "LG04012-00-00",
        [LOCAL, SPECIALISED, RATED],
        fixed("200000"),
        None,
    ),
    (
        "ZJ003",
        "专精特新企业贷款贴息",
        "sme",
        "LG04",
        "LG04012-00-00",
        [LOCAL, SPECIALISED, staff(20)],
        share("revenue", "0.002"),
        "500000",
    ),
    (
        "ZJ004",
        "创新型中小企业培育补贴",
        "sme",
        "LG04",
        "LG04012-00-00",
        [LOCAL, RD3, years(1), staff(5)],
        fixed("50000"),
        None,
    ),
    (
        "GY001",
        "工业企业技术改造项目资助",
        "industry",
        "LG04",
        "LG04001-00-00",
        [LOCAL, MANUFACTURING, revenue(20_000_000)],
        share("revenue", "0.01"),
        "5000000",
    ),
    (
        "GY002",
        "节能技术改造资助",
        "industry",
        "LG04",
        "LG04008-00-00",
        [LOCAL, MANUFACTURING, years(2)],
        fixed("300000"),
        None,
    ),
    (
        "GY003",
        "企业信息化项目资助",
        "industry",
        "LG04",
        "LG04012-00-00",
        [LOCAL, revenue(5_000_000)],
        share("revenue", "0.005"),
        "300000",
    ),
    (
        "GY004",
        "规模以上工业企业新增奖励",
        "industry",
        "LG04",
        "LG04001-00-00",
        [LOCAL, MANUFACTURING, revenue(20_000_000), c("new", "注册不满5年", "years_registered", "<", 5)],
        fixed("200000"),
        None,
    ),
    (
        "GY005",
        "工业企业扩产增效奖励",
        "industry",
        "LG04",
        "LG04001-00-00",
        [LOCAL, MANUFACTURING, revenue(100_000_000), RATED],
        share("revenue", "0.001"),
        "3000000",
    ),
    (
        "GY006",
        "智能制造示范项目资助",
        "industry",
        "LG04",
        "LG04001-00-00",
        [LOCAL, MANUFACTURING, HIGH_TECH, staff(100)],
        fixed("1500000"),
        None,
    ),
    (
        "GY007",
        "工业互联网平台应用补贴",
        "industry",
        "LG04",
        "LG04012-00-00",
        [LOCAL, MANUFACTURING, staff(50)],
        fixed("200000"),
        None,
    ),
    (
        "GY008",
        "绿色工厂认定奖励",
        "industry",
        "LG04",
        "LG04008-00-00",
        [LOCAL, MANUFACTURING, years(3), RATED],
        fixed("500000"),
        None,
    ),
    (
        "RC001",
        "人才住房补贴（企业人才）",
        "talent",
        "LG09",
        "LG09016-00-00",
        [LOCAL, HIGH_TECH, staff(20)],
        {"op": "*", "args": [{"fact": "employees"}, {"const": "1000"}]},
        "500000",
    ),
    (
        "RC002",
        "高层次人才团队资助",
        "talent",
        "LG09",
        "LG09016-00-00",
        [LOCAL, RD5, staff(50)],
        fixed("2000000"),
        None,
    ),
    (
        "RC003",
        "企业博士后工作站资助",
        "talent",
        "LG09",
        "LG09016-00-00",
        [LOCAL, HIGH_TECH, RD3, staff(100)],
        fixed("500000"),
        None,
    ),
    (
        "RC004",
        "技能人才培训补贴（企业）",
        "talent",
        "LG09",
        "LG09006-00-00",
        [LOCAL, staff(10)],
        {"op": "*", "args": [{"fact": "employees"}, {"const": "300"}]},
        "300000",
    ),
    (
        "RC005",
        "稳岗补贴",
        "talent",
        "LG09",
        "LG09010-00-00",
        [LOCAL, staff(1), RATED],
        {"op": "*", "args": [{"fact": "employees"}, {"const": "500"}]},
        "1000000",
    ),
    (
        "RC006",
        "吸纳高校毕业生就业补贴",
        "talent",
        "LG09",
        "LG09024-00-00",
        [LOCAL, staff(3)],
        fixed("30000"),
        None,
    ),
    (
        "YQ001",
        "产业园区租金补贴",
        "park",
        "LG04",
        "LG04012-00-00",
        [LOCAL, HIGH_TECH, c("small", "从业人数不超过500人", "employees", "<=", 500)],
        share("revenue", "0.003"),
        "600000",
    ),
    (
        "YQ002",
        "创新型产业用房租金补贴",
        "park",
        "LG04",
        "LG04012-00-00",
        [LOCAL, RD3, years(1)],
        fixed("200000"),
        None,
    ),
    (
        "YQ003",
        "初创企业场地补贴",
        "park",
        "LG04",
        "LG04012-00-00",
        [LOCAL, c("young", "注册不满2年", "years_registered", "<", 2)],
        fixed("50000"),
        None,
    ),
    (
        "YQ004",
        "总部企业落户奖励",
        "park",
        "LG04",
        "LG04012-00-00",
        [LOCAL, revenue(500_000_000), RATED],
        share("revenue", "0.001"),
        "10000000",
    ),
    (
        "JR001",
        "科技企业贷款贴息",
        "finance",
        "LG04",
        "LG04012-00-00",
        [LOCAL, HIGH_TECH, RATED],
        share("revenue", "0.002"),
        "1000000",
    ),
    (
        "JR002",
        "企业上市挂牌奖励",
        "finance",
        "LG04",
        "LG04012-00-00",
        [LOCAL, revenue(200_000_000), years(3), RATED],
        fixed("3000000"),
        None,
    ),
    (
        "JR003",
        "科技保险保费补贴",
        "finance",
        "LG03",
        "LG03005-00-00",
        [LOCAL, HIGH_TECH],
        fixed("100000"),
        None,
    ),
    (
        "JR004",
        "融资担保费补贴",
        "finance",
        "LG04",
        "LG04012-00-00",
        [LOCAL, c("small", "从业人数不超过300人", "employees", "<=", 300), RATED],
        fixed("100000"),
        None,
    ),
    (
        "MY001",
        "外贸企业出口信保补贴",
        "trade",
        "LG04",
        "LG04012-00-00",
        [LOCAL, revenue(10_000_000), RATED],
        share("revenue", "0.0005"),
        "500000",
    ),
    (
        "MY002",
        "跨境电商企业发展资助",
        "trade",
        "LG04",
        "LG04012-00-00",
        [LOCAL, sector("批发和零售业（门类F）", ["F"]), revenue(20_000_000)],
        fixed("300000"),
        None,
    ),
    (
        "FW001",
        "文化创意企业发展资助",
        "service",
        "LG04",
        "LG04012-00-00",
        [LOCAL, sector("文化、体育和娱乐业（门类R）", ["R"]), years(1)],
        fixed("200000"),
        None,
    ),
    (
        "FW002",
        "现代服务业发展资助",
        "service",
        "LG04",
        "LG04012-00-00",
        [LOCAL, sector("信息传输、软件和信息技术服务业（门类I）", ["I"]), revenue(30_000_000)],
        share("revenue", "0.002"),
        "1000000",
    ),
    (
        "FW003",
        "企业标准化建设资助",
        "service",
        "LG04",
        "LG04012-00-00",
        [LOCAL, RATED, years(2)],
        fixed("100000"),
        None,
    ),
    (
        "FW004",
        "质量品牌建设奖励",
        "service",
        "LG04",
        "LG04012-00-00",
        [LOCAL, revenue(50_000_000), HIGH_TECH],
        fixed("500000"),
        None,
    ),
]

SOURCES = {
    "tech": "《深圳市龙岗区关于支持科技创新的若干措施》（深龙府规〔2023〕3号）",
    "sme": "《龙岗区支持专精特新中小企业高质量发展的若干措施》",
    "industry": "《深圳市龙岗区经济与科技发展专项资金管理办法》工业与信息化分项",
    "talent": "《深圳市龙岗区“深龙英才计划”实施办法》",
    "park": "《龙岗区产业用房租金补贴实施细则》",
    "finance": "《龙岗区支持企业利用资本市场发展的若干措施》",
    "trade": "《龙岗区促进外贸稳增长若干措施》",
    "service": "《龙岗区促进现代服务业发展若干措施》",
}


def document(conditions: list[dict[str, Any]], formula: dict[str, Any], cap: str | None) -> dict[str, Any]:
    return {"conditions": conditions, "amount": {"formula": formula, "cap": cap}}
