"""Pools of Chinese names for the synthetic dataset: places, compounds, units, people, topics.

Every string here must encode in GBK (users export CSV in GBK as often as UTF-8); a test checks.
"""

from __future__ import annotations

import numpy as np

# --- places ----------------------------------------------------------------------------------

CITIES = (
    "临江", "安平", "青川", "云溪", "龙泉", "白水", "石门", "清河", "东阳", "南屏",
    "北固", "西岭", "永宁", "长乐", "兴化", "宁远", "平川", "华容", "桐城", "凤翔",
)
PROVINCE = "江南省"

STREETS = (
    "东城", "西城", "南门", "北关", "新华", "人民路", "解放路", "和平", "建设", "朝阳",
    "红旗", "胜利", "光明", "滨江", "文昌", "锦江", "春华", "长安", "永安", "太平",
    "青龙", "白鹤", "金沙", "银杏", "望江", "东湖", "西湖", "南湖", "府前", "学府",
    "兴隆", "新城", "老城", "桥东", "桥西", "中山路", "北街", "南街", "火车站", "高新",
)
TOWNSHIPS = (
    "石桥", "柳林", "白沙", "黄土", "马家", "清水", "梅溪", "桃源", "杏花", "凤凰",
    "龙潭", "双河", "三岔", "高坪", "大坝", "小河", "上坝", "下寨", "松林", "竹园",
    "金鸡", "回龙", "太和", "永兴", "复兴", "新店", "观音", "白庙", "铁佛", "三江",
)
TOWNSHIP_SUFFIX = ("镇", "镇", "镇", "乡")

COMMUNITY_HEADS = (
    "幸福", "桂花", "锦绣", "和谐", "春晖", "阳光", "翠苑", "华庭", "紫荆", "丹桂",
    "玉兰", "海棠", "芙蓉", "牡丹", "梧桐", "樱花", "向阳", "前进", "团结", "友谊",
    "民主", "育才", "书香", "康乐", "安居", "乐业", "福星", "吉祥", "如意", "同心",
    "启明", "东风", "中山", "滨河", "沿江", "金桥", "银河", "星光", "明珠", "翠湖",
    "湖滨", "工农", "铁路", "电厂", "纺织", "机床", "钢城", "煤矿", "红星", "五一",
)
COMMUNITY_TAILS = ("里", "苑", "园", "路", "巷", "新村", "东", "西", "南", "北", "坊", "街")

VILLAGE_HEADS = (
    "李家", "王家", "张家", "刘家", "陈家", "杨家", "赵家", "黄家", "周家", "吴家",
    "大树", "石板", "青杠", "柏树", "桃花", "梨园", "新农", "高峰", "双龙", "五里",
    "七星", "九龙", "红岩", "光荣", "金竹", "水井", "槐树", "龙井", "凉水", "白果",
)
VILLAGE_TAILS = ("", "坪", "湾", "沟", "坝", "岭", "庄", "寨", "铺", "垭")

COMPOUND_HEADS = (
    "金色", "阳光", "锦华", "翠林", "碧水", "蓝湾", "香樟", "枫林", "银杏", "紫薇",
    "丽景", "御景", "华府", "明珠", "天韵", "怡景", "康城", "佳苑", "嘉园", "盛世",
    "世纪", "时代", "绿洲", "半岛", "星河", "星城", "东方", "凯旋", "华侨", "南山",
    "北辰", "馨园", "名都", "龙湖", "滨江", "锦绣", "书香", "幸福里", "和园", "润园",
    "玉泉", "金港", "新天地", "水岸", "雅苑", "静安", "泰和", "福润", "嘉禾", "恒信",
)
COMPOUND_TAILS = ("小区", "花园", "家园", "苑", "公寓", "雅居", "新村", "华庭")
OLD_COMPOUNDS = (
    "纺织厂宿舍", "机床厂宿舍", "电厂宿舍", "水泥厂宿舍", "供销社宿舍", "粮站宿舍",
    "化肥厂宿舍", "铁路宿舍", "卫生局宿舍", "教育局宿舍", "邮电宿舍", "棉纺厂宿舍",
)
ROADS = ("人民路", "解放路", "建设路", "和平街", "文化路", "新华街", "胜利路", "中山路")

