"""The SQLite store: schema, migrations, reads and writes."""

from .migrations import LATEST as SCHEMA_VERSION
from .sqlite import Existing, Store

__all__ = ["SCHEMA_VERSION", "Existing", "Store"]
