// The desk's complaint form, a little easier with JavaScript (it works without): the LAPOR! tracking number is
// asked only when SP4N-LAPOR! is chosen, and no name or contact once the complainant is anonymous.
(function () {
  var form = document.querySelector("form.desk-form");
  if (!form) { return; }
  var lapor = form.querySelector("[data-only-for=lapor]");
  var anonymous = document.getElementById("complaint-anonymous");
  var contact = form.querySelectorAll("[data-contact]");
  function update() {
    var chosen = form.querySelector("input[name=channel]:checked");
    lapor.hidden = !(chosen && chosen.value === "lapor");
    contact.forEach(function (field) { field.hidden = anonymous.checked; });
  }
  form.addEventListener("change", update);
  update();
})();
