"""The dashboards: a FastAPI web application, rendered on the server with Jinja2 and htmx, for
analysts (trends), reviewers (the review queue) and admins (accounts). ``vigil serve`` runs it
(``serve.py``); ``vigil users ...`` manages its accounts (``cli.py``); ``vigil demo`` runs everything on
demo data and ends by serving it (``demo/``).

This package is the foundation: serving, accounts and roles, sessions and CSRF, security headers,
English and Russian, personal API tokens, health probes, the page frame, ``/account`` and
``/admin/users``. The analysts' pages (overview, compare, alerts, sources, search, exports; README's
"For analysts") and the reviewers' queue are built on it.

Layout
    ``app.py``         ``create_app(settings)``: routers, middleware, static files
    ``deps.py``        typed dependencies: ``CurrentUser``, ``AnalystUser``, ``ReviewerUser``,
                       ``AdminUser``, ``RendererDep``, ``WarehouseDep``, ``SettingsDep``, ``AccountsDep``
    ``routes/``        one router per resource;  ``views/``  one view model per page
    ``templates/``     ``base.html``, ``pages/`` (whole pages), ``components/`` (parts, and htmx answers)
    ``static/``        ``css/app.css``, ``js/``, ``vendor/`` (htmx, ECharts, Swagger UI; see MANIFEST.json)
    ``accounts/``      the SQLite accounts database: users, sessions, API tokens, sign-in rate limit
    ``security/``      session cookie, CSRF, headers, identity (session, token, trusted header), redirects
    ``i18n.py``, ``templating.py``, ``translations/``   languages and per-locale formatting
    ``rendering.py``   ``Renderer``: a template and a view model to a response, in the user's language
    ``errors.py``      login redirects, error pages (JSON under /api/v1), 503 for the warehouse
    ``paths.py``, ``route_table.py``   fixed paths; every route of the app as one flat list
    ``review/``        the reviewers' side as plain functions: queue and priority, claims to decisions
                       (``workflow.py``, ``decide.py``: the one write path), evidence, audit, agreement
    ``demo/``          ``vigil demo``: ``history.py`` (the generated history, a pure function of a seed
                       and dates), ``load.py`` (into the warehouse), ``run.py`` (crawl, history, accounts, serve)
    ``queries/``       the analysts' SQL, one module per page; each aggregate query with its raw-scan twin
    ``filters.py``     the analysts' filters, read from and written to the URL's query string
    ``exports.py``     a page's tables (and a search's documents) as CSV or Parquet, ``/export/{dataset}``

Adding a page (e.g. the analysts' ``/compare``)
    1. View model: ``views/compare.py``, a frozen dataclass and a function that builds it from the
       warehouse (``queries/compare.py`` holds its SQL; bind values, never format them).
       Numbers and dates stay numbers and datetimes: templates format them with ``|number``,
       ``|datetime`` and ``|date`` in the user's locale.
    2. Route: ``routes/compare.py`` with ``router = APIRouter(include_in_schema=False)`` and a handler
       that takes the role it needs (``user: AnalystUser``, ``ReviewerUser`` or ``AdminUser``),
       ``render: RendererDep`` and, for data, ``warehouse: WarehouseDep`` (an unreachable warehouse
       answers 503 by itself); it returns ``render.page("pages/compare.html", view)``.
    3. Register the router in ``app.SIGNED_IN``: it then requires a signed-in user (anonymous:
       redirect to /login, or 401 under /api/v1), and its POST/PUT/PATCH/DELETE routes the CSRF token.
       ``app.PUBLIC`` is for the login and the probes only.
    4. Template: ``templates/pages/compare.html`` extends ``base.html`` (blocks ``title``, ``content``,
       ``head`` for extra assets); reusable parts go to ``templates/components/``. Templates read
       ``view`` and ``layout`` and compute nothing. No inline ``<script>``, ``on*=`` or ``style=``
       (the CSP forbids them; ``tests/dashboards/test_templates.py`` checks): behaviour goes in a file
       under ``static/js/`` reading ``data-*`` attributes, as ``static/js/swagger-init.js`` does.
       Charts: ``/static/vendor/echarts/echarts.min.js``, fed from ``data-*`` JSON or an
       ``/api/v1`` endpoint.
    5. Navigation: ``views/nav.py`` already declares Overview, Compare, Alerts, Sources, Search
       (analyst), Queue, Audit (reviewer) and Admin (admin); an entry shows to the roles it allows as
       soon as a GET route serves its path. A new page adds its entry there.
    6. Forms post the CSRF token: ``{% include "components/csrf_field.html" %}``; htmx requests send
       it as a header (set on ``<body>`` in ``base.html``). For partial updates, answer with
       ``render.page_or_component(page, component, view)`` or, after a change,
       ``render.component_or_redirect(component, view, url)``.
    7. Translations: wrap template strings in ``{{ _("...") }}`` or ``{% trans %}``, mark Python
       strings with ``i18n.N_``; then run the pybabel commands of README's "Dashboards" section and
       translate the new entries of ``translations/ru/LC_MESSAGES/messages.po``
       (``tests/dashboards/test_i18n.py`` fails on an untranslated string or a stale ``.mo``).
    8. Tests: ``tests/dashboards/routes/test_access.py``, ``security/test_csrf.py`` and
       ``test_outside_urls.py`` walk every route, so the new one is checked for anonymous access, CSRF
       and outside URLs without changes; add the page's own tests beside them.

Extension points left for the reviewers' queue
    - Claims (one reviewer per item, expiring) belong in the accounts database: append a step to
      ``accounts.store.MIGRATIONS`` and a module ``accounts/claims.py``.
    - Decisions are ``vigil.schemas`` ``ReviewDecision`` messages produced to ``review-decisions``
      (the dashboards own that topic; the classifiers' feedback consumer stores them).
    - ``User.blur_media`` is the user's "blur flagged media" preference, set on ``/account``.
    - Settings such as the categories whose decisions need a reason go on ``DashboardsSettings``
      when that page is built; none is declared before something reads it.
    - Routes take ``ReviewerUser`` (reviewers and admins; analysts cannot decide).

The API
    JSON routes live under ``paths.API_PREFIX`` (``/api/v1``), in ``routes/api.py`` or another router
    with that prefix; they appear in ``/api/v1/openapi.json`` and on ``/api/docs`` (the vendored
    Swagger UI) by themselves, answer errors in JSON, and accept personal API tokens
    (``Authorization: Bearer``), which need no CSRF token.
"""
