"""Hard negatives built on purpose, in English and Russian: none of these may be flagged.

The shared sets teach that quoting hate, reporting it or naming a group is hate. Five
families of negatives (kind ``contrast``) teach otherwise:

* ``quote``: a hateful sentence from the positives passed in, quoted inside condemnation,
  news, moderation, court, research or teaching frames; the wrapper never inherits the
  quoted sentence's label, and it keeps the quoted row's split key so a sentence and its
  wrapped copies stay on one side of a split;
* ``rebuttal``: negations and rebuttals of the claims hate makes about a group;
* ``news``: reports of attacks on a group, arrests and trials;
* ``mention``: neutral and positive mentions of every group in :mod:`classifiers.groups`;
* ``swap``: real negatives with one group's name swapped for another's (counterfactual).

The frames differ from those of :mod:`classifiers.evaluation.functional` and
:mod:`classifiers.training.synthetic` (a test checks), so the suite measures generalisation.
"""

from __future__ import annotations

import random
import re

from classifiers.groups import GROUPS, Group
from classifiers.training.data import Example, split_key_of

LANGUAGES = ("en", "ru")
SHARES = {"quote": 0.45, "rebuttal": 0.15, "news": 0.15, "mention": 0.15, "swap": 0.10}
QUOTE_MARKS = {"en": [("\"", "\""), ("“", "”"), ("'", "'")], "ru": [("«", "»"), ("\"", "\""), ("„", "“")]}

