"""Production installs from a lock without test tools; `make test` adds them from a dev lock
with the same pins."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTWERKZEUGE = {
    "pytest",
    "pytest-django",
    "pytest-xdist",
    "hypothesis",
    "playwright",
    "axe-playwright-python",
    "factory-boy",
    "faker",
    "time-machine",
    "aiosmtpd",
    "ruff",
    "moto",
}


def pins(datei: str) -> dict[str, str]:
    text = (ROOT / datei).read_text()
    return {
        m.group(1).lower(): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+) \\$", text, re.M)
    }


def test_the_production_lock_has_no_test_tools_and_every_runtime_dependency():
    prod = pins("requirements.lock")
    assert not TESTWERKZEUGE & set(prod)
    projekt = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for anforderung in projekt["dependencies"]:
        name = re.split(r"[<>=\[ ]", anforderung, maxsplit=1)[0].lower()
        assert name in prod, name
    # Object storage for the attachments is a setting, not another install.
    assert {"django-storages", "boto3"} <= set(prod)


def test_the_dev_lock_has_the_same_pins_plus_the_test_tools():
    prod, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in prod} == prod
    assert {"pytest", "playwright", "hypothesis"} <= set(dev)


def test_every_pin_is_hash_checked():
    for datei in ["requirements.lock", "requirements-dev.lock"]:
        text = (ROOT / datei).read_text()
        eintraege = re.findall(
            r"^[A-Za-z0-9_.\-]+==\S+ \\\n((?:\s+--hash=\S+(?: \\)?\n)+)", text, re.M
        )
        assert len(eintraege) == len(pins(datei)) and all("sha256:" in e for e in eintraege)


def test_make_run_installs_the_production_lock_and_make_test_the_dev_lock():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(VENV)/.installed: requirements.lock" in makefile
    assert "$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock" in makefile
    assert re.search(r"^test: .*\$\(VENV\)/\.installed-dev", makefile, re.M)
    assert re.search(r"^messages: \$\(VENV\)/\.installed$", makefile, re.M)


def test_pip_installs_only_uv_pinned_with_hashes_and_uv_installs_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    version = re.search(r"^UV_VERSION := (\S+)$", makefile, re.M).group(1)
    assert pins("requirements-uv.lock") == {"uv": version}
    assert "--hash=sha256:" in (ROOT / "requirements-uv.lock").read_text()
    assert "-r requirements-uv.lock" in makefile
    assert "$(UV_INSTALL) -r requirements.lock" in makefile
    assert "--require-hashes" in re.search(r"^UV_INSTALL := .*$", makefile, re.M).group(0)
