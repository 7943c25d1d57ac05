"""Identity groups named in synthetic training and fairness sentences (English and Russian).

Each Russian group carries the case forms templates need: nominative, genitive,
dative and instrumental plural. The list covers the groups the CSTO statement's
concern reaches (religions, nationalities, migrants, races): a classifier that flags a
neutral mention of any of them is defective, and the evaluation suite measures that
per group and per language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    key: str
    en: str
    ru: tuple[str, str, str, str]  # nom, gen, dat, ins (plural)


GROUPS: tuple[Group, ...] = (
    Group("muslims", "Muslims", ("мусульмане", "мусульман", "мусульманам", "мусульманами")),
    Group("jews", "Jews", ("евреи", "евреев", "евреям", "евреями")),
    Group("christians", "Christians", ("христиане", "христиан", "христианам", "христианами")),
    Group("migrants", "migrants", ("мигранты", "мигрантов", "мигрантам", "мигрантами")),
    Group("refugees", "refugees", ("беженцы", "беженцев", "беженцам", "беженцами")),
    Group("central_asians", "Central Asians", ("выходцы из Средней Азии", "выходцев из Средней Азии",
                                               "выходцам из Средней Азии", "выходцами из Средней Азии")),
    Group("tajiks", "Tajiks", ("таджики", "таджиков", "таджикам", "таджиками")),
    Group("uzbeks", "Uzbeks", ("узбеки", "узбеков", "узбекам", "узбеками")),
    Group("kyrgyz", "Kyrgyz people", ("киргизы", "киргизов", "киргизам", "киргизами")),
    Group("kazakhs", "Kazakhs", ("казахи", "казахов", "казахам", "казахами")),
    Group("caucasus_peoples", "people from the Caucasus", ("кавказцы", "кавказцев", "кавказцам", "кавказцами")),
    Group("russians", "Russians", ("русские", "русских", "русским", "русскими")),
    Group("ukrainians", "Ukrainians", ("украинцы", "украинцев", "украинцам", "украинцами")),
    Group("chechens", "Chechens", ("чеченцы", "чеченцев", "чеченцам", "чеченцами")),
    Group("armenians", "Armenians", ("армяне", "армян", "армянам", "армянами")),
    Group("black_people", "Black people", ("чернокожие", "чернокожих", "чернокожим", "чернокожими")),
    Group("arabs", "Arabs", ("арабы", "арабов", "арабам", "арабами")),
    Group("roma", "Roma", ("цыгане", "цыган", "цыганам", "цыганами")),
    Group("buddhists", "Buddhists", ("буддисты", "буддистов", "буддистам", "буддистами")),
)

BY_KEY: dict[str, Group] = {g.key: g for g in GROUPS}


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def fill(template: str, group: Group, language: str, **extra: str) -> str:
    """Put a group's name into a template ({g} in English; {nom} {gen} {dat} {ins} in Russian; a
    capitalised placeholder, {G} or {Nom}, starts a sentence). ``extra`` fills other placeholders."""
    if language == "en":
        return template.format(g=group.en, G=_upper_first(group.en), **extra)
    nom, gen, dat, ins = group.ru
    return template.format(nom=nom, Nom=_upper_first(nom), gen=gen, dat=dat, ins=ins, **extra)
