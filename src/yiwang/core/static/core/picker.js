/* A searchable picker over a <select data-picker="URL"> (core.forms.PickerSelect, ADR 0058), without
   inline handlers (the Content-Security-Policy forbids them). The select stays in the form, hidden, and
   carries the value; a text input with role="combobox" shows its chosen option and, as one types, a
   listbox of its options in the order the search route ranks them (URL?q=… answers {"codes": [...]}).
   Keys: down/up move, Enter picks, Escape closes. Without JavaScript the select is used as it is. */
(function () {
  var MAX = 50;
  var seq = 0;

  function enhance(select) {
    var n = ++seq;
    var url = select.getAttribute('data-picker');
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value; });
    var wrap = document.createElement('div');
    wrap.className = 'picker';
    var input = document.createElement('input');
    input.type = 'text';
    input.id = (select.id || 'picker' + n) + '-search';
    input.autocomplete = 'off';
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.placeholder = select.getAttribute('data-picker-hint') || '';
    var list = document.createElement('ul');
    list.id = input.id + '-list';
    list.className = 'picker-list';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    input.setAttribute('aria-controls', list.id);
    var status = document.createElement('span');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    if (select.required) input.required = true;
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      label.htmlFor = input.id;
      if (!label.id) label.id = input.id + '-label';
      list.setAttribute('aria-labelledby', label.id);
    }
    if (select.getAttribute('aria-describedby')) {
      input.setAttribute('aria-describedby', select.getAttribute('aria-describedby'));
    }
    if (select.getAttribute('aria-invalid')) input.setAttribute('aria-invalid', select.getAttribute('aria-invalid'));
    select.hidden = true;
    select.required = false;
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    wrap.appendChild(select);

    var shown = [];
    var active = -1;
    var timer = null;
    var asked = '';

    function chosenText() {
      var o = select.options[select.selectedIndex];
      return o && o.value ? o.textContent.trim() : '';
    }
    input.value = chosenText();

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function mark(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) {
        li.setAttribute('aria-selected', j === i ? 'true' : 'false');
      });
      if (i >= 0 && list.children[i]) {
        input.setAttribute('aria-activedescendant', list.children[i].id);
        list.children[i].scrollIntoView({block: 'nearest'});
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }
    function draw(found) {
      shown = found.slice(0, MAX);
      list.textContent = '';
      shown.forEach(function (o, i) {
        var li = document.createElement('li');
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.setAttribute('data-value', o.value);
        li.textContent = o.textContent.trim();
        list.appendChild(li);
      });
      if (!shown.length) {
        var none = document.createElement('li');
        none.className = 'picker-none';
        none.textContent = select.getAttribute('data-picker-none') || '';
        list.appendChild(none);
      }
      status.textContent = (select.getAttribute('data-picker-count') || '{n}').replace('{n}', found.length);
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      mark(shown.length ? 0 : -1);
    }
    function search() {
      var q = input.value.trim();
      asked = q;
      if (!q) { draw(options); return; }
      var sep = url.indexOf('?') < 0 ? '?' : '&';
      fetch(url + sep + 'q=' + encodeURIComponent(q), {headers: {'Accept': 'application/json'}})
        .then(function (r) { return r.ok ? r.json() : {codes: []}; })
        .then(function (data) {
          if (asked !== q) return; // a later keystroke asked again
          var rank = {};
          (data.codes || []).forEach(function (c, i) { rank[c] = i; });
          var found = options.filter(function (o) { return rank[o.value] !== undefined; });
          found.sort(function (a, b) { return rank[a.value] - rank[b.value]; });
          draw(found);
        })
        .catch(function () { draw([]); });
    }
    function pick(i) {
      var o = shown[i];
      if (!o) return;
      select.value = o.value;
      input.value = o.textContent.trim();
      close();
      select.dispatchEvent(new Event('change', {bubbles: true}));
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener('keydown', function (e) {
      var open = !list.hidden;
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        if (!open) { search(); return; }
        mark(Math.min(active + 1, shown.length - 1));
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        if (open) mark(Math.max(active - 1, 0));
      } else if (e.key === 'Enter') {
        if (open && active >= 0) { e.preventDefault(); pick(active); }
      } else if (e.key === 'Escape') {
        if (open) { e.preventDefault(); close(); input.value = chosenText(); }
      }
    });
    list.addEventListener('mousedown', function (e) { e.preventDefault(); });
    list.addEventListener('click', function (e) {
      var li = e.target.closest('[role="option"]');
      if (li) pick(Array.prototype.indexOf.call(list.children, li));
    });
    input.addEventListener('blur', function () {
      close();
      if (!input.value.trim()) select.value = '';
      else input.value = chosenText();
    });
  }

  function init() {
    document.querySelectorAll('select[data-picker]').forEach(enhance);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
