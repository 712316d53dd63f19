// A stand-in for require.js, just enough for charts that Plotly.NET emits in its require.js mode
// (as .NET Interactive showed them): requirejs.config(...) returns a require whose
// require(["plotly"], f) calls f(window.Plotly). The page loads the bundled plotly.js first.
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
