// « Faire un don » in the header: a plain link to the gift page without JavaScript; with it,
// a disclosure button that opens the compact monthly-gift widget just below the header.
// The button replaces the link in place (same classes, same text), so nothing moves.

function enhance(link) {
  const panel = document.getElementById(link.dataset.giftToggle);
  if (!panel) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  button.textContent = link.textContent;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", panel.id);

  const setOpen = (open) => {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", () => {
    const open = panel.hidden;
    setOpen(open);
    if (open) {
      const first = panel.querySelector("input:checked, input, button");
      if (first) first.focus();
    }
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      setOpen(false);
      button.focus();
    }
  });
  link.replaceWith(button);
}

document.querySelectorAll("[data-gift-toggle]").forEach(enhance);