QUOTE_FRAMES = {
    "en": [
        "A post circulating today claimed that {o}{q}{c} Police say they are investigating the account behind it.",
        "Moderator note: the comment {o}{q}{c} was removed under our rules on hateful content.",
        "We received several reports about this message: {o}{q}{c}. The account has been suspended.",
        "In the study, annotators marked sentences such as {o}{q}{c} as examples of dehumanising language.",
        "Fact check: the claim {o}{q}{c} is false and was spread by a network of fake accounts.",
        "Our newsroom will not amplify hate, but readers should know what is being shared: {o}{q}{c} We reported it.",
        "Teachers are being trained to recognise phrases like {o}{q}{c} and to discuss with pupils where they lead.",
        "{o}{q}{c} is the kind of message our volunteers flag every day. Please report it when you see it.",
        "Screenshot description: a user wrote {o}{q}{c}. Status: removed, user warned.",
        "The mayor condemned a leaflet found in the district that read: {o}{q}{c}",
        "Can't believe someone in my feed shared {o}{q}{c}. Unfollowed and reported.",
        "Human rights groups documented slogans such as {o}{q}{c} in their annual report on hate crime.",
        "The judge ruled that the words {o}{q}{c} stirred up hatred and fined the author.",
        "Lecture slide: an example of propaganda rhetoric, {o}{q}{c}. Discuss who benefits from this framing.",
        "Transparency report: content like {o}{q}{c} accounted for most removals this quarter.",
        "Translation for the research team (the original post is gone): {o}{q}{c}",
        "When my uncle repeated {o}{q}{c} over dinner, I told him this is exactly how hatred spreads.",
        "People who write things like {o}{q}{c} want us to fear our neighbours. Don't give them that.",
        "The channel was blocked after posting {o}{q}{c}, the regulator said in a statement.",
        "Journalists traced the slogan {o}{q}{c} back to a handful of anonymous accounts.",
        "Our community guidelines forbid posts such as {o}{q}{c}; repeated violations lead to a ban.",
        "Survivors told the inquiry that messages like {o}{q}{c} preceded the attacks on their homes.",
        "The prosecutor argued that the post {o}{q}{c} was written to provoke hostility.",
        "Why do people fall for lines like {o}{q}{c}? A psychologist explains how scapegoating works.",
        "The report analyses {n} thousand posts; a typical one reads {o}{q}{c}",
        "Someone left a note on our door saying {o}{q}{c} Our neighbours came round at once to support us.",
        "Please stop forwarding {o}{q}{c} even to mock it: every share pushes it to more people.",
        "Thread: {o}{q}{c} Every claim in that sentence is wrong, and here is the data.",
        "Someone claims: {o}{q}{c} That is a lie, and repeating it does not make it true.",
        "The podcast episode examines how statements like {o}{q}{c} move from fringe forums into family chats.",
        "Evidence item {n}: a message reading {o}{q}{c}, posted two days before the arrest.",
        "Content warning, quoted hate speech: {o}{q}{c} This is what our moderators read so you don't have to.",
        "The ombudsman said that comments such as {o}{q}{c} break equality law and must come down.",
        "A bot network pushed the phrase {o}{q}{c} thousands of times, according to the analysts.",
        "As a historian I collect such texts: {o}{q}{c} Reading them today shows how propaganda works.",
        "The head teacher wrote to parents after a pupil posted {o}{q}{c} in the class chat.",
        "We have locked the thread where users kept posting {o}{q}{c}",
        "Don't let the troll who wrote {o}{q}{c} set the tone of this discussion.",
        "The editorial argues that {o}{q}{c} is not free speech but a deliberate attempt to intimidate.",
        "Workshop exercise: rewrite {o}{q}{c} as a neutral statement and notice what disappears.",
        "The club banned a supporter for life after he shouted {o}{q}{c} during the match.",
        "In the leaked chat one member wrote {o}{q}{c}; the group is now under surveillance, officials say.",
        "Hatred dressed up as opinion: {o}{q}{c} We answer it with facts and with solidarity.",
        "The linguist's expert opinion found that {o}{q}{c} contains signs of incitement to hatred.",
        "Warning to subscribers: fake accounts are spamming {o}{q}{c} under our videos. Do not engage, report them.",
        "The textbook chapter on extremism quotes {o}{q}{c} and asks students to identify the manipulation.",
    ],
    "ru": [
        "В сети распространяется пост, в котором утверждается: {o}{q}{c} Полиция проводит проверку.",
        "Модератор: комментарий {o}{q}{c} удалён за нарушение правил сообщества.",
        "Такие высказывания, как {o}{q}{c}, — это ксенофобия, и им нет места в нашем обществе.",
        "Кто-то пишет: {o}{q}{c} Это неправда, и повторение лжи не делает её правдой.",
        "В исследовании разметчики отмечали фразы вроде {o}{q}{c} как примеры расчеловечивающей риторики.",
        "Проверка фактов: утверждение {o}{q}{c} ложно, его распространяла сеть фейковых аккаунтов.",
        "Суд признал, что слова {o}{q}{c} разжигают вражду, и оштрафовал автора.",
        "Учителей учат распознавать фразы вроде {o}{q}{c} и обсуждать их с учениками.",
        "{o}{q}{c} — такие сообщения наши волонтёры находят каждый день. Пожалуйста, жалуйтесь на них.",
        "Описание скриншота: пользователь написал {o}{q}{c}. Статус: удалено, пользователь предупреждён.",
        "Глава района осудил листовку, на которой было написано: {o}{q}{c}",
        "Не верю, что кто-то из знакомых репостнул {o}{q}{c}. Отписался и пожаловался.",
        "Правозащитники привели лозунги вроде {o}{q}{c} в ежегодном докладе о преступлениях на почве ненависти.",
        "Слайд лекции: пример пропагандистской риторики — {o}{q}{c}. Вопрос: кому выгодна такая подача?",
        "В отчёте о модерации сказано, что контент вроде {o}{q}{c} составил большую часть удалений за квартал.",
        "Перевод для исследовательской группы (оригинал удалён): {o}{q}{c}",
        "Когда дядя за столом повторил {o}{q}{c}, я ответил ему, что именно так и расползается ненависть.",
        "Те, кто пишет {o}{q}{c}, хотят, чтобы мы боялись соседей. Не поддавайтесь.",
        "Канал заблокирован после публикации {o}{q}{c}, сообщил регулятор.",
        "Журналисты выяснили, что фразу {o}{q}{c} запустила небольшая группа анонимных аккаунтов.",
        "Правила сообщества запрещают посты вроде {o}{q}{c}; за повторные нарушения — бан.",
        "Пострадавшие рассказали комиссии, что нападениям на их дома предшествовали сообщения вроде {o}{q}{c}",
        "Прокурор заявил, что пост {o}{q}{c} был написан, чтобы возбудить ненависть.",
        "Почему люди верят фразам вроде {o}{q}{c}? Психолог объясняет, как работает поиск козла отпущения.",
        "В докладе проанализированы {n} тысяч сообщений; типичное из них: {o}{q}{c}",
        "Кто-то оставил у нашей двери записку: {o}{q}{c} Соседи сразу пришли нас поддержать.",
        "Пожалуйста, не пересылайте {o}{q}{c} даже ради насмешки: каждый репост разносит это дальше.",
        "Разбор: {o}{q}{c} Каждое утверждение здесь ложно, вот цифры.",
        "В выпуске подкаста разбирают, как высказывания вроде {o}{q}{c} попадают из маргинальных форумов в семейные чаты.",
        "Вещественное доказательство № {n}: сообщение {o}{q}{c}, опубликованное за два дня до задержания.",
        "Осторожно, цитата с языком вражды: {o}{q}{c} Это читают наши модераторы, чтобы не читали вы.",
        "Омбудсмен заявил, что комментарии вроде {o}{q}{c} нарушают закон и должны быть удалены.",
        "По данным аналитиков, сеть ботов продвигала фразу {o}{q}{c} тысячи раз.",
        "Как историк я собираю такие тексты: {o}{q}{c} Сегодня они показывают, как устроена пропаганда.",
        "Директор школы написал родителям после того, как ученик опубликовал в классном чате {o}{q}{c}",
        "Не дайте троллю, написавшему {o}{q}{c}, задавать тон обсуждению.",
        "Автор колонки доказывает, что {o}{q}{c} — не свобода слова, а попытка запугать людей.",
        "Упражнение на тренинге: перепишите {o}{q}{c} нейтрально и посмотрите, что исчезнет.",
        "Клуб пожизненно запретил болельщику посещать матчи после того, как он выкрикнул {o}{q}{c}",
        "В слитом чате один из участников написал {o}{q}{c}; по словам следствия, группа под наблюдением.",
        "Ненависть под видом мнения: {o}{q}{c} Мы отвечаем на это фактами и солидарностью.",
        "Эксперт-лингвист пришла к выводу, что фраза {o}{q}{c} содержит признаки возбуждения вражды.",
        "Возбуждено дело о разжигании ненависти: автор комментария {o}{q}{c} установлен.",
        "Мы получили несколько жалоб на это сообщение: {o}{q}{c}. Аккаунт заблокирован.",
        "В методичке для модераторов приводится пример недопустимого поста: {o}{q}{c}",
        "Глава в учебнике об экстремизме цитирует {o}{q}{c} и предлагает найти в этой фразе манипуляцию.",
    ],
}

