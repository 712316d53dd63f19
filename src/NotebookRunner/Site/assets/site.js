// Runs in every page's head, after the bundled plotly.js and KaTeX.

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
