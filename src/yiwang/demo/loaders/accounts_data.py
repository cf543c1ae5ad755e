"""The demo district's organisations: Longgang District, Shenzhen (public names; demo data)."""

from __future__ import annotations

DISTRICT = ("440307", "深圳市龙岗区", "Longgang District, Shenzhen")

# 24 district departments: (code, name, English name, short name)
DEPARTMENTS = [
    ("LG01", "龙岗区发展和改革局", "Development and Reform Bureau", "发改"),
    ("LG02", "龙岗区教育局", "Education Bureau", "教育"),
    ("LG03", "龙岗区科技创新局", "Science, Technology and Innovation Bureau", "科创"),
    ("LG04", "龙岗区工业和信息化局", "Industry and Information Technology Bureau", "工信"),
    ("LG05", "深圳市公安局龙岗分局", "Public Security Sub-bureau", "公安"),
    ("LG06", "龙岗区民政局", "Civil Affairs Bureau", "民政"),
    ("LG07", "龙岗区司法局", "Justice Bureau", "司法"),
    ("LG08", "龙岗区财政局", "Finance Bureau", "财政"),
    ("LG09", "龙岗区人力资源局", "Human Resources Bureau", "人力"),
    ("LG10", "深圳市规划和自然资源局龙岗管理局", "Planning and Natural Resources Administration", "规划"),
    ("LG11", "深圳市生态环境局龙岗管理局", "Ecology and Environment Administration", "环境"),
    ("LG12", "龙岗区住房和建设局", "Housing and Construction Bureau", "住建"),
    ("LG13", "深圳市交通运输局龙岗管理局", "Transport Administration", "交通"),
    ("LG14", "龙岗区水务局", "Water Affairs Bureau", "水务"),
    ("LG15", "龙岗区文化广电旅游体育局", "Culture, Radio, Television, Tourism and Sports Bureau", "文体"),
    ("LG16", "龙岗区卫生健康局", "Health Bureau", "卫健"),
    ("LG17", "龙岗区退役军人事务局", "Veterans Affairs Bureau", "退役"),
    ("LG18", "龙岗区应急管理局", "Emergency Management Bureau", "应急"),
    ("LG19", "深圳市市场监督管理局龙岗监管局", "Market Supervision Administration", "市监"),
    ("LG20", "龙岗区城市管理和综合执法局", "Urban Management and Law Enforcement Bureau", "城管"),
    ("LG21", "龙岗区政务服务数据管理局", "Government Services and Data Administration", "政数"),
    ("LG22", "深圳市医疗保障局龙岗分局", "Medical Security Sub-bureau", "医保"),
    ("LG23", "国家税务总局深圳市龙岗区税务局", "Taxation Bureau", "税务"),
    ("LG24", "龙岗区残疾人联合会", "Disabled Persons' Federation", "残联"),
]

# 7 public utilities and other organisations with counters in the halls.
UTILITIES = [
    ("UT01", "深圳市水务集团龙岗分公司", "Water Supply (Shenzhen Water Group, Longgang)", "供水"),
    ("UT02", "深圳供电局龙岗供电局", "Power Supply (Longgang Power Supply Bureau)", "供电"),
    ("UT03", "深圳市燃气集团龙岗分公司", "Gas Supply (Shenzhen Gas, Longgang)", "燃气"),
    ("UT04", "中国电信深圳龙岗分公司", "China Telecom Longgang", "电信"),
    ("UT05", "中国邮政深圳市龙岗区分公司", "China Post Longgang", "邮政"),
    ("UT06", "中国建设银行深圳龙岗支行", "China Construction Bank Longgang", "银行"),
    ("UT07", "深圳市社会保险基金管理局龙岗分局", "Social Insurance Fund Administration, Longgang", "社保"),
]

# Offices (sections) per department: (suffix, name, English name)
OFFICE_TEMPLATES = [
    ("01", "行政审批科", "Administrative Licensing Section"),
    ("02", "综合业务科", "General Business Section"),
]

