// The menu button of small screens. It appears only when this script runs: without JavaScript the
// menu simply stays open (and wraps), so nothing is ever out of reach.
const button = document.querySelector(".menu-button");
const menu = document.getElementById("site-menu");
if (button && menu) {
  button.hidden = false;
  document.documentElement.classList.add("has-menu-button");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  });
}
