"""factory_boy factories for the portal's models."""

import io
from datetime import date
from decimal import Decimal

import factory
from PIL import Image
from pypdf import PdfWriter

from antraege.services import einreichung, workflow
from antraege.services.auszahlung import auszahlung_anordnen, auszahlung_feststellen
from antraege.services.konferenz import EINVERNEHMLICH, beschluss_fassen
from antraege.statuslink import token_fuer
from quartiere.models import Aktionsraum, Beauftragte, Zustaendigkeit


class BeauftragteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beauftragte

    name = factory.Sequence(lambda n: f"Testperson {n}")
    funktion = "Aktionsraumbeauftragte (Test)"
    telefon = factory.Sequence(lambda n: f"(0231) 50-{10000 + n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class AktionsraumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aktionsraum

    name = factory.Sequence(lambda n: f"Testgebiet {n}")
    slug = factory.Sequence(lambda n: f"testgebiet-{n}")
    zustaendigkeit = Zustaendigkeit.DEZERNAT
    stadtbezirk = "Teststadtbezirk"
    sort_order = factory.Sequence(lambda n: 1000 + n)


VALID_IBAN = "DE89 3704 0044 0532 0130 00"  # the standard example IBAN, valid check digits


def _kleines_png() -> bytes:
    """A real 1 x 1 PNG (pictures are decoded and re-encoded when stored)."""
    ausgabe = io.BytesIO()
    Image.new("RGBA", (1, 1), (0, 0, 0, 255)).save(ausgabe, format="PNG")
    return ausgabe.getvalue()


PNG_BYTES = _kleines_png()


def _leeres_pdf() -> bytes:
    """A real one-page PDF (the attachment check parses the whole file)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    ausgabe = io.BytesIO()
    writer.write(ausgabe)
    return ausgabe.getvalue()


PDF_BYTES = _leeres_pdf()


def antrag_post_data(kosten=(("Material", "300,00"), ("Miete Saal", "200,00")), **overrides):
    """A complete, valid POST of the application form; overrides replace single fields."""
    data = {
        "aktionsraum": str(Aktionsraum.objects.get(slug="hoerde").pk),
        "finanzierungsquelle": "fonds",
        "titel": "Nachbarschaftsfest am Marktplatz",
        "beschreibung": "Ein Fest für alle Nachbarinnen und Nachbarn.",
        "ziele": ["ziel_nachbarschaft"],
        "zielgruppe": "Familien im Quartier",
        "teilnehmende": "120",
        "durchfuehrungsort": "Marktplatz",
        "beginn": "2027-05-01",
        "ende": "2027-05-02",
        "antragsteller_art": "verein",
        "organisation": "Beispielverein e. V.",
        "ansprechperson": "Erika Beispiel",
        "strasse": "Beispielstraße 1",
        "plz": "44263",
        "wohnort": "Dortmund",
        "email": "erika@example.org",
        "telefon": "0231 000000",
        "kontoinhaber": "Beispielverein e. V.",
        "iban": VALID_IBAN,
        "eigenmittel": "50,00",
        "eigenleistung": "100,00",
        "drittmittel": "0",
        "beantragter_betrag": "350,00",
        "datenschutz": "on",
        # The check page's button; without it a valid form leads to the check page.
        "absenden": "1",
        "kosten-TOTAL_FORMS": str(max(len(kosten), 1)),
        "kosten-INITIAL_FORMS": "0",
        "kosten-MIN_NUM_FORMS": "1",
        "kosten-MAX_NUM_FORMS": "30",
    }
    for i, (beschreibung, betrag) in enumerate(kosten):
        data[f"kosten-{i}-beschreibung"] = beschreibung
        data[f"kosten-{i}-betrag"] = betrag
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def antrag_daten(**overrides):
    """Valid arguments for `einreichung.antrag_einreichen(daten=...)`."""
    daten = {
        "aktionsraum": Aktionsraum.objects.get(slug="hoerde"),
        "finanzierungsquelle": "fonds",
        "titel": "Beispielprojekt",
        "beschreibung": "Beschreibung",
        "ziel_nachbarschaft": True,
        "zielgruppe": "Nachbarschaft",
        "teilnehmende": 20,
        "durchfuehrungsort": "Quartier",
        "beginn": date(2027, 5, 1),
        "ende": date(2027, 5, 1),
        "antragsteller_art": "initiative",
        "ansprechperson": "Erika Beispiel",
        "strasse": "Beispielstraße 1",
        "plz": "44135",
        "wohnort": "Dortmund",
        "email": "erika@example.org",
        "kontoinhaber": "Erika Beispiel",
        "iban": VALID_IBAN.replace(" ", ""),
        "eigenmittel": Decimal("0.00"),
        "eigenleistung": Decimal("0.00"),
        "drittmittel": Decimal("0.00"),
        "beantragter_betrag": Decimal("100.00"),
    }
    daten.update(overrides)
    return daten


def submitted_antrag(kosten=None, **overrides):
    """An Antrag submitted through the service, with one cost row matching the amount."""

    daten = antrag_daten(**overrides)
    kosten = kosten or [("Material", daten["beantragter_betrag"])]
    return einreichung.antrag_einreichen(daten=daten, kosten=kosten)


def rollen_user(username, rolle, **kwargs):
    """A staff account in one of the three role groups (the groups are made if missing)."""
    from django.contrib.auth.models import Group, User

    from antraege.rollen import rollen_anlegen

    if not Group.objects.filter(name=rolle).exists():
        rollen_anlegen()
    user = User.objects.create_user(username, password="Ein-sicheres-Passwort-2026", **kwargs)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=rolle))
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions


def projektbuero_user(username="projektbuero"):
    from antraege.rollen import PROJEKTBUERO

    return rollen_user(username, PROJEKTBUERO)


def beauftragte_user(aktionsraum, username="beauftragte"):
    """A staff account linked to a Beauftragte who looks after `aktionsraum`."""
    from antraege.rollen import BEAUFTRAGTE

    user = rollen_user(username, BEAUFTRAGTE)
    person = BeauftragteFactory(user=user)
    aktionsraum.beauftragte.add(person)
    return user


def konferenz_fuer(aktionsraum, antraege=(), mit_bezirksbuergermeister=True, datum=None):
    """A Projektkonferenz held today with the given Anträge on its agenda."""
    from django.utils import timezone

    from antraege.models import Projektkonferenz, Rolle, Teilnahme

    konferenz = Projektkonferenz.objects.create(
        aktionsraum=aktionsraum, datum=datum or timezone.localdate(), ort="Stadtteilzentrum"
    )
    if mit_bezirksbuergermeister:
        Teilnahme.objects.create(
            konferenz=konferenz,
            name="Bezirksbürgermeister (Testeintrag)",
            rolle=Rolle.BEZIRKSBUERGERMEISTER,
            stimmberechtigt=True,
            anwesend=True,
        )
    konferenz.tagesordnung.add(*antraege)
    return konferenz


def fonds_bewilligen(antrag, betrag, by, begruendung=""):
    """Grants fund money the only way there is: a Beschluss of a Projektkonferenz. Less than
    asked for needs a reason, as at a real conference: one is given unless the test names it."""

    konferenz = konferenz_fuer(antrag.aktionsraum, [antrag])
    if not begruendung and betrag < antrag.beantragter_betrag:
        begruendung = "Teilbewilligung (Testeintrag)"
    return beschluss_fassen(
        konferenz=konferenz,
        antrag=antrag,
        ergebnis="bewilligt",
        betrag=betrag,
        begruendung=begruendung,
        abstimmung=EINVERNEHMLICH,
        by=by,
    )


def entscheidungsreif(antrag, by):
    """Moves a submitted Antrag through review until it is ready for decision."""
    from antraege.models import Status

    for step in [Status.IN_PRUEFUNG, Status.ENTSCHEIDUNGSREIF]:
        antrag = workflow.antrag_status_setzen(antrag=antrag, nach=step, by=by)
    return antrag


def token(antrag):
    """The working status token of an Antrag, as its applicant has it from the mailed link."""
    antrag.refresh_from_db(fields=["status_token_salt"])
    return token_fuer(antrag)


def auszahlen(antrag, betrag, by, datum=None, referenz="KZ-1", anordnen=None):
    """A payout the only way there is: `by` confirms it, a second Projektbüro account orders it."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    auszahlung = auszahlung_feststellen(
        antrag=antrag,
        betrag=Decimal(betrag),
        datum=datum or timezone.localdate(),
        referenz=referenz,
        by=by,
    )
    if anordnen is None:
        anordnen = User.objects.filter(username="kasse-zweite-person").first() or (
            projektbuero_user("kasse-zweite-person")
        )
    return auszahlung_anordnen(auszahlung=auszahlung, by=anordnen)


