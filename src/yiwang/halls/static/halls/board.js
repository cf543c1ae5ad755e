/* The hall's display board: announces each new call in Chinese with the browser's speech synthesis
   ("请 A012 号到 3 号窗口办理"), and flashes it (always, and as the only signal when there is no voice).
   Browsers speak only after a touch or click on the page, hence the button. No inline script (CSP). */
(function () {
  "use strict";
  var synth = window.speechSynthesis || null;
  var voiceOn = false;
  var lastCall = null;

  function zhVoice() {
    if (!synth || !synth.getVoices) { return null; }
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^zh[-_]CN/i.test(voices[i].lang)) { return voices[i]; }
    }
    for (var j = 0; j < voices.length; j++) {
      if (/^zh/i.test(voices[j].lang)) { return voices[j]; }
    }
    return null;
  }

  var flashTimer = null;
  function flash(key, strong) {
    /* On the polled container, which the swaps keep (its content is replaced every few seconds). */
    var live = document.getElementById("board-live");
    if (!live) { return; }
    live.classList.remove("flash", "flash-strong");
    void live.offsetWidth; /* restart the animation */
    live.classList.add(strong ? "flash-strong" : "flash");
    document.body.setAttribute("data-last-flash", key);
    document.body.setAttribute("data-flash-kind", strong ? "strong" : "soft");
    if (flashTimer) { window.clearTimeout(flashTimer); }
    flashTimer = window.setTimeout(function () { live.classList.remove("flash", "flash-strong"); }, 2600);
  }

  function speak(text) {
    if (!voiceOn || !synth || !window.SpeechSynthesisUtterance || !text) { return false; }
    var u = new window.SpeechSynthesisUtterance(text);
    u.lang = "zh-CN";
    var v = zhVoice();
    if (v) { u.voice = v; }
    u.rate = 0.9;
    synth.cancel();
    synth.speak(u);
    synth.speak(new window.SpeechSynthesisUtterance(text)); /* said twice, as halls do */
    document.body.setAttribute("data-last-spoken", text);
    return true;
  }

  function check(first) {
    var el = document.getElementById("now-calling");
    if (!el) { return; }
    var key = el.getAttribute("data-call") || "";
    if (first) { lastCall = key; return; }
    if (!key || key === lastCall) { return; }
    lastCall = key;
    var spoken = speak(el.getAttribute("data-speech") || "");
    flash(key, !spoken);
  }

  function setButton(btn) {
    var label = !synth ? btn.getAttribute("data-none") : voiceOn ? btn.getAttribute("data-on") : btn.getAttribute("data-off");
    btn.textContent = label;
    btn.setAttribute("aria-pressed", voiceOn ? "true" : "false");
    btn.disabled = !synth;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var btn = document.getElementById("board-voice");
    if (btn) {
      setButton(btn);
      btn.addEventListener("click", function () {
        voiceOn = !voiceOn;
        setButton(btn);
        if (voiceOn && synth) { synth.speak(new window.SpeechSynthesisUtterance("")); }
      });
    }
    check(true);
  });
  document.body.addEventListener("htmx:afterSwap", function () { check(false); });
})();
