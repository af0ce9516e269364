// Admin: fill the case's address (slug) from its name, as the server makes it
// (cases.rules.slug_from_name), so the prefill and the code always agree.
"use strict";
(function () {
  function start() {
    const slug = document.getElementById("id_slug");
    const name = document.getElementById("id_name");
    if (!slug || !name || !slug.dataset.slugUrl) return;
    // Like Django's prepopulate: only a new, empty address follows the name,
    // and only until the editor types one by hand.
    let follow = slug.value === "";
    slug.addEventListener("input", function () { follow = slug.value === ""; });
    let timer = null;
    let asked = 0;
    function update() {
      if (!follow) return;
      const ticket = ++asked;
      const url = slug.dataset.slugUrl + "?name=" + encodeURIComponent(name.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && ticket === asked && follow) slug.value = data.slug;
        })
        .catch(function () { /* the server fills an empty address on saving */ });
    }
    name.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
    name.addEventListener("change", update);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
