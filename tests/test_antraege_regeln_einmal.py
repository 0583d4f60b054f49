"""Each date and money rule of an Antrag runs once per post (issue 34, point 4): in the form
when the post goes no further (the check page, or other errors on the form), otherwise in
the service under the year's lock. What a person sees stays as it was: every error at once,
what is wrong before "too fast", and a refused Antrag costs no slot of the rate limit."""

import re
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aktionsplan.kern import dateipruefung
from antraege.models import Antrag, Status
from antraege.services import einreichung
from antraege.views import formular

from .factories import (
    PDF_BYTES,
    antrag_daten,
    antrag_post_data,
    projektbuero_user,
    token,
)

pytestmark = pytest.mark.django_db


def angaben(antrag):
    """The page that answers a Rückfrage and changes the Antrag's values."""
    return f"/antrag/status/{token(antrag)}/antworten/angaben/"


ENDE_VOR_BEGINN = {"beginn": "2027-05-02", "ende": "2027-05-01"}
ENDE_FEHLER = "Das Ende darf nicht vor dem Beginn liegen."
# 600 € for the fund: the costs are 600 €, nothing deducted.
ZU_VIEL = {
    "kosten": (("Bühne", "6.000,00"),),
    "eigenmittel": "0",
    "eigenleistung": "0",
    "beantragter_betrag": "",
}
GELD_FEHLER = "höchstens 5.000,00 € beantragt werden"


@pytest.fixture
def zaehler(monkeypatch):
    """How often the date rule and the money rules ran."""
    gezaehlt = {"termine": 0, "betraege": 0}
    for name, schluessel in [("termine_pruefen", "termine"), ("betraege_pruefen", "betraege")]:
        echt = getattr(einreichung, name)

        def gezaehlte(*args, _echt=echt, _schluessel=schluessel, **kwargs):
            gezaehlt[_schluessel] += 1
            return _echt(*args, **kwargs)

        monkeypatch.setattr(einreichung, name, gezaehlte)
    return gezaehlt


def daten(**overrides):
    kosten = overrides.pop("kosten", (("Material", "300,00"), ("Miete Saal", "200,00")))
    return antrag_post_data(kosten=kosten, **overrides)


def korrektur(**overrides):
    data = daten(antwort="Für den Saal.", **overrides)
    data.pop("datenschutz")
    return data


# (what is posted, where) for the three forms an applicant's values come through.
def _online(client, rueckfrage, **overrides):
    return client.post("/antrag/", daten(**overrides))


def _pruefseite(client, rueckfrage, **overrides):
    data = daten(**overrides)
    data.pop("absenden")
    return client.post("/antrag/", data)


def _papier(client, rueckfrage, **overrides):
    client.force_login(projektbuero_user("papier"))
    return client.post("/admin/antraege/antrag/papier/", daten(**overrides))


def _korrektur(client, rueckfrage, **overrides):
    return client.post(angaben(rueckfrage), korrektur(**overrides))


WEGE = {"online": _online, "pruefseite": _pruefseite, "papier": _papier, "korrektur": _korrektur}
# The public form in steps shows one step's errors and names the other steps with errors.
SCHRITTWEISE = ("online", "pruefseite")


def _weitere_fehler(html):
    return re.findall(r'name="fehler_zeigen" value="([a-z]+)"', html)


def _fehler_zeigen(client, weg, schritt, **overrides):
    """The button in the error summary that shows another step with its errors."""
    data = daten(**overrides)
    data.pop("absenden")
    data["fehler_zeigen"] = schritt
    return client.post("/antrag/", data).content.decode()


@pytest.mark.parametrize("weg", WEGE)
def test_a_valid_post_runs_each_rule_once(client, rueckfrage, zaehler, weg):
    antraege_vorher = Antrag.objects.count()
    response = WEGE[weg](client, rueckfrage)
    assert response.status_code in (200, 302)
    assert zaehler == {"termine": 1, "betraege": 1}
    gespeichert = Antrag.objects.count() - antraege_vorher
    assert gespeichert == (1 if weg in ("online", "papier") else 0)
    if weg == "korrektur":
        rueckfrage.refresh_from_db()
        assert rueckfrage.status == Status.IN_PRUEFUNG


@pytest.mark.parametrize("weg", WEGE)
def test_dates_and_money_are_refused_together_in_one_post(client, rueckfrage, zaehler, weg):
    """On the forms without a check page the service alone checks them: both errors still
    show at once, next to their fields, and nothing is stored. The form in steps shows the
    first step with an error and names the other; its button shows that one."""
    antraege_vorher = Antrag.objects.count()
    response = WEGE[weg](client, rueckfrage, **ENDE_VOR_BEGINN, **ZU_VIEL)
    html = response.content.decode()
    assert response.status_code == 200
    assert ENDE_FEHLER in html and 'href="#id_ende"' in html
    assert "Bedingung" not in html  # never the name of a database constraint
    assert zaehler == {"termine": 1, "betraege": 1}
    if weg in SCHRITTWEISE:
        assert GELD_FEHLER not in html and _weitere_fehler(html) == ["kosten"]
        html = _fehler_zeigen(client, weg, "kosten", **ENDE_VOR_BEGINN, **ZU_VIEL)
        assert ENDE_FEHLER not in html and _weitere_fehler(html) == ["termin"]
        assert zaehler == {"termine": 2, "betraege": 2}
    assert GELD_FEHLER in html
    assert Antrag.objects.count() == antraege_vorher
    rueckfrage.refresh_from_db()
    assert rueckfrage.status == Status.RUECKFRAGE


