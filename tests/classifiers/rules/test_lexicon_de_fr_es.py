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


@pytest.mark.parametrize(("text", "categories"), [
    # round 2 (the first set's misses read): a place between the group and the verb, "=", the subordinate clause,
    # a pronoun later, "nothing but", compounds, "in the blood", threats on sight and to the addressed group,
    # refusal to serve, out by force, violence called deserved, a faith banned, attacks praised, calls to join
    ("Die Rumänen bei uns im Block sind einfach dreckig.", {"xenophobia"}),
    ("Afghanen = Abschaum.", {"xenophobia"}),
    ("Ich sage nur, dass Araber weniger wert sind.", {"xenophobia"}),
    ("Ich kenne viele Kurden, und jeder einzelne von ihnen ist ein Betrüger.", {"xenophobia"}),
    ("Schon wieder Türkenpack vor der Tür.", {"xenophobia"}),
    ("Albaner stehlen Autos, das liegt denen im Blut.", {"xenophobia"}),
    ("Ich knall jeden Kanaken ab, den ich sehe.", {"xenophobia", "incitement"}),
    ("Ihr Juden, eure Häuser werden brennen.", {"religious_intolerance", "incitement"}),
    ("Zigeuner kommen mir nicht in meinen Laden.", {"racism"}),
    ("Die Tschetschenen alle rauswerfen, notfalls mit Gewalt.", {"xenophobia"}),
    ("Einen Kanaken zu verprügeln ist Notwehr.", {"xenophobia", "incitement"}),
    ("Den Islam in Deutschland verbieten, sofort.", {"religious_intolerance"}),
    ("Les Algériens ne sont que des profiteurs.", {"xenophobia"}),
    ("Les Tunisiens du quartier, on sait où vous habitez.", {"xenophobia", "incitement"}),
    ("Dans ma boutique on ne sert pas les Roms.", {"racism"}),
    ("Tabasser un Maghrébin, c'est de la légitime défense.", {"xenophobia", "incitement"}),
    ("Il faut interdire l'islam.", {"religious_intolerance"}),
    ("Los peruanos, que no son más que ladrones, deberían irse.", {"xenophobia"}),
    ("Gitanos = escoria.", {"racism"}),
    ("Si veo otro sudaca en mi portal le abro la cabeza.", {"xenophobia", "incitement"}),
    ("Moros, largaos o vamos a colgaros.", {"xenophobia", "incitement"}),
    ("En mi tienda no se sirve a gitanos.", {"racism"}),
    ("Que los marroquíes se vayan por las buenas o por las malas.", {"xenophobia"}),
])
def test_second_round_forms_are_found(lexicon, text, categories):
    assert _flagged(lexicon, text) == categories


@pytest.mark.parametrize(("text", "category"), [
    ("Der Anschlag auf den Weihnachtsmarkt: die Täter sind wahre Helden.", "terrorism_justification"),
    ("L'attentat de Nice, ceux qui l'ont fait sont des héros.", "terrorism_justification"),
    ("Los del atentado son unos héroes.", "terrorism_justification"),
    ("Schließ dich unserer Kameradschaft an, schreib uns.", "recruitment"),
    ("Frère, rejoindre les rangs de l'État islamique est un devoir.", "recruitment"),
    ("Únete a los muyahidines, hermano.", "recruitment"),
    ("Unsere Ehre heißt Treue, Kameraden.", "neo_nazism"),
])
def test_second_round_praise_calls_and_mottos_are_found(lexicon, text, category):
    assert category in {m.category for m in lexicon.match(text) if m.score >= 0.5}


@pytest.mark.parametrize("text", [
    "Die Rumänen bei uns im Block sind sehr freundlich.",
    "Der Islam in Deutschland ist vielfältig.",
    "Meine Brüder sind Helden, sie arbeiten bei der Feuerwehr.",
    "Die Feuerwehr löschte den Brand in der Moschee, niemand wurde verletzt.",
    "Les ratonnades de 1961 restent un traumatisme.",
    "Los peruanos no son ladrones, son trabajadores.",
    "Juden kontrollieren weder die Banken noch die Medien.",
    "Les Chinois ne sont pas responsables du covid.",
    "Decir que los inmigrantes son delincuentes es racismo.",
    "Zu sagen, dass Migranten kriminell sind, ist Rassismus.",
    "Únete a nuestro club de lectura.",
    # whoever acts on the group is the subject of what follows
    "Ceux qui insultent les Arabes, ils sont des ordures.",
    "Los que atacan a los gitanos, son escoria.",
    "Wer Juden angreift, die sind Abschaum.",
    # a report of force, not a call for it
    "Los gitanos fueron desalojados por la fuerza del asentamiento.",
    "Die Syrer wurden mit Gewalt abgeschoben, berichten Helfer.",
])
def test_second_round_near_misses_are_left_alone(lexicon, text):
    assert not _flagged(lexicon, text) - {"incitement"} and "recruitment" not in {
        m.category for m in lexicon.match(text) if m.score >= 0.5}


def test_the_group_names_of_other_languages_are_no_english_words(lexicon):
    for text in ("the pole vault", "Politicians are morons", "a film noir classic", "read-only memory (ROM)"):
        assert not lexicon.names_target(text), text

