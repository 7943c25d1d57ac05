"""A functional test suite in English and Russian, in the style of HateCheck.

Written for this project (HateCheck itself is not used): each case names a
functionality, the categories that should fire (any one counts; empty: nothing may
fire), and a synthetic text. The templates (:mod:`.templates_hateful`,
:mod:`.templates_contrast`, :mod:`.spelling`) differ from the training templates in
:mod:`classifiers.training.synthetic`, so the suite measures generalisation.

Group-filled templates take every group (identity sentences, so the false-positive
rate per group rests on every template) or a rotating few per template (the others,
so every group still appears and the suite stays small enough to run on CPU). The
statement's own paragraphs close the suite: none may be flagged.

``hate_in_chatter`` sets the suite's own direct hate (slurs, derogation, profanity, calls to
violence and anti-migrant incitement) between sentences of everyday talk, one of
:data:`CHATTER_FRAMES` in turn: a post that mentions the weather before a slur is still hate.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifiers.evaluation.spelling import BASES, VARIANTS, apply_variant
from classifiers.evaluation.statement import statement, statement_paragraphs
from classifiers.evaluation.templates_contrast import CONTRAST, IDENTITY
from classifiers.evaluation.templates_hateful import (
    HATE,
    HATEFUL,
    SLUR_TEMPLATES,
    SLURS,
)
from classifiers.groups import GROUPS, Group, fill

LANGUAGES = ("en", "ru")
SPELLING_GROUPS = 3  # groups per spelling base template
SLURS_PER_TEMPLATE = 2
STATEMENT = "statement_paragraph"
IN_CHATTER = "hate_in_chatter"
CHATTERED = ("slur", "derogation", "profanity_hate", "violence_call", "anti_migrant_incitement")
# (before, after) a hateful sentence; none shares five words with the training chatter (a test checks).
CHATTER_FRAMES = {
    "en": [(("Yesterday a new market opened in our neighbourhood, lots of vegetables and fruit. "
             "Prices are fine for now and it was busy. "), " The weather was nice and we walked until evening."),
           ("Finally finished moving the furniture into the new flat, my back hurts. ",
            " Anyway, who is coming to the barbecue on Sunday?"),
           ("Good morning from a rainy Tuesday, coffee in hand. Read the news on the train as usual. ", ""),
           ("", " Right, enough of that, I need to go and pick the children up from football practice.")],
    "ru": [(("Вчера в нашем районе открылся новый рынок, там много овощей и фруктов. Цены пока нормальные, "
             "народу было много. "), " А погода была хорошая, гуляли до вечера."),
           ("Наконец перевезли мебель в новую квартиру, спина болит. ", " Короче, кто в воскресенье едет на шашлыки?"),
           ("Доброе утро, на улице дождь, пью кофе. Как обычно, читал новости в электричке. ", ""),
           ("", " Ладно, хватит об этом, мне пора забирать детей с тренировки по футболу.")],
}

__all__ = ["Case", "IDENTITY", "LANGUAGES", "functional_cases", "identity_cases", "statement_cases"]


@dataclass(frozen=True)
class Case:
    functionality: str
    language: str
    text: str
    expected: tuple[str, ...]  # any of these labels counts as a hit; empty = must not be flagged
    group: str | None = None


def rotation(index: int, k: int, items: tuple | list) -> list:
    """``k`` items for template ``index``, in turn, so consecutive templates take different ones."""
    return [items[(index * k + j) % len(items)] for j in range(min(k, len(items)))]


def _filled(name: str, language: str, templates: list[str], expected: tuple[str, ...], k: int) -> list[Case]:
    cases = []
    for i, template in enumerate(templates):
        if "{" not in template:
            cases.append(Case(name, language, template, expected))
            continue
        groups: list[Group] = list(GROUPS) if k == 0 else rotation(i, k, GROUPS)
        cases += [Case(name, language, fill(template, g, language), expected, g.key) for g in groups]
    return cases


def slur_cases() -> list[Case]:
    cases = []
    for language, templates in SLUR_TEMPLATES.items():
        for i, template in enumerate(templates):
            for key, *forms in rotation(i, SLURS_PER_TEMPLATE, SLURS[language]):
                slur = {"s": forms[0], "S": forms[0][:1].upper() + forms[0][1:]}
                if language == "ru":
                    slur["s_gen"] = forms[1]
                cases.append(Case("slur", language, template.format(**slur), HATE, key))
    return cases


def spelling_cases() -> list[Case]:
    cases = []
    for variant in VARIANTS:
        for language, templates in BASES.items():
            for i, template in enumerate(templates):
                changed = apply_variant(template, variant, language)
                cases += [Case(variant, language, fill(changed, g, language), HATE, g.key)
                          for g in rotation(i, SPELLING_GROUPS, GROUPS)]
    return cases


def chatter_cases(cases: list[Case]) -> list[Case]:
    """The direct hate among ``cases`` (:data:`CHATTERED`), every second one, set inside a chatter frame."""
    hateful = [c for c in cases if c.functionality in CHATTERED and c.language in CHATTER_FRAMES]
    out = []
    for i, case in enumerate(hateful[::2]):
        frames = CHATTER_FRAMES[case.language]
        before, after = frames[i % len(frames)]
        out.append(Case(IN_CHATTER, case.language, before + case.text + after, case.expected, case.group))
    return out


def statement_cases() -> list[Case]:
    """The CSTO statement's paragraphs (in its language): nothing may be flagged."""
    return [Case(STATEMENT, statement()["language"], p, ()) for p in statement_paragraphs()]


def identity_cases() -> list[Case]:
    """Held-out neutral and positive identity sentences (not used in training): every template with every group."""
    return [Case(name, lang, fill(t, group, lang), (), group.key)
            for name, by_lang in IDENTITY.items() for lang, templates in by_lang.items()
            for t in templates for group in GROUPS]


def functional_cases() -> list[Case]:
    cases: list[Case] = []
    for name, (expected, by_lang, k) in HATEFUL.items():
        for language, templates in by_lang.items():
            cases += _filled(name, language, templates, expected, k)
    cases += slur_cases()
    cases += chatter_cases(cases) + spelling_cases()
    for name, (by_lang, k) in CONTRAST.items():
        for language, templates in by_lang.items():
            cases += _filled(name, language, templates, (), k)
    return cases + identity_cases() + statement_cases()

