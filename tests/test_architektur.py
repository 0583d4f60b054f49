"""The house's floors, checked: wiring on top (`aktionsplan`), the apps in the middle (`antraege`
needs `quartiere`, never the other way), `aktionsplan.kern` at the bottom, importing no app.

A tie is a Python import (imports inside functions included, since they only hide one) or a
string that names another floor: a model label or permission (`"antraege.antrag"`), a URL
namespace (`"antraege:start"`), an `include()` of its URLs, one of its templates
(`"antraege/…"`), and in templates `{% load %}` of its tag library, `{% url %}`,
`{% include %}`/`{% extends %}` and `perms.<app>`. No import circle between modules either."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What each floor may depend on; the project package without `kern` is the wiring.
ERLAUBT = {
    "aktionsplan.kern": set(),
    "quartiere": {"aktionsplan.kern"},
    "antraege": {"aktionsplan.kern", "quartiere"},
    "aktionsplan": {"aktionsplan.kern", "quartiere", "antraege"},
}
APPS = ["quartiere", "antraege"]


def _einheit(modul: str) -> str:
    """The floor a module or template belongs to: the longest name in ERLAUBT it starts with."""
    treffer = [e for e in ERLAUBT if modul == e or modul.startswith(e + ".")]
    return max(treffer, key=len)


def _module(root: Path):
    module = {}
    for paket in ("aktionsplan", *APPS):
        for pfad in (root / paket).rglob("*.py"):
            if "migrations" in pfad.parts:
                continue
            name = ".".join(pfad.relative_to(root).with_suffix("").parts)
            module[name.removesuffix(".__init__")] = pfad
    return module


def _importe(name, pfad, module, baum):
    ziele = set()
    for knoten in ast.walk(baum):
        if isinstance(knoten, ast.Import):
            ziele |= {a.name for a in knoten.names}
        elif isinstance(knoten, ast.ImportFrom):
            basis = knoten.module or ""
            if knoten.level:
                teile = name.split(".")
                if pfad.name != "__init__.py":
                    teile = teile[:-1]
                teile = teile[: len(teile) - (knoten.level - 1)]
                basis = ".".join(teile + ([basis] if basis else []))
            for a in knoten.names:
                ziele.add(f"{basis}.{a.name}" if f"{basis}.{a.name}" in module else basis)
    return {z for z in ziele if z in module and z != name}


def _graph(root: Path = ROOT):
    module = _module(root)
    return {
        name: _importe(name, pfad, module, ast.parse(pfad.read_text()))
        for name, pfad in module.items()
    }


def _vorlagen_der_apps(root: Path) -> dict[str, str]:
    """Template name prefix ("antraege/") -> the app whose templates folder holds it."""
    return {
        f"{ordner.name}/": app
        for app in APPS
        for ordner in (root / app / "templates").glob("*")
        if ordner.is_dir() and ordner.name in APPS
    }


def _tag_bibliotheken(root: Path) -> dict[str, str]:
    return {
        pfad.stem: app
        for app in APPS
        for pfad in (root / app / "templatetags").glob("*.py")
        if pfad.stem != "__init__"
    }


_APP_TEXT = re.compile(r"^(" + "|".join(APPS) + r")([.:/])([\w./-]+)$")


def _text_ziel(text: str, root: Path) -> str | None:
    """The app a string in Python code names: a label, permission, namespace, URL module or one
    of its templates; None for everything else."""
    treffer = _APP_TEXT.match(text)
    if treffer is None:
        return None
    app, zeichen, rest = treffer.groups()
    if zeichen == "/":
        return app if (root / app / "templates" / text).exists() else None
    return app


def _python_bindungen(root: Path):
    for name, pfad in _module(root).items():
        for knoten in ast.walk(ast.parse(pfad.read_text())):
            if isinstance(knoten, ast.Constant) and isinstance(knoten.value, str):
                ziel = _text_ziel(knoten.value, root)
                if ziel:
                    yield name, ziel, repr(knoten.value)


_VORLAGE_BINDUNGEN = [
    (re.compile(r"{%\s*load\s+([^%]+)%}"), "load"),
    (re.compile(r"{%\s*url\s+['\"](\w+):"), "url"),
    (re.compile(r"{%\s*(?:include|extends)\s+['\"]([^'\"]+)['\"]"), "vorlage"),
    (re.compile(r"\bperms\.(\w+)\."), "recht"),
]


def _vorlagen_bindungen(root: Path):
    """Ties of the templates in each app's templates folder and in the project's `templates/`
    (wiring)."""
    bibliotheken = _tag_bibliotheken(root)
    vorlagen = _vorlagen_der_apps(root)
    ordner = {app: root / app / "templates" for app in APPS} | {"aktionsplan": root / "templates"}
    for besitzer, wurzel in ordner.items():
        for pfad in wurzel.rglob("*.html"):
            text = pfad.read_text()
            for muster, art in _VORLAGE_BINDUNGEN:
                for treffer in muster.finditer(text):
                    wert = treffer.group(1)
                    if art == "load":
                        ziele = {bibliotheken.get(b) for b in wert.split()}
                    elif art == "vorlage":
                        ziele = {a for p, a in vorlagen.items() if wert.startswith(p)}
                    else:
                        ziele = {wert} if wert in APPS else set()
                    for ziel in ziele - {None}:
                        yield f"{besitzer}:{pfad.relative_to(root)}", ziel, treffer.group(0)


def verstoesse(root: Path = ROOT) -> list[str]:
    """Every tie from a floor to one it may not depend on."""
    gefunden = []
    for a, ziele in _graph(root).items():
        for b in ziele:
            von, nach = _einheit(a), _einheit(b)
            if von != nach and nach not in ERLAUBT[von]:
                gefunden.append(f"{a} imports {b}")
    for a, nach, was in _python_bindungen(root):
        von = _einheit(a)
        if von != nach and nach not in ERLAUBT[von]:
            gefunden.append(f"{a} names {was}")
    for ort, nach, was in _vorlagen_bindungen(root):
        von = _einheit(ort.split(":")[0])
        if von != nach and nach not in ERLAUBT[von]:
            gefunden.append(f"{ort} uses {was}")
    return sorted(gefunden)


def test_every_floor_depends_only_on_the_floors_below_it():
    assert verstoesse() == []


def test_no_import_circle():
    graph = _graph()
    kreise = []
    for start in graph:
        weg, offen = {start: None}, [start]
        while offen:
            knoten = offen.pop()
            for ziel in graph[knoten]:
                if ziel == start:
                    kreis, k = [start], knoten
                    while k != start:
                        kreis.append(k)
                        k = weg[k]
                    kreise.append(" -> ".join(reversed(kreis)))
                elif ziel not in weg:
                    weg[ziel] = knoten
                    offen.append(ziel)
    assert kreise == []


def test_the_admin_imports_nothing_from_the_public_views():
    kanten = [
        f"{a} -> {b}"
        for a, ziele in _graph().items()
        for b in ziele
        if a.startswith("antraege.admin") and b.startswith("antraege.views")
    ]
    assert kanten == []


def test_the_services_and_selectors_packages_hold_a_docstring_only():
    """One address per name: callers import the module that defines it."""
    for paket in ("services", "selectors"):
        baum = ast.parse((ROOT / "antraege" / paket / "__init__.py").read_text())
        assert len(baum.body) == 1 and isinstance(baum.body[0].value, ast.Constant), paket


def _haus(tmp_path: Path, dateien: dict[str, str]) -> Path:
    """A small copy of the floors with the given files, for the checks' own tests."""
    for app in ("aktionsplan/kern", *APPS):
        (tmp_path / app).mkdir(parents=True, exist_ok=True)
        (tmp_path / app / "__init__.py").write_text("")
    (tmp_path / "antraege/templatetags").mkdir()
    (tmp_path / "antraege/templatetags/fonds.py").write_text("")
    (tmp_path / "antraege/templates/antraege").mkdir(parents=True)
    (tmp_path / "antraege/templates/antraege/teil.html").write_text("")
    (tmp_path / "antraege/models.py").write_text("from quartiere import models\n")
    for name, text in dateien.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_the_check_allows_what_the_floors_declare(tmp_path):
    haus = _haus(
        tmp_path,
        {
            "aktionsplan/urls.py": "from antraege import models\nX = 'antraege.urls'\n",
            "quartiere/models.py": "from aktionsplan.kern import geld\n",
            "aktionsplan/kern/geld.py": "",
            "templates/base.html": "{% load fonds %}{% url 'antraege:start' %}",
        },
    )
    assert verstoesse(haus) == []


