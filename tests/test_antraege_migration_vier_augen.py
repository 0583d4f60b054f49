"""The migration to the one four-eyes rule keeps every refusal the old rule made: a bank account
the applicant changed through the link waits for an account that did not ask the Rückfrage,
change the e-mail address or type in the paper application; one changed by staff for another
account than the one who changed it; a payout waiting for its order for another account."""

import pytest
from django.core.exceptions import ValidationError

from .migrationen import migrieren, neueste

pytestmark = [
    # Migrating back and forth is slow and reads the ORM only: once, in the SQLite run (every
    # PostgreSQL test database runs the migrations forward anyway).
    pytest.mark.sqlite_lauf,
    pytest.mark.django_db(transaction=True),
    pytest.mark.ohne_haushaltsjahr,
    pytest.mark.usefixtures("zum_schluss_aktuell", "aktionsraeume_geladen"),
]
VORHER = [("antraege", "0018_vorlaeufige_anlage_client")]


def _antrag(apps, nummer, **felder):
    from tests.factories import antrag_daten

    Antrag = apps.get_model("antraege", "Antrag")
    Haushaltsjahr = apps.get_model("antraege", "Haushaltsjahr")
    daten = antrag_daten()
    daten["aktionsraum"] = apps.get_model("quartiere", "Aktionsraum").objects.get(slug="hoerde")
    hj, _neu = Haushaltsjahr.objects.get_or_create(jahr=2026)
    return Antrag.objects.create(
        **daten,
        haushaltsjahr=hj,
        laufende_nummer=nummer,
        aktenzeichen=f"AP-2026-{nummer:04d}",
        status_token_salt=f"salt{nummer}",
        status_token_hash=f"hash{nummer}",
        datenschutz_zugestimmt_am="2026-05-01T10:00:00Z",
        **felder,
    )


def test_pending_confirmations_keep_who_may_not_confirm():
    apps = migrieren(VORHER)
    User = apps.get_model("auth", "User")
    fragt, tippt, aendert, kasse = (
        User.objects.create(username=n) for n in ["fragt", "tippt", "aendert", "kasse"]
    )
    ueber_link = _antrag(apps, 1, status="in_pruefung", iban_pruefung_offen=True)
    apps.get_model("antraege", "StatusAenderung").objects.create(
        antrag=ueber_link, von="in_pruefung", nach="rueckfrage", user=fragt
    )
    papier = _antrag(
        apps, 2, status="eingereicht", eingang="papier", erfasst_von=tippt, iban_pruefung_offen=True
    )
    vom_amt = _antrag(
        apps, 3, status="bewilligt", iban_pruefung_offen=True, iban_geaendert_von=aendert
    )
    migrieren(neueste())

    from antraege.models import Antrag, Beteiligung
    from antraege.services import vier_augen

    def gesperrt(antrag):
        return {
            b.user.username
            for b in Beteiligung.objects.filter(
                antrag_id=antrag.pk, gegenstand="bankverbindung", erledigt_am=None
            )
        }

    assert gesperrt(ueber_link) == {"fragt"}
    assert gesperrt(papier) == {"tippt"}
    assert gesperrt(vom_amt) == {"aendert"}
    from django.contrib.auth.models import User as Konto

    with pytest.raises(ValidationError, match="Vier-Augen-Prinzip"):
        vier_augen.pruefen(
            antrag=Antrag.objects.get(pk=ueber_link.pk),
            gegenstand="bankverbindung",
            by=Konto.objects.get(username="fragt"),
        )
    vier_augen.pruefen(
        antrag=Antrag.objects.get(pk=ueber_link.pk),
        gegenstand="bankverbindung",
        by=Konto.objects.get(username="kasse"),
    )
