"""Word lists used by the rule-based extractor.

The lists describe the *shape* of Chinese company names and of the phrasing around them
(regions, industry words, legal forms, words that end a name on its left), never particular
firms.  All entries are in simplified script because extraction runs on normalised text.
"""

from __future__ import annotations

import re

#: Legal forms that end a full company name, longest first.
ORG_FORMS = (
    "集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司",
    "有限公司", "集团公司", "股份公司", "总公司", "分公司", "集团", "公司", "厂",
)

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",
    "澳门",
)

#: Prefecture cities and economic centres often named without 市 (the suffixed form ``X市``
#: is matched by pattern, so this list only needs cities written bare).
CITIES = (
    "深圳", "广州", "东莞", "佛山", "惠州", "中山", "珠海", "江门", "肇庆", "汕头", "清远",
    "韶关", "湛江", "苏州", "无锡", "常州", "南京", "宁波", "杭州", "温州", "台州", "嘉兴",
    "绍兴", "金华", "义乌", "厦门", "泉州", "福州", "长沙", "株洲", "湘潭", "衡阳", "邵阳",
    "岳阳", "常德", "益阳", "郴州", "永州", "怀化", "娄底", "张家界", "湘西", "武汉", "襄阳",
    "宜昌", "南昌", "赣州", "吉安", "九江", "合肥", "芜湖", "郑州", "洛阳", "济南", "青岛",
    "烟台", "成都", "绵阳", "西安", "昆明", "贵阳", "南宁", "柳州", "桂林", "玉林", "北海",
    "沈阳", "大连", "长春", "哈尔滨", "石家庄", "太原", "兰州", "海口", "三亚", "乌鲁木齐",
    "呼和浩特", "银川", "西宁", "拉萨", "天津", "昆山", "江阴", "慈溪", "余姚",
)

#: Regions written with a level suffix: 2–4 characters then 省/市/县/区/州/自治区.
REGION_SUFFIXED = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:省|市|县|自治区|自治州)")
#: Macro-regions that are origins but not cities.
MACRO_REGIONS = (
    "粤港澳大湾区", "大湾区", "长三角", "珠三角", "沿海", "京津冀", "海外", "境外", "港澳",
    "长株潭", "成渝",
)

#: Words that describe what a firm does; a trade name is what is left once region, these
#: words and the legal form are removed.  Longest first when used.
INDUSTRY_WORDS = tuple(sorted(set("""
智能科技 电子科技 信息技术 信息科技 网络科技 生物科技 新材料科技 新能源科技 光电科技 精密科技
智能装备 智能制造 智能设备 精密制造 精密机械 精密压铸 精密电子 汽车电子 汽车零部件 电子元器件
科技 技术 电子 智能 实业 精密 压铸 机电 电机 光电 新材料 材料 包装 纺织 鞋业 数码 医药 药业
生物 化工 机械 电器 电气 汽车 新能源 能源 食品 塑胶 塑业 五金 模具 光学 通信 通讯 信息 软件
半导体 微电子 航空 通用航空 航天 装备 制造 智造 电路 线路板 电路板 茶油 纸业 钢铁 矿业 建材
环保 物流 贸易 商贸 发展 投资 控股 工业 工贸 金属 合金 稀土 磁业 磁材 锂业 锂电 电池 仪器 仪表
设备 照明 显示 传感 精工 重工 动力 农业 牧业 生态 文化 传媒 服饰 服装 皮具 箱包 家居 家具
陶瓷 玻璃 涂料 化学 制药 健康 医疗 器械 光伏 储能 网络 数据 电商 供应链 电力 水务 燃气
置业 地产 房地产 建设 建筑 工程 交通 运输 车业 汽配 零部件 机器人 激光 印刷 纸品 塑料 橡胶
纳米 芯片 硅业 铝业 铜业 钨业 钽业 铁业 油脂 粮油 饮品 酒业 茶业 食业 农牧 畜牧 养殖 种业
果业 林业 竹业 木业 石材 水泥 管业 线缆 电缆 光缆 电子商务 云计算 大数据 物联网 互联网
人工智能 半导体材料 元器件 电容 电声 声学 视讯 显示技术 触控 光电子 精细化工 高分子 复合材料
纤维 织造 制衣 制鞋 皮革 实验 检测 科学 创新 国际 中国 企业 产业 工艺 制品 用品 电源 动力电池
担保 金融 保险 证券 信托 基金 银行 资本 资产 产投 城投
系统 动力系统 研究院 研究所 设计院 传动 液压 铸造 印务 彩印 铜箔 铝箔 电控 电驱动 部件 结构件
板材 钢材 铜材 铝材 特钢 钢管 冷轧 锻造 锻压 助剂 化学品 特种 涂层 胶膜 薄膜 模组 组件 支架 边框
风电 水电 热电 核电 进出口 模塑 酒业 皮业 鞋材 制动 弹簧 轴承 座椅 开关 线束 紧固件 标准件 烟草 卷烟 造纸 纸制品 酿酒 饲料 肥业 化肥
""".split()), key=len, reverse=True))

#: Industry words that mark the firm as a financial intermediary (banks in a bank role are
#: not firms for the knowledge graph).
FINANCIAL_WORDS = ("银行", "担保", "保险", "证券", "信托", "基金", "信用社", "农商行", "金融")

