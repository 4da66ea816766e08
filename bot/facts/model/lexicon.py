"""The words questions are read with: missile classes, months, ordinals, North Korea's leaders and the
states and leaders of its talks, other states, and the words that frame a question about tests."""

from __future__ import annotations

import re

CLASS_WORDS: dict[str, str] = {
    "icbm": "ICBM", "icbms": "ICBM", "intercontinental": "ICBM",
    "irbm": "IRBM", "irbms": "IRBM", "intermediate": "IRBM",
    "mrbm": "MRBM", "medium": "MRBM",
    "srbm": "SRBM", "srbms": "SRBM", "short": "SRBM", "close": "SRBM",
    "slbm": "SLBM", "slbms": "SLBM", "submarine": "SLBM",
    "hypersonic": "HGV", "hgv": "HGV", "glide": "HGV",
    "slv": "SLV",
}  # fmt: skip
CJK_CLASSES = {
    "대륙간": "ICBM",
    "大陸間": "ICBM",
    "잠수함": "SLBM",
    "潜水艦": "SLBM",
    "극초음속": "HGV",
    "極超音速": "HGV",
}
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
         "august aug", "september sept sep", "october oct", "november nov", "december dec")
    )
    for m in names.split()
}  # fmt: skip
ORDINAL_WORDS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
    "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9, "9th": 9,
    "tenth": 10, "10th": 10,
}  # fmt: skip
# States and actors whose own weapons, tests and sanctions the record does not cover.
FOREIGN_WORDS = frozenset(
    "india indian indias pakistan pakistani iran iranian israel israeli france french "
    "soviet ussr cuba cuban venezuela venezuelan iraq iraqi ukraine ukrainian houthi houthis yemen libya "
    "brazil brazilian saudi turkey turkish argentina argentine germany german egypt egyptian "
    "인도 파키스탄 이란 이스라엘 프랑스 소련 독일 브라질 사우디 インド パキスタン イラン イスラエル フランス ソ連 "
    "ドイツ ブラジル サウジ".split()
)
# States in the record (as sanctioners, negotiators, overflown) that have weapons programmes of their own:
# a question about their own weapons is not about the record, one about their sanctions may be.
PARTICIPANT_STATES = frozenset(
    "china chinese russia russian japan japanese america american us usa uk britain british australia "
    "australian".split()
)
# Words that frame a question about launches and tests without narrowing it.
FRAME_WORDS = frozenset(
    "test tests tested testing launch launches launched launching fire fires fired firing fly flies flying flew flown flight "
    "flights missile missiles ballistic rocket rockets time times try tries attempt attempts attempted carry "
    "carried conduct conducted done made make ever total so far one north korea korean koreas dprk nk "
    "pyongyang day days single range reached reach what when which date happened happen did has have number "
    "many much how actually overall all altogether really most very been go went regime".split()
)
# Verbs and particles of chat that say how, not what ("kim give up on reunification", "loudspeakers turned
# back on"): they never make a question less about the record, and ranking weighs them little.
CHAT_WORDS = frozenset(
    "give gave given gives giving up back turn turned turns turning put puts putting take took taken takes "
    "taking get gets got getting come came comes coming say says said tell told know known like also just "
    "still again now ok okay pls please guys hey yo lol lmao whats wats wen btw tbh idk kinda anyone anybody "
    "someone somebody move moves stuff".split()
)
FRAME_WORDS = FRAME_WORDS | CHAT_WORDS
# North Korea's leaders and their tenures (ISO dates, the first day and the last): "under Kim Jong Un",
# "Kim Jong Il's first nuclear test" select the facts dated within the tenure.
LEADERS: dict[tuple[str, ...], tuple[str, str]] = {
    ("kim", "il", "sung"): ("1948-09-09", "1994-07-08"),
    ("kim", "ilsung"): ("1948-09-09", "1994-07-08"),
    ("kim", "jong", "il"): ("1994-07-08", "2011-12-17"),
    ("kim", "jongil"): ("1994-07-08", "2011-12-17"),
    ("kim", "jong", "un"): ("2011-12-17", "9999-12-31"),
    ("kim", "jongun"): ("2011-12-17", "9999-12-31"),
    ("kju",): ("2011-12-17", "9999-12-31"),
    ("김정은",): ("2011-12-17", "9999-12-31"),
    ("김정일",): ("1994-07-08", "2011-12-17"),
    ("김일성",): ("1948-09-09", "1994-07-08"),
    ("金正恩",): ("2011-12-17", "9999-12-31"),
    ("金正日",): ("1994-07-08", "2011-12-17"),
    ("金日成",): ("1948-09-09", "1994-07-08"),
}
# Who meets whom: leaders and states as the `participants` of talks facts name them.
PARTICIPANT_NAMES: dict[str, str] = {
    "trump": "US", "biden": "US", "obama": "US", "clinton": "US", "bush": "US", "carter": "US",
    "pompeo": "US", "albright": "US", "us": "US", "usa": "US", "america": "US", "american": "US",
    "washington": "US", "moon": "South Korea", "yoon": "South Korea", "roh": "South Korea",
    "seoul": "South Korea", "inter": "South Korea", "koreas": "South Korea", "xi": "China", "china": "China", "chinese": "China",
    "beijing": "China", "putin": "Russia", "russia": "Russia", "russian": "Russia", "moscow": "Russia",
    "abe": "Japan", "koizumi": "Japan", "japan": "Japan", "japanese": "Japan", "tokyo": "Japan",
}  # fmt: skip
# Korean and Japanese words for what a question is about, searched as these English words too (weighed
# less than words typed in English: the character pairs already weigh them). Any of them makes a question
# about the record (bot.facts.model.topics).
CJK_SUBJECTS: dict[str, str] = {
    "핵실험": "nuclear test", "核実験": "nuclear test", "핵": "nuclear", "核": "nuclear",
    "수소탄": "hydrogen", "水爆": "hydrogen", "미사일": "missile", "ミサイル": "missile",
    "탄도": "ballistic", "弾道": "ballistic", "순항": "cruise", "巡航": "cruise",
    "고체연료": "solid fuel", "固体燃料": "solid fuel", "위성": "satellite", "衛星": "satellite",
    "정찰": "reconnaissance", "偵察": "reconnaissance", "발사": "launch", "発射": "launch",
    "上空": "over", "상공": "over", "열병식": "parade", "閲兵式": "parade",
    "제재": "sanctions", "制裁": "sanctions", "결의": "resolution", "決議": "resolution",
    "안보리": "unsc", "安保理": "unsc", "거부권": "veto", "拒否権": "veto",
    "전문가": "experts", "専門家": "experts", "수출": "exports", "輸出": "exports",
    "석유": "oil", "石油": "oil", "노동자": "workers", "労働者": "workers",
    "자산동결": "asset freeze", "資産凍結": "asset freeze", "해킹": "hacking", "ハッキング": "hacking",
    "사이버": "cyber", "サイバー": "cyber", "정상회담": "summit", "首脳": "summit",
    "회담": "talks", "会談": "talks", "선언": "declaration", "宣言": "declaration",
    "공동성명": "joint statement", "共同声明": "joint statement", "합의": "agreement", "合意": "agreement",
    "조약": "treaty", "条約": "treaty", "탈퇴": "withdrawal", "脱退": "withdrawal",
    "6자회담": "six party talks", "六者会合": "six party talks", "비핵화": "denuclearization",
    "非核化": "denuclearization", "방문": "visit", "訪問": "visit", "방북": "visit", "訪朝": "visit",
    "파병": "troops", "派兵": "troops", "폭파": "blows", "爆破": "blows",
    "확성기": "loudspeaker", "拡声器": "loudspeaker", "연락사무소": "liaison office",
    "連絡事務所": "liaison office", "군사합의": "military agreement", "軍事合意": "military agreement",
    "통일": "reunification", "統一": "reunification", "헌법": "constitution", "憲法": "constitution",
    "당대회": "party congress", "党大会": "party congress", "북한": "dprk", "北朝鮮": "dprk",
    "평양": "pyongyang", "平壌": "pyongyang", "영변": "yongbyon", "寧辺": "yongbyon",
    "풍계리": "punggye", "豊渓里": "punggye", "개성": "kaesong", "開城": "kaesong",
    "판문점": "panmunjom", "板門店": "panmunjom", "남북": "inter korean", "南北": "inter korean",
    "수입": "imports", "輸入": "imports", "금지": "ban", "禁止": "ban", "입항": "port", "入港": "port",
    "전면": "fully", "全面": "fully", "쏜": "launch", "쐈": "launch", "쏘아": "launch", "打ち上げ": "launch",
    "재지정": "relisted", "再指定": "relisted", "몇차": "round", "회차": "round",
}  # fmt: skip
# Korean and Japanese names of states and people, searched as English words too; alone they do not make a
# question about the record ("中国の人口" is not).
CJK_NAMES: dict[str, str] = {
    "日本": "japan", "일본": "japan", "미국": "us", "米国": "us", "북미": "us", "米朝": "us",
    "러시아": "russia", "ロシア": "russia", "북러": "russia", "露朝": "russia", "朝露": "russia",
    "중국": "china", "中国": "china", "북중": "china", "中朝": "china", "朝中": "china",
    "한국": "south korea", "韓国": "south korea", "영국": "uk", "英国": "uk", "イギリス": "uk",
    "호주": "australia", "豪州": "australia", "オーストラリア": "australia", "유럽연합": "eu",
    "欧州連合": "eu", "싱가포르": "singapore", "シンガポール": "singapore", "하노이": "hanoi",
    "ハノイ": "hanoi", "쿠르스크": "kursk", "クルスク": "kursk", "푸틴": "putin", "プーチン": "putin",
    "트럼프": "trump", "トランプ": "trump", "시진핑": "xi", "習近平": "xi", "문재인": "moon",
    "文在寅": "moon", "윤석열": "yoon", "尹錫悦": "yoon", "이재명": "lee", "李在明": "lee",
    "기시다": "kishida", "岸田": "kishida", "바이든": "biden", "バイデン": "biden",
    "김여정": "kim yo jong", "金与正": "kim yo jong", "최선희": "choe son hui", "崔善姫": "choe son hui",
    "라브로프": "lavrov", "ラブロフ": "lavrov", "쇼이구": "shoigu", "ショイグ": "shoigu",
    "라자루스": "lazarus", "ラザルス": "lazarus", "김수키": "kimsuky", "キムスキー": "kimsuky",
}  # fmt: skip


