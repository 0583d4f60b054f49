"""The house's shape, checked: no import circle between the portal's modules (imports inside
functions included, since they only hide one), the district app needs nothing of the
Anträge (it shows their fund figures through a template tag), and the admin needs nothing of
the public views (the form engine and the downloads are modules of their own)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAKETE = ["aktionsplan", "quartiere", "antraege"]


def _module():
    module = {}
    for paket in PAKETE:
        for pfad in (ROOT / paket).rglob("*.py"):
            if "migrations" in pfad.parts:
                continue
            name = ".".join(pfad.relative_to(ROOT).with_suffix("").parts)
            module[name.removesuffix(".__init__")] = pfad
    return module


def _importe(name, pfad, module):
    ziele = set()
    for knoten in ast.walk(ast.parse(pfad.read_text())):
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


def _graph():
    module = _module()
    return {name: _importe(name, pfad, module) for name, pfad in module.items()}


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


def _kanten(von: str, ziel):
    """The imports from modules starting with `von` into modules for which `ziel` holds."""
    return sorted(
        f"{a} -> {b}"
        for a, ziele in _graph().items()
        for b in ziele
        if a.startswith(von) and ziel(b)
    )


def test_the_district_app_imports_nothing_of_the_antraege():
    assert _kanten("quartiere", lambda b: b.startswith("antraege")) == []


def test_the_admin_imports_nothing_from_the_public_views():
    assert _kanten("antraege.admin", lambda b: b == "antraege.views") == []
