"""The Projektkonferenzen as an iCalendar feed (RFC 5545), for the whole programme or one
Aktionsraum: each conference's date (its place only when residents may attend) and its last
day for Anträge. Public data only: no agenda, no names."""

from datetime import timedelta

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from aktionsplan.kern import seitencache
from quartiere.models import Aktionsraum

from ..models import Projektkonferenz

# A year back and every planned date: enough for a calendar, and the feed stays small.
RUECKBLICK_TAGE = 365


@require_safe
@seitencache.oeffentlich
def kalender(request, slug=None):
    konferenzen = Projektkonferenz.objects.select_related("aktionsraum").filter(
        aktionsraum__is_active=True,
        datum__gte=timezone.localdate() - timedelta(days=RUECKBLICK_TAGE),
    )
    if slug is not None:
        aktionsraum = Aktionsraum.objects.active().filter(slug=slug).first()
        if aktionsraum is None:
            raise Http404
        konferenzen = konferenzen.filter(aktionsraum=aktionsraum)
        name = _("Projektkonferenzen im Aktionsraum %(name)s") % {"name": aktionsraum.name}
    else:
        name = _("Projektkonferenzen des Aktionsplans Soziale Stadt Dortmund")
    kalender = Calendar()
    kalender.add("prodid", "-//Stadt Dortmund//Aktionsplan Soziale Stadt//DE")
    kalender.add("version", "2.0")
    kalender.add("x-wr-calname", name)
    host = request.get_host().split(":")[0] or "aktionsplan"
    gestempelt = timezone.now()
    for konferenz in konferenzen.order_by("datum", "id"):
        seite = request.build_absolute_uri(
            reverse("quartiere:detail", kwargs={"slug": konferenz.aktionsraum.slug})
        )
        termin = Event()
        termin.add("uid", f"projektkonferenz-{konferenz.pk}@{host}")
        termin.add("dtstamp", gestempelt)
        termin.add("dtstart", konferenz.datum)
        termin.add("dtend", konferenz.datum + timedelta(days=1))
        termin.add(
            "summary",
            _("Projektkonferenz %(name)s") % {"name": konferenz.aktionsraum.name},
        )
        termin.add("location", konferenz.ort if konferenz.oeffentlich else _("nicht öffentlich"))
        beschreibung = [_("Die Projektkonferenz entscheidet über Anträge an den Aktionsraumfonds.")]
        if konferenz.antragsschluss:
            beschreibung.append(
                _("Letzter Tag für Anträge: %(datum)s")
                % {"datum": date_format(konferenz.antragsschluss, "DATE_FORMAT")}
            )
        termin.add("description", "\n".join(str(z) for z in beschreibung))
        termin.add("url", seite)
        kalender.add_component(termin)
        if konferenz.antragsschluss:
            schluss = Event()
            schluss.add("uid", f"antragsschluss-{konferenz.pk}@{host}")
            schluss.add("dtstamp", gestempelt)
            schluss.add("dtstart", konferenz.antragsschluss)
            schluss.add("dtend", konferenz.antragsschluss + timedelta(days=1))
            schluss.add(
                "summary",
                _("Letzter Tag für Anträge: Projektkonferenz %(name)s am %(datum)s")
                % {
                    "name": konferenz.aktionsraum.name,
                    "datum": date_format(konferenz.datum, "DATE_FORMAT"),
                },
            )
            schluss.add("url", seite)
            kalender.add_component(schluss)
    return HttpResponse(kalender.to_ical(), content_type="text/calendar; charset=utf-8")
