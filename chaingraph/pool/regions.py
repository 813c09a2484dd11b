"""Read a firm's province and city from the prefix of its full Chinese name.

Registered names begin with the place that registered them (``深圳市顺络电子…`` → 深圳, 广东;
``湖南中钽电子…`` → 湖南).  This is the only location the listed-company refdata offers, so it
is where the firm is *registered*, not necessarily where it produces.  Names with no place
prefix (``中国…``, brand-first names) give ``None``.

Place IRIs are ``place:<pinyin slug>``; provinces and the cities in :data:`CITIES` have fixed
slugs.  Regions: the nine Guangdong cities of 粤港澳大湾区 (plus 香港, 澳门) are ``cg:inRegion
place:gba``; 上海, 江苏, 浙江 and 安徽 are ``cg:inRegion place:yrd`` (长三角, the 2019 plan's
41 cities = these four provinces).

Examples
--------
>>> region_of("深圳市顺络电子股份有限公司")
{'city': '深圳', 'city_slug': 'shenzhen', 'province': '广东', 'province_slug': 'guangdong', 'regions': ['gba']}
>>> region_of("湖南中钽电子有限公司")["province"]
'湖南'
>>> region_of("中国巨石股份有限公司") is None
True
"""

from __future__ import annotations

# province short name -> (slug, full name, regions)
PROVINCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "北京": ("beijing", "北京市", ("jjj",)), "天津": ("tianjin", "天津市", ("jjj",)),
    "上海": ("shanghai", "上海市", ("yrd",)), "重庆": ("chongqing", "重庆市", ()),
    "河北": ("hebei", "河北省", ("jjj",)), "山西": ("shanxi", "山西省", ()),
    "内蒙古": ("neimenggu", "内蒙古自治区", ()), "辽宁": ("liaoning", "辽宁省", ()),
    "吉林": ("jilin", "吉林省", ()), "黑龙江": ("heilongjiang", "黑龙江省", ()),
    "江苏": ("jiangsu", "江苏省", ("yrd",)), "浙江": ("zhejiang", "浙江省", ("yrd",)),
    "安徽": ("anhui", "安徽省", ("yrd",)), "福建": ("fujian", "福建省", ()),
    "江西": ("jiangxi", "江西省", ()), "山东": ("shandong", "山东省", ()),
    "河南": ("henan", "河南省", ()), "湖北": ("hubei", "湖北省", ()),
    "湖南": ("hunan", "湖南省", ()), "广东": ("guangdong", "广东省", ()),
    "广西": ("guangxi", "广西", ()), "海南": ("hainan", "海南省", ()),
    "四川": ("sichuan", "四川省", ()), "贵州": ("guizhou", "贵州省", ()),
    "云南": ("yunnan", "云南省", ()), "西藏": ("xizang", "西藏自治区", ()),
    "陕西": ("shaanxi", "陕西省", ()), "甘肃": ("gansu", "甘肃省", ()),
    "青海": ("qinghai", "青海省", ()), "宁夏": ("ningxia", "宁夏回族自治区", ()),
    "新疆": ("xinjiang", "新疆维吾尔自治区", ()), "香港": ("hongkong", "香港", ("gba",)),
    "澳门": ("macao", "澳门", ("gba",)), "台湾": ("taiwan", "台湾", ()),
}

