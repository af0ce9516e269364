// The focal point of a photo, placed by a click on its preview (the two number fields
// stay the way to set it without JavaScript, or with the keyboard). The crops drawn over
// the preview follow; the server makes the real ones (core/images.py: crop_box).
(function () {
  "use strict";

  function cropBox(width, height, ratio, fx, fy) {
    var target = ratio[0] / ratio[1];
    var w = width, h = height;
    if (width / height > target) { w = Math.max(1, Math.round(height * target)); }
    else { h = Math.max(1, Math.round(width / target)); }
    var left = Math.min(Math.max(Math.round(fx * width - w / 2), 0), width - w);
    var top = Math.min(Math.max(Math.round(fy * height - h / 2), 0), height - h);
    return [left, top, w, h];
  }

  function setUp(picker) {
    var inputX = document.getElementById(picker.dataset.focalX);
    var inputY = document.getElementById(picker.dataset.focalY);
    var svg = picker.querySelector("svg");
    if (!inputX || !inputY || !svg) { return; }
    var box = svg.viewBox.baseVal;

    function draw() {
      var fx = Math.min(Math.max(Number(inputX.value) || 0, 0), 100) / 100;
      var fy = Math.min(Math.max(Number(inputY.value) || 0, 0), 100) / 100;
      picker.querySelectorAll(".focal-picker__point").forEach(function (point) {
        point.setAttribute("cx", Math.round(fx * box.width));
        point.setAttribute("cy", Math.round(fy * box.height));
      });
      picker.querySelectorAll(".focal-picker__crop").forEach(function (rect) {
        var ratio = rect.dataset.ratio.split(" ").map(Number);
        var crop = cropBox(box.width, box.height, ratio, fx, fy);
        rect.setAttribute("x", crop[0]);
        rect.setAttribute("y", crop[1]);
        rect.setAttribute("width", crop[2]);
        rect.setAttribute("height", crop[3]);
      });
    }

    picker.classList.add("is-clickable");
    var hint = picker.parentNode.querySelector(".focal-picker__hint");
    if (hint) { hint.hidden = false; }
    picker.addEventListener("click", function (event) {
      var area = picker.getBoundingClientRect();
      inputX.value = Math.round(((event.clientX - area.left) / area.width) * 100);
      inputY.value = Math.round(((event.clientY - area.top) / area.height) * 100);
      draw();
    });
    inputX.addEventListener("input", draw);
    inputY.addEventListener("input", draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".focal-picker").forEach(setUp);
  });
})();
