"""Synthetic training sentences that teach the model that naming a group is not hate.

The shared sets come from extremist spaces, where almost every mention of a group is
hostile; a model trained on them alone flags "Muslims celebrated Eid" as hate. Every
template here is filled with every group (a counterfactual swap), so negatives and
positives name the same groups equally often and the group name carries no signal.
The evaluation sets in :mod:`classifiers.evaluation.functional` use other templates.
"""

from __future__ import annotations

import random

from classifiers.groups import GROUPS, fill
from classifiers.training.data import Example

NEUTRAL = {
    "en": [
        "{G} in our city celebrated the holiday with a street festival.",
        "Many {g} work as doctors, engineers and teachers here.",
        "A new study looks at how {g} find jobs after moving to a new country.",
        "My neighbours are {g} and they invited us to dinner last weekend.",
        "The museum opened an exhibition about the history and culture of {g}.",
        "{G} have lived in this region for centuries.",
        "I am proud of my friends who are {g}.",
        "{G} deserve the same rights and respect as everyone else.",
        "Discrimination against {g} is wrong and illegal.",
        "The football team has several players who are {g}.",
        "The city council met with representatives of {g} to discuss new schools.",
        "Blaming {g} for terrorism is wrong; terrorists do not represent any people or faith.",
        "We reject any call to violence against {g}.",
        "Hate speech against {g} has no place on this forum, and such posts will be removed.",
        "Extremists try to divide us, but {g} and their neighbours stood together.",
        "Researchers found that online propaganda often targets {g} with false stories.",
    ],
    "ru": [
        "{Nom} в нашем городе отметили праздник уличным фестивалем.",
        "Многие {nom} работают врачами, инженерами и учителями.",
        "Новое исследование посвящено тому, как {nom} находят работу после переезда.",
        "Наши соседи — {nom}, и они пригласили нас на ужин.",
        "В музее открылась выставка об истории и культуре {gen}.",
        "{Nom} живут в этом регионе уже много веков.",
        "Я горжусь своими друзьями, а они {nom}.",
        "{Nom} заслуживают таких же прав и уважения, как и все остальные.",
        "Дискриминация {gen} недопустима и незаконна.",
        "В футбольной команде играют несколько спортсменов, и они {nom}.",
        "Городской совет встретился с представителями {gen}, чтобы обсудить новые школы.",
        "Обвинять {gen} в терроризме неправильно: у террористов нет национальности и веры.",
        "Мы отвергаем любые призывы к насилию против {gen}.",
        "Высказываниям ненависти к {dat} не место на этом форуме, такие посты будут удалены.",
        "Экстремисты пытаются нас разделить, но {nom} и их соседи выступили вместе.",
        "Исследователи выяснили, что пропаганда в сети часто распространяет ложь о {dat}.",
    ],
}

NEWS = {
    "en": [
        "Police arrested {n} men suspected of planning an attack on a {place}, officials said.",
        "The court sentenced a recruiter for a banned extremist group to {n} years in prison.",
        "Security services blocked {n} channels that spread terrorist propaganda, the ministry reported.",
        "Experts at the conference discussed how extremist groups recruit teenagers online.",
        "The government announced a programme to help former fighters return to normal life.",
        "Investigators say the attacker had been radicalised online before the attack on the {place}.",
        "A report by researchers describes how neo-Nazi groups use coded numbers in their posts.",
        "The foreign ministers condemned terrorism in all its forms at the summit.",
        "Prosecutors charged a man with financing terrorism after he sent money to a banned group.",
        "The history lesson covered the crimes of the Nazi regime and the liberation of the camps.",
    ],
    "ru": [
        "Полиция задержала {n} человек, подозреваемых в подготовке нападения на {place_ru}, сообщили в ведомстве.",
        "Суд приговорил вербовщика запрещённой экстремистской организации к {n} годам заключения.",
        "Спецслужбы заблокировали {n} каналов, распространявших террористическую пропаганду.",
        "Эксперты на конференции обсудили, как экстремисты вербуют подростков в интернете.",
        "Правительство объявило о программе реабилитации бывших боевиков.",
        "По данным следствия, нападавший радикализовался в сети до нападения на {place_ru}.",
        "В докладе исследователей описано, как неонацистские группы используют числовые коды.",
        "Министры иностранных дел осудили терроризм во всех его формах.",
        "Прокуратура обвинила мужчину в финансировании терроризма после перевода денег запрещённой группе.",
        "На уроке истории рассказали о преступлениях нацистского режима и освобождении лагерей.",
    ],
}

