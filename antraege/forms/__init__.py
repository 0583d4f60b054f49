"""The public forms of the Anträge by journey: shared fields (`felder`), the application with
its Kostenplan (`antrag`) and the Verwendungsnachweis (`nachweis`). The admin's own forms are
`antraege/admin/formulare.py`."""
