"""CLI: `denshi-client otp wait` (implemented next to `mail` in mail_cmd.py)."""

from __future__ import annotations

from denshi_client.cli.mail_cmd import register_otp as register

__all__ = ["register"]
