"""Every mail template, rendered in German and in English: amounts, dates, contact person."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

from antraege import emails
from antraege.models import Antrag, AusgehendeMail, Status
from quartiere.models import Beauftragte

from .factories import antrag_post_data, submitted_antrag

pytestmark = pytest.mark.django_db

ERWARTET = {
    "de": {"betrag": "1.500,00\xa0€", "datum": "1. August 2027", "gruss": "Guten Tag"},
    "en": {"betrag": "1,500.00\xa0€", "datum": "1 August 2027", "gruss": "Dear"},
}


@pytest.fixture
def antrag():
    antrag = submitted_antrag(beantragter_betrag=Decimal("1500.00"), titel="Fest <am> Platz")
    Antrag.objects.filter(pk=antrag.pk).update(
        status=Status.AUSGEZAHLT,
        bewilligter_betrag=Decimal("1500.00"),
        nachweis_faellig_am=date(2027, 8, 1),
    )
    antrag = Antrag.objects.get(pk=antrag.pk)
    return antrag


def kontext(antrag, template):
    kontakte = list(antrag.aktionsraum.beauftragte.all())
    basis = {
        "antrag": antrag,
        "status_url": "https://portal.example/antrag/status/x/",
        "kontakte": kontakte,
        # The full letter, as sent once the applicant has opened the status link
        # (before, tests/test_antraege_missbrauch.py: nothing typed into the form).
        "bestaetigt": True,
        "projektbuero_email": settings.PROJEKTBUERO_EMAIL,
        "projektbuero_phone": "",
        "admin_url": "https://portal.example/admin/",
    }
    extra = {
        "statusaenderung": {"kommentar": "Auszahlung", "nachweis_offen": True},
        "erinnerung_nachweis": {"ueberfaellig": True, "ausgezahlt": Decimal("1500.00")},
        "wochenliste": {
            "person": kontakte[0],
            "ueberfaellig": [antrag],
            "rueckfragen": [],
        },
        "neuer_antrag": {"anlass": ""},
        "eingangsbestaetigung": {},
        "neuer_statuslink": {},
    }[template]
    return {**basis, **extra}


TEMPLATES = [
    "eingangsbestaetigung",
    "statusaenderung",
    "erinnerung_nachweis",
    "neuer_antrag",
    "neuer_statuslink",
]


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_mail_names_amounts_dates_and_the_contact_in_its_language(antrag, template, sprache):
    betreff, text, html = emails.mail_rendern(
        template=template, betreff="Betreff", sprache=sprache, context=kontext(antrag, template)
    )
    erwartet = ERWARTET[sprache]
    # The new link's mail names no amount, date or title: it carries only the link.
    ohne_inhalt = template == "neuer_statuslink"
    assert erwartet["betrag"] in text or ohne_inhalt
    assert "1500,00" not in text and "1500.00" not in text
    if template not in ("eingangsbestaetigung", "neuer_antrag", "neuer_statuslink"):
        assert erwartet["datum"] in text
    if template not in ("neuer_antrag",):
        assert erwartet["gruss"] in text
        assert "Anke Weiermann" in text and "(0231) 50-27316" in text
        assert "aweiermann@stadtdo.de" in text
    if sprache == "en":
        for deutsch in ["Guten Tag", "Aktenzeichen", "Beantragter Betrag", "Mit freundlichen"]:
            assert deutsch not in text
    assert f'lang="{sprache}"' in html
    assert ("Fest &lt;am&gt; Platz" in html or ohne_inhalt) and "Fest <am> Platz" not in html


@pytest.mark.parametrize("sprache", ["de", "en"])
def test_the_weekly_list_in_both_languages(antrag, sprache):
    _betreff, text, _html = emails.mail_rendern(
        template="wochenliste",
        betreff="Betreff",
        sprache=sprache,
        context=kontext(antrag, "wochenliste"),
    )
    assert antrag.aktenzeichen in text and ERWARTET[sprache]["datum"] in text


def test_an_area_without_a_contact_names_the_projektbuero(antrag):
    context = kontext(antrag, "statusaenderung") | {"kontakte": []}
    _betreff, text, _html = emails.mail_rendern(
        template="statusaenderung", betreff="x", sprache="de", context=context
    )
    assert "Ihre Ansprechperson ist das Projektbüro" in text
    assert "projektbuero@example.org" in text


def test_an_antrag_sent_from_the_english_page_gets_english_letters(client):
    response = client.post("/en/antrag/", antrag_post_data())
    assert response.status_code == 302
    antrag = Antrag.objects.get()
    assert antrag.sprache == "en"
    [mail] = [m for m in AusgehendeMail.objects.all() if m.empfaenger == [antrag.email]]
    assert mail.betreff == f"Your application {antrag.aktenzeichen} has been received"
    # The first mail names nothing typed into the form, in English too.
    assert mail.text.startswith("Hello,\n") and "Erika Beispiel" not in mail.text
    assert "nothing you typed into the form is in this e-mail" in mail.text


def test_an_antrag_sent_from_the_german_page_gets_german_letters(client):
    client.post("/antrag/", antrag_post_data())
    antrag = Antrag.objects.get()
    assert antrag.sprache == "de"
    assert Beauftragte.objects.filter(aktionsraeume=antrag.aktionsraum).exists()
