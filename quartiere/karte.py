"""The Aktionsräume on a map drawn by the portal: outlines uploaded as GeoJSON are checked (and
converted from the city's EPSG:25832) here, and the map is an SVG rendered on the server, with no
tiles, scripts or fonts from anywhere else."""

import json
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WGS84 = "EPSG:4326"
UTM32 = "EPSG:25832"
KOORDINATENSYSTEME = [
    (WGS84, "EPSG:4326 (WGS 84, Länge/Breite in Grad)"),
    (UTM32, "EPSG:25832 (ETRS89 / UTM Zone 32N, Meter, wie im Geoportal der Stadt)"),
]
# Dortmund lies within 7.30–7.64° E and 51.41–51.60° N; an outline outside this box (with a
# margin) is a mistake, e.g. swapped axes or the wrong coordinate system.
DORTMUND = {"laenge": (7.2, 7.8), "breite": (51.3, 51.7)}
FLAECHEN = {"Polygon", "MultiPolygon"}
MAX_PUNKTE = 50_000


def _crs_aus_datei(daten: dict, gewaehlt: str) -> str:
    """The coordinate system a file names itself (older GeoJSON's "crs"), else the chosen one."""
    angabe = daten.get("crs")
    if angabe is None:
        return gewaehlt
    eigenschaften = angabe.get("properties") if isinstance(angabe, dict) else None
    name = eigenschaften.get("name", "") if isinstance(eigenschaften, dict) else None
    if not isinstance(name, str):
        raise ValidationError(
            _(
                "Die Angabe „crs“ der Datei ist kein Koordinatensystem, wie GeoJSON es "
                'beschreibt ({"type": "name", "properties": {"name": …}}). Bitte '
                "entfernen Sie sie und wählen Sie das Koordinatensystem im Formular."
            )
        )
    if not name:
        return gewaehlt
    if "25832" in name:
        return UTM32
    if "4326" in name or "CRS84" in name:
        return WGS84
    raise ValidationError(
        _("Das Koordinatensystem „%(name)s“ wird nicht unterstützt (nur EPSG:4326 und EPSG:25832).")
        % {"name": name[:80]}
    )


def _geometrie(daten):
    """The one geometry of a geometry, a Feature or a FeatureCollection with one Feature."""
    if not isinstance(daten, dict):
        raise ValidationError(_("Die Datei enthält kein GeoJSON-Objekt."))
    art = daten.get("type")
    if art == "FeatureCollection":
        features = daten.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise ValidationError(
                _("Die FeatureCollection muss genau ein Feature enthalten (den Umriss).")
            )
        return _geometrie(features[0])
    if art == "Feature":
        return _geometrie(daten.get("geometry"))
    if art not in FLAECHEN:
        raise ValidationError(
            _("Erwartet wird ein Polygon oder MultiPolygon, nicht „%(art)s“.")
            % {"art": str(art)[:40]}
        )
    return art, daten.get("coordinates")


def _ringe(art: str, koordinaten) -> list[list[list[float]]]:
    """Every ring as a list of [x, y]; refuses what is not a valid polygon structure."""
    polygone = [koordinaten] if art == "Polygon" else koordinaten
    if not isinstance(polygone, list) or not polygone:
        raise ValidationError(_("Die Geometrie hat keine Koordinaten."))
    ringe = []
    for polygon in polygone:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("Ein Polygon der Geometrie hat keine Ringe."))
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise ValidationError(
                    _("Jeder Ring eines Polygons braucht mindestens vier Punkte.")
                )
            punkte = []
            for punkt in ring:
                if (
                    not isinstance(punkt, list)
                    or len(punkt) not in (2, 3)
                    or not all(
                        isinstance(z, int | float) and not isinstance(z, bool) and math.isfinite(z)
                        for z in punkt
                    )
                ):
                    raise ValidationError(
                        _("Ein Punkt ist keine Koordinate aus zwei Zahlen: %(punkt)s")
                        % {"punkt": json.dumps(punkt)[:60]}
                    )
                punkte.append([float(punkt[0]), float(punkt[1])])
            if punkte[0] != punkte[-1]:
                raise ValidationError(_("Ein Ring ist nicht geschlossen (erster ≠ letzter Punkt)."))
            ringe.append(punkte)
    if sum(len(r) for r in ringe) > MAX_PUNKTE:
        raise ValidationError(
            _("Der Umriss hat mehr als %(n)d Punkte; bitte vereinfachen.") % {"n": MAX_PUNKTE}
        )
    return ringe


