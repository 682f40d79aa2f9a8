"""A mail server for the fault tests, on a loopback port, in one of three states: refused
(nothing listens), hung (connections are accepted and never answered: not even the greeting)
and answering (just enough SMTP for Django's backend, each message kept). Standard library
only, one thread per connection."""

from __future__ import annotations

import contextlib
import socket
import threading
from email import message_from_bytes
from email.message import Message


class SmtpSink:
    def __init__(self, port: int) -> None:
        self.port = port
        self.state = "refused"
        self.messages: list[Message] = []
        # Connections accepted while hung: each is a client left waiting for the greeting.
        self.hung_connections = 0
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._held: list[socket.socket] = []

    # --- States ------------------------------------------------------------------------------
    def refuse(self) -> None:
        self._close()
        self.state = "refused"

    def hang(self) -> None:
        self.state = "hung"
        self._listen()

    def answer(self) -> None:
        self.state = "answering"
        self._release_held()
        self._listen()

    def stop(self) -> None:
        self._close()

    def received(self) -> list[tuple[str, str]]:
        """(recipient, subject) of every message accepted so far."""
        with self._lock:
            return [(message["To"], message["Subject"]) for message in self.messages]

    # --- Sockets -----------------------------------------------------------------------------
    def _listen(self) -> None:
        if self._listener is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        self._release_held()

    def _release_held(self) -> None:
        with self._lock:
            held, self._held = self._held, []
        for connection in held:
            connection.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # closed: the sink now refuses
                return
            if self.state == "hung":
                with self._lock:
                    self._held.append(connection)
                    self.hung_connections += 1
            else:
                threading.Thread(target=self._converse, args=(connection,), daemon=True).start()

    def _converse(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as incoming:

            def reply(line: str) -> None:
                connection.sendall(f"{line}\r\n".encode())

            reply("220 sink ready")
            for raw in incoming:
                command = raw.decode("ascii", "replace").strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    reply("250 sink")
                elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                    reply("250 OK")
                elif command == "DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    for line in incoming:
                        if line == b".\r\n":
                            break
                        lines.append(line[1:] if line.startswith(b"..") else line)
                    with self._lock:
                        self.messages.append(message_from_bytes(b"".join(lines)))
                    reply("250 OK: queued")
                elif command == "QUIT":
                    reply("221 Bye")
                    return
                else:
                    reply("502 Command not implemented")
