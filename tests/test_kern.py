"""KERN UX on the public pages (issue 37, point 1): every KERN class the portal names exists in
the vendored, reduced stylesheet (else `make kern` is due, or the class is made up), the files
carry their version and licences, no page loads Bootstrap, and a public page loads no more CSS
than it did with Bootstrap."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.kern_holen import KLASSE, ZIEL, benutzte_klassen

ROOT = Path(settings.BASE_DIR)
CSS = ZIEL / "kern.min.css"
# Measured before the change (Bootstrap 5.3.9's bootstrap.min.css and portal.css as of
# commit 5df852f, gzip level 9 as whitenoise writes them): what every public page loaded.
VORHER_GZIP = 30_812 + 2_239


def _definiert() -> set[str]:
    return set(KLASSE.findall(CSS.read_text(encoding="utf-8")))


def test_every_kern_class_the_portal_names_is_in_the_vendored_stylesheet():
    fehlend = sorted(benutzte_klassen() - _definiert())
    assert not fehlend, f"not in {CSS.name} (run `make kern`, or the class is made up): {fehlend}"


def test_the_vendored_files_name_version_and_licences():
    kopf = CSS.read_text(encoding="utf-8")[:600]
    assert "@kern-ux/native 2.7.2" in kopf and "EUPL-1.2" in kopf and "SIL OFL 1.1" in kopf
    assert "European Union Public Licence" in (ZIEL / "LICENSE.md").read_text(encoding="utf-8")
    assert "SIL Open Font License" in (ZIEL / "fonts" / "LICENSE").read_text(encoding="utf-8")
    for datei in re.findall(r"url\(fonts/([^)]+)\)", CSS.read_text(encoding="utf-8")):
        assert (ZIEL / "fonts" / datei).is_file(), datei


def test_no_public_page_loads_bootstrap_or_anything_from_elsewhere():
    basis = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert "bootstrap" not in basis.lower()
    assert not re.search(r'(href|src)="(https?:)?//', basis)
    assert not (ROOT / "static" / "vendor" / "bootstrap-5.3.9").exists()


@pytest.mark.django_db
def test_a_public_page_loads_no_more_css_than_with_bootstrap(client):
    """Every stylesheet the rendered pages link, gzip-compressed as served."""
    for pfad in ["/", "/aktionsraeume/hoerde/", "/antrag/", "/antrag/start/"]:
        html = client.get(pfad).content.decode()
        dateien = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
        assert dateien, f"{pfad} links no stylesheet"
        gesamt = sum(
            len(gzip.compress((ROOT / "static" / name).read_bytes(), 9)) for name in dateien
        )
        assert gesamt <= VORHER_GZIP, f"{pfad}: {gesamt:,} bytes gzip > {VORHER_GZIP:,} before"


@pytest.mark.django_db
def test_every_kern_class_on_a_rendered_form_with_errors_is_in_the_stylesheet(client):
    """Also the classes made while rendering (a field's error variant), on the steps with
    text fields, a select, radio buttons, check boxes and the consent."""
    from tests.factories import antrag_post_data

    seiten = [client.post("/antrag/", {"schritt": "projekt", "weiter": "1"}).content.decode()]
    daten = antrag_post_data(datenschutz="", email="kein-at")
    daten.pop("absenden")
    for schritt in ["ziele", "antragsteller", "anlagen"]:
        seiten.append(client.post("/antrag/", daten | {"fehler_zeigen": schritt}).content.decode())
    benutzt = set().union(*(KLASSE.findall(html) for html in seiten))
    assert {"kern-form-input__input--error", "kern-form-input__select--error"} <= benutzt
    assert not benutzt - _definiert(), sorted(benutzt - _definiert())


def test_the_html_part_of_a_mail_has_kerns_typeface_and_colours():
    from antraege.emails import mail_rendern

    _betreff, text, html = mail_rendern(
        template="entwurf_gespeichert",
        betreff="Betreff",
        sprache="de",
        context={"link": "https://example.org/x", "gueltig_bis": None},
    )
    assert "'Fira Sans'" in html and "#2044aa" in html and "#171a2b" in html
    assert "Aktionsplan Soziale Stadt Dortmund" in html and text.split("\n")[0] in html
