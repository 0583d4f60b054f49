"""Which Aktionsräume a staff account may see and act on: the one scope rule.

The Projektbüro, read-only auditors and superusers see every area (the permission an app
registers as `recht_alle`); an Aktionsraumbeauftragte sees the areas of the Beauftragte record
linked to her account. Lists, searches, choices and every service step narrow by it. The apps
whose rows belong to an area register their models' paths here (`bereich_eintragen`, from their
AppConfig.ready), so that this app names none of them.
"""

from .models import Aktionsraum

# The path from a model to its Aktionsraum, for everything that is narrowed to an account's
# areas, and the permission that shows every area; filled by `bereich_eintragen`.
BEREICH_PFADE: dict[str, str] = {}
_RECHT_ALLE: list[str] = []


def bereich_eintragen(*, pfade: dict, recht_alle: str = "") -> None:
    """Registers the models (class -> path to the Aktionsraum) and the see-all permission of
    an app whose rows belong to an area."""
    for model, pfad in pfade.items():
        BEREICH_PFADE[model._meta.label_lower] = pfad
    if recht_alle and recht_alle not in _RECHT_ALLE:
        _RECHT_ALLE.append(recht_alle)


def sieht_alle_aktionsraeume(user) -> bool:
    """Projektbüro, read-only auditors and superusers see every area; Beauftragte their own."""
    return user.is_active and (
        user.is_superuser or any(user.has_perm(recht) for recht in _RECHT_ALLE)
    )


def aktionsraeume_fuer(*, user):
    """The Aktionsräume whose Anträge, conferences and figures this staff member may see."""
    if sieht_alle_aktionsraeume(user):
        return Aktionsraum.objects.all()
    return (
        Aktionsraum.objects.filter(beauftragte__user=user)
        if user.is_active
        else Aktionsraum.objects.none()
    )


def darf_aktionsraum_bearbeiten(*, user, aktionsraum_id) -> bool:
    """Whether the user may act on Anträge of this area (the one scope rule for every write)."""
    return aktionsraeume_fuer(user=user).filter(pk=aktionsraum_id).exists()


def im_bereich(queryset, *, user, feld: str = "aktionsraum"):
    """Narrows a queryset of Anträge, conferences or funds to the user's Aktionsräume."""
    if sieht_alle_aktionsraeume(user):
        return queryset
    return queryset.filter(**{f"{feld}__in": aktionsraeume_fuer(user=user)})


def auswahl_im_bereich(model, *, user):
    """The choices of a form field pointing at `model`, narrowed like the lists; None if the
    model is not tied to an area (a budget year, a user)."""
    if model is Aktionsraum:
        return aktionsraeume_fuer(user=user)
    pfad = BEREICH_PFADE.get(model._meta.label_lower)
    if pfad is None:
        return None
    return im_bereich(model._default_manager.all(), user=user, feld=pfad)
