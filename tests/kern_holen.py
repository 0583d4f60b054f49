"""Vendors KERN UX (`@kern-ux/native`, EUPL-1.2) into static/vendor/: the pinned tarball from
the npm registry, checked against its published sha512, reduced to the rules of the KERN
classes the portal uses (so that a public page loads less CSS than with the full 340 KB), and
its licence. KERN's typeface, Fira Sans (SIL OFL 1.1), comes from `@fontsource/fira-sans`,
also pinned: the same font cut into Unicode ranges, so that a German page loads about 25 KB
per face instead of 130 KB (the Latin Extended range only when a name needs it). Run by
`make kern` after a template starts or stops using a KERN class; tests/test_kern.py says when
that is due.

Reduction: a rule is kept unless every selector of it names (outside parentheses) a
`kern-` class that no template, script or Python file of the portal contains."""

import base64
import hashlib
import io
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "2.7.2"
TARBALL = f"https://registry.npmjs.org/@kern-ux/native/-/native-{VERSION}.tgz"
INTEGRITY = "sha512-TN0Mqbasp7S1IOqurXickde8MDj5hIcgT4s3f1i33wyv2iVgA1dTO/FoQyi6rgM9KYTYkIthl9k72g7fBUUvHg=="  # noqa: E501 - a hash
SCHRIFT_VERSION = "5.3.0"
SCHRIFT_TARBALL = (
    f"https://registry.npmjs.org/@fontsource/fira-sans/-/fira-sans-{SCHRIFT_VERSION}.tgz"
)
SCHRIFT_INTEGRITY = "sha512-z1SKSG7eRhm3srlb7rQ3j77QP4TP7OFxCZ4wUWhCdt+3hOF9K0AyvybpAsz6+JWNcCVV7AqC7dbOT3e67P2r5A=="  # noqa: E501 - a hash
ROOT = Path(__file__).resolve().parent.parent
ZIEL = ROOT / "static" / "vendor" / f"kern-ux-native-{VERSION}"
# The faces the stylesheet's weights need (400 text, 600 labels and headings, 400 italic), in
# the Unicode ranges of German and of names from other Latin alphabets.
SCHRIFTEN = ["400.css", "400-italic.css", "600.css"]
BEREICHE = ("latin", "latin-ext")
KLASSE = re.compile(r"(?<![/\w-])kern-[a-zA-Z0-9_-]+")
# Where the portal names KERN classes: templates, its own scripts and Python (widget attrs).
QUELLEN = ["templates/**/*.html", "*/templates/**/*.html", "static/js/*.js", "*/**/*.py"]


def holen(adresse: str, integritaet: str) -> tarfile.TarFile:
    daten = urllib.request.urlopen(adresse, timeout=60).read()
    erwartet = base64.b64decode(integritaet.removeprefix("sha512-"))
    if hashlib.sha512(daten).digest() != erwartet:
        sys.exit(f"{adresse}: sha512 differs from the pinned integrity; nothing written.")
    return tarfile.open(fileobj=io.BytesIO(daten), mode="r:gz")


def benutzte_klassen() -> set[str]:
    klassen = set()
    for muster in QUELLEN:
        for pfad in ROOT.glob(muster):
            if ".venv" in pfad.parts or "vendor" in pfad.parts or pfad == Path(__file__):
                continue
            klassen |= set(KLASSE.findall(pfad.read_text(encoding="utf-8", errors="ignore")))
    return klassen


def _bis_klammer_zu(css: str, start: int) -> int:
    """Index after the block that opens at css[start] == '{' (strings and nesting counted)."""
    tiefe, i = 0, start
    while i < len(css):
        zeichen = css[i]
        if zeichen in "\"'":
            i = css.index(zeichen, i + 1)
        elif zeichen == "{":
            tiefe += 1
        elif zeichen == "}":
            tiefe -= 1
            if tiefe == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced CSS")


