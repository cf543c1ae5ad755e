/* Behaviour shared by every page, without inline handlers (the Content-Security-Policy forbids them).
   - the menu button opens and closes the navigation on narrow screens;
   - <select data-autosubmit> submits its form when changed;
   - <select data-clears="id1 id2"> empties those inputs when changed;
   - <form data-confirm="question"> asks the question before an irreversible step is sent. */
(function () {
  document.addEventListener('click', function (e) {
    var b = e.target.closest('.menu-toggle');
    if (!b) return;
    var n = document.getElementById(b.getAttribute('aria-controls'));
    if (!n) return;
    b.setAttribute('aria-expanded', n.classList.toggle('open'));
  });
  document.addEventListener('submit', function (e) {
    var f = e.target;
    var q = f.getAttribute && f.getAttribute('data-confirm');
    if (q && !window.confirm(q)) e.preventDefault();
  });
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el.hasAttribute('data-clears')) {
      el.getAttribute('data-clears').split(' ').forEach(function (id) {
        var t = document.getElementById(id);
        if (t) t.value = '';
      });
    }
    if (el.hasAttribute('data-autosubmit') && el.form) el.form.submit();
  });
})();
