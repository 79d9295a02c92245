// The printable edition (issue #19), loaded only by the single-page build (_ext/printing.py).
//
// tests/build_pdf.py opens the single page in Chromium, waits for MathJax, and calls
//   nnlibPrint.prepare(book)  the book's order and numbers, a title page, the contents, answers and solutions
//                             at the end of each part, explorers as strips of frames; every place whose page
//                             number is wanted gets an invisible mark ("QZ<n>QZ");
// then prints once, finds on which page each mark landed (pdftotext), and calls
//   nnlibPrint.fill(pages)    the page numbers into the contents and the cross-references, marks removed;
// and prints again. Page numbers take a box of fixed width in both printings, so filling them in moves nothing.
(function () {
  "use strict";
  var W = {};          // the edition's words (book.words)
  var marks = [];      // marks[n] = the id of the n-th marked place
  var markOf = {};     // id -> n

  function make(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function heading(section) {
    for (var c = section.firstElementChild; c; c = c.nextElementSibling) {
      if (/^H[1-6]$/.test(c.tagName)) return c;
    }
    return null;
  }

  function childSections(section) {
    return Array.prototype.filter.call(section.children, function (c) {
      return c.tagName === "SECTION" && heading(c);
    });
  }

  // The top section of a document of the single page (Sphinx puts <span id="document-NAME"> just before it).
  function docSection(doc) {
    var anchor = document.getElementById("document-" + doc);
    if (!anchor) throw new Error("the single page has no document " + doc);
    var s = anchor.nextElementSibling;
    while (s && s.tagName !== "SECTION") s = s.nextElementSibling;
    if (!s) throw new Error("no section after the anchor of " + doc);
    s.insertBefore(anchor, s.firstChild);  // the anchor travels with its section
    return s;
  }

  // A heading of the given level, with the section number in front.
  function retitle(section, level, number) {
    var h = heading(section);
    if (!h) return null;
    var n = document.createElement("h" + Math.min(level, 6));
    for (var i = 0; i < h.attributes.length; i++) n.setAttribute(h.attributes[i].name, h.attributes[i].value);
    while (h.firstChild) n.appendChild(h.firstChild);
    if (number) {
      var num = make("span", "nnlib-number", number);
      n.insertBefore(document.createTextNode(" "), n.firstChild);
      n.insertBefore(num, n.firstChild);
    }
    h.replaceWith(n);
    return n;
  }

  // Number a section and the sections inside it: 3.2, 3.2.1, 3.2.1.1; deeper levels are not numbered.
  function numberSections(section, level, number) {
    retitle(section, level, number);
    var k = 0;
    childSections(section).forEach(function (child) {
      k += 1;
      numberSections(child, level + 1, number && level + 1 <= 4 ? number + "." + k : "");
    });
    return k;
  }

  function titleNodes(section) {
    var h = heading(section);
    var box = make("span", "nnlib-toc-title");
    Array.prototype.forEach.call(h.childNodes, function (c) {
      if (c.classList && (c.classList.contains("nnlib-number") || c.classList.contains("headerlink"))) return;
      box.appendChild(c.cloneNode(true));
    });
    return box;
  }

  var made = 0;  // ids made here: unique whatever is in the document yet
  function ensureId(e, prefix) {
    if (!e.id) e.id = prefix + "-" + (made += 1);
    return e.id;
  }

  function mark(id) {
    if (!(id in markOf)) {
      markOf[id] = marks.length;
      marks.push(id);
    }
    return markOf[id];
  }

  // "(p. 000)": the number is filled in after the first printing, in a box of fixed width.
  function pageref(id, before) {
    mark(id);
    var s = make("span", "nnlib-pageref");
    s.appendChild(document.createTextNode((before || "") + "(" + W.page + "\u00a0"));
    var n = make("span", "nnlib-pagenum", "000");
    n.dataset.target = id;
    s.appendChild(n);
    s.appendChild(document.createTextNode(")"));
    return s;
  }

  // 1. Pre-rendered explorers become a strip of four of their frames; live explorers a note.
  function widgets() {
    var script = document.getElementById("nnlib-widget-state");
    var models = script ? JSON.parse(script.textContent).state : {};
    var ref = function (r) { return models[String(r).replace(/^IPY_MODEL_/, "")]; };
    document.querySelectorAll("script[type='application/vnd.jupyter.widget-view+json']").forEach(function (view) {
      var model = models[JSON.parse(view.textContent).model_id];
      var classes = (model && model.state._dom_classes) || [];
      var out;
      if (classes.indexOf("nnlib-frames") >= 0) {
        var kids = model.state.children.map(ref);
        var slider = kids[0], stack = kids[1];
        var images = stack.state.children.map(ref);
        var labels = slider.state._options_labels;
        var n = images.length, pick = [];
        for (var i = 0; i < Math.min(4, n); i++) {
          var j = n <= 4 ? i : Math.round(i * (n - 1) / 3);
          if (pick.indexOf(j) < 0) pick.push(j);
        }
        out = make("figure", "nnlib-strip");
        var row = make("div", "nnlib-strip-frames");
        pick.forEach(function (j) {
          var img = images[j], data = img.state.value;
          (img.buffers || []).forEach(function (b) { if (b.path[0] === "value") data = b.data; });
          var f = make("figure", "nnlib-frame");
          var im = make("img");
          im.src = "data:image/" + (img.state.format || "png") + ";base64," + data;
          var label = (slider.state.description ? slider.state.description + " = " : "") + labels[j];
          im.alt = W.frameAlt + " " + label;
          f.appendChild(im);
          f.appendChild(make("figcaption", "", label));
          row.appendChild(f);
        });
        out.appendChild(row);
        out.appendChild(make("figcaption", "nnlib-strip-caption",
          W.strip.replace("{shown}", pick.length).replace("{total}", n)));
      } else if (classes.indexOf("nnlib-live") >= 0) {
        out = make("p", "nnlib-live-note", W.live);
      } else {
        out = make("span");  // anything else interactive (none in the book today) has nothing to print
      }
      view.replaceWith(out);
    });
  }

  // 2. Everything folded is printed open; hidden code cells (the drawing code) are left out, their output kept.
  function unfold() {
    document.querySelectorAll("details.hide").forEach(function (d) {
      var output = d.querySelector(".cell_output");
      if (output) d.replaceWith(output); else d.remove();
    });
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    document.querySelectorAll(".toggle-hidden").forEach(function (e) { e.classList.remove("toggle-hidden"); });
    document.querySelectorAll(".toggle-button, a.headerlink, .nnlib-language").forEach(function (e) { e.remove(); });
  }

  // 3. Ids that two documents share (every page has "what-to-remember"): each document's own links go to its own.
  function scopeIds(docs) {
    var seen = {};
    docs.forEach(function (d, k) {
      [d.section].concat(Array.prototype.slice.call(d.section.querySelectorAll("[id]"))).forEach(function (e) {
        var id = e.id;
        if (!(id in seen)) { seen[id] = true; return; }
        var mine = id + "--" + k;
        e.id = mine;
        d.section.querySelectorAll("a[href$='#" + CSS.escape(id) + "']").forEach(function (a) {
          if (a.getAttribute("href").split("#").pop() === id) a.setAttribute("href", "#" + mine);
        });
      });
    });
  }

  function target(a) {
    var href = a.getAttribute("href") || "";
    var i = href.indexOf("#");
    if (i < 0 || (i > 0 && href.slice(0, i) !== "index.html")) return null;
    var id = decodeURIComponent(href.slice(i + 1));
    return id ? document.getElementById(id) : null;
  }

  // 4. Answers to the questions and solutions to the exercises move to the end of their part.
  function answers(part, docs) {
    var box = make("section", "nnlib-answers");
    box.id = "nnlib-answers-" + part.index;
    var h = make("h2", "", W.answers + " \u2014 " + part.name);
    box.appendChild(h);
    var count = 0;
    docs.forEach(function (d) {
      var moved = [];
      d.section.querySelectorAll(".admonition.dropdown, .solution").forEach(function (a) {
        var title = a.querySelector(".admonition-title");
        var isSolution = a.classList.contains("solution");
        if (!isSolution && !(title && title.textContent.trim() === W.answerTitle)) return;
        moved.push([a, isSolution]);
      });
      if (!moved.length) return;
      var group = make("h3", "nnlib-answers-for");
      group.appendChild(make("span", "nnlib-number", d.number));
      group.appendChild(document.createTextNode(" "));
      group.appendChild(titleNodes(d.section));
      box.appendChild(group);
      moved.forEach(function (m) {
        var a = m[0], isSolution = m[1];
        a.classList.remove("dropdown", "toggle");
        var id = ensureId(a, "nnlib-answer");
        var title = a.querySelector(".admonition-title");
        var stub = make("p", "nnlib-moved");
        var link = make("a", "reference internal", isSolution ? W.solutionAt : W.answerAt);
        link.href = "#" + id;
        stub.appendChild(link);
        stub.appendChild(pageref(id, " "));
        if (isSolution) {
          var ex = title.querySelector("a");
          if (ex && target(ex)) title.appendChild(pageref(target(ex).id, " "));
        } else {
          var q = a.previousElementSibling;
          var num = q && q.querySelector("strong") ? q.querySelector("strong").textContent.replace(/\.$/, "") : "";
          var qid = ensureId(q || a, "nnlib-question");
          title.textContent = "";
          var back = make("a", "reference internal", W.question + (num ? " " + num : ""));
          back.href = "#" + qid;
          title.appendChild(back);
          title.appendChild(pageref(qid, " "));
        }
        a.replaceWith(stub);
        box.appendChild(a);
        count += 1;
      });
    });
    return count ? box : null;
  }

  function partName(caption) {
    var m = /^(\d+)\s*·\s*(.*)$/.exec(caption);
    return m ? {number: m[1], name: m[2]} : {number: "", name: caption};
  }

  function prepare(book) {
    W = book.words;
    document.title = book.title;
    widgets();
    unfold();

    var article = document.querySelector("article.bd-article") || document.querySelector("[role=main]");
    var front = article.querySelector("section");  // the home page, with every other document inside it
    var captions = Array.prototype.map.call(
      document.querySelectorAll("nav.bd-docs-nav p.caption .caption-text"), function (c) { return c.textContent.trim(); });
    captions = captions.filter(function (c, i) { return captions.indexOf(c) === i; });  // the menu is there twice
    if (captions.length !== book.parts.length) captions = book.parts.map(function (p) { return p.caption; });

    // The printed book is built in the page (so that getElementById finds what moves into it), then replaces it.
    var printed = make("div", "nnlib-print");
    article.appendChild(printed);
    var tp = make("section", "nnlib-titlepage");
    tp.appendChild(make("p", "nnlib-kicker", book.kicker));
    tp.appendChild(make("h1", "nnlib-title", book.title));
    tp.appendChild(make("p", "nnlib-author", book.author));
    tp.appendChild(make("p", "nnlib-edition", book.edition));
    tp.appendChild(make("p", "nnlib-url", book.url));
    printed.appendChild(tp);
    var toc = make("nav", "nnlib-toc");
    toc.appendChild(make("h1", "", W.contents));
    var tocList = make("ol", "nnlib-toc-list");
    toc.appendChild(tocList);
    printed.appendChild(toc);

    // 1. Every document in the order of _toc.yml, out of the nesting of the single page, numbered.
    var docs = [];
    var parts = book.parts.map(function (part, p) {
      var info = partName(captions[p]);
      var box = make("section", "nnlib-part");
      box.id = "nnlib-part-" + (p + 1);
      var h = make("h1");
      h.appendChild(make("span", "nnlib-number", info.number ? W.part + " " + info.number : ""));
      h.appendChild(make("span", "nnlib-part-title", info.name));
      box.appendChild(h);
      printed.appendChild(box);
      var mine = [], c = 0, k = 0, chapterNumber = "";
      part.chapters.forEach(function (ch) {
        [ch.file].concat(ch.sections).forEach(function (doc, i) {
          var d = {doc: doc, chapter: i === 0, section: docSection(doc)};
          if (d.chapter) {
            c += 1;
            chapterNumber = info.number ? info.number + "." + c : String.fromCharCode(64 + c);
            d.number = chapterNumber;
            k = numberSections(d.section, 2, d.number);
            d.section.classList.add("nnlib-chapter");
          } else {
            k += 1;
            d.number = chapterNumber + "." + k;
            numberSections(d.section, 3, d.number);
            d.section.classList.add("nnlib-section");
            if (doc.indexOf("/api/") >= 0) d.section.classList.add("nnlib-api");
          }
          printed.appendChild(d.section);
          ensureId(d.section, "nnlib-doc");
          mine.push(d);
          docs.push(d);
        });
      });
      return {info: info, box: box, docs: mine, index: p + 1};
    });

    // 2. The home page, as the book's foreword after the contents (without its list of contents).
    front.querySelectorAll(".toctree-wrapper").forEach(function (t) {
      var s = t.closest("section");
      if (s && s !== front) s.remove(); else t.remove();
    });
    numberSections(front, 2, "");
    front.classList.add("nnlib-front");
    heading(front).textContent = W.about;
    ensureId(front, "nnlib-front");
    toc.after(front);
    article.replaceChildren(printed);
    scopeIds([{section: front}].concat(docs));

    // 3. Answers and solutions after the last document of each part.
    parts.forEach(function (P) {
      P.answers = answers({index: P.index, name: P.info.number ? W.part + " " + P.info.number : P.info.name}, P.docs);
      if (P.answers) {
        ensureId(P.answers, "nnlib-answers");
        P.docs[P.docs.length - 1].section.after(P.answers);
      }
    });

    // 4. The contents: parts, chapters and their pages, with the page each begins on.
    var tocEntry = function (cls, number, titleNode, id) {
      var li = make("li", cls);
      var a = make("a", "nnlib-toc-link");
      a.href = "#" + id;
      if (number) a.appendChild(make("span", "nnlib-number", number));
      a.appendChild(titleNode);
      li.appendChild(a);
      li.appendChild(make("span", "nnlib-leader"));
      var n = make("span", "nnlib-pagenum", "000");
      n.dataset.target = id;
      mark(id);
      li.appendChild(n);
      tocList.appendChild(li);
    };
    tocEntry("nnlib-toc-front", "", make("span", "nnlib-toc-title", W.about), front.id);
    parts.forEach(function (P) {
      tocEntry("nnlib-toc-part", P.info.number, make("span", "nnlib-toc-title", P.info.name), P.box.id);
      P.docs.forEach(function (d) {
        tocEntry(d.chapter ? "nnlib-toc-chapter" : "nnlib-toc-section", d.number, titleNodes(d.section), d.section.id);
      });
      if (P.answers) {
        tocEntry("nnlib-toc-chapter nnlib-toc-answers", "", make("span", "nnlib-toc-title", W.answers), P.answers.id);
      }
    });

    // 5. Cross-references to pages, sections, exercises and figures get the page they point to.
    printed.querySelectorAll("a.reference.internal").forEach(function (a) {
      if (a.closest(".nnlib-toc, .nnlib-pageref, .admonition-title, h1, h2, h3, h4, h5, h6, .nnlib-moved")) return;
      var t = target(a);
      if (!t || !printed.contains(t)) return;
      if (!(t.tagName === "SECTION" || /^document-/.test(t.id) || t.matches(".exercise, .solution, figure"))) return;
      a.after(pageref(t.id, "\u00a0"));
    });

    // Every place a page number points to must be one element: a shared id would give the wrong page.
    var count = {};
    document.querySelectorAll("[id]").forEach(function (e) { count[e.id] = (count[e.id] || 0) + 1; });
    marks.forEach(function (id) {
      if (count[id] !== 1) throw new Error("the id " + id + " is on " + (count[id] || 0) + " elements, not one");
    });

    // The marks: an invisible token at each place whose page is wanted (for a section, in its heading).
    marks.forEach(function (id, n) {
      var e = document.getElementById(id);
      var m = make("span", "nnlib-mark", "QZ" + n + "QZ");
      var h = e.tagName === "SECTION" ? heading(e) : null;
      if (h) h.insertBefore(m, h.firstChild);
      else if (e.tagName === "SPAN" && !e.textContent) e.after(m);
      else e.insertBefore(m, e.firstChild);
    });
    return {marks: marks.length, documents: docs.length};
  }

  function fill(pages) {
    var missing = [];
    document.querySelectorAll(".nnlib-pagenum").forEach(function (n) {
      var p = pages[markOf[n.dataset.target]];
      if (p === undefined) missing.push(n.dataset.target); else n.textContent = String(p);
    });
    document.querySelectorAll(".nnlib-mark").forEach(function (m) { m.remove(); });
    return missing;
  }

  window.nnlibPrint = {prepare: prepare, fill: fill};
})();
