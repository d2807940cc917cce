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
        self._stop_event = threading.Event()
        self.idle = threading.Event()
        self.analysed = 0
        self.error: str | None = None

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        try:
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
        except ModelError as exc:  # the parser is not installed: pages show what they can without it
            self.error = str(exc)
            log.warning("statements are not analysed in the background: %s", exc)
        except Exception as exc:  # a server must keep serving; say why statements stopped
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("background statement analysis stopped")
        finally:
            self.idle.set()
