"""
The deployment files in deploy/ are documentation where no container runtime or
systemd runs (here, CI), so they are checked for what can rot: they parse, name the
commands and files that exist, and set only settings that Drive-in reads.
"""

import configparser
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def settings_read() -> set[str]:
    """The environment variables the settings and the gunicorn configuration read."""
    names = set()
    for source in (ROOT / "drivein" / "settings.py", DEPLOY / "gunicorn.conf.py"):
        names |= set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z_]+)["']""", source.read_text()))
        names |= set(re.findall(r"""environ\.get\(\s*["']([A-Z_]+)["']""", source.read_text()))
    return names


def test_gunicorn_accepts_its_configuration_and_loads_the_application():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    done = subprocess.run(
        [str(gunicorn), "--check-config", "-c", str(DEPLOY / "gunicorn.conf.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_compose_file_runs_postgresql_redis_the_web_server_and_the_worker():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "tick"}
    assert "manage.py notify_tick" in services["tick"]["command"][-1]
    assert services["web"]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert services["web"]["environment"]["CACHE_URL"].startswith("redis://redis:")
    assert services["worker"]["command"] == ["python", "manage.py", "db_worker"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    for service in ("web", "worker", "migrate"):
        assert set(services[service]["environment"]) <= settings_read()


def test_the_image_serves_with_the_gunicorn_configuration_and_copies_what_exists():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]' in dockerfile
    for line in re.findall(r"^COPY (.+) \./?$", dockerfile, re.M):
        for name in line.split():
            assert name == "." or (ROOT / name).exists(), name


def test_the_systemd_units_start_gunicorn_and_the_task_worker():
    units = {}
    for name in ("drivein-web.service", "drivein-worker.service"):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.read(DEPLOY / name)
        assert {"Unit", "Service", "Install"} <= set(unit.sections()), name
        units[name] = unit["Service"]
    assert units["drivein-web.service"]["ExecStart"].endswith("gunicorn -c deploy/gunicorn.conf.py")
    assert units["drivein-worker.service"]["ExecStart"].endswith("manage.py db_worker")


def test_the_notifications_tick_runs_every_five_minutes():
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read(DEPLOY / "drivein-notify.timer")
    assert timer["Timer"]["OnCalendar"] == "*:0/5"
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.read(DEPLOY / "drivein-notify.service")
    assert service["Service"]["Type"] == "oneshot"
    # A oneshot unit runs its ExecStart lines in turn: the tick, then the funders' mail
    # (which sends a period's report once, so running it every five minutes is harmless).
    commands = re.findall(
        r"^ExecStart=(.*)$", (DEPLOY / "drivein-notify.service").read_text(), re.M
    )
    assert [c.split("manage.py ")[1] for c in commands] == ["notify_tick", "send_funder_mail"]


def test_the_example_environment_sets_only_settings_that_drive_in_reads():
    text = (DEPLOY / "drivein.env.example").read_text()
    names = set(re.findall(r"^#? ?([A-Z_]+)=", text, re.M))
    assert names <= settings_read(), names - settings_read()
    assert "DEBUG" in names and "EMAIL_URL" in names
