/*
 * The OpenID Provider's login page: when the <login-with-iota> button's
 * login fails or expires, post its session to finish, which sends the
 * browser back to the website with access_denied. A verified login posts
 * itself (the button's redirect attribute).
 */
(function () {
  'use strict';
  var form = document.getElementById('finish');
  function finish(e) {
    var d = (e && e.detail) || {};
    if (!d.session_id || !d.status_token) return; // the service was unreachable: the button offers a retry
    form.elements.session_id.value = d.session_id;
    form.elements.status_token.value = d.status_token;
    form.submit();
  }
  document.addEventListener('login-with-iota:failed', finish);
  document.addEventListener('login-with-iota:expired', finish);
})();
