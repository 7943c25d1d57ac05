"""Fresh probes: short functional sets written apart from the lexicon and the suite, scored flagged or not.

The functional suite informed the lexicon, so its figures for rule-driven functionalities are optimistic.
A probe is written by someone who has not read the lexicon, scored once, and then either kept aside or
used: ``probe-1`` and ``probe-2`` were scored and their misses became lexicon v14 (development sets now);
``probe-3`` and ``probe-4`` were written after and never looked at while anything changed, so their figures
are the held-out ones (README, "The default model"); ``probe-4`` was scored once, its misses unread.
``probe-5`` to ``probe-8`` hold recruitment calls and their look-alikes: the first three were lexicon v15's
development sets, ``probe-8`` is held out, scored once before and once after, its misses unread.
``probe-9`` and ``probe-10`` mix, per language, 55 texts nothing may flag (neutral, positive and first-person
mentions of some 30 peoples and faiths, news of attacks, research, counter-speech, negated hate, history) with
25 hateful ones: ``probe-9`` is a development set, ``probe-10`` is held out (its misses unread).
``probe-11`` to ``probe-14`` cover HateCheck's functionalities in the statement's scope (written apart from
HateCheck's cases, which stay unread), 200 to 260 texts each, half English and half Russian. They were lexicon
v18's sets in three rounds: each round read one set's misses (``probe-11``, then ``probe-12``, then ``probe-13``)
while the sets after it were held out, scored before and after; ``probe-14`` was held out through v18. ``probe-15``
and ``probe-16`` were written the same way: lexicon v19 read ``probe-14``'s misses, then ``probe-15``'s, and
``probe-16`` is held out (its misses unread), as are ``probe-17`` and ``probe-18``, written after v19 and scored
once. ``probe-19`` and ``probe-20`` (lexicon v20) are German, French and Spanish, 120 lines each per set, outside the
model's coverage: ``probe-19`` was scored before v20, held out through its first round and read in its second;
``probe-20`` was written after v20 and scored once, its misses unread. ``probe-21`` and ``probe-22`` (lexicon
v21) are Italian, Portuguese, Dutch and Polish, 120 lines each per set: both were written before v21 and scored
with v20; ``probe-21`` was held out through v21's first round and read in its second, ``probe-22`` is held out
(scored after each round, its misses unread). A line is ``{id, text, lang, fn, y}``: ``fn``
names the functionality, ``y`` is 1 where the text must be flagged.

    vigil classify --in classifiers/evaluation/probe_sets/probe-3.jsonl --out /tmp/probe-3.out.jsonl
    python -m classifiers.evaluation.probes classifiers/evaluation/probe_sets/probe-3.jsonl /tmp/probe-3.out.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

PROBE_SETS = Path(__file__).with_name("probe_sets")


def score(cases: Iterable[Mapping], flagged: Mapping[str, bool]) -> dict[str, dict]:
    """Per language: hateful texts caught (recall), others flagged (false-positive rate), and the misses.
    ``flagged`` maps a case's id to whether the classifier gave it any label; a case it did not return is
    counted as not flagged."""
    out: dict[str, dict] = {}
    for case in cases:
        got, want = bool(flagged.get(case["id"], False)), bool(case["y"])
        lang = out.setdefault(case["lang"], {"hateful": 0, "caught": 0, "other": 0, "flagged": 0, "misses": []})
        lang["hateful" if want else "other"] += 1
        lang["caught"] += want and got
        lang["flagged"] += got and not want
        if got != want:
            lang["misses"].append({"id": case["id"], "fn": case["fn"], "y": int(want), "text": case["text"]})
    for lang in out.values():
        lang["recall"] = round(lang["caught"] / lang["hateful"], 3) if lang["hateful"] else None
        lang["false_positive_rate"] = round(lang["flagged"] / lang["other"], 3) if lang["other"] else None
    return out


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("probe", type=Path, help="a probe set (JSON lines: id, text, lang, fn, y)")
    parser.add_argument("classified", type=Path, help="what vigil classify wrote for it")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    flagged = {row["id"]: bool(row.get("labels")) for row in _jsonl(args.classified)}
    figures = score(_jsonl(args.probe), flagged)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    for lang, f in sorted(figures.items()):
        print(f"{lang}: hateful caught {f['caught']}/{f['hateful']} ({f['recall']}), "
              f"others flagged {f['flagged']}/{f['other']} ({f['false_positive_rate']})")
        for miss in f["misses"]:
            print(f"  {'missed' if miss['y'] else 'flagged'} [{miss['fn']}] {miss['text']}")


if __name__ == "__main__":
    main()
