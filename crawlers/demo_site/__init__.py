"""A synthetic demo site with a page of every kind the crawlers read, and a server for it
(:mod:`crawlers.demo_site.serve`).

All content is invented for testing and demonstrations: neutral local news and
forum talk in English and Russian (including windows-1251, KOI8-R and a
mis-declared UTF-8 page), plus a few clearly synthetic propaganda-like items (a
recruitment call with a fake wallet and invite link, a donation appeal, a coded
slogan) so that the classifier has something to flag.
"""
