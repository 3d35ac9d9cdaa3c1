// A double click submits a form once: the button is disabled after the first submit.
document.querySelectorAll("form[data-once]").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
  });
});
