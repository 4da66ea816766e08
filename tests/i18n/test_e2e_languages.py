"""End to end through the emulator: a member whose Discord is in Korean and one in Japanese see the
bot's own words in their language (labels, buttons, the refusal, errors, the quiz's replies and
leaderboard), an English member sees English, and the facts themselves stay as written."""

from __future__ import annotations

from tests.conftest import WatchEnv
from tests.emulator.actors import Actor
from tests.quiz.test_e2e_quiz import answer_id, quiz_messages, seoul, set_up, tick_at, todays_post

# What each member should read, looked up by meaning (not through the bot's own catalogs).
WORDS = {
    "ko": {
        "Sources": "출처",
        "Full details": "자세히 보기",
        "Suggest a correction": "수정 제안",
        "Date": "날짜",
        "Kind": "종류",
        "nuclear test": "핵실험",
        "Related facts": "관련 사실",
        "refused": "DPRK Watch 기록에 없는 내용입니다",
        "form field": "무엇이 틀렸는지와 근거 출처",
        "thanks": "감사합니다! 제안 #",
        "no such resolution": "결의 9999호는 북한 관련 결의 기록에 없습니다",
        "page": "1 / ",
        "page 2": "2 / ",
        "correct": "✅ 정답입니다!",
        "wrong": "❌ 아쉽네요. 정답은",
        "source": "출처: [",
        "already": "이미 답했습니다",
        "leaderboard": "퀴즈 순위표 · 이번 주",
        "points": "점 (1문제 중 1문제 정답)",
    },
    "ja": {
        "Sources": "出典",
        "Full details": "詳細を見る",
        "Suggest a correction": "修正を提案",
        "Date": "日付",
        "Kind": "種類",
        "nuclear test": "核実験",
        "Related facts": "関連する事実",
        "refused": "DPRK Watchの記録にはありません",
        "form field": "誤りの内容と根拠となる出典",
        "thanks": "ありがとうございます！提案 #",
        "no such resolution": "決議9999号は北朝鮮関連の決議の記録にありません",
        "page": "1 / ",
        "page 2": "2 / ",
        "correct": "✅ 正解です！",
        "wrong": "❌ 惜しい！正解は",
        "source": "出典：[",
        "already": "すでに回答済みです",
        "leaderboard": "クイズランキング · 今週",
        "points": "点（1問中1問正解）",
    },
    "en-US": {
        "Sources": "Sources",
        "Full details": "Full details",
        "Suggest a correction": "Suggest a correction",
        "Date": "Date",
        "Kind": "Kind",
        "nuclear test": "Nuclear test",
        "Related facts": "Related facts",
        "refused": "That is not in the DPRK Watch record",
        "form field": "What is wrong, and your source",
        "thanks": "Thank you! Your suggestion #",
        "no such resolution": "Resolution 9999 is not in the record of resolutions on North Korea",
        "page": "Page 1 of ",
        "page 2": "Page 2 of ",
        "correct": "✅ Correct!",
        "wrong": "❌ Not quite: the answer is",
        "source": "Source: [",
        "already": "You already answered this one",
        "leaderboard": "Quiz leaderboard · this week",
        "points": "points (1/1 correct)",
    },
}


def members(watch: WatchEnv) -> dict[str, Actor]:
    return {
        "ko": watch.member("minji", locale="ko"),
        "ja": watch.member("haruto", locale="ja"),
        "en-US": watch.member("alice"),
    }


async def test_commands_are_synced_with_korean_and_japanese_names(watch: WatchEnv) -> None:
    registered = {c["name"]: c for c in watch.emulator.registered_commands()}
    search = registered["search"]
    assert search["name_localizations"] == {"ko": "검색", "ja": "検索"}
    assert set(search["description_localizations"]) == {"ko", "ja"}
    query = search["options"][0]
    assert query["name_localizations"] == {"ko": "검색어", "ja": "キーワード"}
    assert registered["Look up in DPRK Watch"]["name_localizations"]["ja"] == "DPRK Watchで調べる"


