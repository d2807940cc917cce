"""What makes a batch job's work folder that job's: its inputs, the settings that shape what it
finds, its field map, and the featurized rows' version.

A job stopped and run again resumes only when all of these are the same; otherwise its folder is
another job's, and the error says what differs (a setting changed, an input rewritten, another
storyline's features) instead of only that something does. Settings that say how the job runs,
never what it finds, are left out, so a resumed job may run with more memory, bigger caches,
another master or other progress lines, and a later storyline that adds such a setting still
resumes the job an earlier one began.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, fields, is_dataclass
from typing import Any

from ..ingest.reader import ReadOptions
from ..settings import Settings

# Sections and settings that never change a verdict, a story or a stored row: where the job runs,
# how it reports, what the web and query sides do, fetching (the job reads files), whether
# statements are found (a job run without them may be run again with them), whether (and when) pair
# checks are compiled (the same verdicts), whether candidates past a passage's earliest first
# occurrence are checked (the same verdicts), whether featurize runs beside the store stage (the
# same chunks, the same verdicts), whether the store stage's inputs are kept once it is done, and whether the
# store is compacted once written (the same rows a lookup or a reader sees). Every setting named
# ``cache_*`` sizes a bounded cache, which holds what the store holds and changes no result.
RUN_ONLY_SECTIONS = frozenset({"web", "queries"})
RUN_ONLY = frozenset({
    "db_path",
    "ingest.workers", "ingest.lock_wait_s", "ingest.fetch_timeout_s", "ingest.max_fetch_bytes",
    "ingest.allow_private_urls", "ingest.max_redirects", "ingest.user_agent", "ingest.summary_statements",
    "statements.chunk", "reuse.compiled_checks", "reuse.compiled_after", "reuse.check_later_roots",
    "batch.master", "batch.driver_memory", "batch.statements", "batch.statements_chunk", "batch.progress_s",
    "batch.featurize_ahead", "batch.keep_work", "batch.compact",
})


def shaping_settings(settings: Settings) -> dict[str, Any]:
    """The settings that shape a job's results, as ``{"section.name": value}`` in JSON's types."""
    out: dict[str, Any] = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if f.name in RUN_ONLY_SECTIONS:
            continue
        if is_dataclass(value) and not isinstance(value, type):
            for name, item in asdict(value).items():
                key = f"{f.name}.{name}"
                if key not in RUN_ONLY and not name.startswith("cache_"):
                    out[key] = item
        elif f.name not in RUN_ONLY:
            out[f.name] = value
    return json.loads(json.dumps(out, default=str))  # tuples as lists, paths as strings: as read back


@dataclass(slots=True, frozen=True)
class JobManifest:
    """One job's identity (``_work/job.json``); ``job`` is its digest, which also keys the job's
    progress in the store it writes."""

    inputs: tuple[tuple[str, int, int], ...]  # path, size, modification time (ns)
    settings: dict[str, Any]
    options: dict[str, Any]
    features: int

    @classmethod
    def of(cls, locations: list[str], settings: Settings, options: ReadOptions, features: int) -> JobManifest:
        inputs = tuple((loc, (st := os.stat(loc)).st_size, st.st_mtime_ns) for loc in locations)
        return cls(inputs, shaping_settings(settings),
                   json.loads(json.dumps(asdict(options), default=str)), features)

    @property
    def job(self) -> str:
        text = json.dumps([self.inputs, self.settings, self.options, self.features], sort_keys=True)
        return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {"job": self.job, "inputs": [loc for loc, _, _ in self.inputs],
                "files": [list(i) for i in self.inputs], "settings": self.settings,
                "options": self.options, "features": self.features}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JobManifest | None:
        """The manifest saved; ``None`` for one saved by a storyline that kept only the digest
        (or one whose parts cannot be read)."""
        try:
            return cls(tuple((str(loc), int(size), int(mtime)) for loc, size, mtime in data["files"]),
                       dict(data["settings"]), dict(data["options"]), int(data["features"]))
        except (KeyError, TypeError, ValueError):
            return None

    def differences(self, before: JobManifest) -> list[str]:
        """What this job does otherwise than the job ``before``, for the person who ran both."""
        out: list[str] = []
        if self.features != before.features:
            out.append(f"its features are another storyline's (version {before.features}; this one writes "
                       f"{self.features})")
        now, then = {loc: rest for loc, *rest in self.inputs}, {loc: rest for loc, *rest in before.inputs}
        changed = [loc for loc in now if loc in then and now[loc] != then[loc]]
        for what, locs in (("inputs changed since (size or modification time)", changed),
                           ("inputs it did not read", [loc for loc in now if loc not in then]),
                           ("inputs it read that are not given now", [loc for loc in then if loc not in now])):
            if locs:
                shown = ", ".join(locs[:3]) + (f" and {len(locs) - 3:,} more" if len(locs) > 3 else "")
                out.append(f"{what}: {shown}")
        if list(now) != list(then) and set(now) == set(then):
            out.append("the same inputs in another order")
        settings = sorted(set(self.settings) | set(before.settings))
        for key in settings:
            old, new = before.settings.get(key, "(not a setting then)"), self.settings.get(key, "(not a setting now)")
            if old != new:
                out.append(f"{key} {old!r} then, {new!r} now")
        if self.options != before.options:
            out.append(f"the format or field map: {before.options} then, {self.options} now")
        return out
