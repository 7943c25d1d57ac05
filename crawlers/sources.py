"""The source registry: a YAML file (or a folder of them) listing what to crawl.

Each source is validated on load; every problem is reported with the file, the
source id, the field and what is wrong, so that a bad registry fails before any
request is sent.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SourceKindName = Literal["rss", "sitemap", "site", "forum", "telegram"]
ForumEngine = Literal["phpbb", "xenforo", "vbulletin", "discourse", "custom"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_patterns(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from None
    return patterns


class SiteOptions(_Strict):
    allow: list[str] = Field(default_factory=list, description="URL regexes to follow (all if empty)")
    deny: list[str] = Field(default_factory=list, description="URL regexes never followed")
    depth: int = Field(default=3, ge=0, le=50)
    max_pages: int = Field(default=500, ge=1)

    _patterns = field_validator("allow", "deny")(_check_patterns)


class SitemapOptions(_Strict):
    allow: list[str] = Field(default_factory=list, description="page URL regexes to fetch (all if empty)")
    max_pages: int = Field(default=1000, ge=1)

    _patterns = field_validator("allow")(_check_patterns)


class ForumSelectors(_Strict):
    """CSS selectors for a forum engine; ``post`` is evaluated on the page, the rest inside each post."""

    post: str
    post_id: str = Field(description="selector of the post id; use ::attr(name) for attributes")
    body: str
    author: str | None = None
    time: str | None = None
    quote: str | None = None
    thread_title: str | None = None
    next_page: str | None = None


class ForumOptions(_Strict):
    engine: ForumEngine = "phpbb"
    selectors: ForumSelectors | None = None
    max_pages: int = Field(default=50, ge=1)

    @model_validator(mode="after")
    def _custom_needs_selectors(self) -> "ForumOptions":
        if self.engine == "custom" and self.selectors is None:
            raise ValueError("engine 'custom' needs a 'selectors' block")
        return self


class TelegramOptions(_Strict):
    max_pages: int = Field(default=5, ge=1, description="preview pages to read back with ?before=")


class FeedOptions(_Strict):
    follow_links: bool = Field(default=True, description="fetch each item's page for the full text")


class Source(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)
    kind: SourceKindName
    url: str | None = None
    urls: list[str] = Field(default_factory=list)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True
    interval_minutes: int | None = Field(
        default=None, ge=1, description="how often the crawl flow visits this source (default: flows.crawl_interval_minutes)"
    )
    ignore_robots: str | None = Field(
        default=None, min_length=5, description="reason for not obeying robots.txt (absent: obey it)"
    )
    rss: FeedOptions | None = None
    sitemap: SitemapOptions | None = None
    site: SiteOptions | None = None
    forum: ForumOptions | None = None
    telegram: TelegramOptions | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None:
            _require_http(value)
        return value

    @field_validator("urls")
    @classmethod
    def _http_urls(cls, values: list[str]) -> list[str]:
        for value in values:
            _require_http(value)
        return values

    @model_validator(mode="after")
    def _consistent(self) -> "Source":
        if not self.start_urls:
            raise ValueError("give 'url' or 'urls'")
        for kind in ("rss", "sitemap", "site", "forum", "telegram"):
            if kind != self.kind and getattr(self, kind) is not None:
                raise ValueError(f"options block '{kind}' does not apply to a source of kind '{self.kind}'")
        if self.kind == "forum" and self.forum is not None and self.forum.engine == "discourse":
            for url in self.start_urls:
                if not re.search(r"/t/(?:[^/]+/)?\d+", urlsplit(url).path):
                    raise ValueError(f"{url!r} is not a Discourse topic URL (/t/<slug>/<id>)")
        return self

    @property
    def start_urls(self) -> list[str]:
        return ([self.url] if self.url else []) + list(self.urls)

    @property
    def domains(self) -> list[str]:
        """Host names the source's start URLs live on; crawls stay on them."""
        return sorted({(urlsplit(u).hostname or "").lower() for u in self.start_urls})

    def options(self) -> BaseModel:
        """The kind-specific options, defaults filled in."""
        defaults = {"rss": FeedOptions, "sitemap": SitemapOptions, "site": SiteOptions,
                    "forum": ForumOptions, "telegram": TelegramOptions}
        return getattr(self, self.kind) or defaults[self.kind]()


def _require_http(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{value!r} is not an http(s) URL")


class SourcesError(ValueError):
    """A registry that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid sources:\n" + "\n".join(f"  {p}" for p in problems))


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"})
    if path.is_file():
        return [path]
    raise SourcesError([f"{path}: no such file or folder"])


def _parse_file(path: Path, problems: list[str]) -> list[Source]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: not valid YAML: {exc}")
        return []
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        problems.append(f"{path}: expected a top-level 'sources:' list")
        return []
    found = []
    for number, entry in enumerate(entries, start=1):
        label = entry.get("id") if isinstance(entry, dict) else None
        where = f"{path}: source {label!r}" if label else f"{path}: source #{number}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping, got {type(entry).__name__}")
            continue
        try:
            found.append(Source.model_validate(entry))
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(p) for p in error["loc"]) or "(source)"
                problems.append(f"{where}: {field}: {error['msg']}")
    return found


def load_sources(path: str | Path, only: list[str] | None = None, include_disabled: bool = False) -> list[Source]:
    """Read and validate a registry; ``only`` keeps the named ids (each must exist)."""
    problems: list[str] = []
    sources: list[Source] = []
    for file in _files(Path(path)):
        sources.extend(_parse_file(file, problems))
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            problems.append(f"{path}: source {source.id!r}: id: duplicate id")
        seen.add(source.id)
    for wanted in only or []:
        if wanted not in seen:
            problems.append(f"{path}: source {wanted!r}: not in the registry")
    if problems:
        raise SourcesError(problems)
    if only:
        return [s for s in sources if s.id in set(only)]
    return [s for s in sources if s.enabled or include_disabled]
