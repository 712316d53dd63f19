// Runs in every page's head, after the bundled plotly.js, KaTeX, MiniSearch and the search index.

// 1. A stand-in for require.js, just enough for charts that Plotly.NET emits in its require.js mode
//    (as .NET Interactive showed them): requirejs.config(...) returns a require whose
//    require(["plotly"], f) calls f(window.Plotly).
(function () {
  if (typeof window.requirejs === "function") return;
  function require(deps, callback) {
    var modules = deps.map(function (name) { return name === "plotly" ? window.Plotly : undefined; });
    if (typeof callback === "function") callback.apply(null, modules);
  }
  require.config = function () { return require; };
  window.requirejs = require;
  window.require = require;
})();

// 2. Math: Markdig writes $x$ as <span class="math">\(x\)</span> and $$x$$ as <div class="math">\[x\]</div>;
//    KaTeX typesets them. Without KaTeX the TeX source stays readable.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.katex) return;
  document.querySelectorAll(".math").forEach(function (element) {
    var tex = element.textContent.trim().replace(/^\\[([]|\\[)\]]$/g, "");
    window.katex.render(tex, element, { displayMode: element.tagName === "DIV", throwOnError: false });
  });
});

// 3. Search: search-index.js (written by the renderer) sets window.courseSearchDocuments, one document per
//    section of every chapter; MiniSearch (assets/minisearch.js) indexes them when the reader first types into the
//    box in the header, which lists the best sections, each a link to its chapter page at the section's heading.
document.addEventListener("DOMContentLoaded", function () {
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  if (!input || !list || !window.MiniSearch || !window.courseSearchDocuments) return;

  // Indexed on first use, so pages that are only read do not pay for it.
  var search = null;
  function index() {
    if (search) return search;
    search = new window.MiniSearch({
      fields: ["section", "text", "chapter"],
      storeFields: ["url", "chapter", "section", "text"],
    });
    search.addAll(window.courseSearchDocuments);
    return search;
  }

  // A few words around the first matched term, so a result says why it matched.
  function snippet(text, terms) {
    var lower = text.toLowerCase();
    var at = terms.map(function (term) { return lower.indexOf(term); }).filter(function (i) { return i >= 0; })[0];
    if (at === undefined) return "";
    var start = Math.max(0, at - 50);
    return (start > 0 ? "…" : "") + text.slice(start, at + 70).trim() + (at + 70 < text.length ? "…" : "");
  }

  function show(query) {
    list.replaceChildren();
    var results = query.trim() === ""
      ? []
      : index().search(query, { prefix: true, fuzzy: 0.2, boost: { section: 2 }, combineWith: "AND" }).slice(0, 10);
    results.forEach(function (result) {
      var link = document.createElement("a");
      link.href = result.url;
      link.textContent = result.chapter + " › " + result.section;
      var item = document.createElement("li");
      item.appendChild(link);
      var words = snippet(result.text, result.terms);
      if (words) {
        var context = document.createElement("div");
        context.className = "snippet";
        context.textContent = words;
        item.appendChild(context);
      }
      list.appendChild(item);
    });
    if (query.trim() !== "" && results.length === 0) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No section matches “" + query.trim() + "”.";
      list.appendChild(none);
    }
    list.hidden = query.trim() === "";
  }

  input.addEventListener("input", function () { show(input.value); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; show(""); }
    if (event.key === "Enter" && list.querySelector("a")) list.querySelector("a").click();
  });
});
