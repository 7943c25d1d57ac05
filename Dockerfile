# One image, several roles (see docker-compose.yml): migrate, classify/sink/feedback consumers, the flows
# scheduler (crawls run inside it), dashboards. Build: docker build -t vigil:0.1.0 . (the pyproject version)
FROM python:3.11.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VIGIL_HOME=/var/lib/vigil PIP_NO_CACHE_DIR=1 \
    XDG_CACHE_HOME=/var/lib/vigil/cache
WORKDIR /app
COPY pyproject.toml README.md ./
COPY vigil ./vigil
COPY crawlers ./crawlers
COPY classifiers ./classifiers
COPY flows ./flows
COPY dashboards ./dashboards
ARG EXTRAS=crawl,ml,flows,web
RUN pip install ".[${EXTRAS}]" && useradd --create-home --uid 10001 vigil && mkdir -p /var/lib/vigil \
    && chown vigil /var/lib/vigil
USER vigil
# dashboards; consumers' metrics, /healthz and /readyz (--metrics-port); the flows runner's /health
EXPOSE 8000 9100 8080
ENTRYPOINT ["vigil"]
CMD ["--help"]
