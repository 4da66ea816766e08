"""The quiz as Discord sees it: the daily post, its reveal, answer feedback, leaderboard and stats."""

from __future__ import annotations

from datetime import date, datetime

import discord

from bot.facts import render
from bot.quiz.model import Question
from bot.quiz.store import Leaderboard, MemberStats, OnThisDay, RecapSummary, RevealSummary

LETTERS = ("A", "B", "C", "D")
QUIZ_COLOUR = discord.Colour.gold()


def plural(count: int, noun: str) -> str:
    """`1 day`, `2 days`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def speed(elapsed_ms: int) -> str:
    """How long an answer took, as people say it: `in 4.2 s`, `in 45 s`, `in 3 min`, `in 1 h 3 min`."""
    seconds = max(elapsed_ms, 0) / 1000
    if seconds < 10:
        return f"in {seconds:.1f} s"
    if seconds < 60:
        return f"in {int(seconds)} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"in {minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"in {hours} h {minutes} min" if minutes else f"in {hours} h"


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def standing_line(streak: int, rank: int | None) -> str:
    """`🔥 4-day streak · 2nd fastest today` under a correct daily answer."""
    parts = [f"🔥 {streak}-day streak"] if streak else []
    if rank is not None:
        parts.append("fastest today" if rank == 1 else f"{ordinal(rank)} fastest today")
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
        title=f"Daily quiz · {local_date.day} {local_date:%B %Y}",
        description=f"**{render.plain(question.prompt)}**\n\n{option_lines(question)}",
        colour=QUIZ_COLOUR,
    )
    add_on_this_day(embed, on_this_day)
    footer = "One answer each: your reply is private."
    if closes_at is not None:
        embed.add_field(name="Answers close", value=f"{timestamp(closes_at)} ({timestamp(closes_at, 'R')})")
    if answered:
        embed.add_field(name="Answered", value=f"👥 {answered} answered so far")
    embed.set_footer(text=footer + f" · difficulty {'★' * question.difficulty}")
    return embed


def answer_text(question: Question, correct: bool, points: int | None = None, standing: str = "") -> str:
    """What a member sees privately right after answering; `standing` is their streak and rank."""
    answer = f"{LETTERS[question.correct_index]}. {render.plain(question.answer)}"
    verdict = "✅ Correct!" if correct else f"❌ Not quite: the answer is **{answer}**."
    if correct and points:
        verdict += f" +{points} points."
    if correct and standing:
        verdict += f"\n{standing}"
    source = f"[{render.plain(question.source.publisher)}]({question.source.url})"
    return render.clip(f"{verdict}\n\n{render.plain(question.explanation)}\n\nSource: {source}", 2000)


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
        title=f"Daily quiz · {post.local_date.day} {post.local_date:%B %Y} · answer",
        description=render.clip(f"**{render.plain(question.prompt)}**\n\n" + "\n".join(lines), 4000),
        colour=discord.Colour.green(),
    )
    add_on_this_day(embed, post.on_this_day)
    embed.add_field(name="Why", value=render.clip(render.plain(question.explanation), 1024), inline=False)
    embed.add_field(
        name="Source",
        value=render.clip(f"[{render.plain(question.source.publisher)}]({question.source.url})", 1024),
        inline=False,
    )
    if summary.fastest:
        fastest = ", ".join(f"<@{a.user_id}> ({speed(a.elapsed_ms)})" for a in summary.fastest)
        embed.add_field(name="Fastest correct answers", value=render.clip(fastest, 1024), inline=False)
    embed.set_footer(text=f"{summary.total} answers · see /quiz leaderboard")
    return render.fit(embed)


def leaderboard_embed(board: Leaderboard, period_label: str, viewer_id: int) -> discord.Embed:
    top = board.page(0, 15)
    lines = [
        f"**{e.rank}.** <@{e.user_id}> · {e.points} points ({e.correct}/{e.answered} correct)" for e in top
    ]
    mine = board.entry_for(viewer_id)
    if mine is not None and mine not in top:
        lines.append(f"…\n**{mine.rank}.** <@{mine.user_id}> · {mine.points} points (you)")
    embed = discord.Embed(
        title=f"Quiz leaderboard · {period_label}",
        description="\n".join(lines) or "Nobody has answered a daily question in this period yet.",
        colour=QUIZ_COLOUR,
    )
    embed.set_footer(
        text="10 points for a correct answer, up to 5 more for answering fast. Ties share a rank."
    )
    return embed


def stats_embed(stats: MemberStats, member_mention: str) -> discord.Embed:
    accuracy = f"{stats.accuracy:.0%}" if stats.accuracy is not None else "—"
    embed = discord.Embed(title="Quiz stats", description=member_mention, colour=QUIZ_COLOUR)
    embed.add_field(name="Answered", value=str(stats.answered))
    embed.add_field(name="Correct", value=str(stats.correct))
    embed.add_field(name="Accuracy", value=accuracy)
    embed.add_field(name="Points", value=str(stats.points))
    embed.add_field(name="Current streak", value=plural(stats.current_streak, "day"))
    embed.add_field(name="Best streak", value=plural(stats.best_streak, "day"))
    embed.add_field(
        name="Practice", value=f"{stats.practice_correct}/{stats.practice_answered} correct", inline=False
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
