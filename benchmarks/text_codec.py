"""How small and how fast the store's texts are: zlib alone (format 1) against a dictionary
trained on the texts before (format 2), on real text files.

    python benchmarks/text_codec.py ../shared/data/polnear/train/text ../shared/data/polnear/dev/text --train 840

reads every file under the folders given (in name order, folder by folder; a ``.csv`` file given
is read for its ``--columns``, row by row), trains a dictionary
on the first ``--train`` texts as a store does once it holds ``ingest.text_dictionary`` articles
(``storyline.store.text_codec.TextCodec.train``), and packs the texts after them both ways. Prints
one JSON line: ``{"trained_on", "texts", "train_s", "raw_b", "zlib_b", "dictionary_b", "saved",
"pack_us", "read_us"}``: the seconds training took, bytes a text (raw UTF-8, format 1, format 2),
the share format 2 saves, and the microseconds a text to pack and to read back each way (the
best of ``--repeat`` passes, one process). ``--level`` and ``--dictionary-kb`` try another
zstd level or dictionary size than the store's. Run it as a script.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
import time
from pathlib import Path

from storyline.store.text_codec import DICTIONARY_BYTES, TextCodec, pack_text, unpack_text


def _texts(folders: list[Path], columns: list[str]) -> list[str]:
    out = []
    for folder in folders:
        if folder.suffix == ".csv":
            csv.field_size_limit(sys.maxsize)
            with folder.open(encoding="utf-8", newline="") as f:
                out += [row[c] for row in csv.DictReader(f) for c in columns]
            continue
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else [folder]
        out += [p.read_text(encoding="utf-8", errors="replace") for p in files]
    return [t for t in out if t.strip()]


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--train", type=int, default=1000, help="texts the dictionary is trained on (the first ones)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--columns", default="text1,text2", help="a CSV file's columns holding texts")
    parser.add_argument("--level", type=int, default=None, help="zstd level (default: the store's)")
    parser.add_argument("--dictionary-kb", type=int, default=DICTIONARY_BYTES // 1024)
    args = parser.parse_args(argv)
    texts = _texts(args.folders, args.columns.split(","))
    if len(texts) <= args.train:
        print(f"{len(texts)} texts: none left after the {args.train} to train on", file=sys.stderr)
        return 2
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE text_dictionaries (id INTEGER PRIMARY KEY, data BLOB NOT NULL,"
                 " trained_on INTEGER NOT NULL, created_at TEXT)")
    codec = TextCodec(conn) if args.level is None else TextCodec(conn, level=args.level)
    started = time.perf_counter()
    trained = codec.train(texts[:args.train], size=args.dictionary_kb * 1024)
    train_s = time.perf_counter() - started
    if trained is None:
        print("zstd found too little to train a dictionary on", file=sys.stderr)
        return 2
    rest = texts[args.train:]
    zlib_blobs = [pack_text(t) for t in rest]
    dict_blobs = [codec.pack(t) for t in rest]
    assert [codec.read(b) for b in dict_blobs] == rest
    n = len(rest)
    report = {
        "trained_on": args.train, "texts": n, "train_s": round(train_s, 2),
        "raw_b": round(sum(len(t.encode("utf-8")) for t in rest) / n, 1),
        "zlib_b": round(sum(map(len, zlib_blobs)) / n, 1),
        "dictionary_b": round(sum(map(len, dict_blobs)) / n, 1),
        "pack_us": {"zlib": round(_best(lambda: [pack_text(t) for t in rest], args.repeat) / n * 1e6, 1),
                    "dictionary": round(_best(lambda: [codec.pack(t) for t in rest], args.repeat) / n * 1e6, 1)},
        "read_us": {"zlib": round(_best(lambda: [unpack_text(b) for b in zlib_blobs], args.repeat) / n * 1e6, 1),
                    "dictionary": round(_best(lambda: [codec.read(b) for b in dict_blobs], args.repeat) / n * 1e6, 1)},
    }
    report["saved"] = round(1 - report["dictionary_b"] / report["zlib_b"], 4)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
