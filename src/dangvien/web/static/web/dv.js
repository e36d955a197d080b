/* Display preferences (text size, high contrast) kept in cookies the server reads, and the
   open/close of tree nodes. No dependencies; htmx does the requests. */
(function () {
  "use strict";
  var SIZES = ["small", "normal", "large", "xlarge"];
  var YEAR = 365 * 24 * 60 * 60;
  var root = document.documentElement;

  function setCookie(name, value) {
    document.cookie = name + "=" + value + "; max-age=" + YEAR + "; path=/; SameSite=Lax";
  }

  function currentSize() {
    for (var i = 0; i < SIZES.length; i++) {
      if (root.classList.contains("text-" + SIZES[i])) return SIZES[i];
    }
    return "normal";
  }

  function applySize(size) {
    SIZES.forEach(function (s) { root.classList.remove("text-" + s); });
    root.classList.add("text-" + size);
    setCookie("dv_text", size);
    announce("Cỡ chữ: " + {small: "nhỏ", normal: "vừa", large: "lớn", xlarge: "rất lớn"}[size]);
  }

  function announce(text) {
    var live = document.getElementById("dv-announce");
    if (!live) {
      live = document.createElement("p");
      live.id = "dv-announce";
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      document.body.appendChild(live);
    }
    live.textContent = text;
  }

  function toggleNode(button) {
    var box = document.getElementById(button.getAttribute("aria-controls"));
    if (!box) return;
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    box.hidden = !open;
    var label = button.querySelector(".tree-toggle-text");
    if (label) label.textContent = open ? "Đóng" : "Mở";
    // The first opening is the htmx request (hx-trigger="click once"); later clicks only toggle.
    button.setAttribute("data-loaded", "");
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var sizeButton = target.closest("[data-text-size]");
    if (sizeButton) {
      var index = SIZES.indexOf(currentSize());
      var step = sizeButton.getAttribute("data-text-size");
      if (step === "up") index = Math.min(SIZES.length - 1, index + 1);
      else if (step === "down") index = Math.max(0, index - 1);
      else index = SIZES.indexOf("normal");
      applySize(SIZES[index]);
      return;
    }
    var contrastButton = target.closest("[data-contrast]");
    if (contrastButton) {
      var high = !root.classList.contains("contrast-high");
      root.classList.toggle("contrast-high", high);
      contrastButton.setAttribute("aria-pressed", high ? "true" : "false");
      setCookie("dv_contrast", high ? "high" : "normal");
      return;
    }
    var toggle = target.closest(".tree-toggle");
    if (toggle) toggleNode(toggle);
  });
})();

/* The handbook offline (a service worker, for those signed in): the feed asks it to keep the
   recent posts and the saved documents; signing out forgets them. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !document.querySelector(".logout-form")) return;
  navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    var list = document.querySelector("[data-keep-offline]");
    if (list && registration.active) {
      registration.active.postMessage({keep: JSON.parse(list.getAttribute("data-keep-offline"))});
    }
  }).catch(function () {});
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof Element && form.classList.contains("logout-form") &&
        navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({forget: true});
    }
  });
})();