def test_the_check_finds_every_kind_of_tie_that_runs_the_wrong_way(tmp_path):
    haus = _haus(
        tmp_path,
        {
            "quartiere/bereich.py": (
                "def f(user):\n"
                "    from antraege import models\n"
                "    return user.has_perm('antraege.alle_aktionsraeume'), 'antraege.antrag'\n"
            ),
            "quartiere/urls.py": "from django.urls import include\nX = include('antraege.urls')\n",
            "quartiere/views.py": "V = 'antraege/teil.html'\n",
            "aktionsplan/kern/cache.py": "from quartiere import bereich\n",
            "quartiere/templates/quartiere/seite.html": (
                "{% load i18n fonds %}{% url 'antraege:start' %}"
                "{% include 'antraege/teil.html' %}{{ perms.antraege.auszahlen }}"
            ),
        },
    )
    gefunden = verstoesse(haus)
    assert gefunden == [
        "aktionsplan.kern.cache imports quartiere.bereich",
        "quartiere.bereich imports antraege.models",
        "quartiere.bereich names 'antraege.alle_aktionsraeume'",
        "quartiere.bereich names 'antraege.antrag'",
        "quartiere.urls names 'antraege.urls'",
        "quartiere.views names 'antraege/teil.html'",
        "quartiere:quartiere/templates/quartiere/seite.html uses perms.antraege.",
        "quartiere:quartiere/templates/quartiere/seite.html uses {% include 'antraege/teil.html'",
        "quartiere:quartiere/templates/quartiere/seite.html uses {% load i18n fonds %}",
        "quartiere:quartiere/templates/quartiere/seite.html uses {% url 'antraege:",
    ]
