"""Temporal expressions in text: the TimeML tagger (``timex``), its calendar arithmetic and
word lists, and the TimeML values' helpers (``dates``). Used by the timeline and statements stages."""