@pytest.mark.parametrize("weg", WEGE)
def test_with_another_error_the_rules_run_in_the_form_with_it(client, rueckfrage, zaehler, weg):
    """A post the form refuses anyway does not reach the service: the date and money
    errors show with the missing title, each rule once."""
    response = WEGE[weg](client, rueckfrage, titel="", **ENDE_VOR_BEGINN, **ZU_VIEL)
    html = response.content.decode()
    assert response.status_code == 200
    if weg in SCHRITTWEISE:
        assert "Bitte geben Sie einen Titel" in html
        assert _weitere_fehler(html) == ["termin", "kosten"]
        assert zaehler == {"termine": 1, "betraege": 1}
        texte = [
            _fehler_zeigen(client, weg, ziel, titel="", **ENDE_VOR_BEGINN, **ZU_VIEL)
            for ziel in ("termin", "kosten")
        ]
        assert ENDE_FEHLER in texte[0] and GELD_FEHLER in texte[1]
        assert zaehler == {"termine": 3, "betraege": 3}
        return
    assert "Titel" in html and ENDE_FEHLER in html and GELD_FEHLER in html
    assert "Bedingung" not in html
    assert zaehler == {"termine": 1, "betraege": 1}


@pytest.mark.parametrize("weg", WEGE)
def test_a_negative_amount_is_named_at_its_field_only(client, rueckfrage, weg):
    html = WEGE[weg](client, rueckfrage, drittmittel="-10").content.decode()
    assert 'href="#id_drittmittel"' in html
    assert "Bitte geben Sie 0 oder einen positiven Betrag ein." in html
    assert "Bedingung" not in html


def test_the_service_alone_names_every_date_and_money_error():
    with pytest.raises(ValidationError) as fehler:
        einreichung.antrag_einreichen(
            daten=antrag_daten(
                beginn=date(2027, 5, 2),
                ende=date(2027, 5, 1),
                beantragter_betrag=Decimal("999.00"),
            ),
            kosten=[("Material", Decimal("500.00"))],
        )
    assert set(fehler.value.message_dict) == {"ende", "beantragter_betrag"}


def _gestempelt(vor_sekunden, **overrides):
    start = signing.dumps(int(time.time()) - vor_sekunden, salt=formular._START_SALT)
    return daten(formular_start=start, **overrides)


@pytest.mark.bot_schutz
def test_what_is_wrong_is_said_before_too_fast(client):
    html = client.post("/antrag/", _gestempelt(1, **ENDE_VOR_BEGINN)).content.decode()
    assert ENDE_FEHLER in html
    assert "Bedingung" not in html
    assert "Das ging sehr schnell" not in html
    html = client.post("/antrag/", _gestempelt(1)).content.decode()
    assert "Das ging sehr schnell" in html
    assert not Antrag.objects.exists()


@pytest.mark.bot_schutz
def test_a_refused_antrag_uses_no_slot_of_the_rate_limit(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "antrag_email": "1/h", "antrag_adresse": "1/h"}
    for _ in range(3):
        response = client.post("/antrag/", _gestempelt(60, **ZU_VIEL))
        assert response.status_code == 200 and GELD_FEHLER in response.content.decode()
    assert client.post("/antrag/", _gestempelt(60)).status_code == 302
    assert Antrag.objects.count() == 1
    # The limit itself still holds: the next one is refused.
    response = client.post("/antrag/", _gestempelt(60, titel="Ein zweites Fest"))
    assert response.status_code == 429
    assert Antrag.objects.count() == 1


@pytest.fixture
def inhaltspruefungen(monkeypatch):
    """How often a file's content was read and checked."""
    gezaehlt = []
    echt = dateipruefung._inhalt

    def gezaehlte(datei):
        gezaehlt.append(datei.name)
        return echt(datei)

    monkeypatch.setattr(dateipruefung, "_inhalt", gezaehlte)
    return gezaehlt


def _antwort(client, rueckfrage, **overrides):
    return client.post(
        f"/antrag/status/{token(rueckfrage)}/antworten/", {"antwort": "Hier.", **overrides}
    )


@pytest.mark.parametrize("weg", ["papier", "korrektur", "online", "antwort"])
def test_a_file_sent_with_the_form_is_checked_once(client, rueckfrage, inhaltspruefungen, weg):
    """The form checks it to name its error at the field (or when it is chosen and kept in
    the form's draft), the service checks it for every caller: the same upload is read once,
    also when it is read back from the draft to be sent."""
    pdf = SimpleUploadedFile("kostenplan.pdf", PDF_BYTES, "application/pdf")
    response = {**WEGE, "antwort": _antwort}[weg](client, rueckfrage, anlagen=pdf)
    assert response.status_code == 302
    assert inhaltspruefungen == ["kostenplan.pdf"]


def test_a_changed_or_other_file_is_checked_again(inhaltspruefungen):
    pdf = SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf")
    assert dateipruefung.dateityp(pdf) == "application/pdf"
    assert dateipruefung.dateityp(pdf) == "application/pdf"
    assert inhaltspruefungen == ["a.pdf"]
    # Another object with the same bytes is checked on its own.
    dateipruefung.dateityp(SimpleUploadedFile("b.pdf", PDF_BYTES, "application/pdf"))
    assert inhaltspruefungen == ["a.pdf", "b.pdf"]
    # The same object with other content (its size changed) is checked again, and refused.
    pdf.file.seek(0)
    pdf.file.write(b"<html><script>x</script></html>" * 50)
    pdf.size = len(pdf.file.getvalue())
    with pytest.raises(ValidationError):
        dateipruefung.dateityp(pdf)
    assert inhaltspruefungen == ["a.pdf", "b.pdf", "a.pdf"]
