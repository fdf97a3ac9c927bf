// Seabridge's own script: small progressive enhancements, no inline handlers (CSP).
"use strict";
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.requestSubmit();
});
