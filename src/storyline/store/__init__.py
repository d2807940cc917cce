"""The SQLite store: schema, migrations, reads and writes."""

from ..pipeline.ports import Existing
from .migrations import LATEST as SCHEMA_VERSION
from .sqlite import Store, cannot_create, unwritable

__all__ = ["SCHEMA_VERSION", "Existing", "Store", "cannot_create", "unwritable"]
