/*
 * Service Recovery Strategy Workbench - progressive enhancements.
 *
 * Every page works without this file. It has no dependencies, uses no eval
 * and attaches no inline handlers, so it runs under a strict CSP
 * (script-src 'self').
 *
 * Load it after htmx and before DOMContentLoaded (a plain or `defer` script
 * tag placed after htmx's tag). The htmx settings below must be applied before
 * htmx's own DOMContentLoaded start-up, which would otherwise add an inline
 * <style> element.
 */
(function () {
  "use strict";

  var doc = document;

  /* ---- htmx integration (only when htmx is loaded) ---------------------- */

  function csrfToken() {
    var meta = doc.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : null;
  }

  if (window.htmx && window.htmx.config) {
    // The indicator styles are in app.css; an inline <style> would break CSP.
    window.htmx.config.includeIndicatorStyles = false;
  }

  // htmx fires its events on DOM elements and they bubble to the document,
  // so this works however the scripts are ordered.
  doc.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token && event.detail && event.detail.headers) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  /* ---- (1) Confirmation on <form data-confirm="..."> -------------------- */

  // Capture phase so the check runs before other submit handlers (e.g. htmx).
  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
      return;
    }
    var message = form.getAttribute("data-confirm") || "Are you sure?";
    if (!window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  /* ---- (2) data-autofocus ----------------------------------------------- */

  function applyAutofocus() {
    var active = doc.activeElement;
    if (active && active !== doc.body && active !== doc.documentElement) {
      return; // something already has focus (native autofocus, the user, ...)
    }
    var target = doc.querySelector("[data-autofocus]");
    if (target && typeof target.focus === "function") {
      // The page opens at its top: a field far down (the workshop room's input, below the
      // facilitator's controls and an open vote) gets the caret without scrolling there.
      target.focus({ preventScroll: true });
    }
  }

  /* ---- (3) Dismissable flash messages ----------------------------------- */

  function enhanceFlash(flash) {
    if (flash.querySelector(".flash-dismiss")) {
      return; // already enhanced
    }
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "flash-dismiss";
    button.setAttribute("aria-label", "Dismiss");
    button.textContent = "\u00d7"; // multiplication sign
    button.addEventListener("click", function () {
      var list = flash.parentNode;
      flash.parentNode.removeChild(flash);
      // Drop an empty container so it leaves no gap.
      if (list && list.classList && list.classList.contains("flashes") &&
          !list.querySelector(".flash")) {
        list.parentNode.removeChild(list);
      }
    });
    flash.appendChild(button);
  }

  function enhanceFlashes(root) {
    var scope = root && root.querySelectorAll ? root : doc;
    if (scope.classList && scope.classList.contains("flash")) {
      enhanceFlash(scope);
    }
    var flashes = scope.querySelectorAll(".flash");
    for (var i = 0; i < flashes.length; i++) {
      enhanceFlash(flashes[i]);
    }
  }

  // Flash messages can also arrive in htmx-swapped content.
  doc.addEventListener("htmx:load", function (event) {
    enhanceFlashes(event.target);
  });

  /* ---- (4) Keyboard: Ctrl+Enter (or Cmd+Enter) submits a textarea's form -- */

  doc.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) {
      return;
    }
    if (field instanceof HTMLTextAreaElement && field.form &&
        field.hasAttribute("data-submit-shortcut")) {
      event.preventDefault();
      field.form.requestSubmit();
    }
  });

  /* ---- (5) Focus the first data-autofocus field of swapped-in content ---- */

  doc.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail && event.detail.elt;
    var target = root && root.querySelector ? root.querySelector("[data-autofocus]") : null;
    if (!target && root && root.hasAttribute && root.hasAttribute("data-autofocus")) {
      target = root;
    }
    if (target && typeof target.focus === "function") {
      target.focus();
    }
  });

  /* ---- (6) Slow actions: a button with data-busy shows progress ---------- */

  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) {
      return;
    }
    var button = form.querySelector("button[data-busy]");
    if (button) {
      form.setAttribute("aria-busy", "true");
      button.textContent = button.getAttribute("data-busy");
      // Disabled after the submit is under way, so the button's value is still sent.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  /* ---- (7) Wide tables can be scrolled from the keyboard ------------------ */

  // A table wider than the screen scrolls inside its wrapper. When nothing in it takes
  // focus, the wrapper does (named after the table's caption), so arrow keys scroll it.
  // Wrappers a template made focusable itself are left alone.
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  function fitScrolling(root) {
    var scope = root && root.querySelectorAll ? root : doc;
    var wraps = scope.querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      var ours = wrap.hasAttribute("data-scroll-focus");
      if (!ours && wrap.hasAttribute("tabindex")) {
        continue;
      }
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.querySelector(FOCUSABLE)) {
        var caption = wrap.querySelector("caption");
        var name = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "Table";
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name + ", scrolls sideways");
        wrap.setAttribute("data-scroll-focus", "");
      } else if (ours && !scrolls) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
        wrap.removeAttribute("data-scroll-focus");
      }
    }
  }

  doc.addEventListener("htmx:load", function (event) {
    fitScrolling(event.target);
  });

  var resizing = false;
  window.addEventListener("resize", function () {
    if (!resizing) {
      resizing = true;
      window.requestAnimationFrame(function () {
        resizing = false;
        fitScrolling(doc);
      });
    }
  });

  /* ---- Start-up --------------------------------------------------------- */

  function init() {
    enhanceFlashes(doc);
    applyAutofocus();
    fitScrolling(doc);
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
