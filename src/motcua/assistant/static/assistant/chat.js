// Progressive enhancement: while the question is being answered, show a progress state and stop a
// second submission. Without JavaScript the form posts and the page reloads with the answer.
(function () {
  var form = document.getElementById("ask-form");
  if (!form) return;
  form.addEventListener("submit", function () {
    var button = document.getElementById("ask-button");
    var progress = document.getElementById("ask-progress");
    if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
    if (progress) { progress.hidden = false; }
  });
  var answers = document.querySelectorAll(".exchange");
  if (answers.length && window.location.hash) {
    var target = document.querySelector(window.location.hash);
    if (target) target.scrollIntoView();
  }
})();
