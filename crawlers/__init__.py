"""Vigil's crawlers: a Scrapy project driven by a source registry.

Spiders turn pages into raw posts; pipelines normalise, validate, dedupe, enrich
them into :class:`vigil.schemas.Document` objects and publish them. The library
entry point is :func:`crawlers.run.crawl`, which runs Scrapy in a child process.
"""
