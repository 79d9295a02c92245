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
      img.alt = "Pre-rendered frame of the explorer" +
        (label ? " for " + label.textContent.trim() : "") + (value ? " = " + value.textContent.trim() : "");
    });
  };
  new MutationObserver(function () { describe(document); }).observe(document.body, {childList: true, subtree: true});
  describe(document);
});
