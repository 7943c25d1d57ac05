"""Identity groups named in synthetic training and fairness sentences (English and Russian).

Each Russian group carries the case forms templates need: nominative, genitive,
dative and instrumental plural; and, where the group has a noun for one person, its
singular in those cases and the prepositional (the group swaps of
:mod:`classifiers.model.counterfactual` replace "таджик" as they replace "таджики"). The list covers the groups the CSTO statement's
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
    # nom, gen, dat, ins, prep (singular, masculine); empty where the singular is an adjective ("русский" is also
    # the Russian of a language or a road). A form spelt as a plural one ("цыган", "цыгане") is read as the plural.
    ru_singular: tuple[str, ...] = ()


GROUPS: tuple[Group, ...] = (
    Group("muslims", "Muslims", ("мусульмане", "мусульман", "мусульманам", "мусульманами"),
          ru_singular=("мусульманин", "мусульманина", "мусульманину", "мусульманином", "мусульманине")),
    Group("jews", "Jews", ("евреи", "евреев", "евреям", "евреями"),
          ru_singular=("еврей", "еврея", "еврею", "евреем", "еврее")),
    Group("christians", "Christians", ("христиане", "христиан", "христианам", "христианами"),
          ru_singular=("христианин", "христианина", "христианину", "христианином", "христианине")),
    Group("migrants", "migrants", ("мигранты", "мигрантов", "мигрантам", "мигрантами"),
          ru_singular=("мигрант", "мигранта", "мигранту", "мигрантом", "мигранте")),
    Group("refugees", "refugees", ("беженцы", "беженцев", "беженцам", "беженцами"),
          ru_singular=("беженец", "беженца", "беженцу", "беженцем", "беженце")),
    Group("central_asians", "Central Asians", ("выходцы из Средней Азии", "выходцев из Средней Азии",
                                               "выходцам из Средней Азии", "выходцами из Средней Азии"),
          ru_singular=tuple(f"{head} из Средней Азии" for head in ("выходец", "выходца", "выходцу", "выходцем",
                                                                     "выходце"))),
    Group("tajiks", "Tajiks", ("таджики", "таджиков", "таджикам", "таджиками"),
          ru_singular=("таджик", "таджика", "таджику", "таджиком", "таджике")),
    Group("uzbeks", "Uzbeks", ("узбеки", "узбеков", "узбекам", "узбеками"),
          ru_singular=("узбек", "узбека", "узбеку", "узбеком", "узбеке")),
    Group("kyrgyz", "Kyrgyz people", ("киргизы", "киргизов", "киргизам", "киргизами"),
          ru_singular=("киргиз", "киргиза", "киргизу", "киргизом", "киргизе")),
    Group("kazakhs", "Kazakhs", ("казахи", "казахов", "казахам", "казахами"),
          ru_singular=("казах", "казаха", "казаху", "казахом", "казахе")),
    Group("caucasus_peoples", "people from the Caucasus", ("кавказцы", "кавказцев", "кавказцам", "кавказцами"),
          ru_singular=("кавказец", "кавказца", "кавказцу", "кавказцем", "кавказце")),
    Group("russians", "Russians", ("русские", "русских", "русским", "русскими")),
    Group("ukrainians", "Ukrainians", ("украинцы", "украинцев", "украинцам", "украинцами"),
          ru_singular=("украинец", "украинца", "украинцу", "украинцем", "украинце")),
    Group("chechens", "Chechens", ("чеченцы", "чеченцев", "чеченцам", "чеченцами"),
          ru_singular=("чеченец", "чеченца", "чеченцу", "чеченцем", "чеченце")),
    Group("armenians", "Armenians", ("армяне", "армян", "армянам", "армянами"),
          ru_singular=("армянин", "армянина", "армянину", "армянином", "армянине")),
    Group("black_people", "Black people", ("чернокожие", "чернокожих", "чернокожим", "чернокожими")),
    Group("arabs", "Arabs", ("арабы", "арабов", "арабам", "арабами"),
          ru_singular=("араб", "араба", "арабу", "арабом", "арабе")),
    Group("roma", "Roma", ("цыгане", "цыган", "цыганам", "цыганами"),
          ru_singular=("цыган", "цыгана", "цыгану", "цыганом", "цыгане")),
    Group("buddhists", "Buddhists", ("буддисты", "буддистов", "буддистам", "буддистами"),
          ru_singular=("буддист", "буддиста", "буддисту", "буддистом", "буддисте")),
)

# More groups that the group swaps of :mod:`classifiers.model.counterfactual` recognise in a flagged text and replace
# (by groups of GROUPS), but that no template names: peoples and faiths, most of them of the region, whose neutral
# mentions the model can flag as it flags the others' (a development probe's "Обожаю наших соседей-азербайджанцев"
# is xenophobia at 0.61). Kept apart so that adding one changes no training row, no suite case and no swap of a
# text that names none of them.
RECOGNISED: tuple[Group, ...] = (
    Group("azerbaijanis", "Azerbaijanis", ("азербайджанцы", "азербайджанцев", "азербайджанцам", "азербайджанцами"),
          ru_singular=("азербайджанец", "азербайджанца", "азербайджанцу", "азербайджанцем", "азербайджанце")),
    Group("georgians", "Georgians", ("грузины", "грузин", "грузинам", "грузинами"),
          ru_singular=("грузин", "грузина", "грузину", "грузином", "грузине")),
    Group("dagestanis", "Dagestanis", ("дагестанцы", "дагестанцев", "дагестанцам", "дагестанцами"),
          ru_singular=("дагестанец", "дагестанца", "дагестанцу", "дагестанцем", "дагестанце")),
    Group("ingush", "Ingush people", ("ингуши", "ингушей", "ингушам", "ингушами"),
          ru_singular=("ингуш", "ингуша", "ингушу", "ингушом", "ингуше")),
    Group("tatars", "Tatars", ("татары", "татар", "татарам", "татарами"),
          ru_singular=("татарин", "татарина", "татарину", "татарином", "татарине")),
    Group("belarusians", "Belarusians", ("белорусы", "белорусов", "белорусам", "белорусами"),
          ru_singular=("белорус", "белоруса", "белорусу", "белорусом", "белорусе")),
    Group("chinese", "Chinese people", ("китайцы", "китайцев", "китайцам", "китайцами"),
          ru_singular=("китаец", "китайца", "китайцу", "китайцем", "китайце")),
    Group("koreans", "Koreans", ("корейцы", "корейцев", "корейцам", "корейцами"),
          ru_singular=("кореец", "корейца", "корейцу", "корейцем", "корейце")),
    Group("africans", "Africans", ("африканцы", "африканцев", "африканцам", "африканцами"),
          ru_singular=("африканец", "африканца", "африканцу", "африканцем", "африканце")),
    Group("hindus", "Hindus", ("индуисты", "индуистов", "индуистам", "индуистами"),
          ru_singular=("индуист", "индуиста", "индуисту", "индуистом", "индуисте")),
    Group("sikhs", "Sikhs", ("сикхи", "сикхов", "сикхам", "сикхами"),
          ru_singular=("сикх", "сикха", "сикху", "сикхом", "сикхе")),
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
