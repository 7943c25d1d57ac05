"""The reviewers' side of the dashboards, as plain functions the routes and the API share.

``priority`` (the queue's order), ``queue`` (flagged items not yet decided), ``item`` and ``related``
(one document with its classification, decisions, thread and near-duplicates), ``evidence`` (the
text with its evidence spans, escaped), ``wellbeing`` (what is blurred; links as text), ``decide``
(the one write path of a decision), ``workflow`` (claims, decisions, second reviews together),
``audit`` (the decisions log) and ``agreement`` (Cohen's kappa between first and second reviews).
Claims, second-review assignments and decision times live in the accounts database
(``dashboards.accounts.claims``, ``.second_reviews``, ``.decision_times``).
"""
