"""Character sets: windows-1251, KOI8-R and UTF-8 behind a wrong declaration all decode correctly."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from crawlers.extract.decode import declared_encoding, decode_body
from tests.crawlers.conftest import saved_page


def test_windows_1251_page_declared_in_meta_only():
    body = saved_page("news/ru-library-cp1251.html")
    assert declared_encoding(body, "text/html") == "cp1251"
    text, codec = decode_body(body, "text/html")
    assert codec == "cp1251"
    assert "выставка об истории еврейской общины" in text


def test_koi8_r_page_declared_in_header():
    text, codec = decode_body(saved_page("news/ru-football-koi8.html"), "text/html; charset=koi8-r")
    assert codec == "koi8-r"
    assert "Юношеская футбольная команда выиграла областной турнир" in text


def test_utf8_page_with_wrong_declared_charset():
    body = saved_page("news/ru-river-wrong-charset.html")
    assert declared_encoding(body, "text/html; charset=windows-1251") == "cp1251"
    text, codec = decode_body(body, "text/html; charset=windows-1251")
    assert codec == "utf-8"
    assert "Волонтёры очистили берег реки от мусора" in text


def test_koi8_page_mislabelled_as_windows_1251_is_recognised():
    body = "Мирная жизнь нашего города".encode("koi8-r")
    text, codec = decode_body(body, "text/html; charset=windows-1251")
    assert (text, codec) == ("Мирная жизнь нашего города", "koi8-r")


def test_undeclared_cyrillic_and_bom():
    assert decode_body("Добрый вечер, соседи".encode("cp1251"))[0] == "Добрый вечер, соседи"
    assert decode_body("\ufeffhello".encode("utf-8"))[0] == "hello"
    assert decode_body(b"plain ascii", "text/html; charset=koi8-r") == ("plain ascii", "koi8-r")


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=400) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
       content_type=st.sampled_from([None, "", "text/html", "text/html; charset=utf-8", "text/html; charset=koi8-r",
                                     "text/html; charset=windows-1251", "text/html; charset=nonsense", "text/html; charset=utf-16"]))
@example(body=b'<meta charset="x-unknown"><p>\xff\xfe</p>', content_type=None)
@example(body=b"\xff\xfe\x00", content_type="text/html")
def test_any_body_decodes_to_text_that_encodes_as_utf8(body, content_type):
    text, codec = decode_body(body, content_type)
    assert isinstance(codec, str) and isinstance(text.encode("utf-8"), bytes)
