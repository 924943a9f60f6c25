// Optional: re-check the draft as you type, through the JSON API. The page works fully without it.
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  var live = document.getElementById("live-result");
  var token = document.querySelector('meta[name="csrf-token"]');
  if (!form || !live || !token || !window.fetch) { return; }
  var words = { ok: "Nothing found so far.", advice: "Some advice.", warn: "Possible breach.", block: "Would breach the policy." };
  var titles = {};
  try { titles = JSON.parse(live.getAttribute("data-titles") || "{}"); } catch (e) { titles = {}; }
  var timer = null, seq = 0;

  function message() {
    var f = form.elements, msg = { text: f.text.value, kind: f.kind.value, account: f.account.value };
    if (f.channel.value.trim()) { msg.channel = f.channel.value.trim(); }
    if (f.in_reply_to.value.trim()) { msg.in_reply_to = { text: f.in_reply_to.value }; }
    var to = f.to.value.split(/[,;]/).map(function (a) { return a.trim(); }).filter(Boolean);
    if (to.length) { msg.to = to; }
    return msg;
  }

  function recheck() {
    var mine = ++seq;
    if (!form.elements.text.value.trim()) { live.textContent = ""; return; }
    fetch("/api/check", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token.content },
      body: JSON.stringify(message())
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (mine !== seq) { return; }
      if (data.error) { live.textContent = data.error.message; return; }
      var rules = data.findings.map(function (f) { return titles[f.rule] || f.rule; });
      live.textContent = "Checking as you type: " + words[data.verdict] +
        (rules.length ? ": " + rules.join("; ") + ". Press “Check my draft” for the details and fixes." : "");
    }).catch(function () { live.textContent = ""; });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(recheck, 600);
  });
})();
