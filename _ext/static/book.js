// The book's page behaviour (issue #15); loaded on every page by _ext/book_layout.py.
document.addEventListener("DOMContentLoaded", function () {
  // 1. The menu button. pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 each bind their sidebar script to the
  //    first element with class primary-toggle, which is the (hidden) button of the top bar: the visible button
  //    of the article header did nothing (pydata-sphinx-theme issue 2451). Each other button forwards its
  //    click to that first one, so the themes' own code opens the menu (a dialog below 992 px) or collapses
  //    the sidebar (above).
  var toggles = document.querySelectorAll(".primary-toggle");
  for (var i = 1; i < toggles.length; i++) {
    toggles[i].addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      toggles[0].click();
    });
  }
  // 2. Frames of a pre-rendered explorer are drawn by the widget manager as images without a description:
  //    give each one, from the slider's label and position.
  var describe = function (root) {
    root.querySelectorAll(".jupyter-widgets img:not([alt]), .jupyter-widgets img[alt='']").forEach(function (img) {
      var box = img.closest(".nnlib-frames");
      var label = box && box.querySelector(".widget-label");
      var value = box && box.querySelector(".widget-readout");
      var es = document.documentElement.lang === "es";  // the Spanish edition (_ext/editions.py)
      img.alt = (es ? "Fotograma precalculado del explorador" : "Pre-rendered frame of the explorer") +
        (label ? (es ? " para " : " for ") + label.textContent.trim() : "") +
        (value ? " = " + value.textContent.trim() : "");
    });
  };
  new MutationObserver(function () { describe(document); }).observe(document.body, {childList: true, subtree: true});
  describe(document);
});

// 3. Search results: Sphinx cuts each page's summary from its HTML, where the math is still TeX
//    ("\(\rho\)"), before MathJax has typeset it. Inline math becomes plain text (ρ, θ_k …), display math "…".
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  var SYMBOLS = {rho: "ρ", theta: "θ", Theta: "Θ", phi: "φ", Phi: "Φ", delta: "δ", Delta: "Δ", nu: "ν",
    lambda: "λ", alpha: "α", beta: "β", gamma: "γ", sigma: "σ", mu: "μ", epsilon: "ε", varepsilon: "ε",
    eta: "η", nabla: "∇", sum: "Σ", partial: "∂", infty: "∞", cdot: "·", times: "×", leq: "≤", le: "≤",
    geq: "≥", ge: "≥", to: "→", leftarrow: "←", odot: "⊙", approx: "≈", ell: "ℓ", tau: "τ", kappa: "κ"};
  var plain = function (tex) {
    return tex.replace(/^\\\(|\\\)$/g, "")
      .replace(/\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}/g, "$1/$2")
      .replace(/\\([A-Za-z]+)/g, function (m, name) { return SYMBOLS[name] || ""; })
      .replace(/[{}]/g, "").replace(/\s+/g, " ").trim();
  };
  var original = Search.htmlToText;
  Search.htmlToText = function (htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".math").forEach(function (el) {
      el.textContent = el.tagName === "DIV" ? " … " : plain(el.textContent);
    });
    return original(doc.documentElement.outerHTML, anchor);
  };
});
