"""The demo's generated history: about 60 days of synthetic documents and their labels.

:func:`generate_history` is a pure function of a seed and an end hour: the same seed and end give
the same documents (ids, texts, times) and the same classifications. It works day by day
(:meth:`HistoryPlan.day`), each day drawn from a generator seeded with the seed and the day, so one
day can be produced alone (the demo writes a few days at a time and can resume) and the whole is
exactly the sum of its days.

What it holds, so that the dashboards have something to show:

- :data:`SOURCES`: eight sources (news sites, forums, Telegram-style channels) in English and
  Russian, with some posts in Kazakh, Uzbek, Tajik and Kyrgyz. Their ids start with
  :data:`SOURCE_PREFIX`, which tells generated documents from crawled ones.
- Hourly volumes with a daily rhythm (quiet at night UTC, busiest mid-afternoon) and a weekly one.
- Mostly neutral documents: local news, sport, weather, everyday posts, reporting on extremism (not
  propaganda) and neutral mentions of migrants, Muslims, Jews and Tajiks, which are never flagged:
  extremism is not associated with any religion, nationality or ethnic group.
- A minority flagged, across every category of :data:`vigil.schemas.CATEGORIES`. Their texts are
  templated placeholders that say they are synthetic (``[synthetic recruitment appeal #123: join
  the 'Northern Brigade', contact @example_north]``): no real propaganda is written here. Flagged
  recruitment in ``demo-history-tg-ru`` rises over the period, so something trends.
- :data:`SPIKES`: copy-paste campaigns, near-identical texts from one source within one hour,
  which the trends step raises alerts on.
- A model change :attr:`HistoryPlan.change_days_ago` days before the end: documents published
  before it are labelled by ``model_before``, later ones by ``model_after``, which detects some
  categories more often and others less.

Documents outside the model's languages (:data:`COVERAGE`) are marked ``in_coverage=False`` and,
like every flagged document, ``needs_review``, as the real labeller does: they fill the reviewers'
queue.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from vigil.schemas import CATEGORIES, Classification, Document, Entities, Evidence
from vigil.text.simhash import simhash
from vigil.timeutil import hour_of

SEED = 2025
DAYS = 60
SOURCE_PREFIX = "demo-history-"
RUN_ID = "demo-history"
MODEL_BEFORE = "vigil-heads-0.0.9+demo"
MODEL_AFTER = "vigil-heads-0.1.0+demo"
CHANGE_DAYS_AGO = 20
COVERAGE = frozenset({"en", "ru"})
THRESHOLD = 0.6  # a score at or above it is a label
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
_HASHTAG = re.compile(r"#\w+")


@dataclass(frozen=True)
class HistorySource:
    id: str
    kind: str  # a Document source kind: rss, site, forum, telegram
    name: str
    languages: tuple[tuple[str, float], ...]  # language and its share
    per_hour: float  # documents in an average hour
    flagged_share: float  # share of documents with something a model may flag
    categories: tuple[tuple[str, float], ...]  # weights of the categories among those
    authors: int  # distinct authors (1: the channel itself)
    weekend: float = 1.0  # volume on Saturdays and Sundays, relative to weekdays

    @property
    def genre(self) -> str:
        return {"rss": "news", "site": "news"}.get(self.kind, self.kind)


def _weights(**weights: float) -> tuple[tuple[str, float], ...]:
    return tuple(weights.items())


SOURCES: tuple[HistorySource, ...] = (
    HistorySource("demo-history-herald-en", "rss", "Riverside Herald", (("en", 1.0),), 3.0, 0.004,
                  _weights(terrorism_justification=2, incitement=1, financing=1), 12, weekend=0.7),
    HistorySource("demo-history-vestnik-ru", "rss", "Vestnik Zarechya", (("ru", 1.0),), 3.5, 0.004,
                  _weights(terrorism_justification=2, aggressive_nationalism=1, financing=1), 10, weekend=0.7),
    HistorySource("demo-history-steppe-news", "site", "Steppe Daily", (("kk", 0.6), ("ru", 0.4)), 1.2, 0.004,
                  _weights(aggressive_nationalism=1, religious_intolerance=1), 6, weekend=0.7),
    HistorySource("demo-history-forum-en", "forum", "Lakeview community forum", (("en", 1.0),), 2.5, 0.03,
                  _weights(racism=3, xenophobia=3, neo_nazism=2, religious_intolerance=2, incitement=1), 300,
                  weekend=1.2),
    HistorySource("demo-history-forum-ru", "forum", "Forum Priozerye", (("ru", 1.0),), 3.0, 0.03,
                  _weights(xenophobia=3, aggressive_nationalism=3, racism=2, religious_intolerance=2, neo_nazism=1),
                  300, weekend=1.2),
    HistorySource("demo-history-tg-ru", "telegram", "@example_north_ru", (("ru", 1.0),), 4.0, 0.05,
                  _weights(recruitment=3, aggressive_nationalism=3, incitement=2, financing=2, neo_nazism=1,
                           terrorism_justification=1), 1, weekend=1.1),
    HistorySource("demo-history-tg-en", "telegram", "@example_signal_en", (("en", 1.0),), 1.5, 0.05,
                  _weights(xenophobia=2, recruitment=2, incitement=2, financing=1, neo_nazism=1), 1, weekend=1.1),
    HistorySource("demo-history-tg-asia", "telegram", "@example_bazaar_news",
                  (("uz", 0.3), ("tg", 0.3), ("ky", 0.2), ("ru", 0.2)), 1.5, 0.02,
                  _weights(recruitment=2, religious_intolerance=1, financing=1), 1, weekend=1.1),
)
_BY_ID = {s.id: s for s in SOURCES}
# Flagged recruitment in this source grows over the period (x1 at the start, x3.5 at the end).
RISING = ("demo-history-tg-ru", "recruitment", 2.5)
# How often each model detects what it should, per category (the rest is missed, scored below
# the threshold). The newer model is better at recruitment and financing, worse at xenophobia.
RECALL_BEFORE = {c: 0.85 for c in CATEGORIES} | {"financing": 0.7, "recruitment": 0.75}
RECALL_AFTER = {c: 0.9 for c in CATEGORIES} | {"financing": 0.95, "recruitment": 0.97, "xenophobia": 0.75}


@dataclass(frozen=True)
class SpikePlan:
    """A copy-paste campaign: ``documents`` near-identical posts in one source within one hour,
    the hour starting ``before`` the end of the history."""

    name: str
    source_id: str
    language: str
    category: str
    before: timedelta
    documents: int
    hashtag: str


SPIKES: tuple[SpikePlan, ...] = (
    SpikePlan("brigade-call", "demo-history-tg-ru", "ru", "recruitment", timedelta(days=35, hours=9), 40,
              "#севернаябригада"),
    SpikePlan("wallet-drive", "demo-history-forum-en", "en", "financing", timedelta(days=12, hours=5), 24,
              "#supportthebrigade"),
    SpikePlan("outsiders-out", "demo-history-tg-en", "en", "xenophobia", timedelta(days=5, hours=14), 30,
              "#examplepurge"),
    SpikePlan("march-now", "demo-history-tg-ru", "ru", "aggressive_nationalism", timedelta(hours=2), 32,
              "#маршбригады"),
)


@dataclass(frozen=True)
class Spike:
    """A campaign placed in time: its hour and the model that labels it."""

    name: str
    source_id: str
    language: str
    category: str
    hour: datetime
    documents: int
    hashtag: str
    model_version: str


@dataclass(frozen=True)
class Labelled:
    document: Document
    classification: Classification


@dataclass(frozen=True)
class HistoryPlan:
    """What to generate: ``days`` days ending at ``end`` (exclusive, on the hour), from ``seed``."""

    seed: int = SEED
    end: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    days: int = DAYS
    model_before: str = MODEL_BEFORE
    model_after: str = MODEL_AFTER
    change_days_ago: int = CHANGE_DAYS_AGO

    def __post_init__(self) -> None:
        object.__setattr__(self, "end", hour_of(self.end))
        if not 0 < self.change_days_ago < self.days:
            raise ValueError(f"the model change ({self.change_days_ago} days ago) must fall inside the "
                             f"{self.days} days of history")

    @property
    def start(self) -> datetime:
        return self.end - self.days * DAY

    @property
    def change_at(self) -> datetime:
        """When ``model_after`` took over (documents published from then on are its)."""
        return self.end - self.change_days_ago * DAY

    @property
    def sources(self) -> tuple[HistorySource, ...]:
        return SOURCES

    @property
    def spikes(self) -> list[Spike]:
        placed = []
        for plan in SPIKES:
            hour = hour_of(self.end - plan.before)
            if self.start <= hour < self.end:
                placed.append(Spike(plan.name, plan.source_id, plan.language, plan.category, hour, plan.documents,
                                    plan.hashtag, self.model_for(hour)))
        return placed

    def model_for(self, moment: datetime) -> str:
        return self.model_before if moment < self.change_at else self.model_after

    def day(self, index: int) -> list[Labelled]:
        """The documents published on day ``index`` (0: the first), with their classifications."""
        if not 0 <= index < self.days:
            raise IndexError(f"day {index} is outside the {self.days} days of history")
        begin = self.start + index * DAY
        rng = random.Random(f"vigil-demo-history:{self.seed}:{begin.isoformat()}")
        out: list[Labelled] = []
        for hour in range(24):
            at = begin + hour * HOUR
            for source in SOURCES:
                for k in range(_poisson(rng, source.per_hour * _rhythm(at, source))):
                    out.append(self._ordinary(rng, source, at, k))
        for spike in self.spikes:
            if begin <= spike.hour < begin + DAY:
                out.extend(self._campaign(spike))
        return out

    def __iter__(self) -> Iterator[Labelled]:
        for index in range(self.days):
            yield from self.day(index)

    def _progress(self, at: datetime) -> float:
        return (at - self.start) / (self.end - self.start)

    def _ordinary(self, rng: random.Random, source: HistorySource, hour: datetime, k: int) -> Labelled:
        language = _pick(rng, source.languages)
        published = hour + timedelta(seconds=rng.randrange(3600))
        fetched = min(published + timedelta(seconds=rng.randrange(120, 3000)), self.end)
        category = None
        if rng.random() < source.flagged_share * _rise(source, self._progress(hour), None):
            weights = tuple((c, w * _rise(source, self._progress(hour), c)) for c, w in source.categories)
            category = _pick(rng, weights)
        number = f"{hour:%y%m%d%H}-{k}"
        if category is None:
            text, group_mention = _neutral(rng, source, language)
        else:
            text, group_mention = _flagged_text(rng, category, language, number), False
        doc = _document(source, f"{hour:%Y%m%d%H}-{k}", text, language, published, fetched,
                        _author(rng, source, category is not None))
        model = self.model_for(published)
        recall = (RECALL_BEFORE if model == self.model_before else RECALL_AFTER)
        detected = [category] if category is not None and rng.random() < recall[category] else []
        if detected and rng.random() < 0.15:  # some appeals fall under two categories
            second = rng.choice([c for c in CATEGORIES if c != category])
            detected.append(second)
        scores = _scores(rng, detected, missed=category if category and not detected else None,
                         calm=group_mention)
        return Labelled(doc, _classification(doc, model, scores, detected, fetched, rng, self.end))

    def _campaign(self, spike: Spike) -> list[Labelled]:
        source = _BY_ID[spike.source_id]
        rng = random.Random(f"vigil-demo-history:{self.seed}:campaign:{spike.name}")
        out = []
        for k in range(spike.documents):
            published = spike.hour + timedelta(minutes=(k * 53) % 60, seconds=k % 50)
            fetched = min(published + timedelta(minutes=3 + k % 7), self.end)
            text = _campaign_text(spike, k % 4)
            author = source.name if source.authors == 1 else f"sock-{spike.name}-{k % 4}"
            doc = _document(source, f"campaign/{spike.name}-{k}", text, spike.language, published, fetched, author,
                            forwarded_from=f"example_mirror_{k % 5}" if source.kind == "telegram" else None)
            scores = _scores(rng, [spike.category], missed=None, calm=False)
            out.append(Labelled(doc, _classification(doc, spike.model_version, scores, [spike.category], fetched,
                                                     rng, self.end)))
        return out


@dataclass(frozen=True)
class History:
    plan: HistoryPlan
    items: list[Labelled]

    @property
    def documents(self) -> list[Document]:
        return [item.document for item in self.items]

    @property
    def classifications(self) -> list[Classification]:
        return [item.classification for item in self.items]


def generate_history(seed: int = SEED, end: datetime | None = None, *, days: int = DAYS,
                     model_before: str = MODEL_BEFORE, model_after: str = MODEL_AFTER,
                     change_days_ago: int = CHANGE_DAYS_AGO) -> History:
    """Every generated document and classification of ``days`` days up to ``end`` (default: the
    current hour), from ``seed``; the same arguments always give the same history."""
    plan = HistoryPlan(seed, end or datetime.now(timezone.utc), days, model_before, model_after, change_days_ago)
    return History(plan, list(plan))


# -- volumes ---------------------------------------------------------------------------------------


def _rhythm(at: datetime, source: HistorySource) -> float:
    """Volume factor of an hour: a daily cycle (0.3 at 02:00 UTC, 1.7 at 14:00) and the weekend."""
    daily = 0.3 + 1.4 * (1 + math.cos(2 * math.pi * (at.hour - 14) / 24)) / 2
    return daily * (source.weekend if at.weekday() >= 5 else 1.0)


def _rise(source: HistorySource, progress: float, category: str | None) -> float:
    """The growth of the rising category: on the flagged share (``category`` None) and its weight."""
    source_id, rising, gain = RISING
    if source.id != source_id or (category is not None and category != rising):
        return 1.0
    if category is None:  # the share of flagged documents grows by the rising category's part
        weights = dict(source.categories)
        share = weights[rising] / sum(weights.values())
        return 1 + share * gain * progress
    return 1 + gain * progress


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


# -- documents -------------------------------------------------------------------------------------


def _document(source: HistorySource, path: str, text: str, language: str, published: datetime, fetched: datetime,
              author: str, forwarded_from: str | None = None) -> Document:
    section = {"news": "news", "forum": "forum/t", "telegram": "s/" + source.id.removeprefix(SOURCE_PREFIX)}
    title = text.split(". ")[0][:90] if source.genre == "news" else None
    return Document.build(
        url=f"https://{source.id}.example.org/{section[source.genre]}/{path}", text=text, source_id=source.id,
        source_kind=source.kind, fetched_at=fetched, published_at=published, title=title, author=author,
        language=language, language_confidence=0.99, near_duplicate_signature=simhash(text),
        tags=["demo", "synthetic", source.genre], crawl_run_id=RUN_ID, forwarded_from=forwarded_from,
        entities=Entities(hashtags=sorted({tag.casefold() for tag in _HASHTAG.findall(text)})),
    )


def _author(rng: random.Random, source: HistorySource, flagged: bool) -> str:
    if source.authors == 1:
        return source.name
    if source.genre == "news":
        return f"reporter-{rng.randrange(source.authors)}"
    if flagged:  # a few accounts post most of what gets flagged on a forum
        return f"account-{rng.randrange(12)}"
    return f"member-{rng.randrange(source.authors)}"


def _classification(doc: Document, model: str, scores: dict[str, float], labels: list[str], fetched: datetime,
                    rng: random.Random, end: datetime) -> Classification:
    language = doc.language or ""
    span = doc.text[:doc.text.index("]") + 1] if labels and doc.text.startswith("[") else doc.text[:80]
    evidence = [Evidence(category=c, start=0, end=len(span), text=span, layer="model") for c in labels]
    in_coverage = language in COVERAGE
    return Classification(
        document_id=doc.id, model_version=model, scores=scores, labels=labels, evidence=evidence,
        language=language, in_coverage=in_coverage, needs_review=bool(labels) or not in_coverage,
        classified_at=min(fetched + timedelta(seconds=rng.randrange(1, 40)), end),
    )


def _scores(rng: random.Random, labels: list[str], missed: str | None, calm: bool) -> dict[str, float]:
    """Scores per category: labels at or above the threshold, a missed category just below it, a
    neutral document low (group mentions lowest), now and then one borderline score."""
    top = 0.25 if calm else 0.12
    scores = {c: round(rng.uniform(0.0, top), 3) for c in CATEGORIES}
    if not labels and not calm and rng.random() < 0.04:
        scores[rng.choice(CATEGORIES)] = round(rng.uniform(0.3, 0.55), 3)
    if missed:
        scores[missed] = round(rng.uniform(0.35, THRESHOLD - 0.01), 3)
    for category in labels:
        scores[category] = round(rng.uniform(THRESHOLD + 0.02, 0.99), 3)
    return scores


# -- texts -----------------------------------------------------------------------------------------
# Neutral texts are ordinary templated posts; a ``{group}`` template is a neutral mention of a
# community (marked so that it is never flagged). Flagged texts are placeholders, never propaganda.

_FILL = {
    "en": {"town": ["Riverside", "Lakeview", "Northfield", "Eastbrook", "Millbrook", "Stonebridge"],
           "team": ["Riverside United", "Lakeview Rovers", "Northfield Athletic", "Eastbrook City"],
           "weather": ["sunny", "cloudy with light rain", "windy", "clear and cold", "foggy in the morning"],
           "thing": ["bicycle", "washing machine", "winter tyres", "sofa", "laptop", "stroller"],
           "food": ["plov", "apple pie", "borscht", "lagman", "pancakes"]},
    "ru": {"town": ["Заречье", "Приозёрск", "Северный Лог", "Светлый Бор", "Нижние Ключи"],
           "team": ["«Заречье»", "«Приозёрск»", "«Светлый Бор»", "«Нижние Ключи»"],
           "weather": ["солнечно", "облачно, небольшой дождь", "ветрено", "ясно и морозно", "утром туман"],
           "thing": ["велосипед", "стиральную машину", "зимние шины", "диван", "ноутбук", "коляску"],
           "food": ["плов", "яблочный пирог", "борщ", "лагман", "блины"]},
    "kk": {"town": ["Алматы", "Шымкент", "Қарағанды", "Ақтөбе"], "weather": ["күн ашық", "бұлтты", "жаңбыр"]},
    "uz": {"town": ["Toshkent", "Samarqand", "Buxoro", "Namangan"], "weather": ["quyoshli", "bulutli", "yomg'ir"]},
    "tg": {"town": ["Душанбе", "Хуҷанд", "Бохтар", "Кӯлоб"], "weather": ["офтобӣ", "абрнок", "борон"]},
    "ky": {"town": ["Бишкек", "Ош", "Каракол", "Нарын"], "weather": ["күн ачык", "булуттуу", "жамгыр"]},
}

_NEUTRAL = {
    ("en", "news"): [
        "{town} council approves the budget for road repairs on {n} streets. Works start next month.",
        "Weather in {town}: {weather}, up to {t} °C on Saturday.",
        "{team} beat {team2} {a}-{b} in the regional cup. The return match is next week.",
        "The farmers' market in {town} opens for the season with {n} stalls.",
        "{town} library extends its opening hours for the exam season.",
        "Researchers present a report on preventing online radicalisation among teenagers.",
        "Court in {town} hears the case of a man accused of financing an armed group; the trial continues.",
    ],
    ("en", "forum"): [
        "Anyone know a good mechanic in {town}? My car makes a strange noise since Monday.",
        "Selling a {thing}, barely used, pick up in {town}.",
        "Recipe thread: my grandmother's {food}, step by step.",
        "Photos from the river walk in {town} this morning.",
        "Is the {n} bus still running on Sundays?",
    ],
    ("en", "telegram"): [
        "Morning digest: traffic on the {town} bridge, {weather}, {t} °C.",
        "Power cut in the north of {town} until 15:00, crews are on site.",
        "{team} sign a new goalkeeper for the season.",
        "Road closed near {town} station because of repairs, use the ring road.",
    ],
    ("ru", "news"): [
        "Совет города {town} утвердил бюджет на ремонт {n} улиц. Работы начнутся в следующем месяце.",
        "Погода, город {town}: {weather}, в субботу до {t} °C.",
        "{team} обыграл {team2} со счётом {a}:{b} в региональном кубке.",
        "В городе {town} открылась сезонная ярмарка, на ней {n} торговых мест.",
        "Учёные представили доклад о профилактике радикализации среди подростков в сети.",
        "Суд города {town} рассматривает дело обвиняемого в финансировании незаконной группы; процесс продолжается.",
    ],
    ("ru", "forum"): [
        "Кто знает хорошего автомеханика, город {town}? Машина стучит с понедельника.",
        "Продаю {thing}, почти новый, самовывоз, город {town}.",
        "Рецепт дня: {food} по бабушкиному рецепту.",
        "Фото с утренней прогулки у реки, город {town}.",
        "Автобус {n} по воскресеньям ещё ходит?",
    ],
    ("ru", "telegram"): [
        "Утренняя сводка, город {town}: пробка на мосту, {weather}, {t} °C.",
        "В северной части города {town} отключат свет до 15:00, бригады на месте.",
        "{team} подписал нового вратаря на сезон.",
        "Дорога у вокзала в городе {town} закрыта на ремонт, объезд по кольцевой.",
    ],
    ("kk", "any"): ["{town}: ауа райы {weather}, +{t} градус.", "{town} қалалық кеңесі жол жөндеуге бюджет бекітті.",
                    "{town} қаласында маусымдық жәрмеңке ашылды."],
    ("uz", "any"): ["{town}: ob-havo {weather}, +{t} daraja.", "{town} shahar kengashi yo'l ta'mirlash byudjetini "
                    "tasdiqladi.", "{town}da mavsumiy yarmarka ochildi."],
    ("tg", "any"): ["{town}: обу ҳаво {weather}, +{t} дараҷа.", "Шӯрои шаҳри {town} буҷаи таъмири роҳҳоро тасдиқ кард.",
                    "Дар {town} ярмаркаи мавсимӣ кушода шуд."],
    ("ky", "any"): ["{town}: аба ырайы {weather}, +{t} градус.", "{town} шаардык кеңеши жол оңдоого бюджет бекитти.",
                    "{town} шаарында сезондук жарманке ачылды."],
}

# Neutral mentions of communities: news and posts about people, never a signal.
GROUP_MENTIONS = {
    "en": [
        "The Tajik community centre in {town} opens a free language class for children.",
        "Muslim families in {town} invite their neighbours to an open iftar dinner in the park.",
        "The Jewish community of {town} holds a charity concert for the children's hospital.",
        "Migrant workers helped finish the new school in {town} ahead of schedule.",
        "A Tajik restaurant in {town} wins the city's street food award.",
        "Volunteers help migrants in {town} fill in their residence paperwork.",
    ],
    "ru": [
        "Таджикская община города {town} открыла бесплатные курсы языка для детей.",
        "Мусульманские семьи города {town} пригласили соседей на открытый ифтар в парке.",
        "Еврейская община города {town} провела благотворительный концерт в пользу детской больницы.",
        "Мигранты помогли достроить новую школу в городе {town} раньше срока.",
        "Волонтёры помогают мигрантам в городе {town} с оформлением документов.",
    ],
}
GROUP_WORDS = ("tajik", "muslim", "jewish", "migrant", "таджик", "мусульман", "еврей", "мигрант")

_PLACEHOLDER = {
    "incitement": ("synthetic incitement placeholder", "синтетический пример подстрекательства"),
    "recruitment": ("synthetic recruitment appeal", "синтетический вербовочный призыв"),
    "neo_nazism": ("synthetic neo-Nazi slogan placeholder", "синтетический пример неонацистского лозунга"),
    "xenophobia": ("synthetic xenophobic statement placeholder", "синтетический пример ксенофобного высказывания"),
    "terrorism_justification": ("synthetic placeholder justifying an attack",
                                "синтетический пример оправдания теракта"),
    "racism": ("synthetic racist statement placeholder", "синтетический пример расистского высказывания"),
    "religious_intolerance": ("synthetic religious-intolerance placeholder",
                              "синтетический пример религиозной нетерпимости"),
    "aggressive_nationalism": ("synthetic aggressive-nationalism slogan placeholder",
                               "синтетический пример агрессивного националистического лозунга"),
    "financing": ("synthetic financing appeal", "синтетический призыв к сбору средств"),
}
_GROUPS = ("Northern Brigade", "Iron Column", "Steppe Wolves Club", "Black Banner Circle")
_GROUPS_RU = ("Северная бригада", "Железная колонна", "Клуб степных волков", "Круг чёрного знамени")


def _neutral(rng: random.Random, source: HistorySource, language: str) -> tuple[str, bool]:
    """A neutral text, and whether it mentions a community."""
    if language in GROUP_MENTIONS and rng.random() < 0.08:
        return _fill(rng, rng.choice(GROUP_MENTIONS[language]), language), True
    templates = _NEUTRAL.get((language, source.genre)) or _NEUTRAL[(language, "any")]
    return _fill(rng, rng.choice(templates), language), False


def _fill(rng: random.Random, template: str, language: str) -> str:
    words = _FILL[language]
    values = {key: rng.choice(options) for key, options in words.items()}
    if "team" in words:
        values["team2"] = rng.choice([t for t in words["team"] if t != values["team"]])
    return template.format(**values, n=rng.randrange(2, 40), t=rng.randrange(-15, 33), a=rng.randrange(4),
                           b=rng.randrange(4))


def _flagged_text(rng: random.Random, category: str, language: str, number: str) -> str:
    group = rng.randrange(len(_GROUPS))
    handle = f"@example_{_GROUPS[group].split()[0].lower()}"
    if language == "ru":
        return f"[{_PLACEHOLDER[category][1]} #{number}: «{_GROUPS_RU[group]}», связь {handle}]"
    tag = "" if language == "en" else f" ({language})"
    return f"[{_PLACEHOLDER[category][0]} #{number}{tag}: '{_GROUPS[group]}', contact {handle}]"


def _campaign_text(spike: Spike, variant: int) -> str:
    """Near-identical campaign posts: one text and three copies edited just enough to differ
    (punctuation and symbols: another content hash, the same SimHash)."""
    ending = ["", "!!", " >>>", " (repost)" if spike.language != "ru" else " (репост)"][variant]
    if spike.language == "ru":
        return (f"[{_PLACEHOLDER[spike.category][1]}, кампания: текст удалён; «Северная бригада» просит "
                f"разослать его во все чаты сегодня, связь @example_northern] {spike.hashtag}{ending}")
    return (f"[{_PLACEHOLDER[spike.category][0]}, campaign {spike.name}: text removed; the 'Northern Brigade' "
            f"asks to send it to every chat today, contact @example_northern] {spike.hashtag}{ending}")
