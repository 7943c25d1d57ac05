"""The fresh probes' scoring (classifiers/evaluation/probes.py) and the probe sets shipped with it."""

from __future__ import annotations

import json

from classifiers.evaluation.probes import PROBE_SETS, main, score

CASES = [
    {"id": "a", "text": "hateful one", "lang": "en", "fn": "derogation", "y": 1},
    {"id": "b", "text": "hateful two", "lang": "en", "fn": "threat", "y": 1},
    {"id": "c", "text": "neutral", "lang": "en", "fn": "neutral", "y": 0},
    {"id": "d", "text": "нейтрально", "lang": "ru", "fn": "neutral", "y": 0},
]


def test_recall_false_positive_rate_and_misses_per_language():
    figures = score(CASES, {"a": True, "b": False, "c": True, "d": False})
    assert figures["en"]["recall"] == 0.5 and figures["en"]["false_positive_rate"] == 1.0
    assert [m["id"] for m in figures["en"]["misses"]] == ["b", "c"]
    assert figures["ru"]["recall"] is None and figures["ru"]["false_positive_rate"] == 0.0


def test_a_case_the_classifier_did_not_return_counts_as_not_flagged():
    assert score(CASES[:1], {})["en"]["caught"] == 0


def test_the_command_reads_a_probe_and_what_classify_wrote(tmp_path, capsys):
    probe, classified = tmp_path / "probe.jsonl", tmp_path / "out.jsonl"
    probe.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in CASES) + "\n", encoding="utf-8")
    classified.write_text("\n".join(json.dumps({"id": i, "labels": labels}) for i, labels in
                                    [("a", ["xenophobia"]), ("b", []), ("c", []), ("d", [])]) + "\n")
    main([str(probe), str(classified), "--json"])
    assert json.loads(capsys.readouterr().out)["en"]["caught"] == 1