#: Endings of organisations that are not firms.
NON_FIRM_SUFFIXES = (
    "局", "委", "委员会", "管委会", "管理委员会", "政府", "党工委", "党委", "办公室", "办",
    "厅", "部", "署", "院", "所", "站", "中心", "开发区", "园区", "经开区", "高新区", "产业园",
    "工业园", "科技园", "示范区", "新区", "集中区", "基地", "大学", "学院", "学校", "职院",
    "中学", "小学", "银行", "信用社", "协会", "商会", "联合会", "学会", "平台", "大会",
    "博览会", "论坛", "峰会", "展览会", "交易会", "洽谈会", "推介会", "招聘会", "联盟", "医院",
    "街道", "社区", "乡", "镇", "村",
)

#: Words that end the left context of a name: verbs, prepositions and nouns that commonly
#: precede a firm name in news text.  A name starts after the right-most of these.
LEFT_BOUNDARIES = tuple(sorted(set("""
引进 引进了 引荐 引荐了 共建 走进 走访 拜访 考察 考察了 来到 参观 推动 支持 围绕 依托 发挥 协调 包括 以及
联合 携手 牵头 带动 吸引 落户 入驻 签约 成立 组建 设立 培育 培育出 扶持 鼓励 引导 帮助 服务 对接
洽谈 会见 会谈 邀请 其中 属于 隶属 旗下 作为 来自 位于 促成 盘活 整合 收购 并购 控股 合作 促进
加快 推进 实现 打造 建设 依靠 通过 据 称 表示 介绍 说 以 如 像 同 和 与 及 的 了 着 在 是 由 从
到 于 将 把 向 对 被 让 给 等 这 那 该 其 为 主要 上游企业 下游企业 配套企业 龙头企业 链主企业 企业
公司 全资子公司 子公司 客户 厂商 供应商 牵线 搭桥 牵线搭桥 瞄准 锁定 对标 赴 前往 率队 带队
先后 分别 相继 陆续 积极 成功 主动 重点 全力 持续 大力 继续 进一步 又 也 还 就 都 已 曾
发展的 上游 下游 上游有 下游有 经济技术开发区 经济开发区 高新技术产业开发区 开发区 经开区 高新区 工业园区 工业园 产业园 园区 已有 另有 还有 现有 拥有 日报 晚报 商报 时报 消息 记者 通讯员 报道 完善 组建 合资 出资 共同 创办 开办 兴建 新设 链主 龙头 巨头 知名 著名 行业 领先 骨干 明星 优质 本土 外地 新 老 首家
""".split()), key=len, reverse=True))

#: Boundary words that are also common inside trade names (汇川联合, 华为合作); they do not
#: disqualify a trade name anchored by a region word and a legal form.
SOFT_BOUNDARIES = ("联合", "合作", "发展", "服务", "建设", "先导", "创新", "领先", "知名")

#: Single-character boundaries that must not appear inside a trade name.
FUNCTION_CHARS = set("的了和与及在是把被将等这那该其着")

#: Trade names that are generic words, not names.
GENERIC_TRADES = set("""
上市 全市 全省 全区 全国 我市 本市 本地 国有 平台 民营 外资 合资 子 母 分 总 该 本 这家 一家 两家
多家 数家 一批 骨干 龙头 链主 配套 上游 下游 重点 优质 相关 新兴 传统 高端 先进 现代 新型 数字
智慧 绿色 省级 国家级 市级 区级 园区 产业 工业 行业 示范 明星 规模 规上 中小 小微 大型 中型
小型 科技型 创新型 高新 专业 知名 优秀 领军 头部 国内 国际 海外 本土 外地 当地 入驻 在建 拟建
新建 存量 新增 引进 签约 落户 投产 一般 各类 各 其他 有关 其 每家 某 若干 部分 所有 全部
项目 符合 适合 整个 托上市 依托 上市 有限 股份 责任 有限责任 合伙 合资 独资 外资企业 军工 民营企业 国有企业 国企 央企 企业 公司 厂家 厂商 生产 制造 加工 贸易 商业 服务 投资
发展 建设 实业 控股 集团 科技 电子 智能 中央 地方 地区 区域 大湾区 长三角 沿海
""".split())

#: Words after a bare short name that show it is a firm (role nouns, firm verbs).
FIRM_CONTEXT_AFTER = (
    "公司", "集团", "负责人", "相关负责人", "董事长", "总经理", "副总经理", "常务副总",
    "副总", "总裁", "创始人", "厂长", "生产车间", "车间", "厂区", "厂房", "生产线",
    "项目", "落户", "入驻", "投产", "签约", "开工", "扩产", "扩租", "搬迁", "回迁",
    "整体", "紧", "正在", "已", "成功", "作为", "是一家", "主要", "产品",
)

#: Tiers: (pattern, tier local name in the cg namespace).
TIER_PATTERNS = (
    (re.compile(r"链主"), "ChainLeader"),
    (re.compile(r"上市(?:公司|企业)|(?:主板|创业板|科创板|港股|北交所|新三板|A股|境外)?上市"), "Listed"),
    (re.compile(r"世界(?:“|\")?500强"), "Fortune500"),
    (re.compile(r"(?:中国|民营|国内)(?:企业)?(?:“|\")?500强"), "China500"),
    (re.compile(r"小巨人"), "LittleGiant"),
    (re.compile(r"专精特新(?!(?:“|\")?小巨人)"), "SpecializedSME"),
    (re.compile(r"高新技术企业"), "HighTech"),
    (re.compile(r"规模以上|规上企业"), "AboveScale"),
)
