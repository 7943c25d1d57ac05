"""Lexicon v20: the commonest forms of group hate in German, French and Spanish, languages outside the model's
coverage, where the multilingual fallback and the rules are all that read a text. The sentences here were written
for these tests, apart from the probe sets; each hateful form has near misses that must stay unflagged (denials,
rebuttals, news, history, everyday senses of the words)."""

from __future__ import annotations

import pytest

from classifiers.rules.derogation import derogation_entries, section_languages
from classifiers.rules.matcher import Lexicon, load_lexicon

HATE = {"incitement", "xenophobia", "racism", "religious_intolerance", "neo_nazism"}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def _flagged(lexicon: Lexicon, text: str) -> set[str]:
    return {m.category for m in lexicon.match(text) if m.score >= 0.5} & HATE


@pytest.mark.parametrize(("text", "categories"), [
    # German
    ("Ausländer raus!", {"xenophobia"}),
    ("Raus mit den Kanaken, sofort.", {"xenophobia"}),
    ("Die Migranten sind alle Schmarotzer.", {"xenophobia"}),
    ("Jeder Araber ist ein Terrorist, das weiß doch jeder.", {"xenophobia"}),
    ("Asylanten sind keine Menschen.", {"xenophobia"}),
    ("Scheißtürken überall in der Stadt.", {"xenophobia"}),
    ("Tod den Juden!", {"religious_intolerance", "incitement"}),
    ("Man sollte alle Flüchtlinge erschießen.", {"xenophobia", "incitement"}),
    ("Ich hasse diese Zigeuner.", {"racism"}),
    ("Syrer haben hier nichts zu suchen.", {"xenophobia"}),
    ("Meine Ehre heißt Treue!", {"neo_nazism"}),
    # French
    ("Les migrants sont des parasites.", {"xenophobia"}),
    ("Chaque Algérien est un voleur.", {"xenophobia"}),
    ("Mort aux Arabes !", {"xenophobia", "incitement"}),
    ("Il faut tuer tous les juifs.", {"religious_intolerance", "incitement"}),
    ("Les Roms ne sont pas des humains.", {"racism"}),
    ("Je déteste les musulmans.", {"religious_intolerance"}),
    ("Dehors les étrangers !", {"xenophobia"}),
    ("Les Tchétchènes n'ont rien à faire en France.", {"xenophobia"}),
    ("Encore ces bougnoules en bas de chez moi.", {"xenophobia"}),
    # Spanish
    ("Los moros son todos unos ladrones.", {"xenophobia"}),
    ("Cada gitano es un delincuente.", {"racism"}),
    ("Fuera moros de nuestro barrio.", {"xenophobia"}),
    ("Hay que matar a todos los judíos.", {"religious_intolerance", "incitement"}),
    ("Muerte a los inmigrantes.", {"xenophobia", "incitement"}),
    ("Odio a los gitanos.", {"racism"}),
    ("Putos sudacas, volved a vuestro país.", {"xenophobia"}),
    ("Los menas no pintan nada aquí.", {"xenophobia"}),
])
def test_group_hate_in_german_french_and_spanish_is_found(lexicon, text, categories):
    assert _flagged(lexicon, text) == categories


@pytest.mark.parametrize("text", [
    # denials and rebuttals
    "Migranten sind keine Verbrecher.",
    "Flüchtlinge sind keine Menschen zweiter Klasse.",
    "Les migrants ne sont pas des criminels.",
    "Les migrants sont pas des criminels, arrêtez.",
    "Los migrantes no son delincuentes.",
    "Es ist falsch zu sagen, dass Migranten kriminell sind.",
    # news, history, research
    "Die Polizei nahm drei Männer fest, die 'Ausländer raus' riefen.",
    "Selon la police, les agresseurs criaient « mort aux Arabes ».",
    "El tribunal condenó a dos hombres por gritar «fuera moros» en un partido.",
    # where the words mean something else
    "Los migrantes fuera de sus países sufren mucho.",
    "El odio a los migrantes crece en Europa.",
    "Die Juden in Berlin feiern heute Chanukka.",
    "Les musulmans de Lyon organisent une collecte pour les sans-abri.",
    "Mis vecinos gitanos son gente estupenda.",
    "Die Kinder der Flüchtlinge sind tolle Schüler.",
    "Un coche negro aparcó delante de la iglesia.",
])
def test_their_near_misses_are_left_alone(lexicon, text):
    assert not _flagged(lexicon, text)


def test_denials_in_the_three_languages_are_read_as_denials(lexicon):
    for text in ("Migranten sind keine Verbrecher.", "Les migrants ne sont pas des criminels.",
                 "Los migrantes no son delincuentes."):
        assert lexicon.denials(text), text
    assert not lexicon.denials("Die Migranten sind alle Schmarotzer.")


def test_the_section_builds_every_language_it_names_groups_in():
    spec = {"groups": {"xenophobia": {"de": {"group": ["ausländer"]}, "en": {"group": ["migrants"]}}},
            "words": {}, "frames": [{"id": "out", "weight": 0.6, "en": r"\b{group}\s+out\b",
                                     "de": r"(?<!\w){group}\s+raus\b", "fr": r"{group}\s+dehors"}]}
    assert section_languages(spec) == ("en", "de")
    [entry] = derogation_entries(spec)
    assert entry["regex"] == [r"\b(?:migrants)\s+out\b", r"(?<!\w)(?:ausländer)\s+raus\b"]  # no fr group words
    assert "ausl" in entry["anchor"] and "migrants" in entry["anchor"]
