"""One typed settings object for every Vigil service.

Values come, highest priority first, from: keyword arguments, environment
variables (prefix ``VIGIL_``, nested sections joined with ``__``, e.g.
``VIGIL_WAREHOUSE__BACKEND=server``; a few settings also keep a short historical
name, see ``ENV_ALIASES``), a YAML file (the ``config_file`` argument of
:func:`load_settings`, else ``VIGIL_CONFIG``), then the defaults below.

Settings travel explicitly: a command loads them once and hands them (or the
file they came from, :attr:`Settings.config_file`) to what it runs; nothing
swaps them process-wide.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import platformdirs
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from vigil.schemas.review import Verdict

# Environment variables that name a nested setting by a shorter, older name; the nested name
# (VIGIL_CRAWL__ALLOW_PRIVATE_NETWORKS) wins when both are set.
ENV_ALIASES: dict[str, tuple[str, str]] = {
    "VIGIL_ALLOW_PRIVATE_NETWORKS": ("crawl", "allow_private_networks"),
}
# The YAML file of the settings being built by load_settings (in this context only).
_yaml_file: ContextVar[Path | None] = ContextVar("vigil_settings_yaml_file", default=None)

PLACEHOLDER_SECRETS = frozenset({"changethis", "change-me", "changeme", "secret", "password", "admin"})


class Mode(str, Enum):
    embedded = "embedded"
    distributed = "distributed"


class Environment(str, Enum):
    development = "development"
    staging = "staging"
    production = "production"


class Section(BaseModel):
    """A settings section: unknown keys are errors, so a typo never goes unnoticed."""

    model_config = ConfigDict(extra="forbid")


class CrawlSettings(Section):
    user_agent: str = "VigilBot/0.1 (+https://github.com/vigil-monitoring/vigil; research crawler)"
    obey_robots: bool = True
    allow_private_networks: bool = Field(
        default=False, description="Let the crawler fetch private, loopback and link-local addresses."
    )
    concurrency_per_domain: int = Field(default=2, ge=1, le=64)
    download_timeout_s: float = Field(default=30.0, gt=0)
    max_response_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    sources_file: Path | None = None
    download_delay_s: float = Field(default=1.0, ge=0, description="Start delay per domain (AutoThrottle adapts it).")
    autothrottle: bool = True
    retry_times: int = Field(default=3, ge=0, le=20)
    retry_backoff_s: float = Field(default=2.0, ge=0, description="First retry delay on 429/5xx; doubles each try.")
    deliver_every_documents: int = Field(
        default=500, ge=1, description="the crawl delivers (flushes its output, then records them in its state) "
                                       "every this many documents")
    deliver_every_s: float = Field(
        default=2.0, gt=0, description="and at the first message after a document has waited this long, so a slow "
                                       "crawl's documents reach the warehouse (embedded) or the bus within seconds")


class BusSettings(Section):
    bootstrap_servers: str = "127.0.0.1:9092"
    client_id: str = "vigil"
    topic_prefix: str = Field(default="vigil.", pattern=r"^[A-Za-z0-9._-]*$")
    partitions: int = Field(default=3, ge=1)
    replication_factor: int = Field(default=1, ge=1)
    compression_type: Literal["gzip", "snappy", "lz4", "zstd", "none"] = "gzip"
    batch_size: int = Field(default=64 * 1024, ge=0)
    linger_ms: int = Field(default=20, ge=0)
    request_timeout_ms: int = Field(default=30_000, ge=1000)
    max_poll_records: int = Field(default=500, ge=1)
    producer_retries: int = Field(default=10, ge=0)
    retry_backoff_ms: int = Field(default=200, ge=0)
    session_timeout_ms: int = Field(
        default=45_000, ge=6000, description="a consumer silent this long leaves its group"
    )
    max_poll_interval_ms: int = Field(
        default=300_000, ge=10_000,
        description="a consumer that does not poll again within this long leaves its group and its batch is "
                    "redelivered (Kafka's default); see classifier.consumer_batch"
    )
    write_retries: int = Field(
        default=5, ge=0, description="times a consumer retries a batch whose write failed before it exits"
    )
    write_retry_backoff_ms: int = Field(default=1000, ge=0, description="first retry delay; doubles, at most 60 s")
    stall_after_s: float = Field(
        default=300.0, gt=0, description="a consumer's /healthz fails when its loop has not come round for this "
                                         "long (a batch in hand, its retries included)")


class WarehouseSettings(Section):
    backend: Literal["chdb", "server"] = "chdb"
    path: Path | None = Field(default=None, description="chDB data directory; default <home>/warehouse")
    database: str = Field(default="vigil", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    host: str = "127.0.0.1"
    port: int = Field(default=8123, ge=1, le=65535)
    username: str = "default"
    password: SecretStr = SecretStr("")
    secure: bool = False
    insert_batch_rows: int = Field(default=10_000, ge=1)
    sink_batch_messages: int = Field(
        default=10_000, ge=1, description="while messages keep coming, the sink consumer gathers up to this many per "
                                          "write: ClickHouse wants few large inserts, each a part in every table and "
                                          "view it reaches")
    sink_batch_mb: int = Field(default=64, ge=1, description="... or this many MB of message payload")
    sink_batch_wait_s: float = Field(default=1.0, ge=0,
                                     description="... or what came in this long after a batch's first message")
    retention_days: int = Field(default=730, ge=1)
    cluster: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_{}.-]+$",
        description="a ClickHouse cluster (remote_servers) to migrate ON CLUSTER: Replicated* tables named "
                    "<table>_local, a Distributed table under each name (vigil/warehouse/cluster.py); server only")

    @model_validator(mode="after")
    def _cluster_needs_server(self) -> "WarehouseSettings":
        if self.cluster and self.backend != "server":
            raise ValueError("warehouse.cluster needs warehouse.backend: server (chDB has no cluster)")
        return self


class ClassifierSettings(Section):
    model: str = Field(default="default", description="'default', 'rules' (the lexicon and known content alone, "
                                                      "no model), a Hugging Face model id or a local folder")
    device: Literal["auto", "cpu", "cuda"] = "auto"
    threads: int = Field(default=0, ge=0,
                         description="CPU threads of a classifying process (torch's intra-op threads); 0: one per "
                                     "usable core, or that divided among the classify consumers `vigil up` starts")
    batch_size: int = Field(default=32, ge=1)
    consumer_batch: int = Field(
        default=32, ge=1,
        description="documents the classify consumer takes per poll; all are labelled before the next poll, which "
                    "must come within bus.max_poll_interval_ms (long documents take a second or two each on a core)")
    max_length: int = Field(default=256, ge=16, le=8192)
    window_stride: int = Field(default=128, ge=1)
    window_chars: int = Field(default=200, ge=20, description="sentence windows of long texts, in characters")
    whole_tokens: int = Field(default=256, ge=0, le=512,
                              description="fine-tuned models read a text of up to this many tokens whole, as they "
                                          "were calibrated, and longer ones in sentence windows (0: always windows)")
    group_swaps: int = Field(default=6, ge=0, le=18,
                             description="a model flag on a text naming a group stands only if at least a third of "
                                         "this many readings with the group swapped for others are flagged (0: off)")
    cited_quotes: bool = Field(default=True,
                               description="a model flag that only a short text's quotations carry is damped as a "
                                           "quoted rule hit is (citing is not saying)")
    untargeted_factor: float = Field(default=0.5, ge=0, le=1,
                                     description="a model flag for xenophobia, racism or religious intolerance on a "
                                                 "text that names no group is multiplied by this (1: off)")
    known_threshold: float = Field(default=0.6, gt=0, le=1, description="min. similarity to a known propaganda item")
    precision: Literal["auto", "fp32", "bf16"] = Field(
        default="fp32", description="bf16 runs fine-tuned encoders under bfloat16 autocast (CPUs with AVX-512 BF16 "
                                    "or AMX, GPUs); auto chooses bf16 where the device has it, else fp32")
    trim_heap: bool = Field(default=True,
                            description="return the heap's free pages to the system after each batch (glibc): "
                                        "a long-running classifier's memory stops creeping up, at no measured cost")
    mmap_threshold_kib: int = Field(
        default=0, ge=0, description="serve allocations of at least this many KiB from their own mappings (glibc; "
                                     "0: glibc's default): a lower peak (1,372 against 1,581 MiB measured) for "
                                     "about 28% more time per batch")


class FlowsSettings(Section):
    prefect_api_url: str | None = None
    crawl_interval_minutes: int = Field(default=60, ge=1)
    trends_interval_minutes: int = Field(default=15, ge=1)
    alert_webhook_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr = SecretStr("")
    alert_email_to: list[str] = Field(default_factory=list)
    alert_email_from: str = "vigil@localhost"
    alert_log_file: Path | None = Field(default=None, description="JSON lines of alerts; default <home>/alerts.jsonl")
    spike_threshold: float = Field(default=4.0, gt=0, description="robust z-score that raises an alert")
    spike_min_count: int = Field(default=5, ge=1, description="flagged documents an hour needs to alert")
    spike_seasons: int = Field(default=7, ge=2, description="same hours of previous days in the baseline")


class DashboardsSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: SecretStr = SecretStr("changethis")
    accounts_path: Path | None = Field(
        default=None, description="SQLite database of users, sessions and API tokens; default "
                                  "<home>/dashboards/accounts.sqlite3")
    session_max_age_s: int = Field(default=8 * 3600, ge=60, description="a sign-in lasts this long")
    secure_cookies: bool = Field(
        default=False, description="mark the session cookie Secure (set it behind an HTTPS proxy); "
                                   "requests that arrive over HTTPS get it anyway")
    trusted_header: str | None = Field(
        default=None, description="single sign-on: the request header naming the signed-in user, "
                                  "e.g. X-Forwarded-User; trusted only from trusted_proxies (off: None)")
    trusted_proxies: list[str] = Field(
        default_factory=list, description="addresses or networks (10.0.0.0/8) allowed to set trusted_header")
    login_attempts: int = Field(
        default=5, ge=1, description="failed sign-ins per user name and address within login_window_s "
                                     "before further tries are refused (429)")
    login_window_s: int = Field(default=15 * 60, ge=1, description="the window login_attempts counts in")
    claim_minutes: int = Field(
        default=15, ge=1, le=24 * 60, description="a reviewer's claim on an item lasts this long (renewed by "
                                                  "reopening it); after a decision it keeps the item out of the queue")
    priority_half_life_hours: float = Field(
        default=24.0, gt=0, description="queue priority halves for every this many hours of a document's age")
    reason_required_for: list[Verdict] = Field(
        default_factory=lambda: ["reject", "escalate"], description="verdicts that need a reason (note)")
    second_review_rate: float = Field(
        default=0.1, ge=0, le=1, description="share of decisions sent, blind, to a second reviewer")


class SupervisorSettings(Section):
    """``vigil up``: how its children are restarted, checked and stopped."""

    restart_backoff_s: float = Field(
        default=1.0, gt=0, description="delay before restarting a child that died; doubles with each failure in a row")
    restart_backoff_max_s: float = Field(default=60.0, gt=0, description="the longest restart delay")
    restart_reset_s: float = Field(
        default=60.0, gt=0, description="a child that ran this long before dying starts its backoff afresh")
    stop_grace_s: float = Field(
        default=30.0, ge=0, description="after SIGTERM, how long a child may take to stop (the scheduler's flow "
                                        "runs to finish) before SIGKILL")
    health_interval_s: float = Field(default=5.0, gt=0, description="how often each child's probes are asked")
    liveness_failures: int = Field(
        default=3, ge=1, description="liveness probes failed in a row after which a child is taken as hung and "
                                     "restarted")
    ready_timeout_s: float = Field(
        default=300.0, gt=0, description="how long a starting child may take to become ready before it is "
                                         "restarted")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VIGIL_",
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    environment: Environment = Environment.development
    mode: Mode = Mode.embedded
    home: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("vigil")))
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"

    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    bus: BusSettings = Field(default_factory=BusSettings)
    warehouse: WarehouseSettings = Field(default_factory=WarehouseSettings)
    classifier: ClassifierSettings = Field(default_factory=ClassifierSettings)
    flows: FlowsSettings = Field(default_factory=FlowsSettings)
    dashboards: DashboardsSettings = Field(default_factory=DashboardsSettings)
    supervisor: SupervisorSettings = Field(default_factory=SupervisorSettings)

    _config_file: Path | None = PrivateAttr(default=None)

    @property
    def config_file(self) -> Path | None:
        """The YAML file these settings were read from (pass it on to child processes and flows)."""
        return self._config_file

    @field_validator("home", mode="after")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> "Settings":
        if self.environment is Environment.development:
            return self
        secrets = {
            "dashboards.secret_key": self.dashboards.secret_key,
            "flows.smtp_password": self.flows.smtp_password if self.flows.smtp_username else None,
            "warehouse.password": self.warehouse.password if self.warehouse.backend == "server" else None,
        }
        for name, value in secrets.items():
            if value is not None and value.get_secret_value().strip().lower() in PLACEHOLDER_SECRETS:
                raise ValueError(
                    f"{name} is left at a placeholder value; set a real secret "
                    f"(VIGIL_{name.upper().replace('.', '__')}) when environment={self.environment.value}"
                )
        return self

    @property
    def warehouse_path(self) -> Path:
        return self.warehouse.path or self.home / "warehouse"

    @property
    def run_dir(self) -> Path:
        return self.home / "run"

    def public_dict(self) -> dict[str, Any]:
        """Settings as plain data with secrets masked, for `vigil status` and logs."""
        return self.model_dump(mode="json")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings, _AliasedEnv(settings_cls)]
        config_file = _yaml_file.get()
        if config_file:
            sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=config_file))
        return tuple(sources)


class _AliasedEnv(PydanticBaseSettingsSource):
    """The variables of ``ENV_ALIASES`` as the nested settings they name."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for variable, (section, name) in ENV_ALIASES.items():
            if variable in os.environ:
                values.setdefault(section, {})[name] = os.environ[variable]
        return values


