// The lobby's screen says each new call aloud, once, with the browser's own voice in the page's language (<html
// lang>: Indonesian, or English when the screen was switched to it; nothing from the network). Every word it says
// comes from the page. htmx swaps the board in every few seconds; a call made moments ago carries data-call (its id) and
// data-announce (what to say). Calls already said are remembered in this browser, so a reload says none again.
(function () {
  var SAID = "pst-lobby-said";
  var speech = window.speechSynthesis;
  var language = (document.documentElement.getAttribute("lang") || "id").toLowerCase().slice(0, 2);
  var LOCALES = { id: "id-ID", en: "en-GB" };

  function said() {
    try { return JSON.parse(window.localStorage.getItem(SAID) || "[]"); } catch (error) { return []; }
  }

  function remember(ids) {
    try { window.localStorage.setItem(SAID, JSON.stringify(ids.slice(-50))); } catch (error) { /* private mode */ }
  }

  function speak(text) {
    if (!speech || typeof window.SpeechSynthesisUtterance !== "function") { return; }
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = LOCALES[language] || "id-ID";
    utterance.rate = 0.9;
    var voices = speech.getVoices ? speech.getVoices() : [];
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.replace("_", "-").toLowerCase().indexOf(language) === 0) {
        utterance.voice = voices[i];
        break;
      }
    }
    speech.speak(utterance);
  }

  function announce() {
    var ids = said();
    var calls = Array.prototype.slice.call(document.querySelectorAll("[data-call][data-announce]")).reverse();
    calls.forEach(function (call) {  // the board lists the latest call first: say the older ones first
      var id = call.getAttribute("data-call");
      if (ids.indexOf(id) !== -1) { return; }
      ids.push(id);
      speak(call.getAttribute("data-announce"));
    });
    remember(ids);
  }

  // Browsers let a page speak after someone has touched it once: the staff switch the sound on when the TV starts.
  var button = document.querySelector("[data-sound]");
  var on = document.querySelector("[data-sound-on]");
  if (button && speech) {
    button.hidden = false;
    button.addEventListener("click", function () {
      speak(on ? on.textContent : "");
      button.hidden = true;
      if (on) { on.hidden = false; }
    });
  }

  announce();
  document.body.addEventListener("htmx:afterSettle", announce);
})();
