"""Who sees which personal data: Lesezugriff no IBAN, address, phone or e-mail; a Beauftragte
no IBAN. Checked per role on the change page, the history (list of changes and a single
version), the search and both export formats, also with the hidden columns asked for."""

import io

import openpyxl
import pytest

from antraege.exports import AntragResource
from antraege.models import Antrag
from antraege.rollen import LESEZUGRIFF
from quartiere.models import Aktionsraum

from .factories import beauftragte_user, projektbuero_user, rollen_user, submitted_antrag

pytestmark = pytest.mark.django_db

IBAN_ALT, IBAN_NEU = "DE89370400440532013000", "DE02120300000000202051"
GEHEIM = {
    "iban": ["DE89370400440532013000", "DE89 3704", "DE02120300000000202051", "DE02 1203"],
    "kontoinhaber": ["Kontoinhaberin Kassandra"],
    "strasse": ["Heimlichweg 7"],
    "plz": ["44263"],
    "telefon": ["0231 5550199"],
    "email": ["erika.geheim@example.org", "erika.neu@example.org"],
}
SIEHT_NICHT = {
    "projektbuero": [],
    "beauftragte": ["iban", "kontoinhaber"],
    "lesezugriff": ["iban", "kontoinhaber", "strasse", "plz", "telefon", "email"],
}


@pytest.fixture
def antrag():
    antrag = submitted_antrag(
        iban=IBAN_ALT,
        kontoinhaber="Kontoinhaberin Kassandra",
        strasse="Heimlichweg 7",
        plz="44263",
        telefon="0231 5550199",
        email="erika.geheim@example.org",
        organisation="Nachbarschaftsverein",
    )
    # Two changes that land in the history: a new bank account and a new address.
    antrag = Antrag.objects.get(pk=antrag.pk)
    antrag.iban = IBAN_NEU
    antrag.email = "erika.neu@example.org"
    antrag.save()
    return antrag


def konto(rolle):
    if rolle == "projektbuero":
        return projektbuero_user()
    if rolle == "beauftragte":
        return beauftragte_user(Aktionsraum.objects.get(slug="hoerde"))
    return rollen_user("pruefer", LESEZUGRIFF)


def verboten(rolle):
    return [wert for feld in SIEHT_NICHT[rolle] for wert in GEHEIM[feld]]


def seiten(client, antrag):
    basis = f"/admin/antraege/antrag/{antrag.pk}"
    version = antrag.history.order_by("history_id").first().history_id
    return {
        "change": client.get(f"{basis}/change/").content.decode(),
        "history": client.get(f"{basis}/history/").content.decode(),
        "version": client.get(f"{basis}/history/{version}/").content.decode(),
        "liste": client.get("/admin/antraege/antrag/").content.decode(),
    }


def export(client, fmt):
    alle = {f"antragresource_{name}": "on" for name in AntragResource._meta.fields}
    # Also ask for the hidden columns by name, as a forged form would.
    alle.update({f"antragresource_{f}": "on" for f in GEHEIM})
    response = client.post(
        "/admin/antraege/antrag/export/", {"format": fmt, "resource": "0", **alle}
    )
    assert response.status_code == 200
    if fmt == "0":
        return response.content.decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("rolle", ["projektbuero", "beauftragte", "lesezugriff"])
def test_pages_and_history_show_only_what_the_role_may_see(client, antrag, rolle):
    client.force_login(konto(rolle))
    for name, html in seiten(client, antrag).items():
        assert antrag.aktenzeichen in html or name == "version", name
        treffer = [w for w in verboten(rolle) if w in html]
        assert not treffer, f"{rolle} sees {treffer} on {name}"
    if rolle == "projektbuero":
        # The same pages do show the data to the Projektbüro: the checks above can fail.
        alles = seiten(client, antrag)
        assert "DE02 1203" in alles["change"] and "Heimlichweg 7" in alles["change"]
        assert IBAN_ALT in alles["history"] and "erika.geheim@example.org" in alles["history"]
        assert "DE89 3704" in alles["version"]
    if rolle == "beauftragte":
        change = seiten(client, antrag)["change"]
        assert "Heimlichweg 7" in change and "0231 5550199" in change


@pytest.mark.parametrize("rolle", ["projektbuero", "beauftragte", "lesezugriff"])
@pytest.mark.parametrize("fmt", ["0", "1"])
def test_exports_hold_only_what_the_role_may_see(client, antrag, rolle, fmt):
    client.force_login(konto(rolle))
    inhalt = export(client, fmt)
    assert antrag.aktenzeichen in inhalt
    treffer = [w for w in verboten(rolle) if w in inhalt]
    assert not treffer, f"{rolle} exports {treffer}"
    if rolle != "lesezugriff":
        assert "erika.neu@example.org" in inhalt


def test_lesezugriff_cannot_find_an_antrag_by_its_email_address(client, antrag):
    client.force_login(konto("lesezugriff"))
    treffer = client.get("/admin/antraege/antrag/?q=erika.neu@example.org").content.decode()
    assert antrag.aktenzeichen not in treffer
    treffer = client.get(f"/admin/antraege/antrag/?q={antrag.aktenzeichen}").content.decode()
    assert antrag.titel in treffer


def test_the_change_page_says_that_data_is_hidden(client, antrag):
    client.force_login(konto("lesezugriff"))
    html = client.get(f"/admin/antraege/antrag/{antrag.pk}/change/").content.decode()
    assert "Nicht alle persönlichen Daten" in html
