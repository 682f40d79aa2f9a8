// Progressive enhancement only: every page works without JavaScript.
// Loaded as a module, so no inline script is needed and the CSP stays strict.
import { initAll } from "../vendor/govuk-frontend/js/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Wide tables scroll inside their own box rather than making the whole page scroll sideways
// on a phone (WCAG 1.4.10). A box that scrolls is a named region in the tab order, so it can
// be scrolled with the arrow keys (WCAG 2.1.1).
const scrollBoxes = [...document.querySelectorAll("table.govuk-table")].map((table) => {
  const box = document.createElement("div");
  box.className = "app-table-scroll";
  table.before(box);
  box.append(table);
  return box;
});

function markScrollableTables() {
  for (const box of scrollBoxes) {
    if (box.scrollWidth > box.clientWidth) {
      const caption = box.querySelector("caption");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      box.tabIndex = 0;
    } else {
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      box.removeAttribute("tabindex");
    }
  }
}

markScrollableTables();
window.addEventListener("resize", markScrollableTables);
