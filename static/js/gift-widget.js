// The monthly-gift widget: print what the chosen amount costs once the tax reduction is
// taken off, exactly as the server does (donations.rules.net_cost + core.formats.format_money).
// Integer cents only: no floating-point rounding; the reduction is rounded half up to the cent.

const NBSP = "\u00a0";

/** "0.66" -> {num: 66, den: 100} */
export function parseRate(text) {
  const match = /^\s*(\d+)(?:\.(\d{1,4}))?\s*$/.exec(String(text));
  if (!match) return null;
  const decimals = match[2] || "";
  const den = 10 ** decimals.length;
  return { num: Number(match[1]) * den + Number(decimals || 0), den };
}

/** "15" / "12.5" / "12,50" -> cents; null when it is not an amount. */
export function toCents(text) {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(String(text));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] || "").padEnd(2, "0"));
}

/** amount − round_half_up(amount × rate), in cents. */
export function netCostCents(amountCents, rate) {
  const reduction = Math.floor((2 * amountCents * rate.num + rate.den) / (2 * rate.den));
  return amountCents - reduction;
}

function group(digits, separator) {
  const parts = [];
  while (digits.length > 3) {
    parts.unshift(digits.slice(-3));
    digits = digits.slice(0, -3);
  }
  parts.unshift(digits);
  return parts.join(separator);
}

/** Money as Django's French format prints it: "1 234,50 €" with U+00A0; "€1,234.50" in English. */
export function formatMoney(cents, language) {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const units = group(String(Math.floor(abs / 100)), language.startsWith("en") ? "," : NBSP);
  const decimals = String(abs % 100).padStart(2, "0");
  if (language.startsWith("en")) return `${sign}€${units}.${decimals}`;
  return `${sign}${units},${decimals}${NBSP}€`;
}

/**
 * Why a typed free amount cannot be given, as the server says it (the messages come from
 * the page's data-msg-* attributes); null when it can, or when nothing is typed.
 */
export function freeAmountProblem(text, min, max, messages) {
  const value = String(text).trim();
  if (value === "") return null;
  if (!/^[-+]?\d{1,9}$/.test(value)) return messages.invalid;
  const euros = Number(value);
  if (euros < min) return messages.min;
  if (euros > max) return messages.max;
  return null;
}

function enhance(form) {
  const rate = parseRate(form.dataset.rate);
  const output = form.querySelector("[data-gift-net]");
  const free = form.querySelector("[data-gift-free]");
  const errorBox = form.querySelector("[data-gift-free-error]");
  const radioName = form.dataset.giftRadios || "amount";
  const radios = [...form.querySelectorAll('input[type="radio"]')].filter(
    (radio) => radio.name === radioName,
  );
  const language = form.dataset.lang || document.documentElement.lang || "fr";
  const messages = {
    min: form.dataset.msgMin,
    max: form.dataset.msgMax,
    invalid: form.dataset.msgInvalid,
  };
  if (!rate || !output) return;
  const line = output.closest("p") || output;

  const freeChosen = () => {
    const checked = radios.find((radio) => radio.checked);
    return !checked || toCents(checked.value) === null;
  };
  const freeText = () => {
    if (!free) return "";
    // A number input gives "" for what it cannot read ("12,5" in some browsers).
    if (free.validity && free.validity.badInput) return "?";
    return free.value;
  };
  const problem = () => {
    if (!free || !freeChosen()) return null;
    return freeAmountProblem(freeText(), Number(free.min), Number(free.max), messages);
  };
  const chosenCents = () => {
    const checked = radios.find((radio) => radio.checked);
    if (freeChosen() && free && free.value !== "") return toCents(free.value);
    return checked ? toCents(checked.value) : null;
  };
  const showProblem = (message) => {
    if (!free) return;
    free.setCustomValidity(message || "");
    if (message) free.setAttribute("aria-invalid", "true");
    else free.removeAttribute("aria-invalid");
    if (errorBox) {
      errorBox.textContent = message || "";
      errorBox.hidden = !message;
    }
  };
  const update = () => {
    const message = problem();
    showProblem(message);
    const cents = message ? null : chosenCents();
    // Never the cost of an amount that cannot be given: the line waits for a good one.
    line.hidden = cents === null || cents <= 0;
    if (!line.hidden) output.textContent = formatMoney(netCostCents(cents, rate), language);
  };

  radios.forEach((radio) =>
    radio.addEventListener("change", () => {
      if (free && toCents(radio.value) !== null) free.value = "";
      update();
    }),
  );
  // The tier the page opened on: chosen again when the free amount is emptied, so the
  // line never shows the cost of an amount that is no longer there.
  const openingTier = radios.find((radio) => radio.defaultChecked && toCents(radio.value) !== null);
  if (free) {
    free.addEventListener("input", () => {
      if (free.value === "" && !(free.validity && free.validity.badInput)) {
        const tierChosen = radios.some((radio) => radio.checked && toCents(radio.value) !== null);
        if (!tierChosen && openingTier) openingTier.checked = true;
        return update();
      }
      // Typing a free amount chooses it (« Autre montant » on the gift page).
      const freeRadio = radios.find((radio) => toCents(radio.value) === null);
      radios.forEach((radio) => {
        radio.checked = radio === freeRadio;
      });
      update();
    });
  }
  // The server's message about the free amount (a page sent back, or opened from the
  // widget on an amount that cannot be given) stays until the donor types again; then this
  // script's message takes its place, so it is never shown twice.
  const serverError = free && document.getElementById(`${free.id}_error`);
  if (free) {
    free.addEventListener("input", () => {
      if (serverError) serverError.hidden = true;
    });
  }
  const serverSaid = (serverError && !serverError.hidden) || (errorBox && !errorBox.hidden);
  if (serverSaid && problem()) line.hidden = true;
  else update();
}

document.querySelectorAll("[data-gift-widget]").forEach(enhance);