# 11 streets (public names), approximate centre coordinates and 111 communities (demo list).
STREETS = [
    (
        "440307003",
        "平湖街道",
        "Pinghu",
        22.686,
        114.126,
        [
            "平湖",
            "山厦",
            "新木",
            "凤凰",
            "良安田",
            "白坭坑",
            "鹅公岭",
            "辅城坳",
            "禾花",
            "力昌",
            "新南",
            "上木古",
        ],
    ),
    (
        "440307004",
        "坂田街道",
        "Bantian",
        22.630,
        114.068,
        [
            "坂田",
            "五和",
            "岗头",
            "象角塘",
            "杨美",
            "大发埔",
            "马安堂",
            "南坑",
            "新雪",
            "雪象",
            "四季花城",
            "万科城",
        ],
    ),
    (
        "440307001",
        "布吉街道",
        "Buji",
        22.603,
        114.118,
        ["布吉", "罗岗", "德兴", "大芬", "木棉湾", "金排", "长龙", "龙珠", "茂业", "阳光", "信义", "可园"],
    ),
    (
        "440307002",
        "南湾街道",
        "Nanwan",
        22.612,
        114.160,
        ["南岭村", "沙湾", "厦村", "樟树布", "上李朗", "下李朗", "吉厦", "南龙", "沙平", "丹竹头"],
    ),
    (
        "440307005",
        "横岗街道",
        "Henggang",
        22.648,
        114.208,
        ["横岗", "六约", "四联", "松柏", "红棉", "华乐", "志健", "怡锦", "新塘"],
    ),
    (
        "440307006",
        "龙城街道",
        "Longcheng",
        22.722,
        114.248,
        [
            "龙西",
            "回龙埔",
            "尚景",
            "愉园",
            "紫薇",
            "盛平",
            "五联",
            "爱联",
            "嶂背",
            "黄阁坑",
            "吉祥",
            "中心城",
        ],
    ),
    (
        "440307007",
        "龙岗街道",
        "Longgang",
        22.735,
        114.278,
        ["龙岗", "南联", "新生", "平南", "龙新", "南约", "清林", "龙东", "五联龙岗", "水岭"],
    ),
    (
        "440307008",
        "坪地街道",
        "Pingdi",
        22.770,
        114.318,
        ["坪地", "坪东", "坪西", "六联", "年丰", "中心", "高桥", "四方埔"],
    ),
    (
        "440307009",
        "吉华街道",
        "Jihua",
        22.640,
        114.100,
        ["吉华", "水径", "甘坑", "三联", "上水径", "下水径", "光华", "丽湖", "翠湖", "中海怡翠"],
    ),
    (
        "440307010",
        "园山街道",
        "Yuanshan",
        22.670,
        114.240,
        ["安良", "保安", "大康", "西坑", "银荷", "荷坳", "园山", "简龙"],
    ),
    (
        "440307011",
        "宝龙街道",
        "Baolong",
        22.700,
        114.310,
        ["宝龙", "同乐", "宝岭", "南约宝龙", "龙东宝龙", "新布", "沙背坜", "中心宝龙"],
    ),
]

DISTRICT_HALL = (
    "H0001",
    "龙岗区政务服务中心",
    "Longgang District Government Services Centre",
    "深圳市龙岗区龙城街道龙福路3号龙岗区政务服务中心",
    22.7205,
    114.2480,
)

# 9 industrial-park service platforms: (name, English, street name, lat, lng)
PARKS = [
    ("坂雪岗科技城园区服务平台", "Banxuegang Science City Park Platform", "坂田街道", 22.640, 114.062),
    ("天安数码城园区服务平台", "Tian An Cyber Park Platform", "龙城街道", 22.713, 114.236),
    ("宝龙科技城园区服务平台", "Baolong Science City Park Platform", "宝龙街道", 22.706, 114.322),
    ("大运软件小镇园区服务平台", "Universiade Software Town Platform", "龙城街道", 22.695, 114.212),
    ("阿波罗未来产业城园区服务平台", "Apollo Future Industry City Platform", "园山街道", 22.676, 114.228),
    (
        "平湖金融与现代服务业基地服务平台",
        "Pinghu Finance and Services Base Platform",
        "平湖街道",
        22.690,
        114.130,
    ),
    ("中海信科技园园区服务平台", "Zhonghaixin Science Park Platform", "布吉街道", 22.600, 114.130),
    ("星河WORLD园区服务平台", "Galaxy WORLD Park Platform", "坂田街道", 22.625, 114.075),
    (
        "坪地国际低碳城园区服务平台",
        "Pingdi International Low-carbon City Platform",
        "坪地街道",
        22.772,
        114.330,
    ),
]

WEEKDAY_HOURS = {str(d): [["09:00", "12:00"], ["14:00", "18:00"]] for d in range(1, 6)}
DISTRICT_HALL_HOURS = {**WEEKDAY_HOURS, "6": [["09:00", "12:00"], ["14:00", "17:00"]], "7": []}
STREET_HALL_HOURS = {**WEEKDAY_HOURS, "6": [], "7": []}
