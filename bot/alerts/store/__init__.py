"""Alert subscriptions, the outbox the fact triggers fill (migration 0007) and claimed deliveries."""

from bot.alerts.store.alerts import CLAIM_LEASE, MAX_SEND_ATTEMPTS, PAUSE_AFTER_FAILURES, AlertStore

__all__ = ["CLAIM_LEASE", "MAX_SEND_ATTEMPTS", "PAUSE_AFTER_FAILURES", "AlertStore"]
