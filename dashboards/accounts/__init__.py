"""Who may use the dashboards: users and their roles, sign-in sessions, personal API tokens and the
sign-in rate limit, kept in the dashboards' own SQLite database (:class:`store.AccountStore`).

One module per kind of record, each a handful of functions over the store (``users``,
``sessions``, ``tokens``, ``rate_limit``), plus ``passwords`` (Argon2) and ``sign_in`` (the
password check the login form runs). The reviewers' queue keeps its own records here too:
``claims`` (one reviewer per item, expiring), ``second_reviews`` (blind second reviews) and
``decision_times`` (claim to decision). Nothing here imports the web framework, so ``vigil users``
and the routes share it. This ``__init__`` imports nothing: ``argon2`` is in the ``web`` extra.
"""
