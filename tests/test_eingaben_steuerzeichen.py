"""Clean text in, clean files out (issue 35, finding 7): control characters are removed when
any form is cleaned, and every export replaces what an XLSX file cannot hold."""

import io

import openpyxl
import pytest
from django import forms

from antraege.exports import AntragResource, neutralisieren
from antraege.models import Antrag

from .factories import antrag_post_data, projektbuero_user, submitted_antrag

pytestmark = pytest.mark.django_db


def test_the_public_form_stores_a_title_without_control_characters(client):
    response = client.post(
        "/antrag/", antrag_post_data(titel="Sommer\x1ffest", zielgruppe="Kinder\x07\tund Eltern")
    )
    assert response.status_code == 302
    antrag = Antrag.objects.get()
    assert antrag.titel == "Sommerfest"
    assert antrag.zielgruppe == "Kinder\tund Eltern"


def test_an_admin_form_drops_control_characters_too(client):
    staff = projektbuero_user()
    client.force_login(staff)
    response = client.post(
        "/admin/antraege/antrag/papier/", antrag_post_data(titel="Papier\x1b[31mfest\x00")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Antrag.objects.get().titel == "Papier[31mfest"


@pytest.mark.parametrize("feld", [forms.CharField(), forms.EmailField(), forms.SlugField()])
def test_every_text_field_keeps_tab_and_line_breaks_only(feld):
    eingabe = "a\x01b\tc\r\nd\x7fe"
    if isinstance(feld, forms.EmailField):
        assert feld.clean("erika\x0b@example.org") == "erika@example.org"
    elif isinstance(feld, forms.SlugField):
        assert feld.clean("sommer\x1f-fest") == "sommer-fest"
    else:
        assert feld.clean(eingabe) == "ab\tc\r\nde"


@pytest.mark.parametrize("fmt", ["0", "1"])
def test_an_antrag_stored_with_a_control_character_does_not_break_the_export(client, fmt):
    # As an Antrag from before the rule was stored: written around the forms.
    submitted_antrag(titel="Sommer\x1ffest", organisation="Verein\x0be.V.")
    client.force_login(projektbuero_user())
    felder = {f"antragresource_{name}": "on" for name in AntragResource._meta.fields}
    response = client.post(
        "/admin/antraege/antrag/export/", {"format": fmt, "resource": "0", **felder}
    )
    assert response.status_code == 200
    if fmt == "1":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        werte = [c.value for row in sheet.iter_rows() for c in row]
        assert "Sommer\ufffdfest" in werte
    else:
        assert "Sommer\ufffdfest" in response.content.decode("utf-8-sig")


def test_neutralising_replaces_what_xlsx_refuses():
    assert neutralisieren("a\x1fb\x0cc\td\ne") == "a\ufffdb\ufffdc\td\ne"
