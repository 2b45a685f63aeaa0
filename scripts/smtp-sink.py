#!/usr/bin/env python3
"""A mail sink on the loopback, for the tests and `make run`: aiosmtpd (from .venv, see
scripts/python-tools.sh) keeping every message it accepts as a file in a Maildir.

    smtp-sink.py --port PORT --maildir DIR [--auth USER:PASSWORD] [--tls CERT KEY]
                 [--refuse CODE] [--delay SECONDS] [--vanish]

--auth requires AUTH (PLAIN or LOGIN) before MAIL; --tls offers STARTTLS with that
certificate; --refuse answers CODE (451 or 554, say) to every message instead of keeping
it; --delay waits that long before answering each message (a slow server); --vanish drops
the connection once a message's data has arrived, without an answer (a server that dies
mid-send: the client cannot know whether it was taken). Prints "ready" on standard output
once it listens; stops on SIGTERM or SIGINT.
"""
import argparse
import asyncio
import mailbox
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Keeper:
    def __init__(self, maildir, refuse, delay, vanish):
        self.box = mailbox.Maildir(maildir, create=True)
        self.refuse = refuse
        self.delay = delay
        self.vanish = vanish

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.vanish:
            server.transport.abort()
            return "421 gone"
        if self.refuse:
            return f"{self.refuse} refused by the test sink"
        message = mailbox.MaildirMessage(envelope.original_content or envelope.content)
        self.box.add(message)
        return "250 OK kept"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--auth")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--refuse", type=int)
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--vanish", action="store_true")
    options = parser.parse_args()

    settings = {}
    if options.auth:
        user, password = options.auth.split(":", 1)

        def authenticate(server, session, envelope, mechanism, data):
            ok = data is not None and data.login.decode() == user and data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        settings.update(authenticator=authenticate, auth_required=True, auth_require_tls=bool(options.tls))
    if options.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.tls[0], options.tls[1])
        settings.update(tls_context=context, require_starttls=False)

    controller = Controller(Keeper(options.maildir, options.refuse, options.delay, options.vanish), hostname="127.0.0.1", port=options.port, **settings)
    controller.start()
    print("ready", flush=True)
    stopped = threading.Event()
    # A parent may have started us with these signals blocked (threads of a test runner do).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    while not stopped.wait(0.1):
        pass
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
