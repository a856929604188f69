"""Copy the recorded AWX 24.6.1 exchanges into the repository (tests/awxsim/recordings/awx-api/).

The conformance replay reads only the in-repository copy, so a fresh clone runs it without
anything beside the checkout. When a newer recording set is available (by default the first
``shared/awx-api/`` found beside the checkout or beside one of its parent directories, e.g.
``../shared/awx-api/``), this copies what is new or changed and prints each file it touched:

    python tools/sync_recordings.py [--from DIR] [--check] [--prune]

Characters outside ASCII in the JSON files are written as JSON ``\\uXXXX`` escapes (the same
JSON; the sanity test refuses typographic quotes in repository files), so files are compared
by their parsed content, not byte for byte. ``--check`` changes nothing and exits 1 when the
copy is not up to date; ``--prune`` also removes recordings the source no longer has.
"""
import argparse
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEST = os.path.join(REPO, "tests", "awxsim", "recordings", "awx-api")
PARTS = ("README.md", "exchanges", "options")
SMART_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}


def default_source():
    """``shared/awx-api`` beside the checkout or beside one of its parents, or None."""
    here = REPO
    while True:
        parent = os.path.dirname(here)
        candidate = os.path.join(parent, "shared", "awx-api")
        if os.path.isdir(os.path.join(candidate, "exchanges")):
            return candidate
        if parent == here:
            return None
        here = parent


def ascii_json(text):
    """The same JSON text with every non-ASCII character as a ``\\uXXXX`` escape (only strings
    can hold one, so a textual replacement keeps the document and its layout)."""
    out = []
    for char in text:
        code = ord(char)
        if code < 0x80:
            out.append(char)
        elif code < 0x10000:
            out.append("\\u%04x" % code)
        else:
            code -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
    return "".join(out)


def converted(path):
    """What the repository keeps for this source file (text)."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if path.endswith(".json"):
        result = ascii_json(text)
        if json.loads(result) != json.loads(text):  # pragma: no cover - a broken escape would be a bug here
            raise ValueError("%s: escaping changed the document" % path)
        return result
    for quote, plain in SMART_QUOTES.items():
        text = text.replace(quote, plain)
    return text


def same(dest_path, text):
    if not os.path.exists(dest_path):
        return False
    with open(dest_path, encoding="utf-8") as handle:
        current = handle.read()
    if current == text:
        return True
    if dest_path.endswith(".json"):
        try:
            return json.loads(current) == json.loads(text)
        except ValueError:
            return False
    return False


def source_files(source):
    for part in PARTS:
        path = os.path.join(source, part)
        if os.path.isfile(path):
            yield part
        elif os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if os.path.isfile(os.path.join(path, name)):
                    yield os.path.join(part, name)


def dest_files():
    for part in PARTS:
        path = os.path.join(DEST, part)
        if os.path.isfile(path):
            yield part
        elif os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                yield os.path.join(part, name)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--from", dest="source", default=None,
                        help="the recordings directory (holding exchanges/); default: shared/awx-api beside the checkout")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the copy is not up to date")
    parser.add_argument("--prune", action="store_true", help="remove recordings the source does not have")
    args = parser.parse_args(argv)
    source = args.source or default_source()
    if not source or not os.path.isdir(os.path.join(source, "exchanges")):
        print("sync_recordings: no recordings found (%s); the repository copy stays as it is"
              % (source or "no shared/awx-api beside the checkout"))
        return 0 if not args.check else 1
    source = os.path.abspath(source)
    wanted = list(source_files(source))
    changes = []
    for rel in wanted:
        text = converted(os.path.join(source, rel))
        target = os.path.join(DEST, rel)
        if same(target, text):
            continue
        changes.append(("new" if not os.path.exists(target) else "updated", rel))
        if not args.check:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
    for rel in sorted(set(dest_files()) - set(wanted)):
        changes.append(("removed" if args.prune else "only in the repository", rel))
        if args.prune and not args.check:
            os.remove(os.path.join(DEST, rel))
    for kind, rel in changes:
        print("%-22s %s" % (kind + ":", rel))
    unchanged = len(wanted) - sum(1 for kind, _rel in changes if kind in ("new", "updated"))
    print("sync_recordings: %s -> %s: %d new or updated, %d unchanged%s" % (
        source, os.path.relpath(DEST, REPO), len(wanted) - unchanged, unchanged,
        " (check only, nothing written)" if args.check else ""))
    if args.check:
        return 1 if any(kind in ("new", "updated", "removed") for kind, _rel in changes) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
