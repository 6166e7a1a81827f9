/* orgnet: sort a table by clicking its header (no library). Cells may carry data-sort. */
(function () {
  "use strict";
  var collator = window.Intl && Intl.Collator ? new Intl.Collator("zh-CN", {numeric: true}) : null;
  function key(cell, numeric) {
    var v = cell ? cell.getAttribute("data-sort") : "";
    if (v === null) { v = cell.textContent.trim(); }
    if (numeric) { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
    return v;
  }
  function compare(a, b, numeric) {
    if (numeric) { return a === b ? 0 : (a < b ? -1 : 1); }
    return collator ? collator.compare(a, b) : (a < b ? -1 : (a > b ? 1 : 0));
  }
  function sortBy(table, th, index) {
    var tbody = table.tBodies[0];
    if (!tbody) { return; }
    var numeric = th.getAttribute("data-type") === "num";
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var rows = Array.prototype.map.call(tbody.rows, function (r, i) {
      return {row: r, i: i, k: key(r.cells[index], numeric)};
    });
    rows.sort(function (a, b) { return compare(a.k, b.k, numeric) * dir || a.i - b.i; });
    var frag = document.createDocumentFragment();
    rows.forEach(function (x) { frag.appendChild(x.row); });
    tbody.appendChild(frag);
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) { return; }
      Array.prototype.forEach.call(head.cells, function (th, index) {
        th.tabIndex = 0;
        th.title = "点击排序";
        th.addEventListener("click", function () { sortBy(table, th, index); });
        th.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, index); }
        });
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
  window.orgnetSort = sortBy;
}());
