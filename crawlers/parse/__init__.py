"""Parsers for the formats spiders read: feeds, sitemaps, forum threads, channel previews.

Each takes text (already decoded) and returns plain records, so that they can be
tested on saved pages without Scrapy.
"""
