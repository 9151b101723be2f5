#!/usr/bin/env python3
"""Independent check of a Khabar corpus folder against docs/DESIGN.md ("The corpus").

Written from the design alone, not from Khabar's code: file names, content hashes recomputed with
the design's Python reference, the text-file rules, and the change log (keys and their order,
types, references). Usage:

    check_corpus.py CORPUS_DIR [--allow-adopted]

--allow-adopted accepts files without a change-log line numbered below the log's first line
(files adopted from an older scraper, such as the seeds), whatever their names and text.
Prints one line per problem; exits 0 when there is none, 1 otherwise.
"""
import hashlib
import json
import os
import re
import sys
import unicodedata

KEYS = ["ts", "action", "file", "hash", "url", "canonical_url", "source", "title", "published",
        "modified", "author", "lang", "chars", "supersedes", "near_duplicate_of"]
NAME = re.compile(r"^(\d{3,})_([0-9a-f]{16})\.txt$")
TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")


def hash16(text: str) -> str:
    n = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(n.encode("utf-8")).hexdigest()[:16]


def text_problems(text: str):
    """The text-file rules of DESIGN.md."""
    problems = []
    if text == "":
        return ["empty"]
    if text.startswith("\ufeff"):
        problems.append("starts with a BOM")
    if unicodedata.normalize("NFC", text) != text:
        problems.append("not NFC")
    if not text.endswith("\n"):
        problems.append("no final newline")
    for number, line in enumerate(text[:-1].split("\n") if text.endswith("\n") else text.split("\n"), 1):
        if line == "":
            problems.append(f"line {number} is empty")
            continue
        if line != line.strip(" "):
            problems.append(f"line {number} has leading or trailing spaces")
        for ch in line:
            o = ord(ch)
            if unicodedata.category(ch) == "Cc":
                problems.append(f"line {number} has control character U+{o:04X}")
            elif o in (0x200B, 0xFEFF, 0x00AD):
                problems.append(f"line {number} has U+{o:04X}")
            elif o == 0x00A0:
                problems.append(f"line {number} has a no-break space")
            elif ch != " " and ch.isspace():
                problems.append(f"line {number} has white space U+{o:04X} other than a space")
        if "  " in line:
            problems.append(f"line {number} has repeated spaces")
    return problems


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip().splitlines()[0])
        return 2
    folder = argv[0]
    allow_adopted = "--allow-adopted" in argv[1:]
    problems = []
    files = {}
    for entry in sorted(os.listdir(folder)):
        m = NAME.match(entry)
        if m:
            number = int(m.group(1))
            if len(m.group(1)) > 3 and m.group(1).startswith("0"):
                problems.append(f"{entry}: number padded beyond three digits")
            files[entry] = (number, m.group(2))
        elif entry in ("changes.jsonl", ".lock"):
            continue
        elif entry.startswith(".tmp-"):
            problems.append(f"{entry}: stale temporary file")
        else:
            problems.append(f"{entry}: not part of the corpus format")

    numbers = {}
    for name, (number, _) in files.items():
        numbers.setdefault(number, []).append(name)
    for number, names in sorted(numbers.items()):
        if len(names) > 1:
            problems.append(f"number {number} used by {', '.join(sorted(names))}")

    lines = []
    log_path = os.path.join(folder, "changes.jsonl")
    if os.path.exists(log_path):
        with open(log_path, "rb") as f:
            data = f.read()
        if data and not data.endswith(b"\n"):
            problems.append("changes.jsonl: last line has no newline")
        # An empty change log (a corpus nothing was added to yet) has no lines at all.
        raws = [] if not data else data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n")
        for number, raw in enumerate(raws, 1):
            try:
                pairs = json.loads(raw.decode("utf-8"), object_pairs_hook=lambda p: p)
            except (UnicodeDecodeError, ValueError) as e:
                problems.append(f"changes.jsonl:{number}: not JSON ({e})")
                continue
            if not isinstance(pairs, list) or [k for k, _ in pairs] != KEYS:
                problems.append(f"changes.jsonl:{number}: keys are not exactly {','.join(KEYS)} in that order")
                continue
            lines.append((number, dict(pairs)))

    logged = {}
    for number, rec in lines:
        where = f"changes.jsonl:{number}"
        for key in KEYS:
            value = rec[key]
            if key == "chars":
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    problems.append(f"{where}: chars must be a non-negative integer")
            elif key in ("ts", "action", "file", "hash"):
                if not isinstance(value, str):
                    problems.append(f"{where}: {key} must be a string")
            elif value is not None and not isinstance(value, str):
                problems.append(f"{where}: {key} must be a string or null")
        if not isinstance(rec["ts"], str) or not TS.match(rec["ts"]):
            problems.append(f"{where}: ts is not UTC RFC 3339 with Z: {rec['ts']!r}")
        for key in ("published", "modified"):
            if isinstance(rec[key], str) and not DATE.match(rec[key]):
                problems.append(f"{where}: {key} is not RFC 3339 or a date: {rec[key]!r}")
        if rec["action"] not in ("added", "revised"):
            problems.append(f"{where}: action {rec['action']!r}")
        name = rec["file"]
        if not isinstance(name, str) or not NAME.match(name):
            problems.append(f"{where}: file {name!r} is not a corpus name")
            continue
        if name in logged:
            problems.append(f"{where}: {name} already logged on line {logged[name]}")
        logged[name] = number
        if name not in files:
            problems.append(f"{where}: {name} is missing")
            continue
        if rec["hash"] != files[name][1]:
            problems.append(f"{where}: hash {rec['hash']} is not the one in {name}")
        if rec["action"] == "revised" and not rec["supersedes"]:
            problems.append(f"{where}: revised without supersedes")
        if rec["action"] == "added" and rec["supersedes"] is not None:
            problems.append(f"{where}: added with supersedes")
        for key in ("supersedes", "near_duplicate_of"):
            ref = rec[key]
            if ref is not None:
                if ref not in files:
                    problems.append(f"{where}: {key} names {ref}, which is missing")
                elif files[ref][0] >= files[name][0]:
                    problems.append(f"{where}: {key} names {ref}, which is not older")

    first_logged = min((files[n][0] for n in logged if n in files), default=None)
    by_name = {rec["file"]: rec for _, rec in lines}
    for name, (number, name_hash) in sorted(files.items(), key=lambda kv: kv[1][0]):
        with open(os.path.join(folder, name), "rb") as f:
            raw = f.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{name}: not UTF-8")
            continue
        adopted = name not in logged and (first_logged is None or number < first_logged)
        if adopted and allow_adopted:
            continue
        if name not in logged:
            problems.append(f"{name}: no change-log line")
        if hash16(text) != name_hash:
            problems.append(f"{name}: content hash {hash16(text)} does not match the name")
        for p in text_problems(text):
            problems.append(f"{name}: {p}")
        rec = by_name.get(name)
        if rec is not None and rec["chars"] != len(text):
            problems.append(f"{name}: change log says {rec['chars']} characters, the file has {len(text)}")

    for p in problems:
        print(p)
    print(f"{len(files)} files, {len(lines)} change-log lines, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
