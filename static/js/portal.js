// Small page helpers; htmx does the rest.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("htmx-error");
  if (box) { box.textContent = "Не удалось выполнить запрос. Попробуйте ещё раз."; box.hidden = false; }
});