AREA_HEADS = (
    "中央", "新天地", "步行街", "高铁新城", "滨江", "金融街", "科创", "智谷", "数字",
    "光谷", "临港", "未来", "云谷", "创新", "国贸", "东站", "西站", "万象", "天府", "星海",
)
AREA_TAILS = ("商圈", "商务楼宇", "科技园区", "电商产业园", "文创园区", "金融大厦楼宇", "产业园区")

CN_NUM = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
          "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十")

# --- units -----------------------------------------------------------------------------------

DEPARTMENTS = (
    "市场监督管理局", "住房和城乡建设局", "民政局", "人力资源和社会保障局", "卫生健康委员会",
    "教育局", "财政局", "交通运输局", "生态环境局", "自然资源和规划局", "城市管理局",
    "应急管理局", "文化和旅游局", "农业农村局", "水务局", "商务局", "统计局", "审计局",
    "司法局", "退役军人事务局", "医疗保障局", "林业局", "发展和改革委员会", "税务局",
)
PROVINCE_UNITS = (  # stationed in the city by the province
    ("agency", "{prov}交通运输厅{city}公路管理处"), ("agency", "{prov}水文水资源勘测局{city}分局"),
    ("institution", "{prov}第二人民医院"), ("institution", "{prov}农业科学院{city}分院"),
    ("institution", "{prov}地质矿产勘查局{n}队"), ("soe", "{prov}交通投资集团{city}分公司"),
    ("soe", "{prov}能源集团{city}发电厂"), ("institution", "{short}师范学院"),
)
CITY_INSTITUTIONS = (
    "人民医院", "中医院", "妇幼保健院", "图书馆", "职业技术学院", "第一中学", "实验中学",
    "疾病预防控制中心", "文化馆", "广播电视台", "第二人民医院", "技师学院",
)
CITY_SOES = (
    "国网{city}供电公司", "中国移动{city}分公司", "中国电信{city}分公司", "{city}水务集团",
    "{city}燃气集团", "{city}公交集团", "中国邮政{city}分公司", "{city}城市建设投资集团",
    "中国联通{city}分公司", "{city}国有资产经营公司", "中国建设银行{city}分行",
    "中国工商银行{city}分行", "{city}文旅投资集团", "{city}粮食储备公司",
)
COUNTY_UNITS = (
    ("agency", "{city}公安局{street}分局"), ("agency", "{city}{dept}{street}分局"),
    ("institution", "{city}第{n}中学"), ("institution", "{city}{street}实验小学"),
    ("institution", "{city}第{n}人民医院"), ("soe", "{city}燃气公司{street}营业部"),
    ("soe", "国网{city}供电公司{street}供电所"),
)
SECTION_UNITS = (
    ("agency", "{city}{dept}{street}所"), ("institution", "{street}社区卫生服务中心"),
    ("institution", "{street}中心小学"), ("institution", "{street}幼儿园"),
    ("soe", "中国建设银行{street}支行"), ("soe", "中国邮政{street}支局"),
)
FUNCTIONAL = (
    ("section", "{street}派出所"), ("section", "{street}市场监管所"), ("section", "{street}司法所"),
    ("section", "{city}城管执法局{street}中队"), ("county", "{city}税务局{street}税务分局"),
    ("section", "{street}消防救援站"), ("section", "{street}供电营业所"),
    ("section", "{street}劳动保障所"),
)
FIRM_WORDS = (
    "华信", "恒泰", "鼎盛", "宏达", "金鹏", "瑞丰", "嘉禾", "天成", "鑫源", "德润",
    "中拓", "汇通", "博远", "盛邦", "锦程", "泰和", "永昌", "新锐", "智联", "云帆",
    "卓越", "聚力", "星辰", "远航", "启航", "同创", "凯达", "信诚", "华宇", "东方",
    "蓝海", "优品", "宏图", "百川", "安信", "诚达", "腾飞", "明德", "众合", "和信",
)
FIRM_TRADES = (
    "科技", "网络科技", "信息技术", "电子商务", "商贸", "物流", "建筑工程", "餐饮管理",
    "文化传媒", "医药", "食品", "机械制造", "新材料", "环保科技", "教育咨询", "家政服务",
    "软件", "数据服务", "装饰工程", "汽车服务", "健康管理", "人力资源", "广告", "印务",
)
FIRM_FORMS = ("有限公司", "有限公司", "股份有限公司", "有限责任公司")
SOCIAL_UNITS = (
    "{city}{word}社会工作服务中心", "{city}{word}志愿者协会", "{word}公益基金会",
    "{city}{word}商会", "{city}{word}养老服务中心", "{city}{word}青少年服务中心",
    "{city}{word}社区发展促进会", "{city}{word}律师事务所",
)