def _umrechnen(ringe, crs: str):
    if crs == WGS84:
        return ringe
    from pyproj import Transformer

    umrechner = Transformer.from_crs(UTM32, WGS84, always_xy=True)
    ergebnis = []
    for ring in ringe:
        xs, ys = zip(*ring, strict=True)
        if not all(200_000 <= x <= 900_000 for x in xs) or not all(
            5_000_000 <= y <= 6_500_000 for y in ys
        ):
            raise ValidationError(
                _(
                    "Die Koordinaten passen nicht zu EPSG:25832 (Rechtswert um 390.000, "
                    "Hochwert um 5.710.000 Meter). Ist das richtige Koordinatensystem gewählt?"
                )
            )
        laengen, breiten = umrechner.transform(xs, ys)
        ergebnis.append([[x, y] for x, y in zip(laengen, breiten, strict=True)])
    return ergebnis


def umriss_pruefen(inhalt: bytes | str, *, crs: str = WGS84) -> dict:
    """A GeoJSON upload as an EPSG:4326 Polygon or MultiPolygon, or a German ValidationError."""
    try:
        # Numbers as floats: a number of thousands of digits is infinite (refused below as
        # no coordinate) instead of an error of Python's integer conversion.
        daten = json.loads(inhalt, parse_int=float)
    except UnicodeDecodeError:
        raise ValidationError(_("Die Datei ist kein Text in UTF-8.")) from None
    except RecursionError:
        raise ValidationError(_("Die Datei ist zu tief verschachtelt für einen Umriss.")) from None
    except json.JSONDecodeError as fehler:
        raise ValidationError(
            _("Die Datei ist kein gültiges JSON (Zeile %(zeile)d, Spalte %(spalte)d).")
            % {"zeile": fehler.lineno, "spalte": fehler.colno}
        ) from None
    if isinstance(daten, dict):
        crs = _crs_aus_datei(daten, crs)
    art, koordinaten = _geometrie(daten)
    ringe = _umrechnen(_ringe(art, koordinaten), crs)
    for ring in ringe:
        for laenge, breite in ring:
            if not (-180 <= laenge <= 180 and -90 <= breite <= 90):
                raise ValidationError(
                    _("Die Koordinate %(punkt)s liegt außerhalb von Länge ±180° und Breite ±90°.")
                    % {"punkt": f"{laenge:g}, {breite:g}"}
                )
            if not (
                DORTMUND["laenge"][0] <= laenge <= DORTMUND["laenge"][1]
                and DORTMUND["breite"][0] <= breite <= DORTMUND["breite"][1]
            ):
                raise ValidationError(
                    _(
                        "Die Koordinate %(punkt)s (Länge, Breite) liegt nicht in Dortmund. "
                        "Sind Länge und Breite vertauscht oder ist das Koordinatensystem falsch?"
                    )
                    % {"punkt": f"{laenge:.5f}, {breite:.5f}"}
                )
    gerundet = [[[round(x, 6), round(y, 6)] for x, y in ring] for ring in ringe]
    # Back into the nesting of its type, with the rings of each polygon together.
    if art == "Polygon":
        return {"type": "Polygon", "coordinates": gerundet}
    polygone, i = [], 0
    for polygon in koordinaten:
        polygone.append(gerundet[i : i + len(polygon)])
        i += len(polygon)
    return {"type": "MultiPolygon", "coordinates": polygone}


def _ringe_von(umriss: dict):
    if umriss["type"] == "Polygon":
        return list(umriss["coordinates"])
    return [ring for polygon in umriss["coordinates"] for ring in polygon]


BREITE = 640
RAND = 16


def karte(aktionsraeume, *, aktuell=None) -> dict | None:
    """The SVG map of these areas (outline, or a marker at the centre), None without any."""
    gebiete = [a for a in aktionsraeume if a.umriss or a.breite is not None]
    if not gebiete:
        return None
    punkte = []
    for a in gebiete:
        if a.umriss:
            punkte += [p for ring in _ringe_von(a.umriss) for p in ring]
        else:
            punkte.append([float(a.laenge), float(a.breite)])
    laengen = [p[0] for p in punkte]
    breiten = [p[1] for p in punkte]
    mitte = math.cos(math.radians((min(breiten) + max(breiten)) / 2))
    # A single marker still needs some extent: at least about 2 km around it.
    spanne_x = max((max(laengen) - min(laengen)) * mitte, 0.02)
    spanne_y = max(max(breiten) - min(breiten), 0.02)
    massstab = (BREITE - 2 * RAND) / spanne_x
    hoehe = round(spanne_y * massstab + 2 * RAND)
    x0 = (min(laengen) + max(laengen)) / 2 * mitte - spanne_x / 2
    y0 = (min(breiten) + max(breiten)) / 2 + spanne_y / 2

    def xy(laenge, breite):
        return (
            round((laenge * mitte - x0) * massstab + RAND, 1),
            round((y0 - breite) * massstab + RAND, 1),
        )

    eintraege = []
    for a in gebiete:
        eintrag = {"aktionsraum": a, "aktuell": aktuell is not None and a.pk == aktuell.pk}
        if a.umriss:
            eintrag["d"] = " ".join(
                "M" + " L".join("{},{}".format(*xy(*p)) for p in ring[:-1]) + " Z"
                for ring in _ringe_von(a.umriss)
            )
        else:
            eintrag["cx"], eintrag["cy"] = xy(float(a.laenge), float(a.breite))
        eintraege.append(eintrag)
    belegt = _beschriften(eintraege, hoehe)
    bezirke = _bezirke(eintraege, hoehe, belegt)
    # The current area last, so that its outline is drawn on top.
    eintraege.sort(key=lambda e: e["aktuell"])
    return {
        "viewbox": f"0 0 {BREITE} {hoehe}",
        "gebiete": eintraege,
        "bezirke": bezirke,
        "nur_punkte": any("d" not in e for e in eintraege),
        "mit_umriss": any("d" in e for e in eintraege),
    }


