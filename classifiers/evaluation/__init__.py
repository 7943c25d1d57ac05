"""Evaluation: a HateCheck-style functional suite (English and Russian), per-group fairness, the CSTO
statement's own paragraphs (no shared data needed) and figures on real held-back text (``vigil evaluate``)."""
