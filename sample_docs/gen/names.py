"""Enterprise names: the seed reference lists, realistic spellings of them, and look-alikes not on them.

The lists are copied from the 申报指南 annexes (shared/seeds/000_…) because the generator must not
depend on the product's own list loader; a test compares them with the seed text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CLOUD_PLATFORM = (
    "中国联合网络通信有限公司山西省分公司",
    "山西清众科技股份有限公司",
    "山西省邮电建设工程有限公司",
    "山西天地科技有限公司",
    "中国移动通信集团山西有限公司",
    "山西艾德信息技术有限公司",
    "金蝶软件（中国）有限公司太原分公司",
    "山西百得科技开发股份有限公司",
    "山西东华软件有限公司",
    "中国电信集团有限公司山西分公司",
    "太原奥凯科技发展有限公司",
    "山西中科曙光云计算科技有限公司",
    "山西新基正科技有限公司",
    "山西九鼎方正科技有限公司",
    "用友网络科技股份有限公司山西分公司",
    "山西云时代技术有限公司",
    "山西长河科技股份有限公司",
    "阿里云计算有限公司",
    "郑州市景安网络科技股份有限公司",
    "浪潮软件集团有限公司",
    "腾讯云计算（北京）有限责任公司",
    "北京神州绿盟科技有限公司",
    "北京京东叁佰陆拾度电子商务有限公司",
    "中机新时代有限公司",
)
CLOUD_APPLICATION = (
    "山西精英科技股份有限公司",
    "中科同昌信息技术集团有限公司",
    "山西中液互联能源有限公司",
    "山西科达自控股份有限公司",
    "山西豪达通科贸有限公司",
    "山西全球蛙电子商务有限公司",
    "山西睿信智达传媒科技股份有限公司",
    "山西风行测控股份有限公司",
    "太原时维科技有限公司",
    "山西广电信息网络（集团）有限责任公司",
    "山西龙采科技有限公司",
    "山西菲达科技有限公司",
    "大同市华立科技有限责任公司",
    "山西吉成科技股份有限公司",
    "山西三友和智慧信息技术股份有限公司",
    "山西泰森科技股份有限公司",
    "山西同方知网数字出版技术有限公司",
    "北京百度网讯科技有限公司",
    "华为软件技术有限公司",
    "紫光云数科技有限公司",
    "北京英夫美迪科技股份有限公司",
)
XINCHUANG = ("山西工程技术学院", "山西晋煤集团煤层气与煤基技术开发有限责任公司")

# Look-alikes that are NOT on any list: a different legal person a careless matcher would accept.
NEAR_MISS_PROVIDERS = (
    "山西天地数据科技有限公司",
    "山西云时代数字技术有限公司",
    "山西清众信息科技有限公司",
    "太原奥凯网络科技有限公司",
    "山西东华智慧软件有限公司",
)
NEAR_MISS_XINCHUANG = ("山西工程职业技术学院", "山西晋煤集团煤层气技术服务有限责任公司")

# Spellings of listed providers that are the same legal person but not equal after normalisation:
# typos as people make them when typing a contract (a dropped, doubled or look-alike character), and
# a branch written without 省. (Abbreviated legal forms such as 股份公司 are left out: whether they name
# the same legal person is a matter of judgement, not a clear truth.)
FUZZY_PROVIDERS = {
    "山西艾德信息技有限公司": "山西艾德信息技术有限公司",
    "山西九鼎方正科技有限公公司": "山西九鼎方正科技有限公司",
    "山西东华软伴有限公司": "山西东华软件有限公司",
    "山西长河科技股分有限公司": "山西长河科技股份有限公司",
    "中国联合网络通信有限公司山西分公司": "中国联合网络通信有限公司山西省分公司",
}

_PREFIX = ("阳泉", "山西", "阳泉市", "山西省")
_WORD1 = ("恒", "瑞", "晋", "泽", "鼎", "华", "鑫", "博", "宏", "润", "卓", "德", "远", "盛", "泰", "丰", "弘", "嘉")
_WORD2 = ("达", "安", "诚", "元", "创", "信", "通", "源", "拓", "峰", "合", "耀", "川", "和", "新", "汇", "联", "邦")
_TRADE = ("煤机装备", "新材料", "智能制造", "化工", "物流", "耐火材料", "精密铸造", "电力设备", "食品", "数据服务")
_FORM = ("有限公司", "股份有限公司", "有限责任公司", "集团有限公司")

EXTRA_PARTIES = (
    "阳泉市城区智慧城市建设发展有限公司",
    "山西晋东物流集团有限公司",
    "阳泉煤业(集团)华越机械有限公司",
    "山西数智云创科技有限公司",
)


@dataclass(frozen=True)
class Company:
    """A legal person as the truth knows it; ``printed`` is how a given document spells it."""

    name: str
    credit_code: str
    english: str = ""


def applicant_name(rng: random.Random, taken: set[str]) -> str:
    """A fictitious applicant in Yangquan, never equal to a listed name."""
    listed = set(CLOUD_PLATFORM) | set(CLOUD_APPLICATION) | set(XINCHUANG)
    while True:
        name = rng.choice(_PREFIX) + rng.choice(_WORD1) + rng.choice(_WORD2) + rng.choice(_TRADE) + rng.choice(_FORM)
        if name not in taken and name not in listed:
            taken.add(name)
            return name


def english_name(name: str, rng: random.Random) -> str:
    """A plausible English rendering for CMMI certificates (pinyin-ish, stable per name)."""
    syll = ("Heng", "Rui", "Jin", "Ze", "Ding", "Hua", "Xin", "Bo", "Hong", "Run", "Zhuo", "Da", "An", "Cheng")
    city = "Yangquan" if "阳泉" in name else "Shanxi"
    brand = syll[sum(map(ord, name)) % len(syll)] + syll[len(name) % len(syll)].lower()
    return f"{city} {brand} Technology Co., Ltd."


def vary(name: str, rng: random.Random) -> str:
    """A spelling that normalises to the same name: bracket width, stray spaces."""
    choice = rng.randrange(3)
    if choice == 0 and "（" in name:
        return name.replace("（", "(").replace("）", ")")
    if choice == 1 and "(" in name:
        return name.replace("(", "（").replace(")", "）")
    if choice == 2 and len(name) > 6:
        cut = rng.randrange(2, len(name) - 4)
        return name[:cut] + " " + name[cut:]
    return name


def branch_of(name: str, city: str = "阳泉") -> str:
    """A branch (分公司) of a head office: the same legal person as the listed head office."""
    return f"{name}{city}分公司"
