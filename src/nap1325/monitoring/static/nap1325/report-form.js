/* Agency report form: running totals and completeness of breakdown grids as one types.
   Display only, no framework. The page works without it: "Check totals" asks the server.
   Numbers are added exactly as decimals (BigInt with a common scale), never as floats. */
(function () {
  "use strict";
  var NUMBER = /^[+-]?[0-9]+(?:[.,][0-9]+)?$/;

  function parse(text) {
    var t = (text || "").trim();
    if (!t || !NUMBER.test(t)) { return null; }
    t = t.replace(",", ".");
    var negative = t.charAt(0) === "-";
    t = t.replace(/^[+-]/, "");
    var parts = t.split(".");
    var frac = parts[1] || "";
    return { digits: BigInt(parts[0] + frac) * (negative ? -1n : 1n), scale: frac.length };
  }

  function add(a, b) {
    if (!a) { return b; }
    var scale = Math.max(a.scale, b.scale);
    var x = a.digits * 10n ** BigInt(scale - a.scale);
    var y = b.digits * 10n ** BigInt(scale - b.scale);
    return { digits: x + y, scale: scale };
  }

  function compare(a, b) {
    var scale = Math.max(a.scale, b.scale);
    var x = a.digits * 10n ** BigInt(scale - a.scale);
    var y = b.digits * 10n ** BigInt(scale - b.scale);
    return x === y ? 0 : (x < y ? -1 : 1);
  }

  function show(n) {
    if (!n) { return ""; }
    var negative = n.digits < 0n;
    var s = (negative ? -n.digits : n.digits).toString();
    if (n.scale > 0) {
      while (s.length <= n.scale) { s = "0" + s; }
      s = s.slice(0, s.length - n.scale) + "." + s.slice(s.length - n.scale);
      s = s.replace(/0+$/, "").replace(/\.$/, "");
    }
    return (negative && s !== "0" ? "-" : "") + s;
  }

  function fill(template, covered, total) {
    return template.replace("{covered}", covered).replace("{total}", total);
  }

  function update(grid) {
    var rows = {}, cols = {}, all = null, any = false;
    grid.querySelectorAll("input.cell-input").forEach(function (input) {
      var n = parse(input.value);
      if (!n) { return; }
      any = true;
      rows[input.dataset.row] = add(rows[input.dataset.row], n);
      cols[input.dataset.col] = add(cols[input.dataset.col], n);
      all = add(all, n);
    });
    grid.querySelectorAll("[data-row-total]").forEach(function (out) {
      out.textContent = show(rows[out.dataset.rowTotal]);
    });
    grid.querySelectorAll("[data-col-total]").forEach(function (out) {
      out.textContent = show(cols[out.dataset.colTotal]);
    });
    grid.querySelectorAll("[data-grand-total]").forEach(function (out) {
      out.textContent = show(all);
    });
    var line = grid.querySelector("[data-completeness]");
    if (!line) { return; }
    var totalInput = grid.dataset.totalInput ? document.getElementById(grid.dataset.totalInput) : null;
    var total = totalInput ? parse(totalInput.value) : null;
    var text = "", state = "";
    if (any && !total) {
      text = fill(grid.dataset.textNoTotal, show(all), ""); state = "incomplete";
    } else if (any) {
      var c = compare(all, total);
      var template = c === 0 ? grid.dataset.textComplete : (c < 0 ? grid.dataset.textIncomplete : grid.dataset.textExceeds);
      text = fill(template, show(all), show(total)); state = c === 0 ? "complete" : "incomplete";
    }
    line.textContent = text;
    line.classList.toggle("complete", state === "complete");
    line.classList.toggle("incomplete", state === "incomplete");
  }

  document.querySelectorAll("[data-report-form] [data-grid]").forEach(function (grid) {
    var refresh = function () { update(grid); };
    grid.addEventListener("input", refresh);
    if (grid.dataset.totalInput) {
      var totalInput = document.getElementById(grid.dataset.totalInput);
      if (totalInput) { totalInput.addEventListener("input", refresh); }
    }
  });

  /* One click on Submit is enough: a second click while the page loads is ignored. */
  var form = document.querySelector("[data-report-form]");
  if (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      var button = event.submitter;
      if (button && button.value !== "check") { form.dataset.sent = "1"; }
    });
    window.addEventListener("pageshow", function () { form.dataset.sent = ""; });
  }
})();
