"""The quiz as Discord sees it: the daily post, its reveal, answer feedback, leaderboard and stats."""

from __future__ import annotations

from datetime import date, datetime

import discord

from bot.facts import render
from bot.i18n import _, long_date, ngettext
from bot.quiz.model import Question
from bot.quiz.store import Leaderboard, MemberStats, OnThisDay, RecapSummary, RevealSummary

LETTERS = ("A", "B", "C", "D")
QUIZ_COLOUR = discord.Colour.gold()


def days(count: int) -> str:
    """`1 day`, `2 days`."""
    return ngettext("{count} day", "{count} days", count).format(count=count)


def speed(elapsed_ms: int) -> str:
    """How long an answer took, as people say it: `in 4.2 s`, `in 45 s`, `in 3 min`, `in 1 h 3 min`."""
    seconds = max(elapsed_ms, 0) / 1000
    if seconds < 60:
        return _("in {seconds} s").format(seconds=f"{seconds:.1f}" if seconds < 10 else int(seconds))
    minutes = int(seconds // 60)
    if minutes < 60:
        return _("in {minutes} min").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if minutes:
        return _("in {hours} h {minutes} min").format(hours=hours, minutes=minutes)
    return _("in {hours} h").format(hours=hours)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def standing_line(streak: int, rank: int | None) -> str:
    """`🔥 4-day streak · 2nd fastest today` under a correct daily answer."""
    parts = ["🔥 " + _("{days}-day streak").format(days=streak)] if streak else []
    if rank == 1:
        parts.append(_("fastest today"))
    elif rank is not None:
        # Translators: {ordinal} is the rank as English writes it (2nd); {rank} is the plain number (2).
        parts.append(_("{ordinal} fastest today").format(ordinal=ordinal(rank), rank=rank))
    return " · ".join(parts)


def timestamp(moment: datetime, style: str = "f") -> str:
    """A Discord timestamp: every member sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def option_lines(question: Question) -> str:
    return "\n".join(
        f"**{letter}.** {render.plain(option)}"
        for letter, option in zip(LETTERS, question.options, strict=True)
    )


def question_embed(
    question: Question,
    local_date: date,
    closes_at: datetime | None,
    answered: int = 0,
    on_this_day: OnThisDay | None = None,
) -> discord.Embed:
    embed = discord.Embed(
        title=_("Daily quiz · {date}").format(date=long_date(local_date)),
        description=f"**{render.plain(question.prompt)}**\n\n{option_lines(question)}",
        colour=QUIZ_COLOUR,
    )
    add_on_this_day(embed, on_this_day)
    footer = _("One answer each: your reply is private.")
    if closes_at is not None:
        embed.add_field(
            name=_("Answers close"), value=f"{timestamp(closes_at)} ({timestamp(closes_at, 'R')})"
        )
    if answered:
        embed.add_field(name=_("Answered"), value="👥 " + _("{count} answered so far").format(count=answered))
    difficulty = _("difficulty {stars}").format(stars="★" * question.difficulty)
    embed.set_footer(text=f"{footer} · {difficulty}")
    return embed


def answer_text(question: Question, correct: bool, points: int | None = None, standing: str = "") -> str:
    """What a member sees privately right after answering; `standing` is their streak and rank."""
    answer = f"{LETTERS[question.correct_index]}. {render.plain(question.answer)}"
    verdict = (
        "✅ " + _("Correct!")
        if correct
        else "❌ " + _("Not quite: the answer is **{answer}**.").format(answer=answer)
    )
    if correct and points:
        verdict += " " + ngettext("+{points} point.", "+{points} points.", points).format(points=points)
    if correct and standing:
        verdict += f"\n{standing}"
    source = _("Source: {source}").format(
        source=f"[{render.plain(question.source.publisher)}]({question.source.url})"
    )
    return render.clip(f"{verdict}\n\n{render.plain(question.explanation)}\n\n{source}", 2000)


def reveal_embed(summary: RevealSummary) -> discord.Embed:
    post = summary.post
    question = post.question
    assert question is not None
    shares = summary.shares()
    lines = []
    for index, (letter, option) in enumerate(zip(LETTERS, question.options, strict=True)):
        mark = "✅" if index == question.correct_index else "▫️"
        lines.append(
            f"{mark} **{letter}.** {render.plain(option)} · {shares[index]:.0%} ({summary.counts[index]})"
        )
    embed = discord.Embed(
        title=_("Daily quiz · {date} · answer").format(date=long_date(post.local_date)),
        description=render.clip(f"**{render.plain(question.prompt)}**\n\n" + "\n".join(lines), 4000),
        colour=discord.Colour.green(),
    )
    add_on_this_day(embed, post.on_this_day)
    embed.add_field(name=_("Why"), value=render.clip(render.plain(question.explanation), 1024), inline=False)
    embed.add_field(
        name=_("Source"),
        value=render.clip(f"[{render.plain(question.source.publisher)}]({question.source.url})", 1024),
        inline=False,
    )
    if summary.fastest:
        fastest = ", ".join(f"<@{a.user_id}> ({speed(a.elapsed_ms)})" for a in summary.fastest)
        embed.add_field(name=_("Fastest correct answers"), value=render.clip(fastest, 1024), inline=False)
    answers = ngettext("{count} answer", "{count} answers", summary.total).format(count=summary.total)
    embed.set_footer(text=f"{answers} · " + _("see /quiz leaderboard"))
    return render.fit(embed)


def leaderboard_embed(board: Leaderboard, period_label: str, viewer_id: int) -> discord.Embed:
    top = board.page(0, 15)
    lines = [
        f"**{e.rank}.** <@{e.user_id}> · "
        + _("{points} points ({correct}/{answered} correct)").format(
            points=e.points, correct=e.correct, answered=e.answered
        )
        for e in top
    ]
    mine = board.entry_for(viewer_id)
    if mine is not None and mine not in top:
        lines.append(
            f"…\n**{mine.rank}.** <@{mine.user_id}> · "
            + _("{points} points (you)").format(points=mine.points)
        )
    embed = discord.Embed(
        title=_("Quiz leaderboard · {period}").format(period=period_label),
        description="\n".join(lines) or _("Nobody has answered a daily question in this period yet."),
        colour=QUIZ_COLOUR,
    )
    embed.set_footer(
        text=_("10 points for a correct answer, up to 5 more for answering fast. Ties share a rank.")
    )
    return embed


def stats_embed(stats: MemberStats, member_mention: str) -> discord.Embed:
    accuracy = f"{stats.accuracy:.0%}" if stats.accuracy is not None else "—"
    embed = discord.Embed(title=_("Quiz stats"), description=member_mention, colour=QUIZ_COLOUR)
    embed.add_field(name=_("Answered"), value=str(stats.answered))
    embed.add_field(name=_("Correct"), value=str(stats.correct))
    embed.add_field(name=_("Accuracy"), value=accuracy)
    embed.add_field(name=_("Points"), value=str(stats.points))
    embed.add_field(name=_("Current streak"), value=days(stats.current_streak))
    embed.add_field(name=_("Best streak"), value=days(stats.best_streak))
    embed.add_field(
        name=_("Practice"),
        value=_("{correct}/{answered} correct").format(
            correct=stats.practice_correct, answered=stats.practice_answered
        ),
        inline=False,
    )
    return embed


def add_on_this_day(embed: discord.Embed, line: OnThisDay | None) -> None:
    """The post's second line: an event of its date in a past year (chosen to give nothing away)."""
    if line is not None:
        embed.add_field(
            name="On this day",
            value=render.clip(f"**{line.year}** · {render.plain(line.title)}", 1024),
            inline=False,
        )


def recap_title(first: date, last: date) -> str:
    """`Quiz week · 23–29 November 2026` (the sender also finds a recap it already sent by it)."""
    if (first.year, first.month) == (last.year, last.month):
        span = f"{first.day}–{last.day} {last:%B %Y}"
    elif first.year == last.year:
        span = f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    else:
        span = f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"
    return f"Quiz week · {span}"


MEDALS = ("🥇", "🥈", "🥉")


def plural(count: int, noun: str) -> str:
    """`1 point`, `2 points`: for the recap, a post the whole channel shares, written in English like
    the daily post (no one member's language applies)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def recap_embed(summary: RecapSummary) -> discord.Embed:
    """The weekly recap: the week's top three, the longest streaks running, the hardest question.
    Members are named by mention inside the embed, which never pings anyone."""
    embed = discord.Embed(
        title=recap_title(summary.first_day, summary.last_day),
        description=f"{plural(summary.questions, 'question')}, {plural(summary.answers, 'answer')}.",
        colour=QUIZ_COLOUR,
    )
    top = [
        f"{MEDALS[e.rank - 1] if e.rank <= len(MEDALS) else f'**{e.rank}.**'} <@{e.user_id}> · "
        f"{plural(e.points, 'point')} ({e.correct}/{e.answered} correct)"
        for e in summary.top
    ]
    embed.add_field(
        name="Top three", value=render.clip("\n".join(top) or "Nobody scored this week.", 1024), inline=False
    )
    if summary.streaks:
        streaks = [f"🔥 <@{s.user_id}> · {s.days} days in a row" for s in summary.streaks]
        embed.add_field(name="Longest streaks", value=render.clip("\n".join(streaks), 1024), inline=False)
    if summary.hardest is not None:
        hard = summary.hardest
        question = hard.question
        answer = f"{LETTERS[question.correct_index]}. {render.plain(question.answer)}"
        embed.add_field(
            name=f"Hardest question ({hard.local_date.day} {hard.local_date:%B})",
            value=render.clip(
                f"{render.plain(question.prompt)}\nAnswer: **{answer}** · "
                f"{hard.share:.0%} right ({hard.correct} of {hard.answered})",
                1024,
            ),
            inline=False,
        )
    embed.set_footer(text="Weekly recap · /quiz leaderboard for the full table")
    return render.fit(embed)