# Names on the map, in SVG units (the map is BREITE wide): an estimate of a label's box is
# enough to keep two names from covering each other.
SCHRIFT = 15
BEZIRK_SCHRIFT = 12


def _box(x, y, breite, hoehe, anker):
    links = {"start": x, "end": x - breite, "middle": x - breite / 2}[anker]
    return (links, y - hoehe * 0.8, links + breite, y + hoehe * 0.2)


def _ueberlappt(a, b, luft=2):
    return not (
        a[2] + luft <= b[0] or b[2] + luft <= a[0] or a[3] + luft <= b[1] or b[3] + luft <= a[1]
    )


def _platzieren(x, y, text, schrift, belegt, hoehe, abstand):
    """The first of right, left, above, below (then further away) where the name fits on the
    map and covers no other name or marker; if none is free, the place on the map that covers
    the fewest."""
    breite = len(text) * schrift * 0.58
    versuche = []
    for weiter in (0, 1.2, 2.4, 3.6):
        d = abstand + weiter * schrift
        versuche += [
            (x + d, y + schrift * 0.35, "start"),
            (x - d, y + schrift * 0.35, "end"),
            (x, y - d, "middle"),
            (x, y + d + schrift * 0.7, "middle"),
            # Beside the corners, for points near the map's edge.
            (x + 4, y - d, "end"),
            (x - 4, y - d, "start"),
            (x + 4, y + d + schrift * 0.7, "end"),
            (x - 4, y + d + schrift * 0.7, "start"),
        ]
    bester = None
    for tx, ty, anker in versuche:
        box = _box(tx, ty, breite, schrift, anker)
        if not (box[0] >= 2 and box[2] <= BREITE - 2 and box[1] >= 2 and box[3] <= hoehe - 2):
            continue
        bedeckt = sum(_ueberlappt(box, b, luft=0.5) for b in belegt)
        if bester is None or bedeckt < bester[0]:
            bester = (bedeckt, tx, ty, anker, box)
        if bedeckt == 0:
            break
    if bester is None:  # wider than the map around this point: kept inside, from the left
        tx, ty, anker = 2.0, min(max(y, schrift), hoehe - 2), "start"
        box = _box(tx, ty, breite, schrift, anker)
    else:
        _bedeckt, tx, ty, anker, box = bester
    belegt.append(box)
    return {"x": round(tx, 1), "y": round(ty, 1), "anker": anker}


def _mitte(eintrag):
    if "d" not in eintrag:
        return eintrag["cx"], eintrag["cy"]
    zahlen = [
        float(z)
        for z in eintrag["d"]
        .replace("M", " ")
        .replace("L", " ")
        .replace("Z", " ")
        .replace(",", " ")
        .split()
    ]
    xs, ys = zahlen[0::2], zahlen[1::2]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _beschriften(eintraege, hoehe) -> list:
    """Each area's name next to its marker or in its outline, none covering another; returns
    the boxes taken (markers and names)."""
    for e in eintraege:
        e["mx"], e["my"] = _mitte(e)
    belegt = [(e["mx"] - 10, e["my"] - 10, e["mx"] + 10, e["my"] + 10) for e in eintraege]
    for e in sorted(eintraege, key=lambda e: (e["my"], e["mx"])):
        e["name"] = _platzieren(
            e["mx"], e["my"], e["aktionsraum"].name, SCHRIFT, belegt, hoehe, abstand=13
        )
    return belegt


def _bezirke(eintraege, hoehe, belegt):
    """The Stadtbezirke as names in grey capitals, placed near the middle of their areas and
    covering no area's marker or name."""
    gruppen = {}
    for e in eintraege:
        bezirk = (e["aktionsraum"].stadtbezirk or "").strip()
        if bezirk:
            gruppen.setdefault(bezirk, []).append((e["mx"], e["my"]))
    bezirke = []
    for bezirk, punkte in sorted(gruppen.items()):
        x = sum(p[0] for p in punkte) / len(punkte)
        y = sum(p[1] for p in punkte) / len(punkte)
        ort = _platzieren(x, y, bezirk.upper(), BEZIRK_SCHRIFT, belegt, hoehe, abstand=30)
        bezirke.append({"name": bezirk, **ort})
    return bezirke
