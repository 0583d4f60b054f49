/* The application form's arithmetic while typing: the Kostenplan's total, the deductions and
   the amount asked for, as the server computes them after each round trip
   (antraege/forms.py: euro_lesen, kostenrechnung). Amounts are read as the page's language
   writes them and added up in whole cents; nothing here is sent except the amount shown,
   which the server compares with its own result. Without this script the page works the
   same, with "Neu berechnen". */
(function () {
  "use strict";
  var form = document.querySelector("form.antrag-form");
  if (!form) return;
  var englisch = (document.documentElement.lang || "de").slice(0, 2) === "en";
  var tausender = englisch ? "," : ".";
  var komma = englisch ? "." : ",";
  var gruppen = englisch ? /^[1-9]\d{0,2}(,\d{3})+$/ : /^[1-9]\d{0,2}(\.\d{3})+$/;
  var ganzzahl = new Intl.NumberFormat(englisch ? "en-GB" : "de-DE", { maximumFractionDigits: 0 });

  /* Cents as an integer; 0 for an empty field; null for text that is no amount. */
  function cent(text) {
    text = String(text).trim().replace(/€|EUR|\u00a0|\s/g, "");
    if (text === "") return 0;
    if (text.indexOf(",") >= 0 && text.indexOf(".") >= 0) {
      var sep = text.lastIndexOf(",") > text.lastIndexOf(".") ? "," : ".";
      text = text.split(sep === "," ? "." : ",").join("").replace(",", ".");
    } else if (gruppen.test(text)) {
      text = text.split(tausender).join("");
    } else if (text.indexOf(komma) >= 0 || text.indexOf(tausender) >= 0) {
      text = text.replace(",", ".");
    }
    var teile = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
    if (!teile || teile[2].length > 13) return null;
    var wert = parseInt(teile[2], 10) * 100 + parseInt(((teile[3] || "") + "00").slice(0, 2), 10);
    return teile[1] ? -wert : wert;
  }

  function schreiben(wert) {
    var betrag = Math.abs(wert);
    var text = ganzzahl.format(Math.floor(betrag / 100)) + komma + String(betrag % 100).padStart(2, "0");
    return (wert < 0 ? "-" : "") + text;
  }

  function setzen(name, text) {
    form.querySelectorAll('[data-rechnung="' + name + '"]').forEach(function (el) {
      el.textContent = text;
    });
  }

  var ausgabe = form.querySelector('[data-rechnung="beantragt"]');
  var offen = ausgabe ? ausgabe.getAttribute("data-offen") : "";
  var versteckt = form.querySelector('input[type="hidden"][name="beantragter_betrag"]');

  function rechnen() {
    var gesamt = 0;
    var zeilen = 0;
    var vollstaendig = true;
    form.querySelectorAll('input[name^="kosten-"][name$="-betrag"]').forEach(function (feld) {
      var wert = cent(feld.value);
      if (wert === null) vollstaendig = false;
      else if (feld.value.trim() !== "") { gesamt += wert; zeilen += 1; }
    });
    setzen("gesamtkosten", schreiben(gesamt) + "\u00a0€");
    var ergebnis = gesamt;
    ["eigenmittel", "eigenleistung", "drittmittel"].forEach(function (name) {
      var feld = form.querySelector('[name="' + name + '"]');
      var wert = feld ? cent(feld.value) : 0;
      if (wert === null) { vollstaendig = false; wert = 0; }
      ergebnis -= wert;
      setzen(name, "− " + schreiben(wert) + "\u00a0€");
    });
    var fertig = vollstaendig && zeilen > 0;
    setzen("beantragt", fertig ? schreiben(ergebnis) + "\u00a0€" : offen);
    if (versteckt) versteckt.value = fertig ? schreiben(ergebnis) : "";
    form.querySelectorAll("[data-rechnung-offen]").forEach(function (el) { el.hidden = fertig; });
  }

  form.addEventListener("input", rechnen);
  /* This script is deferred: what was typed while it was still loading counts as well. */
  rechnen();
  form.querySelectorAll("[data-ohne-skript]").forEach(function (el) { el.hidden = true; });

  /* After "Weitere Kostenposition hinzufügen" the page opens at the new row: put the cursor
     in its first field. */
  function zurZeile() {
    var ziel = /^#kostenposition-\d+$/.test(location.hash) && document.querySelector(location.hash);
    var erstes = ziel && ziel.querySelector("input, textarea, select");
    if (erstes && document.activeElement !== erstes) erstes.focus();
  }
  /* The browser moves to the fragment after loading, which may take the focus away again. */
  zurZeile();
  window.addEventListener("load", function () { window.setTimeout(zurZeile, 0); });
})();
