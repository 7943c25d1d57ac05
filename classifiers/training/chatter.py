"""Training rows set inside everyday chatter, hateful and neutral alike (kind ``chatter``).

Most positives in the shared sets are single sentences, while the hard negatives of
:mod:`classifiers.training.contrast` put hateful sentences inside longer reporting frames.
A model trained on that mix learns that surrounding text argues against hate: 0.5.0 found
0.41 of the suite's English slurs and derogation alone but 0.02 of them after two lines
about a market and before one about the weather.

Here a train-part row is set between a few sentences of ordinary talk (family, work,
sport, cooking, repairs) and keeps its own labels, split key and group. Positives and
negatives are framed in equal numbers from the same sentences, so the chatter itself
carries no label: what decides is the sentence inside it. A character budget keeps the
framed row's opening and the row itself inside the training length, so truncation
never cuts the row off.

The chatter sentences share no five words with the functional suite, the synthetic and
contrast templates, or the chatter of the context test (a test checks).
"""

from __future__ import annotations

import random
from dataclasses import replace

from classifiers.training.data import Example, split_key_of

CHATTER = {
    "en": [
        "Morning everyone.",
        "Hi all, long time no post.",
        "Just got back from work, what a day.",
        "My son finally passed his driving test.",
        "We painted the kitchen this weekend and it looks great.",
        "The bus was late again so I walked.",
        "Anyone watch the match last night? What a finish.",
        "Made soup with the last of the potatoes.",
        "The kids are off school until Monday.",
        "Still waiting for the plumber to call back.",
        "Our cat knocked the plant off the shelf again.",
        "Tea first, then I'll read the rest of the thread.",
        "Sorry for the long post.",
        "Anyway, back to the garden: the tomatoes are doing well this year.",
        "Payday tomorrow, thank goodness.",
        "Going to my parents' place for the weekend.",
        "Traffic on the ring road was awful this morning.",
        "Happy birthday to my sister, by the way.",
        "I fixed the bike chain myself for once.",
        "The new phone battery lasts two days, not bad.",
        "Our team lost three nil, no surprises there.",
        "Off to bed soon, early shift tomorrow.",
        "Got the car back from the garage at last.",
        "Does anyone know a good dentist nearby?",
        "The heating came back on today.",
        "Baked bread for the first time, turned out fine.",
        "Queue at the post office took forever.",
        "My daughter's school play was lovely.",
        "Watching a documentary about whales tonight.",
        "Picked mushrooms in the forest with my brother.",
        "Work is quiet this week.",
        "The neighbours' dog barked all night.",
        "Ok, that's all from me for today.",
        "Lol.",
        "Have a good evening, everyone.",
        "Cheers.",
    ],
    "ru": [
        "Всем доброе утро.",
        "Привет всем, давно не писал.",
        "Только пришёл с работы, ну и денёк.",
        "Сын наконец сдал на права.",
        "На выходных покрасили кухню, получилось здорово.",
        "Автобус опять опоздал, пошёл пешком.",
        "Кто смотрел вчера матч? Вот это концовка.",
        "Сварила суп из последней картошки.",
        "У детей каникулы до понедельника.",
        "Всё жду, когда перезвонит сантехник.",
        "Кот опять уронил цветок с полки.",
        "Сначала чай, потом дочитаю ветку.",
        "Извините за длинный пост.",
        "Короче, про дачу: помидоры в этом году хорошие.",
        "Завтра зарплата, наконец-то.",
        "Еду к родителям на выходные.",
        "Пробки на кольцевой с утра ужасные.",
        "Кстати, у сестры сегодня день рождения.",
        "Сам починил цепь на велике, впервые.",
        "Новый телефон держит заряд два дня, неплохо.",
        "Наши проиграли три ноль, кто бы сомневался.",
        "Скоро спать, завтра ранняя смена.",
        "Забрал наконец машину из сервиса.",
        "Кто знает хорошего стоматолога поблизости?",
        "Сегодня дали отопление.",
        "Первый раз испекла хлеб, вышло нормально.",
        "Очередь на почте бесконечная.",
        "Спектакль в школе у дочки был чудесный.",
        "Вечером смотрю фильм про китов.",
        "Ходили с братом за грибами в лес.",
        "На работе на этой неделе тихо.",
        "Соседская собака лаяла всю ночь.",
        "Ладно, на сегодня всё.",
        "Ахах.",
        "Всем хорошего вечера.",
        "Давайте.",
    ],
}
BUDGET = {"en": 240, "ru": 360}  # characters of opening chatter plus the row: about 60 tokens (en), 100 (ru)


def fits(text: str, language: str) -> bool:
    """Whether a row is short enough to be framed whole (longer rows would lose their end to truncation)."""
    return 0 < len(" ".join(text.split())) <= BUDGET[language] - 40


def frame(text: str, language: str, rng: random.Random) -> str:
    """``text`` (closed with a full stop if it has no closing mark) with zero to two chatter sentences
    before it and after it, at least one in all; opening sentences are dropped where they would push
    the row past the budget."""
    body = " ".join(text.split())
    body += "" if body[-1] in ".!?…»\"')" else "."
    sentences = rng.sample(CHATTER[language], 4)
    before, after = sentences[:rng.randint(0, 2)], sentences[2:2 + rng.randint(0, 2)]
    if not before and not after:
        after = sentences[2:3]
    while before and len(" ".join(before)) + 1 + len(body) > BUDGET[language]:
        before.pop(0)
    return " ".join([*before, body, *after])


def chatter_examples(rows: list[Example], seed: int, per_language: int) -> list[Example]:
    """About ``per_language`` rows per language framed in chatter, half from labelled ``rows`` and half
    from unlabelled ones, each short enough to frame whole (deterministic for a seed); labels, source,
    group and split key kept."""
    rng = random.Random(seed)
    out: list[Example] = []
    for language in CHATTER:
        for hateful in (True, False):
            pool = sorted((r for r in rows if r.language == language and bool(r.labels) == hateful
                           and r.kind not in ("chatter", "perturbed", "contrast") and fits(r.text, language)),
                          key=lambda r: (r.text, r.source))
            for source in rng.sample(pool, min(len(pool), per_language // 2)):
                out.append(replace(source, text=frame(source.text, language, rng), kind="chatter",
                                   split_key=split_key_of(source)))
    return out
