// The urgent banner's "hide" button: remembered in this browser for this appeal only.
// Without JavaScript the banner simply stays (readable, its link followable).
const STORAGE_PREFIX = "victoires.appeal-dismissed.";

function remembered(key) {
  try {
    return window.localStorage.getItem(key) === "1";
  } catch {
    return false;
  }
}

function remember(key) {
  try {
    window.localStorage.setItem(key, "1");
  } catch {
    // Private browsing or storage full: hidden for this page only.
  }
}

for (const banner of document.querySelectorAll("[data-appeal]")) {
  const key = STORAGE_PREFIX + banner.dataset.appeal;
  if (remembered(key)) {
    banner.hidden = true;
    continue;
  }
  const button = banner.querySelector("[data-appeal-dismiss]");
  if (!button) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    remember(key);
    banner.hidden = true;
    const main = document.getElementById("contenu");
    if (main) main.focus();
  });
}
