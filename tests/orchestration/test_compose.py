"""docker-compose.yml, checked without a Docker engine: every service the cluster needs, and
every file, folder, variable and command it names exists in the repo, .env.example or Airflow."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
AIRFLOW_SERVICES = (
    "airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
    "airflow-triggerer", "airflow-worker",
)
LONG_RUNNING = ("postgres", "redis", *AIRFLOW_SERVICES[1:])
PROJECT_MOUNTS = ("dags", "dbt_project", "extractors", "expectations")
# `${NAME}`, `${NAME:-default}`, `${NAME:?message}`; `$${NAME}` is the container's own variable.
VARIABLE = re.compile(r"(?<!\$)\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|_KEY)$", re.IGNORECASE)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def _interpolate(text: str) -> str:
    """What compose substitutes when the variable is unset: its default (or nothing)."""
    return VARIABLE.sub(lambda m: m["arg"] if m["op"] in ("-", ":-") else "", text)


def _strings(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif node is not None:
        yield str(node)


def _bind_mounts(service: dict) -> list[tuple[str, str]]:
    """(host path as compose resolves it with defaults, container path) of every bind mount."""
    mounts = []
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            source, target = _interpolate(volume["source"]), volume["target"]
        else:
            source, target = _interpolate(volume).split(":")[:2]
        if source.startswith((".", "/")):
            mounts.append((source, target))
    return mounts


def _command(service: dict) -> list[str]:
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_every_service_of_the_cluster_is_defined(compose: dict) -> None:
    assert set(compose["services"]) >= {"postgres", "redis", *AIRFLOW_SERVICES}


def test_airflow_runs_celery_on_postgres_and_redis(compose: dict) -> None:
    for name in AIRFLOW_SERVICES:
        env = compose["services"][name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://"), name
        assert "@postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:"), name
        # Airflow 3 workers report through the api-server, never straight to the DB.
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith("http://airflow-apiserver:"), name


def test_long_running_services_have_healthchecks_and_dependencies_exist(compose: dict) -> None:
    services = compose["services"]
    for name in LONG_RUNNING:
        check = services[name].get("healthcheck")
        assert check and check.get("test"), f"{name} has no healthcheck"
    for name, service in services.items():
        depends = service.get("depends_on", {})
        for dependency in depends:
            assert dependency in services, f"{name} depends on an undefined service {dependency}"
            if dependency != "airflow-init":
                assert dependency in LONG_RUNNING, f"{name} waits on {dependency}, which has no healthcheck"
    # The scheduler's health endpoint only answers when it is switched on.
    assert services["airflow-scheduler"]["environment"]["AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK"] == "True"


def test_the_init_service_migrates_and_creates_the_admin_user(compose: dict) -> None:
    script = " ".join(_command(compose["services"]["airflow-init"]))
    assert "airflow db migrate" in script
    assert "AIRFLOW_ADMIN_PASSWORD" in script
    passwords_file = compose["services"]["airflow-init"]["environment"]["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
    assert passwords_file in script


def test_workers_can_be_scaled(compose: dict) -> None:
    worker = compose["services"]["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker and "hostname" not in worker


def test_service_commands_are_real_airflow_commands(compose: dict) -> None:
    from airflow.cli.cli_parser import get_parser

    parser = get_parser()
    for name in AIRFLOW_SERVICES[1:]:
        command = _command(compose["services"][name])
        assert command[0] == "airflow", name
        parser.parse_args(command[1:])  # SystemExit on an unknown command
        test = compose["services"][name]["healthcheck"]["test"]
        probe = shlex.split(_interpolate(test[1] if test[0] == "CMD-SHELL" else " ".join(test[1:])))
        if probe[0] == "airflow":
            parser.parse_args(probe[1:])
    init = " ".join(_command(compose["services"]["airflow-init"]))
    for line in init.splitlines():
        if line.strip().startswith("airflow "):
            parser.parse_args(shlex.split(line)[1:])


def test_build_context_and_dockerfile_exist_and_install_from_the_lock(compose: dict) -> None:
    for name in AIRFLOW_SERVICES:
        build = compose["services"][name]["build"]
        context = PROJECT_ROOT / build["context"]
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        assert context.is_dir() and dockerfile.is_file(), name
        text = dockerfile.read_text(encoding="utf-8")
        assert "requirements.lock" in text
        for line in text.splitlines():
            if line.startswith("COPY ") and "--from" not in line:
                for source in line.split()[1:-1]:
                    assert (context / source).exists(), f"{dockerfile.name} copies {source}, which does not exist"
        workdir = re.search(r"^WORKDIR\s+(\S+)", text, re.MULTILINE)[1]
        env = compose["services"][name]["environment"]
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == f"{workdir}/dags", "the DAG folder is not the image's project"


def test_every_mounted_host_path_exists(compose: dict) -> None:
    ignored = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for name, service in compose["services"].items():
        for source, target in _bind_mounts(service):
            host = (PROJECT_ROOT / source).resolve()
            if host.is_relative_to(PROJECT_ROOT / "var"):
                # Run-time data, git-ignored; Docker creates a missing bind-mount folder.
                assert "/var/" in ignored, f"{name} mounts {source} under var/, which is not git-ignored"
                continue
            assert host.exists(), f"{name} mounts {source}, which does not exist in the repo"
    for name in AIRFLOW_SERVICES[1:]:
        mounted = {Path(source).name: target for source, target in _bind_mounts(compose["services"][name])}
        for folder in PROJECT_MOUNTS:
            assert folder in mounted, f"{name} does not mount {folder}/"
        env = compose["services"][name]["environment"]
        targets = [target for _, target in _bind_mounts(compose["services"][name])]
        for variable in ("REPORTS_INBOX", "REPORTS_WAREHOUSE", "REPORTS_DIR", "REPORTS_STATE_DIR"):
            assert any(env[variable].startswith(t) for t in targets), f"{name}: {variable} is not on a mounted folder"
    declared = set(compose.get("volumes") or {})
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = _interpolate(volume).split(":")[0] if isinstance(volume, str) else volume["source"]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} uses an undeclared named volume {source}"


def test_every_variable_is_documented_in_env_example(compose: dict, env_example: dict[str, str]) -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    referenced = {m["name"] for m in VARIABLE.finditer(text)}
    assert referenced, "expected ${...} references in docker-compose.yml"
    assert referenced <= set(env_example), f"not in .env.example: {sorted(referenced - set(env_example))}"
    # Variables compose can do without have a default; the secrets must be required (`:?`).
    for match in VARIABLE.finditer(text):
        if SECRET_NAME.search(match["name"]):
            assert match["op"] in ("?", ":?"), f"{match['name']} must be required, not defaulted"


def test_no_secret_value_is_committed(compose: dict, env_example: dict[str, str]) -> None:
    for name, value in env_example.items():
        if SECRET_NAME.search(name):
            assert value == "", f".env.example holds a value for the secret {name}"
    for service_name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            value = str(value)
            if SECRET_NAME.search(key):
                assert VARIABLE.fullmatch(value), f"{service_name}: {key} is a literal, not a ${{...}} reference"
            for url in re.findall(r"[a-z+]+://[^\s]+", value):
                userinfo = url.split("://", 1)[1].split("@")[0] if "@" in url else ""
                if ":" in userinfo:
                    assert VARIABLE.fullmatch(userinfo.split(":", 1)[1]), f"{service_name}: {key} embeds a password"
    assert ".env" in (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert not (PROJECT_ROOT / ".env").exists() or ".env" in (PROJECT_ROOT / ".dockerignore").read_text().split()


def test_airflow_options_and_project_settings_exist(compose: dict) -> None:
    import importlib

    from airflow.configuration import conf

    # Airflow's own options and every installed provider's (celery), with or without a default.
    known = {section: set(spec["options"]) for section, spec in conf.configuration_description.items()}
    settings_source = (PROJECT_ROOT / "pipeline" / "settings.py").read_text(encoding="utf-8")
    for name in AIRFLOW_SERVICES:
        for key in compose["services"][name]["environment"]:
            if key.startswith("AIRFLOW__"):
                section, option = key.removeprefix("AIRFLOW__").lower().split("__", 1)
                assert option in known.get(section, ()), f"{key} is not an Airflow configuration option"
            elif key.startswith("REPORTS_"):
                assert f'"{key}"' in settings_source, f"{key} is not read by pipeline/settings.py"


def test_the_worker_healthcheck_app_imports_with_the_locked_celery(compose: dict) -> None:
    """The probe's Celery app is the CeleryExecutor itself: if it cannot import, no worker runs."""
    import importlib

    import celery

    worker_probe = " ".join(compose["services"]["airflow-worker"]["healthcheck"]["test"])
    app_module = re.search(r"--app (\S+)\.app", worker_probe)[1]
    try:
        module = importlib.import_module(app_module)
    except ImportError as exc:
        pytest.fail(f"{app_module} does not import with celery {celery.__version__} ({exc}); celery 5.7 removed "
                    "celery.backends.database.retry, which the celery provider imports: pin celery<5.7")
    assert hasattr(module, "app")
