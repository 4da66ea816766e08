"""The words questions are read with: missile classes, months, ordinals, North Korea's leaders and the
states and leaders of its talks, other states, and the words that frame a question about tests."""

from __future__ import annotations

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
    "인도 파키스탄 이란 이스라엘 프랑스 소련 インド パキスタン イラン イスラエル フランス ソ連".split()
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
