"""A group category needs a group: the model's flag for xenophobia, racism or religious intolerance on a text that
names no people, faith, race, nationality or migrants is damped.

Those three categories are hate of a group. A text that names none (no group name, no slur, none of the lexicon's
``targets`` words such as "race", "foreigners", "страна", "нерусь": :meth:`~classifiers.rules.matcher.Lexicon.
names_target`) cannot derogate one, yet the model flags some: abuse of officials or scooter riders ("Чиновники —
это воры в пиджаках"), plain swearing ("опять ключи забыл, пиздец"), insults of one person. Such a flag is
multiplied by ``factor``, as the rules damp a hit in reporting context, so only a flag the model reads as strong
survives it. The other categories are left alone (a call to violence, recruitment or a Nazi slogan needs no group
named), and so is a text the rules flag. Pure: no reading by the model, so it costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import numpy as np

from classifiers.model.predict import Prediction


def untargeted(pred: Prediction, names_target: Callable[[int], bool], group_categories: Collection[str],
               factor: float, skip: Sequence[bool] = ()) -> tuple[Prediction, int]:
    """``pred`` with each flag of a ``group_categories`` category multiplied by ``factor`` where text ``i`` is not
    skipped and names no group (``names_target(i)`` false, asked only of a text with such a flag); and how many
    texts had a flag damped. Scores are only lowered."""
    if factor >= 1.0:
        return pred, 0
    columns = [j for j, c in enumerate(pred.categories) if c in group_categories]
    probabilities = pred.probabilities.copy()
    damped = 0
    for i in range(len(probabilities)):
        flagged = [j for j in columns if probabilities[i, j] >= pred.thresholds[i, j]]
        if flagged and not (skip and skip[i]) and not names_target(i):
            probabilities[i, flagged] *= factor
            damped += 1
    if not damped:
        return pred, 0
    return Prediction(pred.categories, np.asarray(probabilities), pred.thresholds, pred.spans), damped
