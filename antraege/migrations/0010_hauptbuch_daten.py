"""Data of the ledger migration, in a migration of its own: PostgreSQL does not alter a table
in the transaction that just wrote rows with deferred constraint checks into it."""

from django.db import migrations
from django.utils import timezone


def ins_hauptbuch(apps, schema_editor):
    """Moves the bookings to the ledger's rules: positive amounts, payouts as bookings,
    existing years set up, partly paid Anträge marked as such.

    A Rückforderung used to free its money at once; now only the refund that arrives does.
    Open cases ("Rückzahlung offen") therefore bind the money again until staff book the
    refund. Cases closed after a Rückforderung under the old rule counted the money as back;
    they get a refund booking that says so, so that their figures stay as they were.
    """
    Buchung = apps.get_model("antraege", "Buchung")
    Auszahlung = apps.get_model("antraege", "Auszahlung")
    Antrag = apps.get_model("antraege", "Antrag")
    Haushaltsjahr = apps.get_model("antraege", "Haushaltsjahr")
    Haushaltsjahr.objects.update(eingerichtet=True)
    # Every booking has a date now: the day it was booked, for those from before.
    for buchung in Buchung.objects.filter(datum__isnull=True):
        buchung.datum = timezone.localdate(buchung.zeitpunkt)
        buchung.save(update_fields=["datum"])
    for buchung in Buchung.objects.filter(betrag__lt=0):
        buchung.betrag = -buchung.betrag
        buchung.save(update_fields=["betrag"])
    for auszahlung in Auszahlung.objects.filter(angeordnet_am__isnull=False):
        grant = Buchung.objects.filter(antrag_id=auszahlung.antrag_id, art="bewilligung").first()
        if grant is None:
            continue
        neu = Buchung.objects.create(
            haushaltsjahr_id=grant.haushaltsjahr_id,
            fonds_id=grant.fonds_id,
            antrag_id=auszahlung.antrag_id,
            art="auszahlung",
            betrag=auszahlung.betrag,
            datum=auszahlung.datum,
            referenz=auszahlung.referenz,
            user_id=auszahlung.angeordnet_von_id or auszahlung.festgestellt_von_id,
        )
        Buchung.objects.filter(pk=neu.pk).update(zeitpunkt=auszahlung.angeordnet_am)
    for forderung in Buchung.objects.filter(art="rueckforderung", antrag__status="abgeschlossen"):
        Buchung.objects.create(
            haushaltsjahr_id=forderung.haushaltsjahr_id,
            fonds_id=forderung.fonds_id,
            antrag_id=forderung.antrag_id,
            art="rueckzahlung",
            betrag=forderung.betrag,
            datum=timezone.localdate(forderung.zeitpunkt),
            referenz=f"Übernahme {forderung.pk}",
            kommentar="Vor Einführung des Hauptbuchs abgeschlossen; galt als zurückerhalten.",
            user_id=forderung.user_id,
        )
    for antrag in Antrag.objects.filter(status="ausgezahlt"):
        bezahlt = sum(
            a.betrag for a in Auszahlung.objects.filter(antrag=antrag, angeordnet_am__isnull=False)
        )
        if antrag.bewilligter_betrag is not None and bezahlt < antrag.bewilligter_betrag:
            antrag.status = "teilweise_ausgezahlt"
            antrag.save(update_fields=["status"])


class Migration(migrations.Migration):
    dependencies = [("antraege", "0009_hauptbuch")]

    operations = [migrations.RunPython(ins_hauptbuch, migrations.RunPython.noop)]
