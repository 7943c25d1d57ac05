"""A language's part of the lexicon in a file of its own, merged into ``lexicon.yaml`` at load time.

``lexicon.yaml`` holds the sections every language shares and, per section, the forms of the languages it was
written with (English and Russian; German, French and Spanish since v20). A language added later (Italian,
Portuguese, Dutch, Polish since v21) lives in ``languages/<code>.yaml``, with its own words of each section::

    context_cues: [...]                          # language_cues.<code>
    attributed_claims: {attribution: [...], rejection: [...]}   # language_claims.<code>
    targets: [...]                               # targets.<code>
    entries: [...]                               # hand-written entries, appended (ids must be new)
    derogation:
      groups: {<category>: {group: [...], one: [...]} or {any: [...]}}   # groups.<category>.<code>
      words: {attribute: [...], free: {regex: ...}, ...}                 # words.<code>
      negations: [...]                           # negations.<code>
      unless_before: [...]                       # unless_before.<code>
      frames: {<frame id>: pattern or [patterns]}                        # the frame's <code> pattern
      new_frames: [{id, weight, also, patterns}] # frames of this language only

so that a language is reviewed, versioned and measured as one file, and a merge never edits the shared ones.
The lexicon's ``version`` stays in ``lexicon.yaml``: a change to any file bumps it.

A language file's entries, frame patterns, context cues and claim words are read only in a text of that language
(the labeller's detected language; every text when none is given): each costs time on every text it runs on, an
Italian frame has nothing to find in the English and Russian stream, and a cue of one language can be a word of
another. The merged lexicon lists these languages under ``language_files``. A file's group names, ``targets``
words and denials count in every text, as the shared file's do: an English post may name Bulgarians.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path

import yaml

LANGUAGES_DIR = Path(__file__).with_name("languages")
_KNOWN = {"context_cues", "attributed_claims", "targets", "entries", "derogation"}
_KNOWN_DEROGATION = {"groups", "words", "negations", "unless_before", "frames", "new_frames"}


class LanguageFileError(ValueError):
    """A language file that does not fit the lexicon it is merged into."""


def with_language(data: Mapping, part: Mapping, lang: str) -> dict:
    """``data`` (a parsed ``lexicon.yaml``) with ``part`` (a parsed ``languages/<lang>.yaml``) merged in; ``data``
    is left as it was. Raises :class:`LanguageFileError` on an unknown section, a language merged already or one
    ``data`` already has in a section, a frame ``data`` does not define, or an entry id given twice."""
    merged = copy.deepcopy(dict(data))
    if unknown := set(part) - _KNOWN:
        raise LanguageFileError(f"languages/{lang}.yaml: unknown sections {sorted(unknown)}")
    if lang in merged.setdefault("language_files", []):
        raise LanguageFileError(f"languages/{lang}.yaml is merged already")
    merged["language_files"].append(lang)
    if "context_cues" in part:
        merged.setdefault("language_cues", {})[lang] = list(part["context_cues"])
    if "attributed_claims" in part:
        merged.setdefault("language_claims", {})[lang] = dict(part["attributed_claims"])
    if "targets" in part:
        _put(merged.setdefault("targets", {}), lang, part["targets"], "targets")
    ids = {entry["id"] for entry in merged.get("entries", [])}
    for entry in part.get("entries", []):
        if entry["id"] in ids:
            raise LanguageFileError(f"languages/{lang}.yaml: entry {entry['id']!r} is defined already")
        ids.add(entry["id"])
    merged["entries"] = [*merged.get("entries", []),
                         *({"languages": [lang], **copy.deepcopy(entry)} for entry in part.get("entries", []))]
    if "derogation" in part:
        _merge_derogation(merged.setdefault("derogation", {}), part["derogation"], lang)
    return merged


def _merge_derogation(section: dict, part: Mapping, lang: str) -> None:
    if unknown := set(part) - _KNOWN_DEROGATION:
        raise LanguageFileError(f"languages/{lang}.yaml: unknown derogation sections {sorted(unknown)}")
    groups = section.setdefault("groups", {})
    for category, forms in (part.get("groups") or {}).items():
        if category not in groups:
            raise LanguageFileError(f"languages/{lang}.yaml: no group category {category!r} in the lexicon")
        _put(groups[category], lang, forms, f"derogation.groups.{category}")
    for key in ("words", "negations", "unless_before"):
        if key in part:
            _put(section.setdefault(key, {}), lang, part[key], f"derogation.{key}")
    frames = {frame["id"]: frame for frame in section.setdefault("frames", [])}
    for frame_id, patterns in (part.get("frames") or {}).items():
        if frame_id not in frames:
            raise LanguageFileError(f"languages/{lang}.yaml: no derogation frame {frame_id!r} in the lexicon "
                                    "(a frame of this language only goes under new_frames)")
        _put(frames[frame_id], lang, patterns, f"derogation frame {frame_id}")
    for frame in part.get("new_frames") or []:
        if frame["id"] in frames:
            raise LanguageFileError(f"languages/{lang}.yaml: derogation frame {frame['id']!r} is defined already")
        built = {key: value for key, value in frame.items() if key != "patterns"}
        built[lang] = frame["patterns"]
        section["frames"].append(built)
        frames[frame["id"]] = built


def _put(mapping: dict, lang: str, value: object, where: str) -> None:
    if lang in mapping:
        raise LanguageFileError(f"languages/{lang}.yaml: {where} has {lang!r} forms already")
    mapping[lang] = value


def read_lexicon(path: Path, languages: Path | None = LANGUAGES_DIR) -> dict:
    """``path`` parsed, with every ``languages/*.yaml`` file under ``languages`` merged in (in name order)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for file in sorted(languages.glob("*.yaml")) if languages is not None and languages.is_dir() else ():
        data = with_language(data, yaml.safe_load(file.read_text(encoding="utf-8")) or {}, file.stem)
    return data
