/* Small accessibility repairs of third-party parts of the Verwaltung (no build, no inline JS).
 * - select2 (Django's autocomplete) adds a search field and a combobox without a name: they
 *   get the label of the select they stand for, also after every re-render.
 * - django-import-export's "Select all" box has a label for an id it does not have, and an
 *   inline onchange handler that the Content-Security-Policy blocks.
 */
(function () {
  "use strict";

  function labelFor(select) {
    var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "";
  }

  function labelSelect2Fields(root) {
    root.querySelectorAll(".select2-container").forEach(function (container) {
      var select = container.previousElementSibling;
      var name = labelFor(select);
      var fields = container.querySelectorAll(
        ".select2-search__field, [role=combobox], [role=textbox]"
      );
      fields.forEach(function (field) {
        if (name && !field.hasAttribute("aria-label")) {
          field.setAttribute("aria-label", name);
        }
      });
    });
  }

  function repairExportToggle() {
    var toggle = document.querySelector("input.select-toggle");
    if (!toggle || toggle.id) {
      return;
    }
    toggle.id = "select-all-toggle";
    if (typeof window.onSelectToggleChange === "function") {
      toggle.addEventListener("change", window.onSelectToggleChange);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    repairExportToggle();
    labelSelect2Fields(document);
    new MutationObserver(function () {
      labelSelect2Fields(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
