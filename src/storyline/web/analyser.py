"""Statements found in the background while the server runs, so no page waits for the parser."""

from __future__ import annotations

import logging
import threading

from ..engine import Storyline
from ..settings import Settings
from ..statements import ModelError

log = logging.getLogger("storyline.web")


class StatementAnalyser(threading.Thread):
    """Analyses articles whose statements are not known yet, a few per transaction (so an
    ingest over HTTP never waits long for the write lock), newest work first found by polling.

    ``stop()`` ends it after the current chunk; ``idle`` is set whenever nothing is pending.
    """

    def __init__(self, settings: Settings, chunk: int = 4, poll_s: float = 2.0) -> None:
        super().__init__(name="storyline-statements", daemon=True)
        self._settings = settings
        self._chunk = chunk
        self._poll_s = poll_s
        self._max_pause_s = 60.0
        self._stop_event = threading.Event()
        self.idle = threading.Event()
        self.analysed = 0
        self.error: str | None = None

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        pause = self._poll_s
        while not self._stop_event.is_set():
            try:
                self._analyse_until_stopped()
                return
            except ModelError as exc:  # the parser is not installed: pages show what they can without it
                self.error = str(exc)
                log.warning("statements are not analysed in the background: %s", exc)
                self.idle.set()
                return
            except Exception as exc:  # a server must keep serving; say why, wait, and try again
                self.error = f"{type(exc).__name__}: {exc}"
                log.warning("background statement analysis failed (%s); trying again in %.0f s", self.error, pause)
                self.idle.set()
                self._stop_event.wait(pause)
                pause = min(pause * 2, self._max_pause_s)
        self.idle.set()

    def _analyse_until_stopped(self) -> None:
        with Storyline(settings=self._settings) as sl:
            while not self._stop_event.is_set():
                pending = sl.queries.unanalysed_articles()
                if not pending:
                    self.idle.set()
                    self._stop_event.wait(self._poll_s)
                    continue
                self.idle.clear()
                for start in range(0, len(pending), self._chunk):
                    if self._stop_event.is_set():
                        break
                    self.analysed += sl.analyse_statements(pending[start:start + self._chunk])
                self.error = None