def _selektoren(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    teile, tiefe, anfang = [], 0, 0
    for i, zeichen in enumerate(prelude):
        if zeichen in "([":
            tiefe += 1
        elif zeichen in ")]":
            tiefe -= 1
        elif zeichen == "," and tiefe == 0:
            teile.append(prelude[anfang:i])
            anfang = i + 1
    teile.append(prelude[anfang:])
    return teile


def _ausserhalb_klammern(selektor: str) -> str:
    aussen, tiefe = [], 0
    for zeichen in selektor:
        if zeichen in "([":
            tiefe += 1
        elif zeichen in ")]":
            tiefe -= 1
        elif tiefe == 0:
            aussen.append(zeichen)
    return "".join(aussen)


def reduzieren(css: str, benutzt: set[str]) -> str:
    """The rules of `css` that can match the portal's markup."""
    aus, i = [], 0
    while i < len(css):
        if css[i].isspace():
            i += 1
            continue
        klammer = css.find("{", i)
        semikolon = css.find(";", i)
        if css[i] == "@" and semikolon != -1 and (klammer == -1 or semikolon < klammer):
            aus.append(css[i : semikolon + 1])  # @charset, @import, @layer a, b;
            i = semikolon + 1
            continue
        if klammer == -1:
            break
        prelude = css[i:klammer].strip()
        ende = _bis_klammer_zu(css, klammer)
        block = css[klammer + 1 : ende - 1]
        if prelude.startswith(("@media", "@supports", "@layer", "@container")):
            innen = reduzieren(block, benutzt)
            if innen:
                aus.append(f"{prelude}{{{innen}}}")
        elif prelude.startswith("@"):
            aus.append(css[i:ende])  # @font-face, @keyframes, @property: kept whole
        else:
            behalten = [
                s
                for s in _selektoren(prelude)
                if set(KLASSE.findall(_ausserhalb_klammern(s))) <= benutzt
            ]
            if behalten:
                aus.append(",".join(s.strip() for s in behalten) + "{" + block + "}")
        i = ende
    return "".join(aus)


def schriften(paket: tarfile.TarFile) -> tuple[str, dict[str, bytes]]:
    """The @font-face rules of the wanted faces and ranges (woff2 only) and their files."""
    regeln, dateien = [], {}
    for name in SCHRIFTEN:
        css = paket.extractfile(f"package/{name}").read().decode("utf-8")
        faces = re.findall(r"/\* fira-sans-([a-z-]+)-\d+-\w+ \*/\s*(@font-face \{.*?\})", css, re.S)
        for kommentar, regel in faces:
            if kommentar not in BEREICHE:
                continue
            datei = re.search(r"url\(\./files/([^)]+\.woff2)\)", regel).group(1)
            regel = re.sub(r"src: [^;]+;", f"src: url(fonts/{datei}) format('woff2');", regel)
            regeln.append(re.sub(r"\s*\n\s*", "", regel))
            dateien[datei] = paket.extractfile(f"package/files/{datei}").read()
    return "".join(regeln), dateien


def main():
    paket = holen(TARBALL, INTEGRITY)
    schrift = holen(SCHRIFT_TARBALL, SCHRIFT_INTEGRITY)

    def lesen(name):
        return paket.extractfile(f"package/{name}").read()

    ZIEL.mkdir(parents=True, exist_ok=True)
    (ZIEL / "fonts").mkdir(exist_ok=True)
    voll = lesen("dist/kern.min.css").decode("utf-8")
    benutzt = benutzte_klassen()
    reduziert = reduzieren(voll.removeprefix('@charset "UTF-8";'), benutzt)
    regeln, dateien = schriften(schrift)
    kopf = (
        f"/* KERN UX @kern-ux/native {VERSION} (EUPL-1.2, LICENSE.md), {TARBALL}: only the "
        f"rules of the {len(benutzt)} KERN classes the portal uses (tests/kern_holen.py). "
        f"Fira Sans from @fontsource/fira-sans {SCHRIFT_VERSION} (SIL OFL 1.1, "
        "fonts/LICENSE). */\n"
    )
    (ZIEL / "kern.min.css").write_text(
        '@charset "UTF-8";' + kopf + regeln + reduziert + "\n", encoding="utf-8"
    )
    for alt in (ZIEL / "fonts").glob("*.woff2"):
        alt.unlink()
    for datei, inhalt in dateien.items():
        (ZIEL / "fonts" / datei).write_bytes(inhalt)
    (ZIEL / "fonts" / "LICENSE").write_bytes(schrift.extractfile("package/LICENSE").read())
    (ZIEL / "LICENSE.md").write_bytes(lesen("LICENSE.md"))
    print(f"{ZIEL.relative_to(ROOT)}: {len(voll):,} -> {len(reduziert):,} bytes of CSS")


if __name__ == "__main__":
    main()
