"""The crawl child process: ``python -m crawlers.child`` reads a job on stdin and runs Scrapy.

Twisted's reactor cannot be restarted within a process, so every crawl gets a
fresh child. The job names the sources, the crawl settings, the state file and
the file descriptor of the pipe on which to write the output channel.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from crawlers.channel import ChannelWriter
from crawlers.settings import scrapy_settings
from crawlers.sources import Source
from crawlers.state import CrawlState
from vigil.settings import CrawlSettings


def run_job(job: dict[str, Any], writer: ChannelWriter) -> None:
    from scrapy.crawler import CrawlerProcess

    from crawlers.spiders import SPIDERS

    # One snapshot of the state, taken before any document of this run exists, for every spider:
    # the parent records this run's documents while the crawl goes on.
    state_path = job.get("state_path")
    state = CrawlState(Path(state_path), read_only=True).pin() if state_path else None
    settings = scrapy_settings(
        CrawlSettings.model_validate(job["crawl"]),
        VIGIL_OUTPUT=writer, VIGIL_STATE=state, VIGIL_STATE_PATH=state_path, VIGIL_RUN_ID=job.get("run_id"),
        LOG_LEVEL=job.get("log_level", "WARNING"),
    )
    try:
        process = CrawlerProcess(settings=settings)
        for raw in job["sources"]:
            source = Source.model_validate(raw)
            process.crawl(SPIDERS[source.kind], source=source)
        process.start()
    finally:
        if state is not None:
            state.close()


def main() -> int:
    job = json.loads(sys.stdin.read())
    with os.fdopen(job["fd"], "w", encoding="utf-8") as stream:
        run_job(job, ChannelWriter(stream))
    return 0


if __name__ == "__main__":
    sys.exit(main())