_GBA = ("gba",)
# city (or county-level city) -> (slug, province, regions of the city itself)
CITIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "广州": ("guangzhou", "广东", _GBA), "深圳": ("shenzhen", "广东", _GBA), "珠海": ("zhuhai", "广东", _GBA),
    "佛山": ("foshan", "广东", _GBA), "惠州": ("huizhou", "广东", _GBA), "东莞": ("dongguan", "广东", _GBA),
    "中山": ("zhongshan", "广东", _GBA), "江门": ("jiangmen", "广东", _GBA), "肇庆": ("zhaoqing", "广东", _GBA),
    "汕头": ("shantou", "广东", ()), "潮州": ("chaozhou", "广东", ()), "揭阳": ("jieyang", "广东", ()),
    "梅州": ("meizhou", "广东", ()), "清远": ("qingyuan", "广东", ()), "韶关": ("shaoguan", "广东", ()),
    "河源": ("heyuan", "广东", ()), "云浮": ("yunfu", "广东", ()), "阳江": ("yangjiang", "广东", ()),
    "贺州": ("hezhou", "广西", ()), "梧州": ("wuzhou", "广西", ()),
    "湛江": ("zhanjiang", "广东", ()), "茂名": ("maoming", "广东", ()), "汕尾": ("shanwei", "广东", ()),
    "长沙": ("changsha", "湖南", ()), "株洲": ("zhuzhou", "湖南", ()), "湘潭": ("xiangtan", "湖南", ()),
    "衡阳": ("hengyang", "湖南", ()), "岳阳": ("yueyang", "湖南", ()), "常德": ("changde", "湖南", ()),
    "益阳": ("yiyang", "湖南", ()), "郴州": ("chenzhou", "湖南", ()), "永州": ("yongzhou", "湖南", ()),
    "邵阳": ("shaoyang", "湖南", ()), "怀化": ("huaihua", "湖南", ()), "娄底": ("loudi", "湖南", ()),
    "杭州": ("hangzhou", "浙江", ()), "宁波": ("ningbo", "浙江", ()), "温州": ("wenzhou", "浙江", ()),
    "绍兴": ("shaoxing", "浙江", ()), "嘉兴": ("jiaxing", "浙江", ()), "湖州": ("huzhou", "浙江", ()),
    "金华": ("jinhua", "浙江", ()), "台州": ("taizhou-zj", "浙江", ()), "义乌": ("yiwu", "浙江", ()),
    "南京": ("nanjing", "江苏", ()), "苏州": ("suzhou", "江苏", ()), "无锡": ("wuxi", "江苏", ()),
    "常州": ("changzhou", "江苏", ()), "南通": ("nantong", "江苏", ()), "扬州": ("yangzhou", "江苏", ()),
    "徐州": ("xuzhou", "江苏", ()), "镇江": ("zhenjiang", "江苏", ()), "泰州": ("taizhou-js", "江苏", ()),
    "盐城": ("yancheng", "江苏", ()), "连云港": ("lianyungang", "江苏", ()), "淮安": ("huaian", "江苏", ()),
    "昆山": ("kunshan", "江苏", ()), "江阴": ("jiangyin", "江苏", ()), "常熟": ("changshu", "江苏", ()),
    "张家港": ("zhangjiagang", "江苏", ()), "合肥": ("hefei", "安徽", ()), "芜湖": ("wuhu", "安徽", ()),
    "蚌埠": ("bengbu", "安徽", ()), "马鞍山": ("maanshan", "安徽", ()), "安庆": ("anqing", "安徽", ()),
    "铜陵": ("tongling", "安徽", ()), "福州": ("fuzhou", "福建", ()), "厦门": ("xiamen", "福建", ()),
    "泉州": ("quanzhou", "福建", ()), "漳州": ("zhangzhou", "福建", ()), "龙岩": ("longyan", "福建", ()),
    "济南": ("jinan", "山东", ()), "青岛": ("qingdao", "山东", ()), "烟台": ("yantai", "山东", ()),
    "潍坊": ("weifang", "山东", ()), "威海": ("weihai", "山东", ()), "淄博": ("zibo", "山东", ()),
    "武汉": ("wuhan", "湖北", ()), "襄阳": ("xiangyang", "湖北", ()), "宜昌": ("yichang", "湖北", ()),
    "成都": ("chengdu", "四川", ()), "绵阳": ("mianyang", "四川", ()), "宜宾": ("yibin", "四川", ()),
    "郑州": ("zhengzhou", "河南", ()), "洛阳": ("luoyang", "河南", ()), "新乡": ("xinxiang", "河南", ()),
    "许昌": ("xuchang", "河南", ()), "西安": ("xian", "陕西", ()), "宝鸡": ("baoji", "陕西", ()),
    "大连": ("dalian", "辽宁", ()), "沈阳": ("shenyang", "辽宁", ()), "鞍山": ("anshan", "辽宁", ()),
    "锦州": ("jinzhou", "辽宁", ()), "长春": ("changchun", "吉林", ()), "通化": ("tonghua", "吉林", ()),
    "哈尔滨": ("haerbin", "黑龙江", ()), "石家庄": ("shijiazhuang", "河北", ()), "唐山": ("tangshan", "河北", ()),
    "保定": ("baoding", "河北", ()), "秦皇岛": ("qinhuangdao", "河北", ()), "太原": ("taiyuan", "山西", ()),
    "包头": ("baotou", "内蒙古", ()), "南昌": ("nanchang", "江西", ()), "赣州": ("ganzhou", "江西", ()),
    "南宁": ("nanning", "广西", ()), "桂林": ("guilin", "广西", ()), "柳州": ("liuzhou", "广西", ()),
    "贵阳": ("guiyang", "贵州", ()), "昆明": ("kunming", "云南", ()), "兰州": ("lanzhou", "甘肃", ()),
    "海口": ("haikou", "海南", ()), "乌鲁木齐": ("wulumuqi", "新疆", ()), "银川": ("yinchuan", "宁夏", ()),
    "西宁": ("xining", "青海", ()), "拉萨": ("lasa", "西藏", ()),
}

