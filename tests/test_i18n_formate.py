"""English pages write dates and amounts one way (issue 37 point 7): "1 May 2027" and
"5,000.00 €", never "05/01/2027", "May 1, 2027" or "€5,000"; a contact's role in English where
staff entered one."""

import re
from decimal import Decimal

import pytest

from quartiere.models import Beauftragte
from tests.factories import projektbuero_user, submitted_antrag, token, zentral_bewilligt

pytestmark = pytest.mark.django_db

ANDERE_DATEN = re.compile(r"\b\d{2}/\d{2}/\d{4}\b|\b[A-Z][a-z]+ \d{1,2}, \d{4}\b")
EURO_VORNE = re.compile(r"€\s?\d")


def test_the_english_status_page_writes_every_date_and_amount_one_way(client):
    antrag = zentral_bewilligt(projektbuero_user(), "800.00")
    html = client.get(f"/en/antrag/status/{token(antrag)}/").content.decode()
    assert "1 May 2027" in html  # the project's dates (antrag_daten: 1 May 2027)
    assert not ANDERE_DATEN.findall(html), ANDERE_DATEN.findall(html)
    assert "800.00\xa0€" in html and not EURO_VORNE.findall(html)


@pytest.mark.parametrize("pfad", ["/en/", "/en/antrag/start/", "/en/antrag/"])
def test_english_public_pages_put_the_euro_sign_after_the_amount(client, pfad):
    html = client.get(pfad).content.decode()
    assert not EURO_VORNE.findall(html), (pfad, EURO_VORNE.findall(html))
    assert not ANDERE_DATEN.findall(html), (pfad, ANDERE_DATEN.findall(html))


def test_english_form_errors_write_the_amount_after_it(client):
    from .factories import antrag_post_data

    html = client.post("/en/antrag/", antrag_post_data(beantragter_betrag="1")).content.decode()
    assert "an amount requested of 350.00\xa0€" in html and not EURO_VORNE.findall(html)


def test_a_contacts_role_is_english_where_staff_entered_it(client, hoerde):
    person = Beauftragte.objects.filter(aktionsraeume=hoerde).first()
    deutsch = person.funktion
    englisch = client.get("/en/aktionsraeume/hoerde/").content.decode()
    assert f'lang="de">{deutsch}</p>' in englisch  # not entered yet: German, marked as such
    person.funktion_en = "Action area commissioner Hörde"
    person.save()
    englisch = client.get("/en/aktionsraeume/hoerde/").content.decode()
    assert ">Action area commissioner Hörde</p>" in englisch and deutsch not in englisch
    assert f'lang="de">{deutsch}</p>' in client.get("/aktionsraeume/hoerde/").content.decode()


def test_an_unpaid_application_shows_its_dates_in_english_too(client):
    antrag = submitted_antrag(beantragter_betrag=Decimal("100.00"))
    html = client.get(f"/en/antrag/status/{token(antrag)}/").content.decode()
    assert "1 May 2027 – 1 May 2027" in html
