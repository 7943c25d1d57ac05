"""Classifiers: label documents against the categories of the CSTO statement.

Three layers feed one decision per category: a transformer classifier
(:mod:`classifiers.model`), a lexicon of coded language (:mod:`classifiers.rules`)
and a bank of known propaganda (:mod:`classifiers.known`); :mod:`classifiers.combine`
merges them and :mod:`classifiers.labeller` is the stage every entry point calls.
"""
