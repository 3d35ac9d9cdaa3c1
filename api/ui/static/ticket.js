// The ticket page's "Cetak tiket" button: shown only where this script runs, it opens the browser's print dialog
// (the print stylesheet leaves only the ticket). Without JavaScript the guest notes the number on the screen.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
