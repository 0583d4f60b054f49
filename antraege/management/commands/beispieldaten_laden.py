"""Loads clearly marked example Anträge and a Projektkonferenz for trying the workflow.

Never loaded by default and refused with DEBUG=0: the data is invented and says so.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from antraege.models import Antrag, Projektkonferenz, Rolle, Status, Teilnahme
from antraege.services import budget, einreichung
from quartiere.models import Aktionsraum

MARKE = "[BEISPIEL]"
# The standard example IBAN from the German banking literature; no real account.
BEISPIEL_IBAN = "DE89370400440532013000"

BEISPIELE = [
    (
        "hoerde",
        "fonds",
        "Hoffest mit Nachbarschaftsflohmarkt",
        Decimal("850.00"),
        "ziel_nachbarschaft",
    ),
    (
        "hoerde",
        "fonds",
        "Hausaufgabencafé für Grundschulkinder",
        Decimal("1200.00"),
        "ziel_eltern_kinder",
    ),
    ("nordmarkt", "fonds", "Sprachcafé für Eltern", Decimal("600.00"), "ziel_eltern_kinder"),
    (
        "westerfilde",
        "projektbudget",
        "Bewerbungswerkstatt im Quartier",
        Decimal("12000.00"),
        "ziel_beschaeftigung",
    ),
]


class Command(BaseCommand):
    help = "Lädt deutlich markierte Beispielanträge und eine Projektkonferenz (nur mit DEBUG=1)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Beispieldaten werden nie in Produktion geladen (DEBUG=0).")
        if Antrag.objects.filter(titel__startswith=MARKE).exists():
            self.stdout.write("Beispieldaten sind schon geladen.")
            return
        with transaction.atomic():
            # The demo grants: this year is set up with the programme's amounts if it is not.
            budget.haushaltsjahr_mit_programmbetraegen(
                jahr=timezone.localdate().year, nur_erstes=False
            )
            antraege = [self._antrag(*beispiel) for beispiel in BEISPIELE]
            hoerde = Aktionsraum.objects.get(slug="hoerde")
            konferenz = Projektkonferenz.objects.create(
                aktionsraum=hoerde,
                datum=timezone.localdate(),
                ort=f"{MARKE} Ort der Konferenz",
                protokoll=f"{MARKE} Dies ist eine Beispielkonferenz zum Ausprobieren.",
            )
            Teilnahme.objects.create(
                konferenz=konferenz,
                name=f"{MARKE} Bezirksbürgermeister/in",
                rolle=Rolle.BEZIRKSBUERGERMEISTER,
                stimmberechtigt=True,
                anwesend=True,
            )
            Teilnahme.objects.create(
                konferenz=konferenz,
                name=f"{MARKE} Aktionsraumbeauftragte/r",
                rolle=Rolle.BEAUFTRAGTE,
                anwesend=True,
            )
            fonds_antraege = [a for a in antraege if a.aktionsraum_id == hoerde.pk]
            for antrag in fonds_antraege:
                Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
            konferenz.tagesordnung.add(*fonds_antraege)
        self.stdout.write(
            f"{len(antraege)} Beispielanträge (Titel beginnen mit {MARKE}) und eine "
            "Projektkonferenz in Hörde geladen."
        )

    def _antrag(self, slug, quelle, titel, betrag, ziel):
        return einreichung.antrag_einreichen(
            daten={
                "aktionsraum": Aktionsraum.objects.get(slug=slug),
                "finanzierungsquelle": quelle,
                "titel": f"{MARKE} {titel}",
                "beschreibung": f"{MARKE} Ausgedachter Antrag zum Ausprobieren des Ablaufs.",
                ziel: True,
                "zielgruppe": "Beispiel-Zielgruppe",
                "teilnehmende": 25,
                "durchfuehrungsort": "Beispielort",
                "beginn": timezone.localdate() + timedelta(days=60),
                "ende": timezone.localdate() + timedelta(days=61),
                "antragsteller_art": "initiative",
                "organisation": f"{MARKE} Beispielinitiative",
                "ansprechperson": f"{MARKE} Erika Mustermann",
                "strasse": "Beispielstraße 1",
                "plz": "44135",
                "wohnort": "Dortmund",
                "email": "beispiel@example.org",
                "kontoinhaber": f"{MARKE} Beispielinitiative",
                "iban": BEISPIEL_IBAN,
                "eigenmittel": Decimal("0.00"),
                "eigenleistung": Decimal("0.00"),
                "drittmittel": Decimal("0.00"),
                "beantragter_betrag": betrag,
            },
            kosten=[("Beispielkosten", betrag)],
        )
