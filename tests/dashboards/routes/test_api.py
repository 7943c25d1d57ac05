"""The JSON API and its description."""

from __future__ import annotations

from dashboards.accounts.models import Role


def test_me_answers_with_the_signed_in_user(signed_in) -> None:
    assert signed_in(Role.analyst).get("/api/v1/me").json() == {"name": "analyst", "role": "analyst", "locale": None}


def test_the_openapi_description_covers_the_api_only(signed_in) -> None:
    schema = signed_in(Role.analyst).get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"] and all(path.startswith("/api/v1/") for path in schema["paths"])
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_docs_page_loads_the_vendored_swagger_ui(signed_in) -> None:
    page = signed_in(Role.analyst).get("/api/docs").text
    assert 'src="/static/vendor/swagger-ui/swagger-ui-bundle.js"' in page
    assert 'data-openapi-url="/api/v1/openapi.json"' in page


def test_api_errors_are_json(client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
