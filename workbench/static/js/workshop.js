/*
 * Guided workshop: the step countdown.
 *
 * The server renders the seconds left in data-remaining and the clock text itself, so the
 * page is right without JavaScript (to the last refresh). This file keeps the clock ticking
 * between the polls that refresh it. No eval, no inline handlers: it runs under the CSP.
 */
(function () {
  "use strict";

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function arm(root) {
    var clocks = (root || document).querySelectorAll("[data-countdown]");
    var now = Date.now();
    Array.prototype.forEach.call(clocks, function (el) {
      var seconds = parseInt(el.getAttribute("data-remaining"), 10);
      if (!isNaN(seconds)) {
        el.workshopDeadline = now + seconds * 1000;
      }
    });
  }

  function tick() {
    var now = Date.now();
    var clocks = document.querySelectorAll("[data-countdown]");
    Array.prototype.forEach.call(clocks, function (el) {
      if (!el.workshopDeadline) {
        return;
      }
      var left = Math.max(0, Math.ceil((el.workshopDeadline - now) / 1000));
      el.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
      el.classList.toggle("timer--up", left === 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    arm(document);
    tick();
    window.setInterval(tick, 500);
  });
  // A polled fragment brings a fresh figure from the server: count down from it.
  document.addEventListener("htmx:afterSettle", function (event) {
    arm(event.target);
    tick();
  });
})();
