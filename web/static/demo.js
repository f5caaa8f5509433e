// The demo website's own script: what a relying party does with the
// button's events. External (no inline script) so the page's CSP stays strict.
(function () {
  'use strict';
  var login = document.getElementById('login');
  var result = document.getElementById('result');
  var holder = document.getElementById('holder');
  var creds = document.getElementById('credentials');
  var lang = document.getElementById('lang');

  // Language: the select drives the button's lang attribute.
  customElements.whenDefined('login-with-iota').then(function () {
    lang.value = login.language;
  });
  lang.addEventListener('change', function () {
    document.documentElement.lang = lang.value; // the button follows the page
    login.setAttribute('lang', lang.value);
  });

  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  function show(value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  login.addEventListener('login-with-iota:started', function () { result.hidden = true; });
  login.addEventListener('login-with-iota:verified', function (e) {
    var r = e.detail.result || { credentials: [] };
    holder.textContent = r.holder;
    creds.replaceChildren();
    r.credentials.forEach(function (c) {
      var table = document.createElement('table');
      var rows = [['type', c.type.join(', ')], ['issuer', c.issuer]];
      Object.keys(c.credentialSubject || {}).forEach(function (k) {
        rows.push([k, show(c.credentialSubject[k])]);
      });
      rows.forEach(function (row) {
        var tr = document.createElement('tr');
        tr.append(cell('th', row[0]), cell('td', row[1]));
        table.append(tr);
      });
      creds.append(table);
    });
    result.hidden = false;
  });
})();