REBUTTALS = {
    "en": [
        "{G} are not vermin, and anyone who says so is repeating propaganda.",
        "No, {g} are not 'invading' anything. They come to work, study and live like everyone else.",
        "It is false that {g} are behind the rise in crime; the police figures show nothing of the kind.",
        "Stop calling {g} parasites. They pay taxes, build our roads and care for our elderly.",
        "Nobody should be driven out of their home for being one of the {g}.",
        "The idea that {g} threaten our nation is a myth invented by extremists.",
        "I refuse to blame all {g} for what one criminal did.",
        "Claims that {g} are 'replacing' us are a conspiracy theory with no basis in fact.",
        "{G} are our neighbours, not our enemies, whatever the trolls write.",
        "Demanding that {g} be thrown out is not patriotism, it is hatred.",
        "The rumour that {g} attacked a girl in the park was fake; the police say it never happened.",
        "Beating up {g} solves nothing and can never be justified.",
        "Do not let anyone convince you that {g} are less human than you.",
        "Hating {g} will not fix unemployment, housing or low wages.",
        "The leaflet says {g} are dirty; in truth they clean the very streets its authors walk on.",
        "I grew up next to {g}, and every story the nationalists tell about them is wrong.",
        "Mass deportation of {g} is not a policy, it is a slogan meant to frighten people.",
        "It is not true that all {g} are the same: they are people with different lives.",
    ],
    "ru": [
        "{Nom} — не паразиты, и кто так говорит, повторяет пропаганду.",
        "Неправда, что {nom} виноваты в росте преступности: статистика полиции этого не подтверждает.",
        "Нет, {nom} ничего не «захватывают». Они приезжают работать, учиться и жить, как все.",
        "Хватит называть {gen} паразитами: они платят налоги, строят дороги и ухаживают за стариками.",
        "Никого нельзя выгонять из дома только за то, что он из числа {gen}.",
        "Идея, что {nom} угрожают нашему народу, — миф, придуманный экстремистами.",
        "Я не стану винить всех {gen} за преступление одного человека.",
        "Разговоры о том, что {nom} нас «замещают», — теория заговора без всяких оснований.",
        "{Nom} — наши соседи, а не враги, что бы ни писали тролли.",
        "Требовать выгнать {gen} — это не патриотизм, а ненависть.",
        "Слух о том, что {nom} напали на девушку в парке, оказался фейком: полиция это опровергла.",
        "Избиения {gen} ничего не решают и ничем не оправданы.",
        "Не позволяйте никому убедить вас, что {nom} — люди второго сорта.",
        "Ненависть к {dat} не решит проблем с работой, жильём и зарплатами.",
        "В листовке пишут, что {nom} грязные; на деле они убирают улицы, по которым ходят её авторы.",
        "Я вырос рядом с {ins}, и всё, что о них рассказывают националисты, — ложь.",
        "Массовая депортация {gen} — не политика, а лозунг, чтобы пугать людей.",
        "Неверно, что все {nom} одинаковые: это живые люди с разными судьбами.",
    ],
}