# --- organizations and platforms -------------------------------------------------------------

PROPERTY_WORDS = ("万家", "安居", "佳园", "金管家", "长城", "绿城", "中海", "新城", "锦华", "诚信")
SOCIETIES = ("老年协会", "书画协会", "舞蹈队协会", "调解协会", "文体协会", "残疾人协会")
VOLUNTEERS = ("红袖标", "邻里守望", "银发", "青年", "巾帼", "党员先锋")
WORK_TOPICS = (
    "老旧小区改造", "物业管理", "疫情防控", "基层治理", "民生服务", "安全生产",
    "环境整治", "矛盾纠纷化解", "文明城市创建", "防汛减灾",
)

# --- people ----------------------------------------------------------------------------------

SURNAMES = (
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
)
# Rough frequency: the first surnames are far more common.
SURNAME_WEIGHTS = np.linspace(3.0, 0.5, len(SURNAMES))
GIVEN_CHARS = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "红", "玉", "兰",
    "志", "海", "波", "鹏", "辉", "斌", "宇", "浩", "凯", "婷", "雪", "琳", "晨", "欣", "颖",
    "佳", "俊", "峰", "鑫", "宁", "健", "博", "晓", "丹", "萍", "春", "燕", "荣", "林", "梅",
)

# --- tasks -----------------------------------------------------------------------------------

ASSIGNED_TOPICS = (
    "消防安全检查", "人口信息核查", "垃圾分类宣传", "文明城市创建", "防汛隐患排查",
    "疫苗接种动员", "老旧小区改造摸底", "矛盾纠纷排查", "反诈宣传", "安全生产大检查",
    "自建房安全排查", "燃气安全入户检查", "流动人口登记", "困难群众走访慰问", "电动车充电整治",
)
GRID_PROBLEMS = (
    "楼道堆放杂物", "路灯损坏", "下水道堵塞", "违章搭建", "电动车飞线充电", "占道经营",
    "绿化带毁损", "井盖缺失", "外墙脱落", "消防通道堵塞", "垃圾清运不及时", "私拉电线",
)
RESIDENT_PROBLEMS = (
    "停车难", "物业收费纠纷", "电梯故障", "屋顶漏水", "邻里纠纷", "宠物扰民", "门禁损坏",
    "噪音扰民", "供暖不热", "二次供水异味", "健身器材损坏", "快递柜占道",
)


def pick(rng: np.random.Generator, pool: tuple[str, ...]) -> str:
    """One random element of ``pool``."""
    return pool[int(rng.integers(len(pool)))]


def numbered(n: int) -> str:
    """Chinese numeral for 1..20, Arabic digits above (第十二网格, 第25网格)."""
    return CN_NUM[n - 1] if 1 <= n <= len(CN_NUM) else str(n)


def combine(heads: tuple[str, ...], tails: tuple[str, ...]) -> list[str]:
    """Every head+tail that reads well: no 佳苑苑, no 嘉园花园."""
    garden = "园苑庭"
    return [h + t for h in heads for t in tails
            if not t or (h[-1] != t[0] and not (h[-1] in garden and t[-1] in garden))]


def unique_names(rng: np.random.Generator, heads: tuple[str, ...], tails: tuple[str, ...],
                 n: int, suffix: str = "") -> list[str]:
    """``n`` distinct head+tail+suffix names (numbered once the combinations run out)."""
    combos = combine(heads, tails)
    order = rng.permutation(len(combos))
    names = [combos[i] + suffix for i in order[:n]]
    for k in range(len(names), n):  # more asked than combinations: number the repeats
        names.append(f"{combos[order[k % len(combos)]]}{k // len(combos) + 1}{suffix}")
    return names


def person_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` fake Chinese names (surname + one or two given characters), vectorized."""
    surnames = np.array(SURNAMES, dtype=object)
    chars = np.array(GIVEN_CHARS, dtype=object)
    p = SURNAME_WEIGHTS / SURNAME_WEIGHTS.sum()
    first = surnames[rng.choice(len(surnames), n, p=p)]
    second = chars[rng.integers(len(chars), size=n)]
    third = np.where(rng.random(n) < 0.7, chars[rng.integers(len(chars), size=n)], "")
    return first + second + third
