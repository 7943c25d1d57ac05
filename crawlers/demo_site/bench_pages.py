"""Generated article pages for throughput benchmarks: ``/bench/sitemap.xml?n=N`` and ``/bench/article-<i>.html``.

Each page is a synthetic local-news article (English or Russian by parity) in
the demo site's layout, varied enough that every page is a distinct document.
"""

from __future__ import annotations

import random

_EN = ("the council", "local volunteers", "the library", "the school board", "neighbours", "the football club",
       "the market", "a new bakery", "the tram depot", "the river park", "students", "the choir")
_EN_VERBS = ("discussed", "opened", "repaired", "celebrated", "planned", "visited", "cleaned", "supported")
_EN_OBJECTS = ("a reading room", "the old bridge", "a spring festival", "the bus timetable", "a charity concert",
               "the playground", "a photo exhibition", "the winter budget", "a chess tournament")
_RU = ("горсовет", "местные волонтёры", "библиотека", "школьный совет", "соседи", "футбольный клуб",
       "рынок", "новая пекарня", "трамвайное депо", "речной парк", "студенты", "хор")
_RU_VERBS = ("обсудили", "открыли", "отремонтировали", "отметили", "запланировали", "посетили", "убрали")
_RU_OBJECTS = ("читальный зал", "старый мост", "весенний праздник", "расписание автобусов", "концерт",
               "детскую площадку", "фотовыставку", "зимний бюджет", "шахматный турнир")


def _sentences(rng: random.Random, russian: bool, count: int) -> str:
    subjects, verbs, objects = (_RU, _RU_VERBS, _RU_OBJECTS) if russian else (_EN, _EN_VERBS, _EN_OBJECTS)
    out = []
    for _ in range(count):
        sentence = f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)}"
        out.append(sentence[0].upper() + sentence[1:] + f" ({rng.randint(2, 500)}).")
    return " ".join(out)


def article(index: int) -> bytes:
    rng = random.Random(index)
    russian = index % 2 == 1
    paragraphs = "".join(f"<p>{_sentences(rng, russian, 5)}</p>" for _ in range(5))
    title = _sentences(rng, russian, 1).rstrip(".")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta name='author' content='Reporter {index % 7}'>"
            f"<meta property='article:published_time' content='2026-05-{1 + index % 28:02d}T10:00:00+00:00'>"
            f"</head><body><nav><a href='/'>Home</a> | <a href='/news/'>News</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article>"
            f"<aside>Most read: weather, sport, culture</aside><footer>Synthetic benchmark page</footer>"
            f"</body></html>").encode("utf-8")


def sitemap(count: int) -> bytes:
    urls = "".join(f"<url><loc>/bench/article-{i}.html</loc><lastmod>2026-05-01</lastmod></url>" for i in range(count))
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>").encode("utf-8")