NEWS = {
    "en": [
        "Two {g} were injured in an attack near the {place} last night; police have detained a suspect.",
        "A man who assaulted {g} at a bus stop was sentenced to {n} years in prison.",
        "Investigators opened a hate-crime case after graffiti targeting {g} appeared near the {place}.",
        "Police arrested {n} members of a nationalist gang suspected of attacks on {g}.",
        "The prosecutor's office is checking a video in which a group of men threatens {g}.",
        "Local authorities stepped up patrols around the {place} after threats against {g}.",
        "A court banned an online group that had called for pogroms against {g}.",
        "Hundreds of people joined a rally in support of {g} after last week's attack.",
        "An arson attack damaged a hostel where {g} live; no one was hurt and the inquiry continues.",
        "A seventeen-year-old was put under house arrest for online threats against {g}.",
        "Officials met leaders of {g} after a series of assaults in the district.",
        "The trial of {n} men accused of beating {g} on the metro began on Monday.",
        "A blogger was charged with extremism over a video insulting {g}.",
        "After the attack on the {place}, detectives are studying the suspect's online contacts.",
        "Security forces foiled an attack on the {place}; {n} suspects linked to an extremist cell were held.",
        "The ministry reported {n} convictions for inciting ethnic hatred over the past year.",
    ],
    "ru": [
        "Двое {gen} пострадали при нападении в районе {place_gen}; полиция задержала подозреваемого.",
        "Мужчина, избивший {gen} на остановке, приговорён к {n} годам колонии.",
        "Следователи возбудили дело после появления надписей против {gen} на стене {place_gen}.",
        "Полиция задержала {n} участников националистической группировки, подозреваемых в нападениях на {gen}.",
        "Прокуратура проверяет видео, на котором группа мужчин угрожает {dat}.",
        "Власти усилили патрулирование у {place_gen} после угроз в адрес {gen}.",
        "Суд запретил онлайн-сообщество, призывавшее к погромам {gen}.",
        "Сотни людей вышли на акцию в поддержку {gen} после нападения на прошлой неделе.",
        "Подожгли общежитие, где живут {nom}; никто не пострадал, следствие продолжается.",
        "Подростка, публиковавшего угрозы в адрес {gen}, поместили под домашний арест.",
        "Чиновники провели встречу с представителями {gen} после серии нападений в районе.",
        "В понедельник начался процесс по делу {n} мужчин, обвиняемых в избиении {gen} в метро.",
        "Блогеру предъявили обвинение в экстремизме за ролик с оскорблениями в адрес {gen}.",
        "После нападения на {place_acc} следователи изучают переписку подозреваемого в сети.",
        "Силовики предотвратили нападение на {place_acc}; задержаны {n} подозреваемых из экстремистской ячейки.",
        "Министерство сообщило о {n} приговорах за возбуждение национальной ненависти за год.",
    ],
}

