"""Codes from an authenticator app, for tests that sign in with two-factor authentication."""

from __future__ import annotations

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def totp_code(secret: str) -> str:
    """The code an authenticator app with this secret shows now. Near the end of a period
    it waits for the next one, so the code is still current when it is checked."""
    period = app_settings.TOTP_PERIOD
    while period - time.time() % period < 2:
        time.sleep(0.25)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
