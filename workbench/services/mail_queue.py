"""Mail in the background: a request hands its message over and answers at once.

A request that mails (a reset link, a confirmation, an invitation) must not wait for the
SMTP server: a slow or stalled server would hold the page, and the time the page takes
would tell whether an address has an account. So each process keeps one sender thread,
started on first use (in the process that uses it, so after gunicorn forks its workers).
The web layer submits a task once the request's transaction has committed; the thread
runs it: the task composes its message (looking up the account, if the request left that
to it) and sends it. A send that fails is tried again after each of the settings'
`retry_delays`; after the last try the message is written to the outbox folder, where the
instance administrators read it, and the log says so. When the process stops it waits a
few seconds for the sender, then keeps whatever is still unsent in the outbox.

The job layer does not fit mail: its jobs belong to a workspace, and the mail of
registration and password reset belongs to none.
"""

from __future__ import annotations

import atexit
import heapq
import itertools
import logging
import os
import smtplib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.services import mail
from workbench.services.errors import ServiceError
from workbench.services.mail import MailSettings, Message

log = logging.getLogger(__name__)

Task = Callable[[], None]
# How long a stopping process waits for its sender before keeping the rest in the outbox.
STOP_WAIT_SECONDS = 10.0
# Failures worth another try later: the server is down, slow, or refused for now.
TRANSIENT = (OSError, smtplib.SMTPException)


@dataclass(order=True)
class _Item:
    """A task to run, or a message to send again, once `due` (monotonic seconds) comes."""

    due: float
    order: int
    task: Task | None = field(default=None, compare=False)
    settings: MailSettings | None = field(default=None, compare=False)
    message: Message | None = field(default=None, compare=False)
    attempt: int = field(default=0, compare=False)


class MailSender:
    """One background thread per process that runs mail tasks and retries failed sends."""

    def __init__(self, name: str = "mail-sender") -> None:
        self.name = name
        self._changed = threading.Condition()
        self._due: list[_Item] = []
        self._order = itertools.count()
        self._running = 0
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stopping = False
        self._exit_hook = False
        # Messages being handed to the server right now, by thread, for `stop` to keep.
        self._in_flight: dict[int, tuple[MailSettings, Message]] = {}

    def submit(self, task: Task) -> None:
        """Run the task on the sender thread as soon as it is free."""
        self._push(_Item(time.monotonic(), next(self._order), task=task))

    def send(self, settings: MailSettings, message: Message, attempt: int = 0) -> bool:
        """Send now (on the calling thread); on failure plan a retry or keep it in the outbox.

        Returns whether the message left. Never raises for a failed delivery: the page that
        asked for it has answered already.
        """
        thread = threading.get_ident()
        self._in_flight[thread] = (settings, message)
        try:
            mail.send(settings, message)
        except TRANSIENT as error:
            if attempt < len(settings.retry_delays) and not self._stopping:
                delay = settings.retry_delays[attempt]
                log.warning(
                    "mail to %s (%s) failed (%s); trying again in %s s",
                    message.to, message.subject, error, delay,
                )  # fmt: skip
                due = time.monotonic() + delay
                self._push(_Item(due, next(self._order), None, settings, message, attempt + 1))
                return False
            log.error(
                "mail to %s (%s) failed %s time(s) (%s); kept in the outbox",
                message.to, message.subject, attempt + 1, error,
            )  # fmt: skip
            _keep(settings, message)
        except (ServiceError, ValueError) as error:
            # The message itself cannot go (an address the server cannot take): keep it.
            log.error("mail to %s (%s) refused: %s", message.to, message.subject, error)
            _keep(settings, message)
        else:
            return True
        finally:
            self._in_flight.pop(thread, None)
        return False

    def run_now(self, task: Task) -> None:
        """Run a task on the calling thread, logging (not raising) what goes wrong."""
        try:
            task()
        except Exception:
            log.exception("a mail task failed; its message was not sent")

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or running (retries included); return whether so."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._due or self._running:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def stop(self, timeout: float = STOP_WAIT_SECONDS) -> int:
        """Wait for queued tasks, then keep every message still waiting for a retry, or
        still being sent, in the outbox.

        Returns how many items were left behind (tasks not run, messages kept).
        """
        self._stopping = True
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._running or any(item.task is not None for item in self._due):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            left_over, self._due = self._due, []
            sending = list(self._in_flight.values())
        for settings, message in sending:
            # Still talking to a stalled server: better kept twice than lost.
            log.error("mail to %s (%s) was still being sent at stop", message.to, message.subject)
            _keep(settings, message)
        for item in left_over:
            if item.settings is not None and item.message is not None:
                _keep(item.settings, item.message)
            else:
                log.error("a mail task was still waiting when the process stopped")
        return len(left_over) + len(sending)

    def _push(self, item: _Item) -> None:
        with self._changed:
            self._start_thread()
            heapq.heappush(self._due, item)
            self._changed.notify_all()

    def _start_thread(self) -> None:
        # Called with the lock held. A forked process inherits the list but not the thread.
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._work, name=self.name, daemon=True)
        self._thread.start()
        if not self._exit_hook:
            atexit.register(self.stop)
            self._exit_hook = True

    def _next(self) -> _Item:
        with self._changed:
            while True:
                now = time.monotonic()
                if self._due and self._due[0].due <= now:
                    self._running += 1
                    return heapq.heappop(self._due)
                wait = self._due[0].due - now if self._due else None
                self._changed.wait(wait)

    def _work(self) -> None:
        while True:
            item = self._next()
            try:
                if item.task is not None:
                    self.run_now(item.task)
                elif item.settings is not None and item.message is not None:
                    self.send(item.settings, item.message, item.attempt)
            except Exception:  # pragma: no cover - send and run_now log their own failures
                log.exception("the mail sender failed on an item")
            finally:
                with self._changed:
                    self._running -= 1
                    self._changed.notify_all()


def _keep(settings: MailSettings, message: Message) -> None:
    try:
        path = mail.keep(settings, message)
    except (OSError, ServiceError, ValueError):
        log.exception("mail to %s (%s) is lost: the outbox refused it", message.to, message.subject)
        return
    log.warning("mail to %s (%s) kept in the outbox as %s", message.to, message.subject, path.name)


# The process's sender: every request of this process hands its mail to it.
SENDER = MailSender()