MENTIONS = {
    "en": [
        "Our choir now has singers who are {g}, and the concert was wonderful.",
        "The library added books written by {g} to its autumn reading list.",
        "A survey asked {g} what they think about public transport in the city.",
        "{G} organised a charity run and raised money for the children's hospital.",
        "My grandmother's closest friends were {g} from the next village.",
        "The new clinic hires interpreters so that {g} can see a doctor without barriers.",
        "{G} and their neighbours cleaned up the riverbank together on Saturday.",
        "This week's cooking class is taught by {g} who run a small restaurant.",
        "Figures on how many {g} started their own businesses were published today.",
        "Young {g} won three medals at the regional chess championship.",
        "The theatre staged a play about the lives of {g} in the 1990s.",
        "A podcast about the traditions of {g} has become popular in our region.",
        "{G} are welcome at our community centre, as is everyone.",
        "The city thanked the {g} who gave blood after the accident.",
        "My university course is teaching me a lot about the history of {g}.",
        "The radio station interviewed {g} about their first winter here.",
        "Several {g} volunteer at the animal shelter every weekend.",
        "A photo exhibition shows the everyday life of {g} in small towns.",
        "This year the school's parent committee includes {g} as well.",
        "The festival programme includes music and dance performed by {g}.",
        "Good news: the language courses for {g} are free again this year.",
        "Who else has friends who are {g}? Mine taught me their family recipes.",
    ],
    "ru": [
        "В нашем хоре теперь поют {nom}, и концерт получился замечательный.",
        "Библиотека добавила в осенний список книги, которые написали {nom}.",
        "В опросе {nom} рассказали, что думают об общественном транспорте.",
        "{Nom} организовали благотворительный забег и собрали деньги для детской больницы.",
        "У моей бабушки лучшие друзья — {nom} из соседней деревни.",
        "В новой поликлинике работают переводчики, чтобы {nom} могли попасть к врачу без трудностей.",
        "В субботу {nom} вместе с соседями убрали берег реки.",
        "Кулинарный мастер-класс на этой неделе ведут {nom}, у которых своё кафе.",
        "Опубликована статистика о том, сколько {gen} открыли своё дело.",
        "Молодые {nom} завоевали три медали на областном турнире по шахматам.",
        "Театр поставил спектакль о жизни {gen} в девяностые.",
        "Подкаст о традициях {gen} стал популярным в нашем регионе.",
        "{Nom}, как и все, — желанные гости в нашем доме культуры.",
        "Город поблагодарил {gen}, которые сдали кровь после аварии.",
        "На курсе в университете я много узнаю об истории {gen}.",
        "Радиостанция взяла интервью у {gen} об их первой зиме здесь.",
        "Несколько {gen} каждые выходные помогают в приюте для животных.",
        "Фотовыставка показывает повседневную жизнь {gen} в маленьких городах.",
        "В родительский комитет школы в этом году вошли и {nom}.",
        "В программе фестиваля — музыка и танцы, которые представят {nom}.",
        "Хорошие новости: языковые курсы для {gen} в этом году снова бесплатные.",
        "У кого ещё есть друзья — {nom}? Мои научили меня семейным рецептам.",
    ],
}

PLACES = {"en": ["market", "railway station", "mosque", "synagogue", "church", "hostel", "stadium", "school"],
          "ru_gen": ["рынка", "вокзала", "мечети", "синагоги", "церкви", "общежития", "стадиона", "школы"],
          "ru_acc": ["рынок", "вокзал", "мечеть", "синагогу", "церковь", "общежитие", "стадион", "школу"]}


def fill_frame(template: str, group: Group | None, language: str, rng: random.Random, **extra: str) -> str:
    """Fill group names (as :func:`classifiers.groups.fill` does), a number and a place."""
    i = rng.randrange(len(PLACES["en"]))
    values = {"n": str(rng.randint(2, 12)), "place": PLACES["en"][i], "place_gen": PLACES["ru_gen"][i],
              "place_acc": PLACES["ru_acc"][i], **extra}
    if group is not None and language == "en":
        values.update(g=group.en, G=group.en[:1].upper() + group.en[1:])
    elif group is not None:
        nom, gen, dat, ins = group.ru
        values.update(nom=nom, Nom=nom[:1].upper() + nom[1:], gen=gen, dat=dat, ins=ins)
    return template.format(**values)