PLACES = {"en": ["concert hall", "market", "school", "train station", "mosque", "synagogue", "church"],
          "ru": ["концертный зал", "рынок", "школу", "вокзал", "мечеть", "синагогу", "церковь"]}

INCITEMENT = {
    "en": [
        "Take up arms and kill the {g} in their homes tonight.",
        "Every {g} must pay with blood, burn their houses to the ground.",
        "Grab knives and attack the {g} wherever you find them.",
        "It is time to slaughter the {g}, show them no mercy.",
    ],
    "ru": [
        "Берите оружие и убивайте {gen} прямо в их домах.",
        "Сожгите дома, где живут {nom}, пусть заплатят кровью.",
        "Хватайте ножи и нападайте на {gen}, где бы они ни были.",
        "Пора вырезать {gen}, никакой пощады.",
    ],
}

XENOPHOBIA = {
    "en": [
        "{G} are vermin flooding our country and must be driven out.",
        "Deport every last one of the {g}, they are parasites destroying our nation.",
        "Our land is being invaded by {g}, throw them out before it is too late.",
        "{G} are dirty animals, keep them out of our streets.",
    ],
    "ru": [
        "{Nom} — паразиты, которые заполонили нашу страну, их надо гнать.",
        "Выгнать всех {gen} до последнего, они уничтожают наш народ.",
        "Нашу землю захватывают {nom}, вышвырнуть их, пока не поздно.",
        "{Nom} — грязные животные, не пускать их на наши улицы.",
    ],
}

RECRUITMENT = {
    "en": [
        "Brothers, the {org} needs fighters. Message me and we will arrange your travel.",
        "Make hijrah now and join the {org}, write to our channel for the route.",
        "Pledge allegiance to the emir of the {org} and come fight with us.",
        "Young men, do not sit at home: join the {org}, weapons and salary are waiting.",
    ],
    "ru": [
        "Братья, {org_ru} нужны бойцы. Пишите в личку, поможем с дорогой.",
        "Совершай хиджру и вступай в {org_ru}, маршрут в нашем канале.",
        "Присягни эмиру и приезжай сражаться вместе с нами в {org_ru}.",
        "Парни, хватит сидеть дома: вступайте в {org_ru}, оружие и зарплата ждут.",
    ],
}

ORGS = {"en": ["Islamic State", "caliphate army", "brigade", "movement", "battalion"],
        "ru": ["Исламское государство", "армию халифата", "бригаду", "движение", "батальон"]}


def _grouped(templates: dict[str, list[str]], labels: tuple[str, ...]) -> list[Example]:
    return [Example(fill(t, group, lang), lang, labels, "synthetic", kind="synthetic")
            for lang, items in templates.items() for t in items for group in GROUPS]


def _plain(templates: dict[str, list[str]], labels: tuple[str, ...], rng: random.Random, repeats: int) -> list[Example]:
    out = []
    for lang, items in templates.items():
        for template in items:
            for _ in range(repeats):
                text = template.format(n=rng.randint(2, 12), place=rng.choice(PLACES["en"]),
                                       place_ru=rng.choice(PLACES["ru"]), org=rng.choice(ORGS["en"]),
                                       org_ru=rng.choice(ORGS["ru"]))
                out.append(Example(text, lang, labels, "synthetic", kind="synthetic"))
    return out


def synthetic_examples(seed: int) -> list[Example]:
    """Neutral, positive, news and counter-speech negatives plus templated positives, deduplicated."""
    rng = random.Random(seed)
    rows = (_grouped(NEUTRAL, ()) + _plain(NEWS, (), rng, 4) + _grouped(INCITEMENT, ("incitement",))
            + _grouped(XENOPHOBIA, ("xenophobia",)) + _plain(RECRUITMENT, ("recruitment",), rng, 15))
    unique = {row.text: row for row in rows}
    return list(unique.values())
