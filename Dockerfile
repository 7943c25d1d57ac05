# One image, several roles (see docker-compose.yml): crawler, classify consumer, sink consumer,
# flows worker, dashboards. Build: docker build -t vigil .
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VIGIL_HOME=/var/lib/vigil PIP_NO_CACHE_DIR=1
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
ENTRYPOINT ["vigil"]
CMD ["--help"]
