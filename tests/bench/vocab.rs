//! The words the seed draws from: Chinese and English names, companies, titles, and the
//! value distributions of statuses, sources, customer types and funnel stages.

pub const SURNAMES: [(&str, &str); 30] = [
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
    ("彭", "peng"),
];

pub const GIVEN: [(&str, &str); 30] = [
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀英", "xiuying"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("桂英", "guiying"),
    ("建华", "jianhua"),
    ("志强", "zhiqiang"),
    ("海燕", "haiyan"),
    ("晓东", "xiaodong"),
    ("子涵", "zihan"),
    ("浩然", "haoran"),
    ("雨欣", "yuxin"),
    ("俊杰", "junjie"),
];

pub const FIRST: [&str; 30] = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Emily",
    "Oliver",
    "Sophie",
    "Lucas",
    "Anna",
    "Grace",
    "Henry",
    "Chloe",
    "Jack",
    "Emma",
];

pub const LAST: [&str; 30] = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis",
    "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson",
    "Müller", "Schmidt",
];

pub const CITIES: [&str; 20] = [
    "苏州", "杭州", "深圳", "上海", "北京", "广州", "成都", "武汉", "青岛", "宁波", "天津", "南京",
    "厦门", "重庆", "长沙", "西安", "郑州", "合肥", "济南", "无锡",
];
pub const BRAND_1: [&str; 20] = [
    "恒", "云", "华", "东", "中", "南", "天", "长", "海", "甬", "金", "鹭", "山", "湘", "博", "瑞",
    "鑫", "德", "信", "宏",
];
pub const BRAND_2: [&str; 20] = [
    "达", "杉", "信", "方", "科", "盛", "远", "润", "兴", "泰", "源", "通", "安", "和", "丰", "正",
    "创", "联", "利", "新",
];
pub const COMPANY_KIND: [&str; 12] = [
    "机械有限公司",
    "电子科技有限公司",
    "精密仪器有限公司",
    "软件有限公司",
    "建材集团",
    "物流股份有限公司",
    "食品有限公司",
    "五金制品厂",
    "新材料有限公司",
    "医疗器械有限公司",
    "汽配有限公司",
    "智能装备有限公司",
];
pub const EN_BRAND: [&str; 20] = [
    "Acme",
    "Northwind",
    "Blue Harbor",
    "Summit",
    "Pacific Rim",
    "Evergreen",
    "Orion",
    "Silverline",
    "Redwood",
    "Golden Gate",
    "Atlas",
    "Pioneer",
    "Horizon",
    "Crescent",
    "Sterling",
    "Maple",
    "Cedar",
    "Falcon",
    "Granite",
    "Lakeside",
];
pub const EN_KIND: [&str; 12] = [
    "Industrial Supply",
    "Trading",
    "Logistics",
    "Precision Tools",
    "Components",
    "Building Materials",
    "Medical Devices",
    "Packaging",
    "Property Development",
    "Electronics",
    "Foods",
    "Machinery",
];
pub const EN_SUFFIX: [&str; 6] = ["Ltd.", "Inc.", "GmbH", "Co.", "Group", "LLC"];
pub const TITLES: [&str; 10] = [
    "采购经理",
    "总经理",
    "技术总监",
    "生产部长",
    "IT 主管",
    "Purchasing Manager",
    "Operations Director",
    "CEO",
    "Plant Manager",
    "CTO",
];
pub const DOMAINS: [&str; 5] = [
    "example.cn",
    "example.com",
    "example.net",
    "example.org",
    "mail.example.cn",
];
pub const LEAD_NOTES: [&str; 5] = [
    "展会现场交换名片 Met at the trade show",
    "客户要求下周回电 Call back next week",
    "对价格敏感 Price sensitive",
    "需要英文资料 Needs the English brochure",
    "已发送报价 Quote sent",
];
pub const DISQUALIFY: [&str; 5] = [
    "暂无预算 No budget this year",
    "已选择竞争对手 Chose a competitor",
    "联系不上 Unreachable",
    "需求不匹配 Not a fit",
    "重复线索 Duplicate",
];
pub const LOST: [&str; 5] = [
    "价格偏高 Price too high",
    "竞争对手胜出 Lost to a competitor",
    "项目取消 Project cancelled",
    "预算冻结 Budget frozen",
    "决策延迟 Decision postponed",
];
pub const COMPETITORS: [&str; 10] = [
    "德马吉",
    "马扎克",
    "西门子 Siemens",
    "用友 Yonyou",
    "金蝶 Kingdee",
    "SAP",
    "Oracle",
    "Salesforce",
    "华为 Huawei",
    "海康威视 Hikvision",
];
pub const PRODUCTS: [&str; 10] = [
    "ERP 升级项目",
    "MES 系统实施",
    "数控机床采购",
    "仓储自动化 Warehouse automation",
    "CRM 部署",
    "生产线改造",
    "年度维保合同 Annual service contract",
    "智能工厂一期",
    "设备租赁 Equipment lease",
    "质量检测系统 QA system",
];
pub const DESCRIPTIONS: [&str; 4] = [
    "客户计划明年扩产 Expansion planned next year",
    "需要现场演示 On-site demo requested",
    "与集团总部统一采购 Group-level purchase",
    "招标项目 Public tender",
];
pub const SOURCES: [(&str, u32); 7] = [
    ("web", 30),
    ("call", 15),
    ("exhibition", 15),
    ("referral", 15),
    ("campaign", 12),
    ("dealer", 8),
    ("other", 5),
];
pub const STATUSES: [(&str, u32); 4] = [
    ("new", 35),
    ("working", 30),
    ("qualified", 10),
    ("disqualified", 25),
];
pub const CUSTOMER_TYPES: [(&str, u32); 5] = [
    ("potential", 40),
    ("target", 25),
    ("key", 15),
    ("partner", 10),
    ("inactive", 10),
];
pub const SIZES: [&str; 5] = ["micro", "small", "medium", "large", "enterprise"];
pub const TAGS: [&str; 6] = [
    "VIP",
    "国企 SOE",
    "外资 Foreign",
    "上市 Listed",
    "老客户 Repeat",
    "渠道 Channel",
];
/// Share of opportunities per stage of the default funnel (established … lost).
pub const STAGE_WEIGHTS: [u32; 7] = [22, 16, 13, 10, 12, 7, 20];