REGION_LABELS = {"gba": "粤港澳大湾区", "yrd": "长三角", "jjj": "京津冀"}

#: Neighbours of Yongzhou that the plan courts (city slugs): 粤北 (northern Guangdong), 郴州, and
#: 桂东北 (north-east Guangxi, bordering Yongzhou).
NEIGHBOUR_CITIES: dict[str, str] = {
    "shaoguan": "粤北", "qingyuan": "粤北", "heyuan": "粤北", "meizhou": "粤北", "yunfu": "粤北",
    "chenzhou": "郴州", "guilin": "桂东北", "hezhou": "桂东北",
}


def region_of(full_name: str | None) -> dict | None:
    """Province, city and economic regions read from a full name's prefix, or ``None``.

    Returns ``{city, city_slug, province, province_slug, regions}`` (``city``/``city_slug``
    ``None`` when only a province is named; ``regions`` sorted slugs such as ``gba``, ``yrd``).
    """
    if not full_name:
        return None
    name = full_name.strip()
    province = None
    for prov in sorted(PROVINCES, key=len, reverse=True):
        if name.startswith(prov):
            province = prov
            name = name[len(prov):]
            for suffix in ("维吾尔自治区", "回族自治区", "壮族自治区", "自治区", "特别行政区", "省", "市"):
                if name.startswith(suffix):
                    name = name[len(suffix):]
                    break
            break
    city = None
    for c in sorted(CITIES, key=len, reverse=True):
        # after a province, accept a city only when written as one ("湖南省永州市…"), so that
        # brand names that start with a city word are not misread
        if name.startswith(c) and (province is None or name[len(c):].startswith("市")):
            if province is None or CITIES[c][1] == province:
                city = c
            break
    if city is None and province is None:
        return None
    if city is not None:
        slug, province, own = CITIES[city]
    else:
        slug, own = None, ()
    pslug, _, pregions = PROVINCES[province]
    regions = sorted(set(own) | set(pregions))
    if province in ("北京", "天津", "上海", "重庆") and city is None:
        city, slug = province, pslug
    return {"city": city, "city_slug": slug, "province": province, "province_slug": pslug, "regions": regions}


def region_of_columns(province: str, city: str, name: str | None) -> tuple[dict | None, str]:
    """The region a firm list gives in its province and city columns, else the one read from the
    prefix of ``name``; and where it came from: ``"city"``, ``"province"``, ``"name"``, or ``""``
    when none of them tells.

    >>> region_of_columns("", "深圳市", None)[0]["province"], region_of_columns("广东省", "", None)[1]
    ('广东', 'province')
    >>> region_of_columns("", "", "湖南中钽电子有限公司")[1], region_of_columns("", "", "中钽")
    ('name', (None, ''))
    """
    province, city = province.rstrip("省市"), city.rstrip("市")
    if city and city in CITIES:
        return region_of(CITIES[city][1] + "省" + city + "市") or region_of(city + "市"), "city"
    if province and province in PROVINCES:
        return region_of(province), "province"
    found = region_of(name)
    return (found, "name") if found else (None, "")
