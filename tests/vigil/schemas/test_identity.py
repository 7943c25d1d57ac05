import pytest

from vigil.schemas import canonical_url, content_hash, document_id


@pytest.mark.parametrize(
    "variant",
    [
        "https://News.Example.org/a/b/?utm_source=x&id=7&lang=ru#comments",
        "https://news.example.org:443/a/b?lang=ru&id=7",
        "HTTPS://news.example.org/a/b?id=7&lang=ru&fbclid=abc",
        "https://news.example.org/a/%62?id=7&lang=ru",
    ],
)
def test_canonical_url_collapses_trivial_variants(variant: str) -> None:
    assert canonical_url(variant) == "https://news.example.org/a/b?id=7&lang=ru"


def test_canonical_url_keeps_what_matters() -> None:
    assert canonical_url("http://example.org:8080/") == "http://example.org:8080/"
    assert canonical_url("https://example.org/x?page=2") != canonical_url("https://example.org/x?page=3")
    assert canonical_url("https://пример.рф/новости") == "https://xn--e1afmkfd.xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"


@pytest.mark.parametrize("bad", ["", "ftp://example.org/file", "javascript:alert(1)", "https:///nohost"])
def test_canonical_url_refuses_non_http(bad: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(bad)


def test_document_id_is_stable_across_releases() -> None:
    # A golden value: changing the identity function would orphan every stored row.
    assert document_id("https://news.example.org/2026/06/30/meeting") == "cf48d5b8433fe5249eb80cc13710b0b4"
    assert document_id("https://t.me/s/channel", "1234") == document_id("https://t.me/s/channel?utm_medium=x", 1234)


def test_document_id_distinguishes_posts_on_one_page() -> None:
    page = "https://forum.example.org/viewtopic.php?t=5"
    ids = {document_id(page), document_id(page, "p1"), document_id(page, "p2")}
    assert len(ids) == 3
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_content_hash_ignores_case_spacing_width_and_zero_width() -> None:
    a = content_hash("Join  us\ttoday!\n")
    assert a == content_hash("join us today!")
    assert a == content_hash("ＪＯＩＮ us to\u200bday!")
    assert a != content_hash("join us tomorrow!")
