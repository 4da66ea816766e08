"""Leads and feed state (migration 0008)."""

from bot.watchers.store.leads import LeadStore

__all__ = ["LeadStore"]
