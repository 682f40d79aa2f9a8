// Progressive enhancement only: every page works without JavaScript.
// Loaded as a module, so no inline script is needed and the CSP stays strict.
import { initAll } from "../vendor/govuk-frontend/js/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
