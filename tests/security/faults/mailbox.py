"""An email backend for the fault tests: each accepted message becomes one file (written
whole, then renamed into place), as a mail server's queue would hold it. A delay per message
makes a batch slow enough to kill a worker in the middle of it."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, messages) -> int:
        folder = Path(settings.FAULTS_MAILBOX)
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            time.sleep(settings.FAULTS_SEND_DELAY)
            name = uuid.uuid4().hex
            temporary = folder / f".{name}.tmp"
            temporary.write_bytes(message.message().as_bytes())
            os.replace(temporary, folder / f"{name}.eml")
        return len(messages)


def delivered(folder: Path) -> list[tuple[str, str]]:
    """(recipient, Message-ID) of every message in the mailbox."""
    from email import message_from_bytes

    found = []
    for path in folder.glob("*.eml"):
        message = message_from_bytes(path.read_bytes())
        found.append((message["To"], message["Message-ID"]))
    return found
