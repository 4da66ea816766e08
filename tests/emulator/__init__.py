"""A local emulator of Discord's Gateway and REST API for end-to-end tests of the real discord.py client.

See tests/README.md. The main entry points:

- `DiscordEmulator`: start it, add servers and members, inspect messages, commands and requests.
- `BotRunner` / `start_bot_against`: run a discord.py client against it.
- `Actor` (from `emulator.member(...)`): run slash commands, autocomplete, click, select, submit modals.
- `Response`: what the member sees; `emulator.faults` and `emulator.gateway`: inject failures.
"""

from tests.emulator.actors import Actor, InteractionNotAnswered
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.errors import ApiError
from tests.emulator.interactions import CommandNotSynced, EmulatorUsageError, InteractionRecord
from tests.emulator.messages import Attachment, Message, Upload
from tests.emulator.models import Channel, Guild, Member, Overwrite, Role, User
from tests.emulator.responses import Choice, ModalForm, Response, ResponseNotFinished
from tests.emulator.runner import BotRunner, point_discord_at, start_bot_against

__all__ = [
    "Actor",
    "ApiError",
    "Attachment",
    "BotRunner",
    "Channel",
    "Choice",
    "CommandNotSynced",
    "DiscordEmulator",
    "EmulatorUsageError",
    "Guild",
    "InteractionNotAnswered",
    "InteractionRecord",
    "Member",
    "Message",
    "ModalForm",
    "Overwrite",
    "Response",
    "ResponseNotFinished",
    "Role",
    "Upload",
    "User",
    "point_discord_at",
    "start_bot_against",
]
