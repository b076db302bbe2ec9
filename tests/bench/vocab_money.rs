//! The words and value mixes of the quote-to-cash seed: the price book, order notes, payment
//! methods and what customers typically pay by.

/// Price-book lines of an industrial-equipment and software seller: (Chinese name, English
/// name, unit).
pub const PRODUCT_NAMES: [(&str, &str, &str); 24] = [
    ("ERP 软件许可", "ERP licence", "套"),
    ("MES 软件许可", "MES licence", "套"),
    ("CRM 用户订阅", "CRM user subscription", "用户/年"),
    ("数控车床", "CNC lathe", "台"),
    ("立式加工中心", "Vertical machining centre", "台"),
    ("工业机器人", "Industrial robot", "台"),
    ("AGV 搬运车", "AGV cart", "台"),
    ("立体货架", "High-bay racking", "组"),
    ("视觉检测相机", "Vision inspection camera", "个"),
    ("PLC 控制柜", "PLC cabinet", "台"),
    ("传感器套件", "Sensor kit", "套"),
    ("伺服电机", "Servo motor", "台"),
    ("实施服务", "Implementation services", "人天"),
    ("培训服务", "Training", "人天"),
    ("年度维保", "Annual maintenance", "年"),
    ("延保服务", "Extended warranty", "年"),
    ("备品备件包", "Spare parts kit", "套"),
    ("数据采集网关", "Data collection gateway", "台"),
    ("边缘服务器", "Edge server", "台"),
    ("工业交换机", "Industrial switch", "台"),
    ("激光打标机", "Laser marking machine", "台"),
    ("三坐标测量机", "Coordinate measuring machine", "台"),
    ("条码打印机", "Barcode printer", "台"),
    ("远程运维平台", "Remote operations platform", "年"),
];

/// Tax rates in basis points with their weights: 13% goods, 9% and 6% services, 0% exports.
pub const TAX_RATES_BP: [(&str, u32); 4] = [("1300", 70), ("900", 10), ("600", 15), ("0", 5)];

/// Line discounts in basis points with their weights. None is above the default 15% approval
/// threshold, so no seeded quote would have needed an approval.
pub const DISCOUNTS_BP: [(&str, u32); 4] = [("0", 60), ("500", 20), ("1000", 15), ("1500", 5)];

/// How customers pay, with weights.
pub const METHODS: [(&str, u32); 5] = [
    ("bank_transfer", 80),
    ("cheque", 7),
    ("card", 6),
    ("cash", 2),
    ("other", 5),
];

pub const ORDER_NOTES: [&str; 5] = [
    "分两批发货 Ship in two lots",
    "需开具增值税专用发票 VAT special invoice required",
    "客户指定物流 Customer's own carrier",
    "验收后付尾款 Final payment after acceptance",
    "加急 Rush order",
];

/// The order statuses in the order a fulfilled order walks them.
pub const ORDER_PATH: [&str; 5] = [
    "confirmed",
    "in_fulfilment",
    "shipped",
    "delivered",
    "completed",
];
