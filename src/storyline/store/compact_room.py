"""Whether the disks a compaction writes to have the room it may need, asked before it starts.

SQLite's VACUUM (:meth:`storyline.store.sqlite.Store.compact`) copies the store into a temporary
database in SQLite's temporary folder, then writes the copy back over the store through a
journal beside it: up to the store's size in each place, twice that where both are one disk.
It may need less (the pages it gives back are not copied), so a shortfall is said, not refused:
a compaction that runs out of disk leaves the store as it was, but only after its merges and
part of its copy, minutes into a large store.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(slots=True, frozen=True)
class Shortfall:
    """A disk with less free space than a compaction may write to it."""

    folder: Path  # a folder on that disk
    free: int  # bytes free there
    needed: int  # bytes the compaction may write there
    what: str  # what it writes there


def sqlite_temp_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """The folder SQLite puts its temporary databases in on Unix (``unixTempFileDir``): the first
    of ``SQLITE_TMPDIR``, ``TMPDIR``, /var/tmp, /usr/tmp, /tmp that is a folder this process may
    write in, else the current folder."""
    candidates = [environ.get("SQLITE_TMPDIR"), environ.get("TMPDIR"), "/var/tmp", "/usr/tmp", "/tmp"]
    for candidate in candidates:
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return Path(candidate)
    return Path(".")


def compact_shortfalls(store: Path, store_bytes: int, environ: Mapping[str, str] = os.environ) -> list[Shortfall]:
    """The disks that have less free space than compacting the store at ``store`` (of
    ``store_bytes``, its write-ahead log included) may write to them; none when each has room."""
    here = store.resolve().parent
    temp = sqlite_temp_folder(environ).resolve()
    if here.stat().st_dev == temp.stat().st_dev:
        wanted = [(here, 2 * store_bytes, "the store's temporary copy and the journal that writes it back")]
    else:
        wanted = [(here, store_bytes, "the journal that writes the copy back"),
                  (temp, store_bytes, "the store's temporary copy (SQLite's temporary folder)")]
    out = []
    for folder, needed, what in wanted:
        free = shutil.disk_usage(folder).free
        if free < needed:
            out.append(Shortfall(folder, free, needed, what))
    return out


__all__ = ["Shortfall", "compact_shortfalls", "sqlite_temp_folder"]
