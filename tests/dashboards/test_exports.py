"""Download files: names made of the filters, safe in any file system; CSV defused and flat, Parquet typed."""

from __future__ import annotations

import io

import pandas as pd

from dashboards.exports import encode, file_name


def test_the_name_says_the_dataset_and_the_filters_safely() -> None:
    assert file_name("documents", ["2026-05-01", "2026-05-31", "xenophobia", "", "ru"], "csv") == \
        "vigil-documents_2026-05-01_2026-05-31_xenophobia_ru.csv"
    assert file_name("documents", ["2026-05-03T14:00", "2026-05-03T15:00", "", "мигранты / ../x", 'a"b'],
                     "parquet") == "vigil-documents_2026-05-03T14-00_2026-05-03T15-00_..-x_a-b.parquet"


def test_csv_is_flat_and_defused_and_parquet_keeps_types() -> None:
    frame = pd.DataFrame({"title": ["=cmd|' /C calc'!A0", "-2+3", "plain", "@SUM(A1)"], "count": [-1, 2, 3, 4],
                          "labels": [["racism", "xenophobia"], [], ["racism"], []]})
    csv = pd.read_csv(io.BytesIO(encode(frame, "csv")), keep_default_na=False)
    assert list(csv["title"]) == ["'=cmd|' /C calc'!A0", "'-2+3", "plain", "'@SUM(A1)"]
    assert list(csv["count"]) == [-1, 2, 3, 4] and list(csv["labels"]) == ["racism;xenophobia", "", "racism", ""]
    parquet = pd.read_parquet(io.BytesIO(encode(frame, "parquet")))
    assert list(parquet["labels"][0]) == ["racism", "xenophobia"] and parquet["count"].dtype == "int64"
