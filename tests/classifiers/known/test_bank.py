import json

import pytest

from classifiers.known.bank import KnownBank, default_bank_path, shingles, updating
from vigil.schemas import ReviewDecision

ORIGINAL = ("Brothers, the brigade is waiting for you. Leave everything, take the night bus to the border "
            "and write to our channel, the route and the weapons are ready for every young man")
REPOST = "REPOST >> " + ORIGINAL.replace("Brothers,", "Brothers!!") + " #share"


def test_a_repost_is_found_with_a_pointer_to_the_original(tmp_path):
    bank = KnownBank(tmp_path / "bank.jsonl")
    bank.add("item-1", ORIGINAL, ["recruitment"], source_document_id="d" * 32)
    [match] = bank.match(REPOST)
    assert match.item_id == "item-1" and match.categories == ("recruitment",)
    assert match.source_document_id == "d" * 32 and match.similarity >= 0.6


def test_unrelated_text_is_not_matched(tmp_path):
    bank = KnownBank(tmp_path / "bank.jsonl")
    bank.add("item-1", ORIGINAL, ["recruitment"])
    assert bank.match("The city council approved the new budget for schools and parks this spring.") == []
    assert bank.match("") == []


def test_saved_bank_keeps_signatures_not_text(tmp_path):
    path = tmp_path / "known" / "bank.jsonl"
    bank = KnownBank(path)
    bank.add("item-1", ORIGINAL, ["recruitment"])
    bank.save()
    stored = path.read_text(encoding="utf-8")
    assert "brigade" not in stored and len(json.loads(stored)["hashvalues"]) == 128
    reloaded = KnownBank(path)
    assert len(reloaded) == 1 and reloaded.match(REPOST)[0].item_id == "item-1"


def test_confirmed_review_decisions_join_the_bank_and_rejections_do_not(tmp_path):
    bank = KnownBank(tmp_path / "bank.jsonl")
    confirm = ReviewDecision(document_id="a" * 32, reviewer="r1", verdict="confirm", labels=["recruitment"])
    reject = ReviewDecision(document_id="b" * 32, reviewer="r1", verdict="reject")
    assert bank.add_confirmed(reject, ORIGINAL) is None
    item = bank.add_confirmed(confirm, ORIGINAL)
    assert item is not None and item.source_document_id == "a" * 32
    assert bank.match(REPOST)[0].item_id == f"review:{'a' * 32}"


def test_re_adding_an_item_replaces_it(tmp_path):
    bank = KnownBank(tmp_path / "bank.jsonl")
    bank.add("x", ORIGINAL, ["recruitment"])
    bank.add("x", ORIGINAL, ["recruitment", "incitement"])
    assert len(bank) == 1 and bank.match(ORIGINAL)[0].categories == ("recruitment", "incitement")


def test_texts_without_words_are_refused(tmp_path):
    with pytest.raises(ValueError):
        KnownBank().add("x", "!!! ...", ["recruitment"])
    assert shingles("one two") == {"one", "two"}
    assert default_bank_path(tmp_path) == tmp_path / "known" / "bank.jsonl"


def test_a_long_running_bank_sees_items_another_process_saved(tmp_path):
    path = tmp_path / "bank.jsonl"
    reader = KnownBank(path)
    assert reader.refresh() is False and reader.match(ORIGINAL) == []
    with updating(path) as writer:
        writer.add("k-9", ORIGINAL, ["recruitment"])
    assert reader.refresh() is True
    assert [m.item_id for m in reader.match(ORIGINAL)] == ["k-9"]
    assert reader.refresh() is False  # nothing changed since


def test_concurrent_updates_keep_every_item(tmp_path):
    import threading

    path = tmp_path / "bank.jsonl"

    def add(n: int) -> None:
        with updating(path) as bank:
            bank.add(f"k-{n}", f"{ORIGINAL} variant number {n}", ["recruitment"])

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(KnownBank(path)) == 8
