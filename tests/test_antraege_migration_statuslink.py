"""The migration to hashed status links keeps every mailed link working, blacks out the links
already in the outbox, and counts payouts booked before the four-eyes rule as ordered."""

import pytest

from antraege import statuslink
from antraege.selectors.hauptbuch import antrag_geldstand

from .migrationen import migrieren, neueste

pytestmark = [
    # Migrating back and forth is slow and reads the ORM only: once, in the SQLite run (every
    # PostgreSQL test database runs the migrations forward anyway).
    pytest.mark.sqlite_lauf,
    pytest.mark.django_db(transaction=True),
    pytest.mark.ohne_haushaltsjahr,
    pytest.mark.usefixtures("zum_schluss_aktuell"),
]
VORHER = [("antraege", "0005_anmeldesperre")]
# Up to the newest migration: the checks read with the current models.
ALTER_TOKEN = "Alt0-Token_mit-43-Zeichen-aaaaaaaaaaaaaaaaa"


@pytest.mark.usefixtures("aktionsraeume_geladen")
def test_old_links_keep_working_and_the_outbox_loses_them(client):
    apps = migrieren(VORHER)
    from tests.factories import antrag_daten

    Haushaltsjahr = apps.get_model("antraege", "Haushaltsjahr")
    Antrag = apps.get_model("antraege", "Antrag")
    Aktionsraum = apps.get_model("quartiere", "Aktionsraum")
    AusgehendeMail = apps.get_model("antraege", "AusgehendeMail")
    User = apps.get_model("auth", "User")
    Auszahlung = apps.get_model("antraege", "Auszahlung")
    daten = antrag_daten()
    daten["aktionsraum"] = Aktionsraum.objects.get(slug="hoerde")
    hj = Haushaltsjahr.objects.create(jahr=2026)
    antrag = Antrag.objects.create(
        **daten,
        haushaltsjahr=hj,
        laufende_nummer=1,
        aktenzeichen="AP-2026-0001",
        status_token=ALTER_TOKEN,
        status="bewilligt",
        bewilligter_betrag="100.00",
        datenschutz_zugestimmt_am="2026-05-01T10:00:00Z",
    )
    url = f"http://127.0.0.1:8000/antrag/status/{ALTER_TOKEN}/"
    mail = AusgehendeMail.objects.create(
        antrag=antrag,
        empfaenger=[antrag.email],
        betreff="Ihr Antrag",
        text=f"Ihr Link:\n{url}\n",
        html=f'<p>Ihr Link:<br><a href="{url}" rel="nofollow">{url}</a></p>',
    )
    kasse = User.objects.create(username="kasse")
    apps.get_model("antraege", "Buchung").objects.create(
        haushaltsjahr=hj, antrag=antrag, art="bewilligung", betrag="100.00", user=kasse
    )
    alt = Auszahlung.objects.create(
        antrag=antrag, datum="2026-06-01", betrag="50.00", referenz="K", user=kasse
    )

    migrieren(neueste())

    from antraege.models import Antrag as AntragNeu
    from antraege.models import AusgehendeMail as MailNeu
    from antraege.models import Auszahlung as AuszahlungNeu

    neu = AntragNeu.objects.get(pk=antrag.pk)
    assert neu.status_token_hash == statuslink.token_hash(ALTER_TOKEN)
    assert client.get(f"/antrag/status/{ALTER_TOKEN}/").status_code == 200
    gespeichert = MailNeu.objects.get(pk=mail.pk)
    assert ALTER_TOKEN not in gespeichert.text + gespeichert.html
    assert "[Statuslink]" in gespeichert.text and gespeichert.mit_statuslink
    assert AuszahlungNeu.objects.get(pk=alt.pk).angeordnet_am is not None
    assert antrag_geldstand(neu).netto_ausgezahlt == 50
