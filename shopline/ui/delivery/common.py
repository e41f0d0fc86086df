"""What the send dialog and the history page share: the token, and a run's outcome in words."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from shopline import secrets
from shopline.delivery.results import RunResult


def token_or_none() -> str | None:
    """The channel token; None when no channel is connected (estimates then use remembered figures)."""
    try:
        return secrets.channel_token()
    except (secrets.NotConnected, secrets.KeyringUnavailable):
        return None


def outcome_text(result: RunResult) -> str:
    counts = QCoreApplication.translate("Delivery", "Sent: %1 / not sent: %2 / pending: %3") \
        .replace("%1", f"{result.delivered:,}").replace("%2", f"{result.failed:,}").replace("%3", f"{result.pending:,}")
    return counts + ("\n" + str(result.message) if result.message else "")
