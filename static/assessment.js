// Save-as-you-go for the assessment form (templates/visits/assess.hbs).
//
// Each criterion is sent the moment it changes, one request at a time so that an older answer can
// never overtake a newer one. Until the server has confirmed it, the change is kept in this
// device's localStorage: a tablet that loses its connection or is reloaded puts the draft back and
// sends it as soon as it can. The server stores a criterion with an upsert, so sending the same
// change twice does no harm. Without this script the page is a plain form with a submit button.
(function () {
  "use strict";
  var form = document.getElementById("assessment");
  if (!form || form.dataset.editable !== "ja") return;

  // Per visit and per person: on a shared tablet one inspector's draft is never sent as another's.
  var storageKey = "toezicht-beoordeling-" + form.dataset.visit + "-" + form.dataset.user;
  var saveUrl = form.dataset.saveUrl;
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var statusEl = document.getElementById("save-status");
  var pending = readStore();
  var blocked = {}; // criteria the server (or the finding rule) refused until they change again
  var busy = false;
  var retryTimer = null;
  var typingTimers = {};
  var confirmed = {}; // what the server holds, per criterion, as far as this page knows

  function readStore() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey)) || {};
    } catch (e) {
      return {};
    }
  }

  function writeStore() {
    try {
      if (Object.keys(pending).length) {
        window.localStorage.setItem(storageKey, JSON.stringify(pending));
      } else {
        window.localStorage.removeItem(storageKey);
      }
    } catch (e) {
      // Private mode or a full store: saving still works, only the offline copy is missing.
    }
  }

  function fieldset(code) {
    return form.querySelector('fieldset[data-criterion="' + code + '"]');
  }

  function valuesOf(code) {
    var set = fieldset(code);
    var checked = set.querySelector("input[type=radio]:checked");
    return {
      rating: checked ? checked.value : "",
      finding: set.querySelector("textarea").value,
    };
  }

  function setStatus(text) {
    statusEl.textContent = text;
  }

  function mark(code, text) {
    var el = fieldset(code).querySelector(".criterion-status");
    if (el) el.textContent = text;
  }

  function showError(code, message) {
    var set = fieldset(code);
    var box = set.querySelector(".field-error");
    set.classList.add("has-error");
    box.querySelector(".message").textContent = message;
    box.hidden = false;
    set.querySelector("textarea").setAttribute("aria-invalid", "true");
    mark(code, "Niet opgeslagen");
  }

  function clearError(code) {
    var set = fieldset(code);
    set.classList.remove("has-error");
    set.querySelector(".field-error").hidden = true;
    set.querySelector("textarea").removeAttribute("aria-invalid");
  }

  function showScores(data) {
    document.getElementById("overall-score").textContent = data.overall;
    data.themes.forEach(function (t) {
      var el = form.querySelector('[data-theme-score="' + t.theme + '"]');
      if (el) el.textContent = t.score;
    });
  }

  function clock() {
    var now = new Date();
    return ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
  }

  function retryLater() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush();
    }, 10000);
  }

  // The server trims a finding, so spaces around it do not make a difference.
  function same(a, b) {
    return !!a && !!b && a.rating === b.rating && a.finding.trim() === b.finding.trim();
  }

  function changed(code) {
    var values = valuesOf(code);
    if (!values.rating) return;
    delete blocked[code];
    // `base`: what the server held when this change was made, to recognise a stale draft later.
    values.base = confirmed[code];
    pending[code] = values;
    writeStore();
    mark(code, "Nog niet opgeslagen");
    flush();
  }

  function nextCode() {
    return Object.keys(pending).filter(function (c) {
      return !blocked[c];
    })[0];
  }

  function flush() {
    if (busy) return;
    var code = nextCode();
    if (!code) {
      if (!Object.keys(pending).length) setStatus("Alles opgeslagen (" + clock() + ").");
      else setStatus("Niet alles is opgeslagen: zie de meldingen bij de criteria.");
      return;
    }
    var sent = pending[code];
    var needsFinding = sent.rating === "voldoet_deels" || sent.rating === "voldoet_niet";
    if (needsFinding && !sent.finding.trim()) {
      // The server would refuse it; wait until the inspector has written what was seen.
      blocked[code] = true;
      mark(code, "Vul een bevinding in; daarna wordt dit criterium opgeslagen.");
      flush();
      return;
    }
    busy = true;
    setStatus("Bezig met opslaan…");
    var body = new URLSearchParams();
    body.set("csrf_token", csrf);
    body.set("criterion", code);
    body.set("rating", sent.rating);
    body.set("finding", sent.finding);
    fetch(saveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (res) {
        var json = (res.headers.get("content-type") || "").indexOf("application/json") === 0;
        if (res.redirected && new URL(res.url).pathname === "/login") {
          // Sent to the sign-in page: the session has ended.
          throw { session: true };
        }
        if (!json) throw { status: res.status };
        return res.json().then(function (data) {
          return { status: res.status, data: data };
        });
      })
      .then(function (answer) {
        busy = false;
        if (answer.status === 200) {
          var now = pending[code];
          confirmed[code] = { rating: sent.rating, finding: sent.finding };
          if (same(now, sent)) delete pending[code];
          writeStore();
          clearError(code);
          mark(code, "Opgeslagen");
          showScores(answer.data);
        } else if (answer.status === 422) {
          blocked[code] = true;
          showError(code, answer.data.message);
        } else if (answer.status === 409) {
          pending = {};
          writeStore();
          setStatus(answer.data.message);
          return;
        } else {
          throw { status: answer.status };
        }
        flush();
      })
      .catch(function (problem) {
        busy = false;
        if (problem && problem.session) {
          setStatus(
            "Uw sessie is verlopen. Log opnieuw in (in een ander tabblad); uw invoer blijft op dit apparaat bewaard."
          );
        } else if (problem && problem.status) {
          setStatus(
            "Opslaan lukte niet (fout " +
              problem.status +
              "). Uw invoer blijft op dit apparaat bewaard; het wordt zo opnieuw geprobeerd."
          );
        } else {
          setStatus(
            "Geen verbinding. Uw invoer is op dit apparaat bewaard en wordt verstuurd zodra er weer verbinding is."
          );
        }
        retryLater();
      });
  }

  // What the server sent with the page.
  form.querySelectorAll("fieldset[data-criterion]").forEach(function (set) {
    var code = set.dataset.criterion;
    var values = valuesOf(code);
    confirmed[code] = values.rating ? values : undefined;
  });

  // Put back what was entered here but never reached the server (a reload, a lost connection),
  // unless the server already has it, or has since been given something else (another device,
  // a colleague): that newer rating stands.
  Object.keys(pending).forEach(function (code) {
    var set = fieldset(code);
    var draft = pending[code];
    if (!set || same(draft, confirmed[code])) {
      delete pending[code];
      return;
    }
    var base = draft.base;
    var unchanged = base ? same(base, confirmed[code]) : !confirmed[code];
    if (!unchanged) {
      delete pending[code];
      mark(code, "Een wijziging op dit apparaat is niet verstuurd: intussen is hier een ander oordeel opgeslagen.");
      return;
    }
    set.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.checked = radio.value === draft.rating;
    });
    set.querySelector("textarea").value = draft.finding;
    mark(code, "Nog niet opgeslagen");
  });
  writeStore();

  form.addEventListener("change", function (event) {
    var set = event.target.closest("fieldset[data-criterion]");
    // A radio at once; a finding when it loses focus (also covered by the typing pause below).
    if (set) changed(set.dataset.criterion);
  });
  form.addEventListener("input", function (event) {
    var set = event.target.closest("fieldset[data-criterion]");
    if (!set || event.target.tagName !== "TEXTAREA") return;
    var code = set.dataset.criterion;
    window.clearTimeout(typingTimers[code]);
    typingTimers[code] = window.setTimeout(function () {
      changed(code);
    }, 800);
  });
  window.addEventListener("online", flush);
  if (Object.keys(pending).length) flush();
})();