async def test_search_answers_refusals_and_errors_in_the_member_s_language(watch: WatchEnv) -> None:
    english_card = None
    for locale, member in members(watch).items():
        words = WORDS[locale]
        answer = await member.slash("search", query="when was the sixth nuclear test?")
        card = answer.embeds[0]
        assert words["Sources"] in [f["name"] for f in card["fields"]], locale
        labels = [b["label"] for b in answer.buttons]
        assert labels[0] == words["Full details"], locale
        assert labels[-1] == words["Suggest a correction"], locale
        # The fact is the record's, in its own words, whoever asks.
        english_card = english_card or card
        assert (card["title"], card["description"]) == (english_card["title"], english_card["description"])

        full = await answer.click(words["Full details"])
        assert full.ephemeral
        fields = {f["name"]: f["value"] for f in full.embeds[0]["fields"]}
        assert fields[words["Kind"]] == words["nuclear test"], locale
        assert words["Date"] in fields, locale
        related = await answer.select(words["Related facts"], ["unsc-2375"])
        assert related.embeds[0]["title"].startswith("Resolution 2375")
        form = await answer.click(words["Suggest a correction"])
        assert form.modal is not None
        assert form.modal.title == words["Suggest a correction"]
        thanks = await form.submit_modal({words["form field"]: "The yield estimate differs in source X."})
        assert thanks.content.startswith(words["thanks"]), (locale, thanks.content)

        refused = await member.slash("search", query="how do I bake bread")
        assert refused.ephemeral
        assert refused.content.startswith(words["refused"]), (locale, refused.content)

        missing = await member.slash("resolution", number=9999)
        assert missing.ephemeral
        assert missing.content.startswith(words["no such resolution"]), (locale, missing.content)


async def test_an_answer_drawn_in_english_is_not_served_to_a_korean_member(watch: WatchEnv) -> None:
    """Answers are remembered per question and language: the Korean member asking right after an
    English one gets Korean labels, not the English drawing of the same answer."""
    by_locale = members(watch)
    english = await by_locale["en-US"].slash("search", query="when was the sixth nuclear test?")
    korean = await by_locale["ko"].slash("search", query="when was the sixth nuclear test?")
    assert [f["name"] for f in english.embeds[0]["fields"]][-1] == "Sources"
    assert [f["name"] for f in korean.embeds[0]["fields"]][-1] == "출처"
    assert len(watch.bot.search_answers) == 2


async def test_page_buttons_speak_the_language_of_whoever_ran_the_listing(watch: WatchEnv) -> None:
    for locale, member in members(watch).items():
        listing = await member.slash("tests", kind="missile")
        counter = listing.buttons[2]["label"]
        assert counter.startswith(WORDS[locale]["page"]), (locale, counter)
        second = await listing.click("›")
        assert second.buttons[2]["label"].startswith(WORDS[locale]["page 2"]), locale


async def test_the_daily_quiz_answers_each_member_in_their_language(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    await tick_at(watch, seoul(1, 9))
    post = await todays_post(watch, 1)
    message = quiz_messages(watch)[0]
    right = answer_id(post, post.question.correct_index)
    wrong = answer_id(post, (post.question.correct_index + 1) % 4)
    by_locale = members(watch)
    watch.clock.set(seoul(1, 9, 1))
    for locale, member in by_locale.items():
        words = WORDS[locale]
        reply = await member.click(message, right if locale != "ja" else wrong)
        assert reply.ephemeral
        expected = words["correct"] if locale != "ja" else words["wrong"]
        assert reply.content.startswith(expected), (locale, reply.content)
        assert words["source"] in reply.content, locale
        # The explanation is the question's own, as written.
        assert post.question.explanation.split()[0] in reply.content
        again = await member.click(message, right)
        assert again.content.startswith(words["already"]), (locale, again.content)
    for locale in ("ko", "en-US"):
        board = await by_locale[locale].slash("quiz leaderboard")
        embed = board.embeds[0]
        assert embed["title"] == WORDS[locale]["leaderboard"], locale
        assert WORDS[locale]["points"] in embed["description"], (locale, embed["description"])
    japanese_board = await by_locale["ja"].slash("quiz leaderboard")
    assert japanese_board.embeds[0]["title"] == WORDS["ja"]["leaderboard"]


async def test_outside_servers_a_user_install_answers_in_the_user_s_language_too(watch: WatchEnv) -> None:
    """In a DM through the app on her account: the lookups, the message menu, and the refusal of a
    server-only button, all in Japanese."""
    aoi = watch.emulator.user("aoi", locale="ja")
    friend = watch.emulator.user("ren", installed=False)
    answer = await aoi.slash("search", in_channel=aoi.dm(), query="when was the sixth nuclear test?")
    assert answer.buttons[0]["label"] == "詳細を見る"
    said = friend.post(aoi.dm(friend), "UN Security Council resolution 2397 cut refined petroleum imports")
    looked_up = await aoi.message_command("Look up in DPRK Watch", said)
    assert looked_up.ephemeral
    assert looked_up.embeds[0]["title"].startswith("Resolution 2397")  # the record's own words
    assert "出典" in [f["name"] for f in looked_up.embeds[0]["fields"]]
    suggest = await looked_up.click("修正を提案")
    assert suggest.content == "修正の提案はサーバー内から行えます。"
