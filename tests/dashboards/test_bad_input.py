"""Bad input to the dashboards answers 4xx, never 5xx: schemathesis against the API's OpenAPI description
(every operation, valid and invalid values, authenticated with an admin's personal API token so that
it reaches the handlers), and hand-written bad form posts and query strings on the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from dashboards.accounts.models import Role
from dashboards.accounts.tokens import create_token
from tests.dashboards.conftest import csrf
from tests.dashboards.warehouse_data import add_alert, store_spread
from tests.flows.conftest import T0

pytestmark = pytest.mark.warehouse


@pytest.fixture
def api(warehouse, app, make_user) -> tuple[dict[str, str], dict[str, str]]:
    """An admin's API token header, and ids that exist, on an app whose warehouse holds two days of
    documents and an alert."""
    docs = store_spread(warehouse, T0, days=2)
    add_alert(warehouse, "spike", T0 + timedelta(hours=5))
    user = make_user("root", Role.admin)
    secret = create_token(app.state.accounts, user.id, "schemathesis")[1]
    return {"Authorization": f"Bearer {secret}"}, {"document_id": docs[0].id, "alert_id": "spike",
                                                   "source_id": "site-a"}


EXAMPLES = 20  # per operation and round: valid values, invalid ones, and valid ones at ids that exist


@pytest.mark.slow  # about 30 s
def test_no_api_operation_answers_bad_input_with_a_server_error(app, api) -> None:
    # (schemathesis.pytest.from_fixture would parametrize this per operation, but its lazy loader fails
    # under pytest 9: it sets Function._nodeid. So the operations are looped here, failures collected.)
    headers, known = api
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures = {}
    for operation in operations:
        ids = {p.name: known[p.name] for p in operation.path_parameters if p.name in known}
        rounds = [(mode.value, operation.as_strategy(generation_mode=mode)) for mode in GenerationMode]
        if ids:
            rounds.append(("existing ids", operation.as_strategy(path_parameters=ids)))
        for name, strategy in rounds:
            @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def call(case) -> None:
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

            try:
                call()
            except Exception as exc:  # noqa: BLE001 - every operation is tried; all failures are reported
                failures[f"{name}: {operation.label}"] = exc
    assert not failures, "\n\n".join(f"{label}: {exc}" for label, exc in failures.items())


def test_form_posts_without_or_with_a_wrong_csrf_token_are_refused(client, make_user) -> None:
    make_user("ann", Role.analyst)
    assert client.post("/login", data={"name": "ann", "password": "x"}).status_code == 403
    assert client.post("/login", data={"name": "ann", "password": "x", "csrf_token": "forged"}).status_code == 403
    assert client.post("/login", content=b"\xff\xfe", headers={"Content-Type": "application/x-www-form-urlencoded"}
                       ).status_code == 403


def test_a_form_body_that_is_not_utf8_answers_4xx(client, make_user) -> None:
    make_user("ann", Role.analyst)
    token = csrf(client)
    for body in (b"name=%FF%FE&password=%C3%28&csrf_token=" + token.encode(),
                 b"name=\xff\xfe&password=\xc3\x28&csrf_token=" + token.encode()):
        response = client.post("/login", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert 400 <= response.status_code < 500


@pytest.mark.parametrize("data", [
    {"name": ["a", "b"], "password": ["x", "y"]},  # a field twice
    {"name": "ann"},  # no password
    {"name": "x" * 1_000_000, "password": "y" * 1_000_000},  # huge fields
    {"name": "\x00\ud7ff\ufffe", "password": "\u202e"},
])
def test_bad_sign_in_forms_answer_4xx(client, make_user, data) -> None:
    make_user("ann", Role.analyst)
    response = client.post("/login", data={**data, "csrf_token": csrf(client)})
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("path, data", [
    ("/account/tokens", {"name": "x" * 100_000}),  # over the field's limit
    ("/account/tokens/not-a-number/revoke", {}),
    ("/account/tokens/99999999999999999999999/revoke", {}),  # over SQLite's integers
    ("/account/language", {"locale": "\x00"}),
    ("/account/language", {}),  # the field missing
    ("/account/preferences", {"locale": "en", "blur_media": "maybe"}),
    ("/admin/users/1/role", {"role": "emperor"}),
    ("/admin/users/99999999999999999999999/disable", {}),
    ("/items/" + "f" * 32 + "/decisions",
     {"action": ["confirm", "reject"], "categories": "racism", "note": "x" * 6000}),
    ("/items/%00/decisions", {"action": "confirm"}),
    ("/alerts/spike/acknowledge", {"note": "x" * 100_000}),
    ("/queue/next", {"category": "\x00", "state": "weird"}),
])
def test_bad_form_posts_never_answer_5xx(signed_in, path, data) -> None:
    client = signed_in(Role.admin)
    response = client.post(path, data={**data, "csrf_token": csrf(client, "/account")})
    assert response.status_code < 500, (path, response.status_code)


@pytest.mark.parametrize("query", [
    "start=%FF%FE&end=%C3%28", "start=9999-99-99&end=0000-00-00&granularity=%00", "category=" + "x" * 6000,
    "page=99999999999999999999999999", "page=-5", "page=abc", "start=2026-05-04T25:61&measure=%E2%80%AE",
    "q=%FF&link=%C3%28", "q=" + "%22" * 2000, "state=%00&category=%FF",
])
def test_invalid_utf8_and_odd_query_strings_answer_without_a_server_error(warehouse, signed_in, query) -> None:
    store_spread(warehouse, T0, days=1)
    client = signed_in(Role.admin)
    for path in ("/", "/search", "/alerts", "/sources", "/compare", "/queue", "/audit", "/api/v1/trends",
                 "/api/v1/documents", "/api/v1/queue", "/export/documents"):
        response = client.get(f"{path}?{query}")
        assert response.status_code < 500, (path, query, response.status_code)
