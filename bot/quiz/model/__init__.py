"""The daily quiz engine: questions from the facts, hand-written questions, scheduling and scoring.

Plain Python with no Discord and no SQL; the store (`bot.store.quiz_store`) keeps its state and the
quiz cog turns interactions into calls here.
"""

from bot.quiz.model.handwritten import HandwrittenError, HandwrittenQuestion, load_handwritten
from bot.quiz.model.pool import (
    DailyChoice,
    choose_daily_question,
    choose_practice_question,
    generate_questions,
    weekday_difficulty,
)
from bot.quiz.model.questions import InvalidQuestion, Question, QuestionType
from bot.quiz.model.schedule import (
    QuizSchedule,
    local_to_utc,
    parse_post_time,
    parse_timezone,
    timezone_suggestions,
)
from bot.quiz.model.scoring import Period, daily_points, fair_ranks, period_start, speed_bonus, streaks

__all__ = [
    "DailyChoice",
    "HandwrittenError",
    "HandwrittenQuestion",
    "InvalidQuestion",
    "Period",
    "Question",
    "QuestionType",
    "QuizSchedule",
    "choose_daily_question",
    "choose_practice_question",
    "daily_points",
    "fair_ranks",
    "generate_questions",
    "load_handwritten",
    "local_to_utc",
    "parse_post_time",
    "parse_timezone",
    "period_start",
    "speed_bonus",
    "streaks",
    "timezone_suggestions",
    "weekday_difficulty",
]
