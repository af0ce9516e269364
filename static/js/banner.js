// The urgent banner's "hide" button: remembered in this browser for this appeal only.
// Without JavaScript the banner simply stays (readable, its link followable).
// A classic script placed right after the banner: it runs before the rest of the page is
// drawn, so a banner dismissed earlier never flashes up and pushes the page down.
(function () {
  var STORAGE_PREFIX = "victoires.appeal-dismissed.";

  function remembered(key) {
    try {
      return window.localStorage.getItem(key) === "1";
    } catch (error) {
      return false;
    }
  }

  function remember(key) {
    try {
      window.localStorage.setItem(key, "1");
    } catch (error) {
      // Private browsing or storage full: hidden for this page only.
    }
  }

  document.querySelectorAll("[data-appeal]").forEach(function (banner) {
    var key = STORAGE_PREFIX + banner.dataset.appeal;
    if (remembered(key)) {
      banner.hidden = true;
      return;
    }
    var button = banner.querySelector("[data-appeal-dismiss]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      remember(key);
      banner.hidden = true;
      var main = document.getElementById("contenu");
      if (main) main.focus();
    });
  });
})();
