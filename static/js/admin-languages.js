// One language switch per translated admin form (progressive enhancement: without this
// script both languages show). Rows are the admin's "field-<name>_<lang>" containers.
(() => {
  function languageOf(element) {
    for (const name of element.classList) {
      const match = /^field-(.+)_(fr|en)$/.exec(name);
      if (match) return { field: match[1], language: match[2] };
    }
    return null;
  }

  function valueOf(row) {
    const control = row.querySelector("input:not([type=hidden]):not([type=checkbox]), textarea, select");
    return control ? control.value.trim() : "";
  }

  function setUp() {
    const switcher = document.querySelector("[data-language-switch]");
    if (!switcher) return;
    const form = switcher.closest("form");
    const rows = [...form.querySelectorAll("[class*='field-']")]
      .map((row) => ({ row, info: languageOf(row) }))
      .filter((item) => item.info);
    const missingLabel = switcher.dataset.missingLabel;
    let missing = 0;
    for (const { row, info } of rows) {
      if (info.language !== "en") continue;
      const french = row.parentElement.querySelector(`.field-${CSS.escape(info.field)}_fr`);
      if (french && valueOf(french) && !valueOf(row)) {
        row.classList.add("language-missing");
        const label = row.querySelector("label") || row;
        const mark = document.createElement("span");
        mark.className = "language-missing__mark";
        mark.textContent = missingLabel;
        label.append(" ", mark);
        missing += 1;
      }
    }
    const counter = switcher.querySelector("[data-missing-count]");
    if (missing) counter.textContent = ` (${missing} ${missingLabel})`;

    const buttons = [...switcher.querySelectorAll("button[data-language]")];
    function show(language) {
      for (const { row, info } of rows) {
        row.hidden = language !== "all" && info.language !== language;
      }
      for (const button of buttons) {
        button.setAttribute("aria-pressed", String(button.dataset.language === language));
      }
    }
    for (const button of buttons) {
      button.addEventListener("click", () => show(button.dataset.language));
    }
    // A field in error is never hidden: start on the language that has one.
    const inError = rows.find(({ row }) => row.querySelector(".errorlist"));
    switcher.hidden = false;
    show(inError ? inError.info.language : "fr");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
