"""Rule labels of two lexicons over the real texts of the shared data sets: which texts a lexicon change labels
or stops labelling, by their gold label. The README's note on each lexicon version ("on the training sets' 36,069
real texts it adds rule labels to 4 texts labelled hostile and 1 labelled neutral") is this comparison.

    python -m classifiers.evaluation.rule_diff --old-rev HEAD~1

(``--old-rev`` reads ``lexicon.yaml`` and its language files at a git revision; ``--old FILE`` reads one lexicon
file without language files.)

A rule label is a category some hit scores at the taxonomy threshold (0.5) or more, the text and its readable
views matched as the labeller matches them.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from classifiers.labeller import default_speller
from classifiers.rules.language_files import LANGUAGES_DIR
from classifiers.rules.matcher import LEXICON_FILE, Lexicon, load_lexicon
from classifiers.rules.readable import readable_views
from classifiers.training.config import load_config
from classifiers.training.data import READERS, Example, source_dir

LABEL_AT = 0.5


def rule_labels(lexicon: Lexicon, text: str, language: str | None = None) -> set[str]:
    """The categories the rules label ``text`` (in ``language``, when known) with."""
    views = readable_views(text, default_speller(lexicon))
    return {m.category for m in lexicon.match(text, views, language) if m.score >= LABEL_AT}


def label_changes(old: Lexicon, new: Lexicon, rows: Iterable[Example]) -> dict[str, list[Example]]:
    """The rows ``new`` labels and ``old`` does not (``added_*``), and the reverse (``removed_*``), each split by
    the row's gold label (``hostile``: any category, ``neutral``: none)."""
    out: dict[str, list[Example]] = {f"{change}_{gold}": [] for change in ("added", "removed")
                                     for gold in ("hostile", "neutral")}
    for row in rows:
        before, after = (bool(rule_labels(lexicon, row.text, row.language)) for lexicon in (old, new))
        if before != after:
            out[f"{'added' if after else 'removed'}_{'hostile' if row.labels else 'neutral'}"].append(row)
    return out


def real_rows(data_dir: Path, exclude: Iterable[str] = ()) -> list[Example]:
    """Every real text of the data sets found under ``data_dir`` but those ``exclude`` names (templates and seeds
    left out)."""
    return [row for name, reader in READERS.items() if name not in exclude and source_dir(data_dir, name).is_dir()
            for row in reader(data_dir) if row.kind == "real"]


def lexicon_at(rev: str) -> Lexicon:
    """The packaged lexicon (``lexicon.yaml`` and its language files) as it was at git revision ``rev``."""
    def git(*args: str, cwd: Path) -> bytes:
        return subprocess.run(["git", *args], capture_output=True, check=True, cwd=cwd).stdout

    root = Path(git("rev-parse", "--show-toplevel", cwd=LEXICON_FILE.parent).decode().strip()).resolve()
    shared, languages = (path.resolve().relative_to(root).as_posix() for path in (LEXICON_FILE, LANGUAGES_DIR))
    files = [name for name in git("ls-tree", "--name-only", rev, f"{languages}/", cwd=root).decode().split()
             if name.endswith(".yaml")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "languages").mkdir()
        (folder / "lexicon.yaml").write_bytes(git("show", f"{rev}:{shared}", cwd=root))
        for name in files:
            (folder / "languages" / Path(name).name).write_bytes(git("show", f"{rev}:{name}", cwd=root))
        return load_lexicon.__wrapped__(folder / "lexicon.yaml", folder / "languages")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    old = parser.add_mutually_exclusive_group(required=True)
    old.add_argument("--old-rev", help="the git revision before the change (its lexicon and language files)")
    old.add_argument("--old", type=Path, help="the lexicon before the change (one lexicon.yaml, no language files)")
    parser.add_argument("--new", type=Path, help="the lexicon after it, one file without language files "
                        "(default: the packaged one and its language files)")
    parser.add_argument("--data", type=Path, default=None, help="the shared data sets (default: the training config's)")
    parser.add_argument("--show", type=int, default=20, help="texts printed per kind of change")
    args = parser.parse_args(argv)
    config = load_config()
    data_dir = args.data or config.data_dir
    rows = real_rows(data_dir, exclude=config.exclude_sources)  # the sets the default model reads
    if not rows:
        parser.error(f"no data set found under {data_dir}")
    before = lexicon_at(args.old_rev) if args.old_rev else load_lexicon(args.old, languages=None)
    changes = label_changes(before, load_lexicon(args.new, languages=None) if args.new else load_lexicon(), rows)
    print(f"real texts: {len(rows):,}")
    for kind, changed in changes.items():
        print(f"{kind.replace('_', ' on ')}: {len(changed)}")
        for row in changed[:args.show]:
            print(f"  [{row.source}] {' '.join(row.text.split())[:200]}")


if __name__ == "__main__":
    main()