def zweiter_faktor(user):
    """The account's confirmed authenticator device (made if missing)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test-App", confirmed=True)


def otp_code(device) -> str:
    """The code the authenticator app shows now, or the next one if this one was used."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        # Used already in this step: the next step's code is accepted (tolerance of one step).
        totp.time += device.step * (device.last_t - totp.t() + 1)
    return f"{totp.token():0{device.digits}d}"


def zentral_bewilligt(by, betrag="1000.00", kosten=None):
    """A central-budget Antrag, ready for decision and granted `betrag` in full by `by`
    (one cost row of `betrag` unless `kosten` says otherwise)."""
    from antraege.models import Antrag, Status

    antrag = submitted_antrag(
        kosten=kosten, finanzierungsquelle="projektbudget", beantragter_betrag=Decimal(betrag)
    )
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    return workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal(betrag), by=by)


def ausgaben_je_zeile(antrag, betrag, *weitere):
    """The per-row figures of a Verwendungsnachweis: `betrag` for the first cost row, then
    `weitere` for the next ones, 0 for the rest."""
    zeilen = list(antrag.kosten.all())
    werte = [Decimal(str(b)) for b in (betrag, *weitere)]
    werte += [Decimal("0.00")] * (len(zeilen) - len(werte))
    return {zeile.pk: wert for zeile, wert in zip(zeilen, werte, strict=True)}


def nachweis_post(antrag, *ausgaben, bericht="Das Fest hat stattgefunden.", **weitere):
    """What the Nachweis form posts: the report and one typed amount per cost row (empty for
    rows not given)."""
    zeilen = list(antrag.kosten.all())
    daten = {"bericht": bericht}
    for nummer, zeile in enumerate(zeilen):
        daten[f"ausgabe_{zeile.pk}"] = ausgaben[nummer] if nummer < len(ausgaben) else ""
    return daten | weitere
