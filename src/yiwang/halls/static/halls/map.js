/* "Use my location" on the halls map: fills the coordinates and submits the filter.
   The messages come from the button's data attributes (translated in the template). */
(function () {
  var b = document.getElementById('locate'), s = document.getElementById('locate-status');
  if (!b) return;
  b.addEventListener('click', function () {
    if (!navigator.geolocation) { s.textContent = b.dataset.unsupported; return; }
    s.textContent = b.dataset.finding;
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById('lat').value = p.coords.latitude.toFixed(5);
      document.getElementById('lng').value = p.coords.longitude.toFixed(5);
      document.getElementById('street').value = '';
      document.getElementById('map-filter').submit();
    }, function () { s.textContent = b.dataset.unavailable; }, { timeout: 8000 });
  });
})();
