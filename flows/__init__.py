"""Scheduled work over the warehouse: trends, spike alerts, emerging terms, reconciliation,
retention, rescoring and retraining.

Each concern is a module of plain library functions over a
:class:`vigil.warehouse.Warehouse` (testable on real chDB without Prefect);
:mod:`flows.definitions` wraps them in Prefect 3 flows and tasks, and
:mod:`flows.deployments` declares every deployment and schedule in one place.
"""