def test_the_shipped_probe_sets_are_well_formed():
    for path in sorted(PROBE_SETS.glob("probe-*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert len({r["id"] for r in rows}) == len(rows) >= 50, path
        # probe-19 and probe-20: German, French and Spanish, outside the model's coverage (lexicon v20); probe-21 and
        # probe-22: Italian, Portuguese, Dutch and Polish (lexicon v21)
        n = int(path.stem.split("-")[1])
        languages = {"it", "pt", "nl", "pl"} if n >= 21 else {"de", "fr", "es"} if n >= 19 else {"en", "ru"}
        assert {r["lang"] for r in rows} == languages and {r["y"] for r in rows} == {0, 1}, path
    assert {p.name for p in PROBE_SETS.glob("probe-*.jsonl")} == {f"probe-{n}.jsonl" for n in range(1, 23)}


def test_the_rules_read_the_v20_development_probe():
    """probe-19 (German, French and Spanish, written apart; lexicon v20's development set in round 2): the rules
    alone label at least 100 of its 180 hateful lines (v19's lexicon, with no words in these languages: 10 as
    `vigil classify --model rules` read them, mostly numeric codes) and none of its 180 others (neutral and positive
    mentions, counter-speech, news, negation)."""
    from classifiers.rules.matcher import load_lexicon

    lexicon = load_lexicon()
    rows = [json.loads(line) for line in (PROBE_SETS / "probe-19.jsonl").read_text(encoding="utf-8").splitlines()]
    labelled = [any(m.score >= 0.5 for m in lexicon.match(r["text"])) for r in rows]
    assert sum(hit for hit, r in zip(labelled, rows) if r["y"]) >= 100
    assert not any(hit for hit, r in zip(labelled, rows) if not r["y"])


def test_the_rules_read_the_v21_development_probe():
    """probe-21 (Italian, Portuguese, Dutch and Polish, written apart; lexicon v21's development set in round 2),
    each line read in its language with its readable views, as the labeller reads it: the rules label at least 38
    of each language's 60 hateful lines (v20, with no word of these languages: 1 to 3) and none of the 240 others."""
    from classifiers.labeller import default_speller
    from classifiers.rules.matcher import load_lexicon
    from classifiers.rules.readable import readable_views

    lexicon = load_lexicon()
    speller = default_speller(lexicon)
    rows = [json.loads(line) for line in (PROBE_SETS / "probe-21.jsonl").read_text(encoding="utf-8").splitlines()]
    labelled = [any(m.score >= 0.5 for m in lexicon.match(r["text"], readable_views(r["text"], speller), r["lang"]))
                for r in rows]
    for language in ("it", "pt", "nl", "pl"):
        assert sum(hit for hit, r in zip(labelled, rows) if r["y"] and r["lang"] == language) >= 38, language
    assert not any(hit for hit, r in zip(labelled, rows) if not r["y"])


def test_the_rules_read_no_recruitment_look_alike_as_a_call():
    """The recruitment probes' look-alikes (a rescue squad's "serious only, DM me", a seller's "no time-wasters",
    a study circle's "brothers, write to me") and their reports about recruiters get no recruitment label from
    the rules, and the rules catch calls in every set, the held-out probe-8 included."""
    from classifiers.rules.matcher import load_lexicon

    lexicon = load_lexicon()
    for n in (5, 6, 7, 8):
        rows = [json.loads(line) for line in (PROBE_SETS / f"probe-{n}.jsonl").read_text(encoding="utf-8").splitlines()]
        called = [any(m.category == "recruitment" and m.score >= 0.5 for m in lexicon.match(r["text"])) for r in rows]
        assert not any(c for c, r in zip(called, rows) if not r["y"]), n
        assert sum(c for c, r in zip(called, rows) if r["y"]) >= 3, n


def test_the_rules_label_no_history_news_counter_speech_or_group_mention_of_the_mixed_probes():
    """probe-9 and probe-10 (written apart, each with 110 texts that must not be flagged: history, news, research,
    counter-speech, negation, neutral, positive and first-person mentions of 30 peoples and faiths): no rule
    reaches a label on any of them, and the rules alone catch at least 20 of each set's 50 hateful texts (26 and
    22 with lexicon v17)."""
    from classifiers.rules.matcher import load_lexicon

    lexicon = load_lexicon()
    for n in (9, 10):
        rows = [json.loads(line) for line in (PROBE_SETS / f"probe-{n}.jsonl").read_text(encoding="utf-8").splitlines()]
        labelled = [any(m.score >= 0.5 for m in lexicon.match(r["text"])) for r in rows]
        assert not [r["id"] for hit, r in zip(labelled, rows) if hit and not r["y"]], n
        assert sum(hit for hit, r in zip(labelled, rows) if r["y"]) >= 20, n


def _rule_labelled(n: int) -> tuple[list[dict], list[bool]]:
    """probe-``n``'s rows, and whether the packaged lexicon labels each (the text and its readable views)."""
    from classifiers.labeller import default_speller
    from classifiers.rules.matcher import load_lexicon
    from classifiers.rules.readable import readable_views

    lexicon = load_lexicon()
    speller = default_speller(lexicon)
    rows = [json.loads(line) for line in (PROBE_SETS / f"probe-{n}.jsonl").read_text(encoding="utf-8").splitlines()]
    return rows, [any(m.score >= 0.5 for m in lexicon.match(r["text"], readable_views(r["text"], speller)))
                  for r in rows]


def test_the_rules_read_the_v18_development_probes():
    """probe-11 and probe-12 (written apart over HateCheck-style functionalities; lexicon v18's development sets):
    with the readable views, the rules catch at least 95 of probe-11's 140 hateful texts and 80 of probe-12's 130
    (101 and 83 with lexicon v18; 59 and 54 with v17), and reach a label on none of the others but an in-group's
    reclaimed slur ("зовём друг друга хачиками, сами все армяне"), which they cannot tell from its use (v17 labelled
    three of the others in each set: a study of recruiters, a quotation condemned, firewood called "чурки")."""
    for n, at_least in ((11, 95), (12, 80)):
        rows, labelled = _rule_labelled(n)
        assert [r["id"] for hit, r in zip(labelled, rows) if hit and not r["y"]] == (["p12-ru-112"] if n == 12 else [])
        assert sum(hit for hit, r in zip(labelled, rows) if r["y"]) >= at_least, n


def test_the_rules_read_the_v19_development_probes():
    """probe-14 and probe-15 (written apart like probe-11 to -13; lexicon v19's development sets, in two rounds):
    with the readable views, the rules catch at least 84 of probe-14's 120 hateful texts and 80 of probe-15's 120
    (86 and 83 with lexicon v19; 58 and 46 with v18), and label none of the others (v18 labelled a counter-speech
    line of probe-14: "Кто пишет, что беженцы — паразиты, ...")."""
    for n, at_least in ((14, 84), (15, 80)):
        rows, labelled = _rule_labelled(n)
        assert [r["id"] for hit, r in zip(labelled, rows) if hit and not r["y"]] == []
        assert sum(hit for hit, r in zip(labelled, rows) if r["y"]) >= at_least, n
