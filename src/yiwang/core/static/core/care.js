/* The elderly-friendly mode (适老化): larger text and stronger contrast on every page, remembered in this
   browser. Loaded in <head> without defer so a page never flashes in the small type first; the buttons
   marked data-care-toggle switch it (no inline handlers: the Content-Security-Policy forbids them). */
(function () {
  var root = document.documentElement;
  var KEY = 'yiwang-care';
  try { if (window.localStorage.getItem(KEY) === '1') root.classList.add('care'); } catch (e) { /* storage off */ }
  function sync() {
    var on = root.classList.contains('care');
    document.querySelectorAll('[data-care-toggle]').forEach(function (b) { b.setAttribute('aria-pressed', on ? 'true' : 'false'); });
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest('[data-care-toggle]');
    if (!b) return;
    var on = root.classList.toggle('care');
    try { window.localStorage.setItem(KEY, on ? '1' : '0'); } catch (err) { /* storage off: this page only */ }
    sync();
  });
  document.addEventListener('DOMContentLoaded', sync);
})();
