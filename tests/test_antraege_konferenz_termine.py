"""Public dates and the last day for Anträge (issue 40, point 4): the area page and the start
page show the next Projektkonferenz (its place only when residents may attend) and its last
day for Anträge; an Antrag to the fund is told which conference it goes to, also after that
day has passed; an iCalendar feed per area and for the programme lists the dates."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from antraege.models import Projektkonferenz
from antraege.selectors import statusseite
from quartiere.models import Aktionsraum

from .factories import antrag_post_data

pytestmark = pytest.mark.django_db

HEUTE = date(2027, 2, 10)


@pytest.fixture(autouse=True)
def heute():
    with time_machine.travel(HEUTE, tick=False):
        yield


def hoerde():
    return Aktionsraum.objects.get(slug="hoerde")


def konferenz(datum, schluss=None, *, aktionsraum=None, oeffentlich=False, ort="Bürgerhaus"):
    return Projektkonferenz.objects.create(
        aktionsraum=aktionsraum or hoerde(),
        datum=datum,
        antragsschluss=schluss,
        oeffentlich=oeffentlich,
        ort=ort,
    )


def test_an_antrag_goes_to_the_first_conference_whose_last_day_has_not_passed():
    erste = konferenz(date(2027, 2, 20), date(2027, 2, 5))  # last day passed
    zweite = konferenz(date(2027, 4, 20), date(2027, 4, 1))
    konferenz(date(2027, 6, 20), date(2027, 6, 1))
    naechste = statusseite.konferenz_fuer_eingang(aktionsraum=hoerde())
    assert (naechste.konferenz, naechste.verpasst) == (zweite, erste)
    # On the last day itself it still goes to the first.
    am_tag = statusseite.konferenz_fuer_eingang(aktionsraum=hoerde(), tag=date(2027, 2, 5))
    assert (am_tag.konferenz, am_tag.verpasst) == (erste, None)


def test_without_a_last_day_the_next_conference_takes_it_and_past_ones_never():
    konferenz(date(2027, 1, 20))
    naechste = konferenz(date(2027, 3, 1))
    ergebnis = statusseite.konferenz_fuer_eingang(aktionsraum=hoerde())
    assert (ergebnis.konferenz, ergebnis.verpasst) == (naechste, None)


def test_a_conference_without_a_last_day_takes_no_antrag_on_its_own_day():
    konferenz(HEUTE)
    spaeter = konferenz(date(2027, 3, 1))
    assert statusseite.konferenz_fuer_eingang(aktionsraum=hoerde()).konferenz == spaeter


def test_when_only_a_missed_conference_is_planned_the_antrag_is_told_so():
    verpasst = konferenz(date(2027, 2, 20), date(2027, 2, 1))
    naechste = statusseite.konferenz_fuer_eingang(aktionsraum=hoerde())
    assert (naechste.konferenz, naechste.verpasst) == (None, verpasst)
    leer = statusseite.konferenz_fuer_eingang(aktionsraum=Aktionsraum.objects.get(slug="wickede"))
    assert (leer.konferenz, leer.verpasst) == (None, None)


def test_a_last_day_after_the_conference_is_refused():
    falsch = Projektkonferenz(
        aktionsraum=hoerde(), datum=date(2027, 3, 1), antragsschluss=date(2027, 3, 2), ort="X"
    )
    with pytest.raises(ValidationError) as fehler:
        falsch.full_clean()
    assert "antragsschluss" in fehler.value.message_dict


def test_the_area_page_shows_date_last_day_and_no_place_of_a_closed_meeting(client):
    konferenz(date(2027, 3, 4), date(2027, 2, 25), ort="Sitzungszimmer Bezirksverwaltung")
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    teil = html.split('id="naechste-konferenz"')[1].split("</section>")[0]
    assert "4. März 2027" in teil and "25. Februar 2027" in teil
    assert "nicht öffentlich" in teil and "Sitzungszimmer" not in html
    assert 'href="/antrag/termine/hoerde.ics"' in teil


def test_the_area_page_names_the_place_of_a_public_meeting_and_the_start_page_too(client):
    konferenz(date(2027, 3, 4), date(2027, 2, 25), oeffentlich=True, ort="Bürgerhaus Hörde")
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    assert "Bürgerhaus Hörde" in html and "nicht öffentlich" not in html
    start = client.get("/antrag/start/?aktionsraum=hoerde").content.decode()
    assert "Bürgerhaus Hörde" in start and "letzter Tag für Anträge: 25. Februar 2027" in start


def test_the_area_page_shows_the_next_meeting_even_when_its_last_day_has_passed(client):
    konferenz(date(2027, 2, 20), date(2027, 2, 5), oeffentlich=True, ort="Bürgerhaus Hörde")
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    teil = html.split('id="naechste-konferenz"')[1].split("</section>")[0]
    assert "20. Februar 2027" in teil and "Bürgerhaus Hörde" in teil
    assert "Für diesen Termin nehmen wir keine Anträge mehr an." in teil
    assert "die Konferenz danach" in teil
    konferenz(date(2027, 4, 20), date(2027, 4, 1))
    teil = client.get("/aktionsraeume/hoerde/").content.decode().split('id="naechste-konferenz"')[1]
    assert "berät die Projektkonferenz am 20. April 2027" in teil.split("</section>")[0]


def test_the_area_page_says_when_no_date_is_planned(client):
    konferenz(date(2027, 1, 4))  # past
    html = client.get("/aktionsraeume/hoerde/").content.decode()
    assert "Der nächste Termin steht noch nicht fest." in html


def test_an_antrag_after_the_last_day_is_told_the_conference_it_goes_to(
    client, django_capture_on_commit_callbacks
):
    konferenz(date(2027, 2, 20), date(2027, 2, 5))
    konferenz(date(2027, 4, 20), date(2027, 4, 1))
    daten = antrag_post_data()
    daten.pop("absenden")
    pruefen = client.post("/antrag/", daten | {"pruefen": "1"}).content.decode()
    satz = (
        "Der letzte Tag für Anträge zur Projektkonferenz am 20. Februar 2027 war der "
        "5. Februar 2027. Ihr Antrag kommt deshalb in die Projektkonferenz am 20. April 2027."
    )
    assert satz in pruefen
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/antrag/", antrag_post_data())
    assert response.status_code == 302
    assert satz in client.get(response.url).content.decode()
    # The mail says it too, once the address is confirmed (before, it names no area).
    from antraege.models import Antrag

    antrag = Antrag.objects.get()
    antrag.adresse_bestaetigt_am = antrag.eingereicht_am
    antrag.save(update_fields=["adresse_bestaetigt_am"])
    mail.outbox.clear()
    from antraege import emails

    with django_capture_on_commit_callbacks(execute=True):
        emails.eingang_vormerken(antrag=antrag, erneut=True)
    assert satz in mail.outbox[-1].body


def test_an_antrag_to_the_central_budget_is_not_told_a_conference(client):
    konferenz(date(2027, 4, 20), date(2027, 4, 1))
    daten = antrag_post_data(finanzierungsquelle="projektbudget")
    daten.pop("absenden")
    html = client.post("/antrag/", daten | {"pruefen": "1"}).content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in html and "Projektkonferenz am" not in html


def _kalender(client, pfad):
    response = client.get(pfad)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_calendar_of_an_area_lists_its_dates_and_last_days_and_parses(client):
    konferenz(date(2027, 3, 4), date(2027, 2, 25), ort="Sitzungszimmer")
    konferenz(date(2027, 5, 6), oeffentlich=True, ort="Bürgerhaus Hörde")
    konferenz(date(2027, 3, 9), aktionsraum=Aktionsraum.objects.get(slug="wickede"))
    kalender = _kalender(client, "/antrag/termine/hoerde.ics")
    termine = sorted(
        (e.decoded("dtstart"), str(e["summary"]), str(e.get("location", "")))
        for e in kalender.walk("VEVENT")
    )
    assert termine == [
        (date(2027, 2, 25), "Letzter Tag für Anträge: Projektkonferenz Hörde am 4. März 2027", ""),
        (date(2027, 3, 4), "Projektkonferenz Hörde", "nicht öffentlich"),
        (date(2027, 5, 6), "Projektkonferenz Hörde", "Bürgerhaus Hörde"),
    ]
    uids = [str(e["uid"]) for e in kalender.walk("VEVENT")]
    assert len(set(uids)) == 3
    assert "Sitzungszimmer" not in client.get("/antrag/termine/hoerde.ics").content.decode()


def test_the_programme_calendar_has_every_area_and_an_unknown_area_has_none(client):
    konferenz(date(2027, 3, 4))
    konferenz(date(2027, 3, 9), aktionsraum=Aktionsraum.objects.get(slug="wickede"))
    konferenz(HEUTE - timedelta(days=400))  # older than a year: left out
    kalender = _kalender(client, "/antrag/termine.ics")
    namen = sorted(str(e["summary"]) for e in kalender.walk("VEVENT"))
    assert namen == ["Projektkonferenz Hörde", "Projektkonferenz Wickede"]
    assert client.get("/antrag/termine/gibt-es-nicht.ics").status_code == 404
    english = Calendar.from_ical(client.get("/en/antrag/termine.ics").content)
    assert "not public" in {str(e.get("location")) for e in english.walk("VEVENT")}
