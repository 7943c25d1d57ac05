"""Responses built from templates for one request, in its user's language.

Routes get a :class:`Renderer` through the ``RendererDep`` dependency and hand it a template and a
view model; every template sees ``view`` (the page's view model) and ``layout`` (the frame:
user, navigation, language switch, CSRF token, see ``views.layout``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboards.i18n import choose, translations
from dashboards.security.identity import Identity
from dashboards.templating import render
from dashboards.views.layout import layout


def is_htmx(request: Request) -> bool:
    """Whether htmx sent the request for a part of the page (not a boosted whole-page one)."""
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


@dataclass
class Renderer:
    request: Request
    identity: Identity | None
    locale: str

    @classmethod
    def for_request(cls, request: Request, identity: Identity | None) -> Renderer:
        """A renderer in the user's stored language, else the browser's."""
        stored = identity.user.locale if identity else None
        return cls(request, identity, choose(stored, request.headers.get("accept-language")))

    def gettext(self, message: str) -> str:
        return translations(self.locale).gettext(message)

    def html(self, template: str, view: Any = None) -> str:
        frame = layout(self.request, self.identity, self.locale, self.gettext)
        return render(template, self.locale, {"view": view, "layout": frame})

    def page(self, template: str, view: Any = None, *, status_code: int = 200,
             headers: dict[str, str] | None = None) -> HTMLResponse:
        return HTMLResponse(self.html(template, view), status_code, headers=headers)

    def page_or_component(self, page: str, component: str, view: Any, *, status_code: int = 200) -> HTMLResponse:
        """The whole ``page``, or only ``component`` (which the page includes) for an htmx request."""
        return self.page(component if is_htmx(self.request) else page, view, status_code=status_code)

    def component_or_redirect(self, component: str, view: Any, url: str) -> Response:
        """After a change: only ``component`` for an htmx request, else a redirect to ``url`` (303)."""
        return self.page(component, view) if is_htmx(self.request) else RedirectResponse(url, 303)
