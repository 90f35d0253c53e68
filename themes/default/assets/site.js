/* fiches: small behaviours that need JavaScript. Every page stays usable
   without it. */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-print]");
    if (b) { window.print(); }
  });

  // Remember ticked steps on this device, and put them in the help request.
  var article = document.querySelector(".sheet-article");
  var key = article ? "fiches-tasks:" + article.getAttribute("data-id") : null;
  var boxes = article ? article.querySelectorAll(".prose input.task") : [];
  function saved() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (err) { return []; }
  }
  if (key && boxes.length) {
    var s = saved();
    boxes.forEach(function (b, i) {
      if (s.indexOf(i) >= 0) { b.checked = true; }
      b.addEventListener("change", function () {
        var on = [];
        boxes.forEach(function (x, j) { if (x.checked) { on.push(j); } });
        try { localStorage.setItem(key, JSON.stringify(on)); } catch (err) { /* private mode */ }
        updateSupport();
      });
    });
  }

  var support = document.querySelector("[data-support]");
  function stepText(box) {
    var li = box.closest("li");
    return li ? li.textContent.replace(/\s+/g, " ").trim() : "";
  }
  function updateSupport() {
    if (!support) { return; }
    var i18n = {};
    try { i18n = JSON.parse(document.getElementById("search-i18n").textContent); } catch (err) { /* defaults */ }
    var title = support.getAttribute("data-title");
    var url = support.getAttribute("data-url");
    var room = (document.getElementById("support-room") || {}).value || "";
    var equipment = (document.getElementById("support-equipment") || {}).value || "";
    var done = [];
    boxes.forEach(function (b) { if (b.checked) { done.push("- " + stepText(b)); } });
    var lines = [title, url, ""];
    if (room) { lines.push((i18n.support_room || "Salle") + " : " + room); }
    if (equipment) { lines.push((i18n.support_equipment || "Matériel concerné") + " : " + equipment); }
    if (done.length) { lines.push("", (i18n.support_steps_done || "Étapes déjà faites") + " :"); lines = lines.concat(done); }
    var body = lines.join("\n");
    var mail = support.querySelector('[data-support-link="email"]');
    if (mail) {
      mail.href = "mailto:" + support.getAttribute("data-email") + "?subject=" + encodeURIComponent(title) + "&body=" + encodeURIComponent(body);
    }
    var ticket = support.querySelector('[data-support-link="ticket"]');
    var tpl = support.getAttribute("data-ticket");
    if (ticket && tpl) {
      ticket.href = tpl.split("{title}").join(encodeURIComponent(title)).split("{url}").join(encodeURIComponent(url))
        .split("{body}").join(encodeURIComponent(body));
    }
  }
  if (support) {
    support.addEventListener("input", updateSupport);
    updateSupport();
  }
})();
