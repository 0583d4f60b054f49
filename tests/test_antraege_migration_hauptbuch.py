"""The migration to the ledger keeps every figure: payouts become bookings, partly paid
Anträge are marked so, cases closed after a Rückforderung keep the money as received, open
ones wait for the refund, and existing years stay set up."""

from decimal import Decimal

import pytest

from antraege.selectors import hauptbuch
from antraege.selectors.hauptbuch import antrag_geldstand
from antraege.services import workflow

from .migrationen import migrieren, neueste

pytestmark = [
    # Migrating back and forth is slow and reads the ORM only: once, in the SQLite run (every
    # PostgreSQL test database runs the migrations forward anyway).
    pytest.mark.sqlite_lauf,
    pytest.mark.django_db(transaction=True),
    pytest.mark.ohne_haushaltsjahr,
    pytest.mark.usefixtures("zum_schluss_aktuell"),
]
VORHER = [("antraege", "0008_vier_augen")]
# Up to the newest migration: the checks read with the current models.


@pytest.mark.usefixtures("aktionsraeume_geladen")
def test_the_ledger_migration_keeps_every_figure():
    from tests.factories import antrag_daten

    apps = migrieren(VORHER)
    Haushaltsjahr = apps.get_model("antraege", "Haushaltsjahr")
    Antrag = apps.get_model("antraege", "Antrag")
    Buchung = apps.get_model("antraege", "Buchung")
    Auszahlung = apps.get_model("antraege", "Auszahlung")
    Aktionsraum = apps.get_model("quartiere", "Aktionsraum")
    User = apps.get_model("auth", "User")
    eins, zwei = User.objects.create(username="eins"), User.objects.create(username="zwei")
    hj = Haushaltsjahr.objects.create(jahr=2026)
    daten = antrag_daten(finanzierungsquelle="projektbudget")
    daten["aktionsraum"] = Aktionsraum.objects.get(slug="hoerde")

    def antrag(nummer, status, bewilligt, bezahlt, zurueck=None, storno=None):
        a = Antrag.objects.create(
            **daten,
            haushaltsjahr=hj,
            laufende_nummer=nummer,
            aktenzeichen=f"AP-2026-{nummer:04d}",
            status_token_hash=f"hash{nummer}",
            status=status,
            bewilligter_betrag=bewilligt,
            datenschutz_zugestimmt_am="2026-05-01T10:00:00Z",
        )
        buchen = {"haushaltsjahr": hj, "antrag": a, "user": eins}
        Buchung.objects.create(**buchen, art="bewilligung", betrag=bewilligt)
        Auszahlung.objects.create(
            antrag=a,
            datum="2026-06-01",
            betrag=bezahlt,
            referenz=f"KZ-{nummer}",
            festgestellt_von=eins,
            angeordnet_von=zwei,
            angeordnet_am="2026-06-02T10:00:00Z",
        )
        if zurueck:
            Buchung.objects.create(**buchen, art="rueckforderung", betrag=f"-{zurueck}")
        if storno:
            Buchung.objects.create(**buchen, art="storno", betrag=f"-{storno}")
        return a.pk

    teilweise = antrag(1, "ausgezahlt", "700.00", "300.00")
    geschlossen = antrag(2, "abgeschlossen", "500.00", "500.00", zurueck="50.50")
    offen = antrag(3, "rueckforderung", "200.00", "200.00", zurueck="20.00")
    rest = antrag(4, "abgeschlossen", "400.00", "100.00", storno="300.00")

    migrieren(neueste())

    from antraege.models import Antrag as AntragNeu
    from antraege.models import Buchung as BuchungNeu
    from antraege.models import Haushaltsjahr as HaushaltsjahrNeu

    def stand(pk):
        a = AntragNeu.objects.get(pk=pk)
        return a.status, antrag_geldstand(a)

    status, s = stand(teilweise)
    assert status == "teilweise_ausgezahlt"
    assert (s.bewilligt, s.netto_ausgezahlt, s.gebunden) == (Decimal("700.00"), 300, 700)
    status, s = stand(geschlossen)
    assert (s.netto_ausgezahlt, s.zurueckerhalten, s.gebunden) == (
        Decimal("449.50"),
        Decimal("50.50"),
        Decimal("449.50"),
    )
    status, s = stand(offen)
    assert status == "rueckforderung" and s.rueckzahlung_offen == Decimal("20.00")
    assert s.gebunden == Decimal("200.00")
    status, s = stand(rest)
    assert (s.bewilligt, s.netto_ausgezahlt, s.gebunden) == (Decimal("100.00"),) * 3
    assert not BuchungNeu.objects.filter(betrag__lte=0).exists()
    assert HaushaltsjahrNeu.objects.get(jahr=2026).eingerichtet
    gesamt = hauptbuch.geldstand(BuchungNeu.objects.all())
    assert gesamt.gebunden == Decimal("700.00") + Decimal("449.50") + 200 + 100
    # The open claim can be settled after the migration like a new one.
    from django.utils import timezone

    from tests.factories import projektbuero_user

    kasse = projektbuero_user("kasse-nach-migration")
    workflow.rueckzahlung_buchen(
        antrag=AntragNeu.objects.get(pk=offen),
        betrag=Decimal("20.00"),
        datum=timezone.localdate(),
        referenz="Nach der Umstellung",
        by=kasse,
    )
    assert stand(offen)[1].rueckzahlung_offen == 0
