"""Private attachments as downloads, for the applicant's status page and the admin alike."""

from django.http import FileResponse

from aktionsplan.kern import dateipruefung


def download_name(anlage) -> str:
    """AP-2026-0001-Anlage-2.pdf: the Antrag's Aktenzeichen and the file's place among its
    Anlagen and receipts."""
    nummer = anlage.antrag.anlagen.filter(pk__lte=anlage.pk).count()
    endung = dateipruefung.ERLAUBTE_DATEITYPEN.get(anlage.content_type, "bin")
    return f"{anlage.antrag.aktenzeichen}-Anlage-{nummer}.{endung}"


def serve_anlage(anlage):
    """Streams a private attachment as a download; callers have checked access. The file is
    named by the portal (AP-2026-0001-Anlage-2.pdf, the extension from the detected type):
    the applicant's file name is shown only as text."""
    response = FileResponse(
        anlage.datei.open("rb"),
        as_attachment=True,
        filename=download_name(anlage),
        content_type=anlage.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
