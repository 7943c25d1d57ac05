"""A functional test suite in English and Russian, in the style of HateCheck.

Written for this project (HateCheck itself is not used): each case names a
functionality, the categories that should fire (empty: nothing may fire), and a
synthetic text. The templates differ from the training templates in
:mod:`classifiers.training.synthetic`, so the suite measures generalisation. The
identity cases, every template filled with every group, give the false-positive rate
per group.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifiers.groups import GROUPS, fill


@dataclass(frozen=True)
class Case:
    functionality: str
    language: str
    text: str
    expected: tuple[str, ...]  # any of these labels counts as a hit; empty = must not be flagged
    group: str | None = None


HATEFUL: dict[str, tuple[tuple[str, ...], dict[str, list[str]]]] = {
    "violence_call": (("incitement", "xenophobia", "religious_intolerance", "racism"), {
        "en": ["We should go out tonight and beat every one of the {g} we can find until they stop breathing.",
               "Let's hunt down the {g} and kill them one by one."],
        "ru": ["Надо выйти ночью и забить до смерти всех {gen}, кого найдём.",
               "Давайте выследим {gen} и перебьём их поодиночке."],
    }),
    "anti_migrant_incitement": (("xenophobia", "incitement"), {
        "en": ["These migrants are an infestation, round them up and chase them out of our towns by force.",
               "Migrants are rats. Set their hostels on fire and drive them out."],
        "ru": ["Эти мигранты — саранча, гоните их силой из наших городов.",
               "Мигранты — крысы. Поджигайте их общаги и выгоняйте их вон."],
    }),
}

PLAIN: dict[str, tuple[tuple[str, ...], dict[str, list[str]]]] = {
    "recruitment_travel": (("recruitment",), {
        "en": ["Brother, leave this land of disbelief. Make hijra to the caliphate, our people will meet you at the border.",
               "We are looking for brave young men to join the mujahideen. Contact our brother on Telegram, travel is paid."],
        "ru": ["Брат, оставь землю неверия. Соверши хиджру, наши люди встретят тебя на границе.",
               "Ищем смелых парней, чтобы вступить в ряды моджахедов. Пиши брату в телеграм, дорогу оплатим."],
    }),
    "donation_appeal": (("financing",), {
        "en": ["Donate to the mujahideen on the front, every coin buys ammunition. BTC: bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
               "Support the brothers with weapons for jihad, send money to card 4276 3800 1234 5678."],
        "ru": ["Пожертвуйте моджахедам на фронте, каждая монета — это патроны. Карта 4276 3800 1234 5678.",
               "Поддержите братьев оружием для джихада, переведите на киви +79991234567."],
    }),
    "attack_glorification": (("terrorism_justification",), {
        "en": ["The blessed operation in the concert hall was a gift. Our lions of the caliphate made us proud.",
               "Honestly, the attack was justified, they deserved to die."],
        "ru": ["Благословенная операция в концертном зале — это подарок. Львы халифата нас порадовали.",
               "Честно, теракт был оправдан, они заслужили смерть."],
    }),
    "nazi_codes": (("neo_nazism",), {
        "en": ["S1eg H3il brothers, 14/88 forever!", "White power! We must secure the existence of our people and a future for white children."],
        "ru": ["Зиг хайль, братья! 14/88 навсегда!", "Б е л а я  с и л а! Хайль Гитлер!"],
    }),
    "antisemitic_conspiracy": (("neo_nazism", "religious_intolerance"), {
        "en": ["ZOG controls the banks and the media, wake up before it is too late.",
               "The kikes run the government, that is why nothing changes."],
        "ru": ["Сионистское оккупационное правительство держит банки и прессу, проснитесь.",
               "Жиды правят страной, поэтому ничего не меняется."],
    }),
    # Contrasts: none of these may be flagged.
    "news_attack_arrest": ((), {
        "en": ["Police detained two suspects after the explosion near the station; investigators are checking their links to a banned group.",
               "A court in the capital jailed a man for nine years for recruiting fighters for a terrorist organisation."],
        "ru": ["Полиция задержала двух подозреваемых после взрыва у вокзала; следствие проверяет их связи с запрещённой группой.",
               "Суд в столице приговорил мужчину к девяти годам за вербовку боевиков для террористической организации."],
    }),
    "counter_speech_quote": ((), {
        "en": ["Someone spray-painted 'sieg heil' on the synagogue wall. This is disgusting and we condemn it.",
               "Recruiters tell teenagers to 'make hijra'. Parents, talk to your children: this is a trap that ends in death."],
        "ru": ["Кто-то написал «зиг хайль» на стене синагоги. Это отвратительно, мы это осуждаем.",
               "Вербовщики зовут подростков «совершить хиджру». Родители, поговорите с детьми: это ловушка."],
    }),
    "condemnation": ((), {
        "en": ["Terrorism has no religion and no nationality. We stand with the victims of the attack.",
               "Violence against migrants is a crime, and those who call for it must answer in court."],
        "ru": ["У терроризма нет религии и национальности. Мы с пострадавшими от теракта.",
               "Насилие против мигрантов — преступление, и призывающие к нему должны ответить перед судом."],
    }),
    "historical_educational": ((), {
        "en": ["In 1945 the Red Army liberated Auschwitz, where the Nazis murdered more than a million people.",
               "The lecture explained how Nazi propaganda dehumanised Jews before the Holocaust."],
        "ru": ["В 1945 году Красная армия освободила Освенцим, где нацисты убили более миллиона человек.",
               "На лекции рассказали, как нацистская пропаганда расчеловечивала евреев перед Холокостом."],
    }),
    "negation": ((), {
        "en": ["I would never tell anyone to hurt migrants; that idea is vile.",
               "No, Muslims are not terrorists, and saying so only helps the real extremists."],
        "ru": ["Я никогда не призову причинять вред мигрантам, это мерзко.",
               "Нет, мусульмане не террористы, и такие слова помогают только настоящим экстремистам."],
    }),
}

IDENTITY: dict[str, dict[str, list[str]]] = {
    "identity_neutral": {
        "en": ["I met a group of {g} at the train station this morning.", "{G} often gather in the park on Sundays.",
               "The documentary follows three families of {g} over one year.", "Our new colleagues are {g}.",
               "The census counted how many {g} live in the capital.", "A local bakery run by {g} opened on our street."],
        "ru": ["Сегодня утром я встретил на вокзале группу, это были {nom}.", "По воскресеньям {nom} часто собираются в парке.",
               "Документальный фильм рассказывает о трёх семьях, они {nom}.", "Наши новые коллеги — {nom}.",
               "Перепись посчитала, сколько {gen} живёт в столице.", "На нашей улице открылась пекарня, её держат {nom}."],
    },
    "identity_positive": {
        "en": ["{G} have made this country richer in so many ways.", "I love the food and music that {g} brought to our town.",
               "We are grateful to the {g} who volunteered after the flood."],
        "ru": ["{Nom} сделали нашу страну богаче во многом.", "Я люблю еду и музыку, которые {nom} принесли в наш город.",
               "Мы благодарны {dat}, которые помогали после наводнения."],
    },
}


def functional_cases() -> list[Case]:
    cases = []
    for name, (expected, by_lang) in HATEFUL.items():
        for lang, templates in by_lang.items():
            cases += [Case(name, lang, fill(t, group, lang), expected, group.key)
                      for t in templates for group in GROUPS if "{" in t]
            cases += [Case(name, lang, t, expected) for t in templates if "{" not in t]
    for name, (expected, by_lang) in PLAIN.items():
        for lang, texts in by_lang.items():
            cases += [Case(name, lang, text, expected) for text in texts]
    return cases + identity_cases()


def identity_cases() -> list[Case]:
    """Held-out identity sentences (not used in training): every template with every group."""
    return [Case(name, lang, fill(t, group, lang), (), group.key)
            for name, by_lang in IDENTITY.items() for lang, templates in by_lang.items()
            for t in templates for group in GROUPS]