class SettingsError(Exception):
    """Raised at start-up when settings are invalid; the message names each bad setting."""


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "settings"
        env = "VIGIL_" + "__".join(str(part) for part in item["loc"]).upper() if item["loc"] else ""
        hint = f" (env {env})" if env else ""
        lines.append(f"  {where}{hint}: {item['msg']}")
    return "invalid Vigil settings:\n" + "\n".join(lines)


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Build and validate settings from ``config_file`` (else ``VIGIL_CONFIG``, else none), the
    environment and ``overrides``; raise :class:`SettingsError` with a readable message."""
    chosen = config_file if config_file is not None else os.environ.get("VIGIL_CONFIG") or None
    path = Path(chosen).expanduser().resolve() if chosen is not None else None
    if path is not None:
        if not path.is_file():
            raise SettingsError(f"config file {path} does not exist")
        try:
            yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise SettingsError(f"config file {path} is not valid YAML: {exc}") from exc
    token = _yaml_file.set(path)
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None
    except ValueError as exc:  # e.g. the YAML source failing to parse
        raise SettingsError(f"invalid Vigil settings: {exc}") from None
    finally:
        _yaml_file.reset(token)
    settings._config_file = path
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, loaded once (tests call ``get_settings.cache_clear()``)."""
    return load_settings()
