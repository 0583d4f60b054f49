"""The three staff roles as groups with permissions; used by a data migration and by tests.

Which Aktionsräume a member of "Aktionsraumbeauftragte" sees follows from the Beauftragte
record linked to the account (see `quartiere.bereich.aktionsraeume_fuer`), not from the group.
"""

PROJEKTBUERO = "Projektbüro"
BEAUFTRAGTE = "Aktionsraumbeauftragte"
LESEZUGRIFF = "Lesezugriff"

_ANTRAEGE_MODELLE = [
    "haushaltsjahr",
    "aktionsraumfonds",
    "antrag",
    "kostenposition",
    "anlage",
    "statusaenderung",
    "buchung",
    "auszahlung",
    "verwendungsnachweis",
    "projektkonferenz",
    "teilnahme",
    "beschluss",
    "mitglied",
    "einladung",
    "befangenheit",
    "ausgehendemail",
]
_HISTORIE = ["historicalantrag", "historicalhaushaltsjahr", "historicalaktionsraumfonds"]


def _view(app, models):
    return [(app, f"view_{m}") for m in models]


# Keeping the members' list and recording conflicts of interest (both roles, in their areas).
_KONFERENZ_PFLEGE = [
    ("antraege", "add_mitglied"),
    ("antraege", "change_mitglied"),
    ("antraege", "add_befangenheit"),
    ("antraege", "delete_befangenheit"),
]


ROLLEN = {
    # Everything except deleting what the audit trail needs (Anträge, money, decisions).
    PROJEKTBUERO: [
        *_view("antraege", _ANTRAEGE_MODELLE + _HISTORIE),
        *[
            ("antraege", f"{action}_{m}")
            for action in ("add", "change")
            for m in ["haushaltsjahr", "aktionsraumfonds", "antrag", "projektkonferenz"]
        ],
        ("antraege", "add_teilnahme"),
        ("antraege", "change_teilnahme"),
        ("antraege", "delete_teilnahme"),
        ("antraege", "add_beschluss"),
        *_KONFERENZ_PFLEGE,
        ("antraege", "change_ausgehendemail"),
        ("antraege", "alle_aktionsraeume"),
        ("antraege", "bewilligen_zentral"),
        ("antraege", "auszahlen"),
        ("antraege", "kontaktdaten_sehen"),
        ("antraege", "iban_sehen"),
        ("antraege", "auszahlung_feststellen"),
        ("antraege", "iban_bestaetigen"),
        *[
            ("quartiere", f"{action}_{m}")
            for action in ("view", "add", "change")
            for m in ["aktionsraum", "beauftragte"]
        ],
        *[
            ("quartiere", f"{action}_{m}")
            for action in ("view", "add", "change", "delete")
            for m in ["dokument", "kennzahl", "kennzahlwert"]
        ],
        ("antraege", "view_anmeldesperre"),
        ("antraege", "delete_anmeldesperre"),
    ],
    # Reviews and conferences of her own Aktionsräume; no central grants, no payouts.
    BEAUFTRAGTE: [
        ("antraege", "view_antrag"),
        ("antraege", "change_antrag"),
        ("antraege", "kontaktdaten_sehen"),
        ("antraege", "view_historicalantrag"),
        *_view("antraege", ["kostenposition", "anlage", "statusaenderung", "auszahlung"]),
        *_view("antraege", ["verwendungsnachweis", "beschluss"]),
        ("antraege", "view_projektkonferenz"),
        ("antraege", "add_projektkonferenz"),
        ("antraege", "change_projektkonferenz"),
        ("antraege", "view_teilnahme"),
        ("antraege", "add_teilnahme"),
        ("antraege", "change_teilnahme"),
        ("antraege", "delete_teilnahme"),
        ("antraege", "add_beschluss"),
        *_view("antraege", ["mitglied", "einladung", "befangenheit"]),
        *_KONFERENZ_PFLEGE,
        ("quartiere", "view_aktionsraum"),
        ("quartiere", "view_beauftragte"),
    ],
    # Read-only, all areas: e.g. the Bezirksbürgermeister's office or auditors; no address,
    # phone, e-mail or bank account of the applicants.
    LESEZUGRIFF: [
        *_view("antraege", [m for m in _ANTRAEGE_MODELLE if m != "ausgehendemail"] + _HISTORIE),
        ("antraege", "alle_aktionsraeume"),
        ("quartiere", "view_aktionsraum"),
        ("quartiere", "view_beauftragte"),
    ],
}


def rollen_anlegen(apps=None) -> None:
    """Creates or updates the three groups with exactly their permissions (idempotent)."""
    if apps is None:
        from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # On a fresh database the permissions are only created after all migrations; create
    # them now so that the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLLEN.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = [
            Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            for app_label, codename in perms
        ]
        # An early migration runs before later models (and their permissions) exist; the
        # migration that adds such a model calls this again, so the last run is complete.
        group.permissions.set([p for p in wanted if p is not None])