def excerpt(text: str, limit: int = 200) -> str:
    """Whole sentences of ``text`` up to ``limit`` characters (a first sentence past it is cut at a word)."""
    text = " ".join(text.split()).strip(" \"'«»“”„")
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in re.split(r"(?<=[.!?…])\s+", text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[:limit].rsplit(" ", 1)[0] + "…"


def _quotes(positives: list[Example], language: str, count: int, rng: random.Random) -> list[Example]:
    pool = sorted((p for p in positives if p.language == language and p.labels), key=lambda p: (p.text, p.source))
    frames = list(QUOTE_FRAMES[language])
    rng.shuffle(frames)
    picks = rng.sample(pool, len(pool)) * (count // max(len(pool), 1) + 1)
    out = []
    for i, source in enumerate(picks[:count]):
        opening, closing = rng.choice(QUOTE_MARKS[language])
        text = fill_frame(frames[i % len(frames)], None, language, rng, o=opening, c=closing, q=excerpt(source.text))
        out.append(Example(text, language, (), "contrast", kind="contrast", group=source.group,
                           split_key=split_key_of(source)))
    return out


def _grouped(templates: dict[str, list[str]], language: str, count: int, rng: random.Random) -> list[Example]:
    pairs = [(t, g) for t in templates[language] for g in GROUPS]
    rng.shuffle(pairs)
    picks = pairs * (count // len(pairs) + 1)
    return [Example(fill_frame(t, g, language, rng), language, (), "contrast", kind="contrast", group=g.key)
            for t, g in picks[:count]]


def _group_pattern(group: Group, language: str) -> re.Pattern[str]:
    forms = (group.en,) if language == "en" else group.ru
    return re.compile(r"\b(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


def group_swaps(negatives: list[Example], language: str, count: int, rng: random.Random) -> list[Example]:
    """Real negatives naming a group, with that group's name replaced by another group's (same case)."""
    patterns = [(g, _group_pattern(g, language)) for g in GROUPS]
    pool = sorted((n for n in negatives if n.language == language and not n.labels and n.kind == "real"),
                  key=lambda n: (n.text, n.source))
    hits = [(n, g, p) for n in pool for g, p in patterns if p.search(n.text)]
    rng.shuffle(hits)
    out = []
    for source, group, pattern in hits[:count]:
        other = rng.choice([g for g in GROUPS if g.key != group.key])
        forms = dict(zip((group.en,) if language == "en" else group.ru, (other.en,) if language == "en" else other.ru))
        lowered = {k.lower(): v for k, v in forms.items()}
        text = pattern.sub(lambda m, names=lowered: names[m.group(1).lower()], source.text)
        out.append(Example(text, language, (), source.source, kind="contrast", group=other.key,
                           split_key=split_key_of(source)))
    return out


def contrast_examples(positives: list[Example], seed: int, per_language: int,
                      negatives: list[Example] = ()) -> list[Example]:
    """About ``per_language`` negatives per language, deterministic for a seed; quotes come from
    ``positives``, counterfactual swaps from the real ``negatives`` (both optional)."""
    rng = random.Random(seed)
    out: list[Example] = []
    for language in LANGUAGES:
        shares = dict(SHARES)
        if not any(p.language == language and p.labels for p in positives):
            shares["quote"] = 0.0
        if not negatives:
            shares["swap"] = 0.0
        total = sum(shares.values())
        counts = {family: round(per_language * share / total) for family, share in shares.items()}
        swaps = group_swaps(list(negatives), language, counts["swap"], rng)
        rows = _quotes(positives, language, counts["quote"], rng)
        rows += _grouped(REBUTTALS, language, counts["rebuttal"], rng)
        rows += _grouped(NEWS, language, counts["news"], rng)
        rows += _grouped(MENTIONS, language, counts["mention"] + counts["swap"] - len(swaps), rng) + swaps
        out += list({row.text: row for row in rows}.values())
    return out
