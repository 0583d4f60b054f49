"""A Beauftragte sees and changes only the Anträge of her own Aktionsräume, through every
admin URL; Lesezugriff reads everything and changes nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from antraege.models import Antrag, Status
from antraege.rollen import BEAUFTRAGTE, LESEZUGRIFF, PROJEKTBUERO
from antraege.selectors import aktionen
from antraege.services import einreichung, workflow
from quartiere.models import Aktionsraum

from .factories import (
    PDF_BYTES,
    beauftragte_user,
    konferenz_fuer,
    projektbuero_user,
    rollen_user,
    submitted_antrag,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def eigener(hoerde):
    return submitted_antrag(titel="Eigenes Hoftreffen", aktionsraum=hoerde)


@pytest.fixture
def fremder():
    pdf = SimpleUploadedFile("geheim.pdf", PDF_BYTES, "application/pdf")
    antrag = einreichung.antrag_einreichen(
        daten=__import__("tests.factories", fromlist=["antrag_daten"]).antrag_daten(
            titel="Fremdes Straßenfest", aktionsraum=Aktionsraum.objects.get(slug="marten")
        ),
        kosten=[("Material", Decimal("100.00"))],
        dateien=[pdf],
    )
    return antrag


@pytest.fixture
def beauftragte_client(client, hoerde):
    client.force_login(beauftragte_user(hoerde))
    return client


def test_the_migration_creates_the_three_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        PROJEKTBUERO,
        BEAUFTRAGTE,
        LESEZUGRIFF,
    }
    assert Group.objects.get(name=PROJEKTBUERO).permissions.filter(codename="auszahlen").exists()
    assert not Group.objects.get(name=BEAUFTRAGTE).permissions.filter(codename="auszahlen")
    lese = Group.objects.get(name=LESEZUGRIFF).permissions.values_list("codename", flat=True)
    assert all(c.startswith("view_") or c == "alle_aktionsraeume" for c in lese)


def test_changelist_shows_only_her_own_areas(beauftragte_client, eigener, fremder):
    html = beauftragte_client.get("/admin/antraege/antrag/").content.decode()
    assert eigener.aktenzeichen in html
    assert fremder.aktenzeichen not in html and "Fremdes Straßenfest" not in html


def test_search_finds_nothing_of_another_area(beauftragte_client, eigener, fremder):
    html = beauftragte_client.get(
        "/admin/antraege/antrag/", {"q": fremder.aktenzeichen}
    ).content.decode()
    assert "Fremdes Straßenfest" not in html


def test_change_view_of_another_area_is_not_found(beauftragte_client, fremder):
    response = beauftragte_client.get(f"/admin/antraege/antrag/{fremder.pk}/change/", follow=True)
    html = response.content.decode()
    assert "Fremdes Straßenfest" not in html
    assert "existiert nicht" in html


def test_change_view_of_her_own_area_works(beauftragte_client, eigener):
    response = beauftragte_client.get(f"/admin/antraege/antrag/{eigener.pk}/change/")
    assert response.status_code == 200 and "Eigenes Hoftreffen" in response.content.decode()


def test_history_of_another_area_is_not_found(beauftragte_client, fremder):
    assert (
        beauftragte_client.get(f"/admin/antraege/antrag/{fremder.pk}/history/").status_code == 404
    )
    version = fremder.history.first().history_id
    url = f"/admin/antraege/antrag/{fremder.pk}/history/{version}/"
    assert beauftragte_client.get(url).status_code == 404


def test_autocomplete_offers_nothing_of_another_area(beauftragte_client, eigener, fremder):
    for antrag in (eigener, fremder):
        Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    response = beauftragte_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "antraege",
            "model_name": "projektkonferenz",
            "field_name": "tagesordnung",
            "term": "",
        },
    )
    ids = {r["id"] for r in response.json()["results"]}
    assert ids == {str(eigener.pk)}


def test_attachment_of_another_area_is_not_found(beauftragte_client, fremder):
    anlage = fremder.anlagen.get()
    assert beauftragte_client.get(f"/admin/antraege/antrag/anlage/{anlage.pk}/").status_code == 404


def test_export_contains_only_her_own_areas(beauftragte_client, eigener, fremder):
    response = beauftragte_client.post(
        "/admin/antraege/antrag/export/", {"format": "0", "resource": "0", **_all_fields()}
    )
    text = response.content.decode("utf-8-sig")
    assert eigener.aktenzeichen in text and fremder.aktenzeichen not in text


def test_action_on_another_areas_antrag_changes_nothing(beauftragte_client, eigener, fremder):
    response = beauftragte_client.post(
        "/admin/antraege/antrag/",
        {
            "action": "export_admin_action",
            "_selected_action": [fremder.pk],
            "select_across": "0",
            "index": "0",
        },
    )
    assert fremder.aktenzeichen not in response.content.decode("utf-8", "ignore")


def test_workflow_step_on_another_area_is_refused(beauftragte_client, fremder):
    url = f"/admin/antraege/antrag/{fremder.pk}/schritt/"
    assert beauftragte_client.post(url, {"nach": "in_pruefung"}).status_code == 404
    fremder.refresh_from_db()
    assert fremder.status == Status.EINGEREICHT


def test_the_service_refuses_a_beauftragte_reaching_for_another_area(hoerde, fremder):
    user = beauftragte_user(hoerde)
    with pytest.raises(PermissionDenied, match="eigenen Aktionsräume"):
        workflow.antrag_status_setzen(antrag=fremder, nach=Status.IN_PRUEFUNG, by=user)
    fremder.refresh_from_db()
    assert fremder.status == Status.EINGEREICHT and fremder.verlauf.count() == 1


def test_projektkonferenz_of_another_area_is_hidden(beauftragte_client, fremder):
    konferenz = konferenz_fuer(fremder.aktionsraum)
    html = beauftragte_client.get("/admin/antraege/projektkonferenz/").content.decode()
    assert f"/admin/antraege/projektkonferenz/{konferenz.pk}/change/" not in html
    change = f"/admin/antraege/projektkonferenz/{konferenz.pk}/change/"
    assert "existiert nicht" in beauftragte_client.get(change, follow=True).content.decode()
    url = f"/admin/antraege/projektkonferenz/{konferenz.pk}/protokoll/"
    assert beauftragte_client.get(url).status_code == 404


def test_budget_overview_shows_only_her_funds(beauftragte_client):
    html = beauftragte_client.get("/admin/antraege/haushaltsjahr/uebersicht/").content.decode()
    assert "Hörde" in html and "Marten" not in html and "Zentrales Projektbudget" not in html


def test_beauftragte_may_not_grant_central_money_nor_pay(hoerde):
    user = beauftragte_user(hoerde)
    antrag = submitted_antrag(finanzierungsquelle="projektbudget", aktionsraum=hoerde)
    Antrag.objects.filter(pk=antrag.pk).update(status=Status.ENTSCHEIDUNGSREIF)
    with pytest.raises(PermissionDenied, match="nur das Projektbüro"):
        workflow.antrag_bewilligen(antrag=antrag, betrag=Decimal("100.00"), by=user)
    assert aktionen.naechste_schritte(antrag=Antrag.objects.get(pk=antrag.pk), user=user) == [
        Status.IN_PRUEFUNG
    ]


def test_lesezugriff_reads_every_area_but_changes_nothing(client, eigener, fremder):
    client.force_login(rollen_user("pruefung", LESEZUGRIFF))
    html = client.get("/admin/antraege/antrag/").content.decode()
    assert eigener.aktenzeichen in html and fremder.aktenzeichen in html
    page = client.get(f"/admin/antraege/antrag/{fremder.pk}/change/").content.decode()
    assert 'name="nach"' not in page
    assert (
        client.post(f"/admin/antraege/antrag/{fremder.pk}/schritt/", {"nach": "in_pruefung"})
    ).status_code == 403
    assert Antrag.objects.get(pk=fremder.pk).status == Status.EINGEREICHT


def test_projektbuero_sees_all_areas(client, eigener, fremder):
    client.force_login(projektbuero_user())
    html = client.get("/admin/antraege/antrag/").content.decode()
    assert eigener.aktenzeichen in html and fremder.aktenzeichen in html


def _all_fields():
    from antraege.exports import AntragResource

    return {f"antragresource_{name}": "on" for name in AntragResource._meta.fields}
