"""`/factmod link`: a fact's links to other facts ("related", or "in response to"), added or taken away one
at a time, by name, without opening the whole edit form."""

from __future__ import annotations

import dataclasses
from enum import StrEnum

from bot.core.errors import InvalidInput
from bot.facts.model.fact import Fact


class LinkKind(StrEnum):
    RELATED = "related"
    RESPONDS_TO = "responds_to"


LINK_WORDS = {LinkKind.RELATED: "related to", LinkKind.RESPONDS_TO: "in response to"}


def relinked(fact: Fact, other: Fact, kind: LinkKind, *, remove: bool = False) -> Fact:
    """`fact` with its link to `other` added (at the end) or removed; InvalidInput, naming both facts,
    when the change would do nothing or makes no sense."""
    if other.id == fact.id:
        raise InvalidInput(f"A fact cannot be linked to itself (`{fact.id}`). Nothing was changed.")
    links: tuple[str, ...] = fact.related if kind is LinkKind.RELATED else fact.responds_to
    words = LINK_WORDS[kind]
    if remove:
        if other.id not in links:
            raise InvalidInput(
                f"**{fact.title}** is not marked {words} **{other.title}**. Nothing was changed."
            )
        updated = tuple(link for link in links if link != other.id)
    else:
        if other.id in links:
            raise InvalidInput(
                f"**{fact.title}** is already marked {words} **{other.title}**. Nothing was changed."
            )
        updated = (*links, other.id)
    if kind is LinkKind.RELATED:
        return dataclasses.replace(fact, related=updated)
    return dataclasses.replace(fact, responds_to=updated)
