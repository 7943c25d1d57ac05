"""English and Russian: chosen per user, else from Accept-Language; dates and numbers per locale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.accounts.passwords import hash_password
from dashboards.accounts.users import add_user, set_locale
from dashboards.app import create_app
from dashboards.i18n import TRANSLATIONS, negotiate
from tests.dashboards.conftest import PASSWORD, dashboards_settings, sign_in

DASHBOARDS = TRANSLATIONS.parent
CATALOGUE = TRANSLATIONS / "ru" / "LC_MESSAGES"


@pytest.mark.parametrize("header, expected", [
    ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"), ("de-DE, en;q=0.5, ru;q=0.7", "ru"), ("de, fr", "en"),
    (None, "en"), ("ru;q=0, en;q=0.1", "en"), ("RU", "ru"), ("ru;q=abc", "en"),
])
def test_the_browser_language_is_negotiated(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_the_login_page_follows_the_browser(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).text
    assert '<html lang="ru">' in page and "Имя пользователя" in page


def test_a_page_in_russian_has_russian_words_dates_and_numbers(tmp_path: Path) -> None:
    app = create_app(dashboards_settings(tmp_path, session_max_age_s=5400))
    user = add_user(app.state.accounts, "ann", Role.admin, hash_password(PASSWORD))
    set_locale(app.state.accounts, user.id, "ru")
    client = TestClient(app, follow_redirects=False)
    sign_in(client, "ann")
    page = client.get("/account", headers={"Accept-Language": "en"}).text  # the stored choice wins
    assert '<html lang="ru">' in page
    assert "Ваша учётная запись" in page and "Администратор" in page and "Обзор" in page
    assert "1,5 ч" in page  # 5400 s in hours, with a decimal comma
    assert re.search(r"\d{1,2} (янв|февр|мар|апр|мая|июн|июл|авг|сент|окт|нояб|дек)\.? \d{4}", page)


def test_the_header_switch_changes_the_language(signed_in) -> None:
    client = signed_in(Role.analyst)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)
    response = client.post("/account/language", data={"locale": "ru", "next": "/account", "csrf_token": token})
    assert (response.status_code, response.headers["location"]) == (303, "/account")
    assert "Ваша учётная запись" in client.get("/account").text


def test_every_string_of_the_interface_is_translated() -> None:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    extracted = {message for _, _, message, _, _ in extract_from_dir(
        DASHBOARDS, method_map, keywords={"_": None, "gettext": None, "N_": None})}
    extracted = {m for m in extracted if isinstance(m, str)}
    with (CATALOGUE / "messages.po").open("rb") as po:
        translated = {message.id: message.string for message in read_po(po) if message.id}
    assert extracted
    assert sorted(extracted - translated.keys()) == [], "run the pybabel commands of README's Dashboards section"
    assert [key for key in extracted if not translated[key]] == []


def test_the_compiled_catalogue_matches_its_source() -> None:
    with (CATALOGUE / "messages.po").open("rb") as po, (CATALOGUE / "messages.mo").open("rb") as mo:
        source = {m.id: m.string for m in read_po(po) if m.id and not m.fuzzy}
        compiled = {m.id: m.string for m in read_mo(mo) if m.id}
    assert compiled == source, "run: pybabel compile -d dashboards/translations"