def cjk_compact(folded: str) -> str:
    """The text with a number run back into the Korean or Japanese word it starts ("6 자회담" was
    "6자회담"; "第 6 回" was "第6回"): Korean and Japanese words are matched on it."""
    return _NUMBER_BESIDE_CJK.sub("", folded)


_NUMBER_BESIDE_CJK = re.compile(
    r"(?<=\d) (?=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])|(?<=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]) (?=\d)"
)


# Numbers Korean and Japanese write in words before a counter ("四回目", "第六回", "여섯 번째", "두 번째"):
# written as digits, so that they count as "4回目" and "6번째" do.
_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_KANJI_COUNTED = re.compile(r"(第?)([一二三四五六七八九十])(?=回|度|次|発)")
_KOREAN_ORDINALS = {
    "첫": 1,
    "두": 2,
    "세": 3,
    "네": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
    "열": 10,
}
_KOREAN_COUNTED = re.compile(r"(?<![가-힣])(첫|두|세|네|다섯|여섯|일곱|여덟|아홉|열) ?(?=번째)")


def cjk_numbers(folded: str) -> str:
    """Korean and Japanese numbers written in words before a counter, as digits."""
    folded = _KANJI_COUNTED.sub(lambda m: f"{m.group(1)}{_KANJI_DIGITS[m.group(2)]}", folded)
    return _KOREAN_COUNTED.sub(lambda m: str(_KOREAN_ORDINALS[m.group(1)]), folded)
