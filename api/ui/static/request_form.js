// The sale request's item editor, enhanced: a search box over each dataset's variables, and "Seluruh variabel
// (fullset)" that ticks every variable (and is ticked when every variable is). Without it the form works as plain
// checkboxes: the server reads the fullset box and the variables the same way.
(function () {
  "use strict";
  document.querySelectorAll("[data-dataset]").forEach(function (dataset) {
    var all = dataset.querySelector("[data-select-all]");
    var boxes = Array.prototype.slice.call(dataset.querySelectorAll("[data-variable] input[type=checkbox]"));
    var search = dataset.querySelector("[data-search]");
    if (search) {
      search.hidden = false;
      var field = search.querySelector("input");
      field.addEventListener("input", function () {
        var words = field.value.trim().toLowerCase();
        dataset.querySelectorAll("[data-variable]").forEach(function (row) {
          row.hidden = words !== "" && row.textContent.toLowerCase().indexOf(words) === -1;
        });
      });
    }
    if (!all) { return; }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        all.checked = boxes.length > 0 && boxes.every(function (each) { return each.checked; });
      });
    });
  });
})();
