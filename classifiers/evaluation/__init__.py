"""Evaluation that needs no shared data: a HateCheck-style functional suite and identity fairness sets."""
