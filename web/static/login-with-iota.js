/*
 * <login-with-iota> — the "Login with IOTA" button, served by the verifier.
 *
 *   <script src="https://verifier.example/static/login-with-iota.js" defer></script>
 *   <login-with-iota definition="verifiable-id"></login-with-iota>
 *
 * No build step, no framework, no inline script or style, no eval: it runs
 * under a strict Content-Security-Policy. See the README ("For websites: the
 * button") for attributes, events, theming and languages.
 */
(function () {
  'use strict';
  if (!window.customElements || customElements.get('login-with-iota')) return;

  // Where the verifier is: the script's own URL minus /static/…, unless the
  // element says otherwise (verifier="https://…").
  var scriptSrc = document.currentScript && document.currentScript.src;
  var scriptBase = scriptSrc ? scriptSrc.replace(/\/static\/[^/]*$/, '') : location.origin;

  var TEXTS = {
    en: {
      button: 'Log in with IOTA',
      starting: 'Starting…',
      scan: 'Scan the QR code with your IOTA wallet.',
      open_wallet: 'Open the wallet on this device',
      opening: 'Opening your wallet…',
      waiting: 'Waiting for your wallet…',
      expires_in: 'Expires in {time}',
      expired: 'The login expired.',
      retry: 'Try again',
      cancel: 'Cancel',
      verified: 'You are logged in.',
      failed: 'The login failed.',
      error: 'The login service cannot be reached.',
      qr_alt: 'QR code to log in with your IOTA wallet',
      panel: 'Log in with your IOTA wallet'
    },
    de: {
      button: 'Mit IOTA anmelden',
      starting: 'Wird gestartet…',
      scan: 'Scannen Sie den QR-Code mit Ihrer IOTA-Wallet.',
      open_wallet: 'Wallet auf diesem Gerät öffnen',
      opening: 'Ihre Wallet wird geöffnet…',
      waiting: 'Warten auf Ihre Wallet…',
      expires_in: 'Läuft ab in {time}',
      expired: 'Die Anmeldung ist abgelaufen.',
      retry: 'Erneut versuchen',
      cancel: 'Abbrechen',
      verified: 'Sie sind angemeldet.',
      failed: 'Die Anmeldung ist fehlgeschlagen.',
      error: 'Der Anmeldedienst ist nicht erreichbar.',
      qr_alt: 'QR-Code zur Anmeldung mit Ihrer IOTA-Wallet',
      panel: 'Mit Ihrer IOTA-Wallet anmelden'
    },
    fr: {
      button: 'Se connecter avec IOTA',
      starting: 'Démarrage…',
      scan: 'Scannez le code QR avec votre portefeuille IOTA.',
      open_wallet: 'Ouvrir le portefeuille sur cet appareil',
      opening: 'Ouverture de votre portefeuille…',
      waiting: 'En attente de votre portefeuille…',
      expires_in: 'Expire dans {time}',
      expired: 'La connexion a expiré.',
      retry: 'Réessayer',
      cancel: 'Annuler',
      verified: 'Vous êtes connecté.',
      failed: 'La connexion a échoué.',
      error: 'Le service de connexion est injoignable.',
      qr_alt: 'Code QR pour vous connecter avec votre portefeuille IOTA',
      panel: 'Se connecter avec votre portefeuille IOTA'
    }
  };
  var FINAL = { verified: true, failed: true, expired: true };

  // h builds an element with DOM calls, never by parsing HTML, so pages
  // that enforce Trusted Types work too.
  function h(tag, attrs, children) {
    var svg = tag === 'svg' || tag === 'path';
    var el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
    for (var k in attrs || {}) {
      if (attrs[k] === true) el.setAttribute(k, '');
      else if (attrs[k] !== false && attrs[k] != null) el.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { el.append(c); });
    return el;
  }

  // isMobile guesses whether the wallet lives on this device. Override it
  // with flow="cross-device" or flow="same-device".
  function isMobile() {
    if (navigator.userAgentData && navigator.userAgentData.mobile) return true;
    var ua = navigator.userAgent || '';
    return /Android|iPhone|iPad|iPod|Mobile/i.test(ua) ||
      (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1); // iPadOS
  }

  function formatTime(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(s / 60);
    s = s % 60;
    return m + ':' + (s < 10 ? '0' : '') + s;
  }

  class LoginWithIota extends HTMLElement {
    static get observedAttributes() { return ['lang']; }

    constructor() {
      super();
      this.texts = {}; // per-key overrides, as property (or text-* attributes)
      this._session = null;
      this._timers = [];
      this._source = null;
      var root = this.attachShadow({ mode: 'open' });
      var link = h('link', { rel: 'stylesheet', href: this._url('/static/login-with-iota.css') });
      this._box = h('div', { class: 'box', part: 'box', hidden: true });
      // Shown once the stylesheet is in, so nothing flashes unstyled.
      var show = () => { this._box.hidden = false; };
      link.addEventListener('load', show);
      link.addEventListener('error', show);

      this._start = h('button', { type: 'button', class: 'start', part: 'button' }, [
        h('svg', { viewBox: '0 0 24 24', width: '20', height: '20', 'aria-hidden': 'true', focusable: 'false', class: 'logo' }, [
          h('path', { fill: 'currentColor', d: 'M12 2a2 2 0 1 1 0 4 2 2 0 0 1 0-4Zm-5 3a1.6 1.6 0 1 1 0 3.2A1.6 1.6 0 0 1 7 5Zm10 0a1.6 1.6 0 1 1 0 3.2A1.6 1.6 0 0 1 17 5ZM4.5 10a1.3 1.3 0 1 1 0 2.6 1.3 1.3 0 0 1 0-2.6Zm15 0a1.3 1.3 0 1 1 0 2.6 1.3 1.3 0 0 1 0-2.6ZM12 8.5a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7ZM7 16a1.6 1.6 0 1 1 0 3.2A1.6 1.6 0 0 1 7 16Zm10 0a1.6 1.6 0 1 1 0 3.2 1.6 1.6 0 0 1 0-3.2Zm-5 2.5a1.75 1.75 0 1 1 0 3.5 1.75 1.75 0 0 1 0-3.5Z' })
        ]),
        this._label = h('span', { class: 'label' })
      ]);
      this._hint = h('p', { class: 'hint' });
      this._qr = h('img', { class: 'qr', part: 'qr', width: '220', height: '220', decoding: 'async' });
      this._walletLink = h('a', { class: 'wallet-link', part: 'wallet-link', rel: 'noopener' });
      this._countdown = h('p', { class: 'countdown', part: 'countdown' });
      this._retry = h('button', { type: 'button', class: 'retry', part: 'retry', hidden: true });
      this._cancel = h('button', { type: 'button', class: 'cancel', part: 'cancel' });
      this._panel = h('div', { class: 'panel', part: 'panel', role: 'group', tabindex: '-1', hidden: true }, [
        this._hint,
        h('div', { class: 'qr-frame' }, [this._qr]),
        this._walletLink,
        this._countdown,
        h('div', { class: 'actions' }, [this._retry, this._cancel])
      ]);
      // role=status is aria-live=polite: each state change is announced once;
      // the countdown sits outside it so it is not read out every second.
      this._status = h('p', { class: 'status', part: 'status', role: 'status', tabindex: '-1' });
      this._box.append(this._start, this._panel, this._status);
      root.append(link, this._box);

      this._start.addEventListener('click', () => this.start());
      this._retry.addEventListener('click', () => this.start());
      this._cancel.addEventListener('click', () => this.cancel());
      this._panel.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') this.cancel();
      });
    }

    connectedCallback() {
      if (!this.hasAttribute('state')) this._setState('idle');
      this._render();
      this._redeemFromURL();
    }

    disconnectedCallback() { this._stop(); }

    attributeChangedCallback() { this._render(); }

    // The language: the element's lang, an ancestor's, then the browser's
    // (navigator.languages is what it sends as Accept-Language).
    get language() {
      var wanted = [];
      var own = this.closest('[lang]');
      if (own) wanted.push(own.getAttribute('lang'));
      wanted = wanted.concat(navigator.languages || [navigator.language || 'en']);
      for (var i = 0; i < wanted.length; i++) {
        var l = String(wanted[i] || '').toLowerCase().split('-')[0];
        if (TEXTS[l]) return l;
      }
      return 'en';
    }

    t(key, vars) {
      var s = this.texts[key] || this.getAttribute('text-' + key.replace(/_/g, '-')) ||
        TEXTS[this.language][key] || TEXTS.en[key];
      for (var k in vars || {}) s = s.replace('{' + k + '}', vars[k]);
      return s;
    }

    // _url resolves a path the verifier handed out: absolute URLs as they
    // are, paths relative to the verifier's base URL.
    _url(path) {
      if (/^https?:\/\//.test(path)) return path;
      var base = (this.getAttribute('verifier') || scriptBase).replace(/\/+$/, '');
      return base + path;
    }

    _flow() {
      var f = this.getAttribute('flow');
      if (f === 'cross-device' || f === 'same-device') return f;
      return isMobile() ? 'same-device' : 'cross-device';
    }

    async start() {
      this._stop();
      this._setState('starting');
      var flow = this._flow();
      var run = this._run = (this._run || 0) + 1; // a cancel or retry meanwhile wins
      try {
        var resp = await fetch(this._url('/api/v1/sessions'), {
          method: 'POST',
          credentials: 'include', // the HttpOnly cookie: events and redemption
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ definition: this.getAttribute('definition') || 'verifiable-id', flow: flow })
        });
        if (!resp.ok) throw new Error('create: ' + resp.status);
        var s = await resp.json();
        if (run !== this._run) return;
        // Count down on the server's clock when the Date header is readable
        // and the clocks differ by more than its one-second resolution.
        var serverNow = Date.parse(resp.headers.get('Date') || '');
        var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();
        this._skew = Math.abs(skew) > 2000 ? skew : 0;
        this._session = s;
      } catch (e) {
        if (run !== this._run) return;
        this._setState('error');
        this._emit('failed', { error: { error: 'unavailable', error_description: String(e && e.message || e) } });
        return;
      }
      this._expiresAt = Date.parse(this._session.expires_at);
      this._sameDevice = flow === 'same-device';
      if (!this._sameDevice) this._qr.src = this._url(this._session.qr_svg);
      this._walletLink.href = this._session.authorization_request;
      this._setState('pending');
      this._emit('started', { session_id: this._session.id });
      this._panel.focus();
      this._tick();
      this._timers.push(setInterval(() => this._tick(), 1000));
      this._follow();
      if (this._sameDevice) {
        // On a phone: open the wallet with the request; the link stays for
        // when the browser does not follow.
        location.assign(this._session.authorization_request);
      }
    }

    cancel() {
      this._run = (this._run || 0) + 1;
      this._stop();
      this._session = null;
      this._setState('idle');
      this._start.focus();
    }

    // _follow listens for the outcome: Server-Sent Events, or polling when
    // they are off (no-sse), unavailable or blocked.
    _follow() {
      var s = this._session;
      if (this.hasAttribute('no-sse') || typeof EventSource !== 'function') {
        this._poll();
        return;
      }
      var es = new EventSource(this._url(s.status_url + '/events'), { withCredentials: true });
      this._source = es;
      var onStatus = (e) => {
        this._setAttr('transport', 'sse');
        this._onStatus(JSON.parse(e.data));
      };
      ['pending', 'verified', 'failed', 'expired'].forEach(function (name) {
        es.addEventListener(name, onStatus);
      });
      es.addEventListener('error', () => {
        es.close();
        if (this._source === es) {
          this._source = null;
          if (this._session === s && !FINAL[this.getAttribute('state')]) this._poll();
        }
      });
    }

    _poll() {
      var s = this._session;
      this._setAttr('transport', 'polling');
      var every = Number(this.getAttribute('poll-interval')) || 2000;
      var once = async () => {
        if (this._session !== s) return;
        try {
          var resp = await fetch(this._url(s.status_url), {
            headers: { Authorization: 'Bearer ' + s.status_token },
            cache: 'no-store'
          });
          if (resp.ok) this._onStatus(await resp.json());
          else if (resp.status === 401 || resp.status === 404) return this._setState('error');
        } catch (e) { /* offline for a moment: try again */ }
        if (this._session === s && !FINAL[this.getAttribute('state')]) {
          this._timers.push(setTimeout(once, every));
        }
      };
      once();
    }

    _onStatus(st) {
      if (!this._session || st.id !== this._session.id) return;
      if (st.expires_at) this._expiresAt = Date.parse(st.expires_at);
      if (!FINAL[st.status] || FINAL[this.getAttribute('state')]) return;
      this._stop();
      this._setState(st.status);
      var detail = { session_id: st.id, status_token: this._session.status_token };
      if (st.status === 'verified') {
        detail.result = st.result;
        this._status.focus();
      } else if (st.status === 'failed') {
        detail.error = st.error;
        this._retry.focus();
      } else {
        this._retry.focus();
      }
      var go = this._emit(st.status, detail);
      if (st.status === 'verified' && go && this.getAttribute('redirect')) this._submit(detail);
    }

    // _submit takes the browser to the website's redirect URL with a POST
    // (session_id, status_token), so the token stays out of URLs and logs;
    // the website's server then reads the result from the verifier.
    _submit(detail) {
      var form = h('form', { method: 'post', action: this.getAttribute('redirect'), hidden: true }, [
        h('input', { type: 'hidden', name: 'session_id', value: detail.session_id }),
        h('input', { type: 'hidden', name: 'status_token', value: detail.status_token })
      ]);
      this.shadowRoot.append(form);
      form.submit();
    }

    // _redeemFromURL finishes a same-device direct_post login on the page
    // the wallet sent the browser back to (…?session_id=…&response_code=…).
    async _redeemFromURL() {
      if (this.hasAttribute('no-redeem')) return;
      var q = new URLSearchParams(location.search);
      var id = q.get('session_id');
      var code = q.get('response_code');
      if (!id || !code) return;
      q.delete('response_code');
      var rest = q.toString();
      history.replaceState(history.state, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
      this._session = { id: id, status_token: null };
      this._setState('starting');
      try {
        var resp = await fetch(this._url('/api/v1/sessions/' + encodeURIComponent(id) + '/redeem'), {
          method: 'POST',
          credentials: 'include',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ response_code: code })
        });
        var body = await resp.json();
        if (resp.ok) return this._onStatus(body);
        this._stop();
        this._setState('failed');
        this._emit('failed', { session_id: id, error: body });
      } catch (e) {
        this._setState('error');
      }
    }

    _emit(name, detail) {
      return this.dispatchEvent(new CustomEvent('login-with-iota:' + name, {
        detail: detail, bubbles: true, composed: true, cancelable: true
      }));
    }

    _tick() {
      var left = this._expiresAt - (Date.now() + (this._skew || 0));
      this._countdown.textContent = this.t('expires_in', { time: formatTime(left) });
    }

    _stop() {
      this._timers.forEach(function (t) { clearTimeout(t); clearInterval(t); });
      this._timers = [];
      if (this._source) {
        this._source.close();
        this._source = null;
      }
    }

    _setAttr(name, value) {
      if (this.getAttribute(name) !== value) this.setAttribute(name, value);
    }

    _setState(state) {
      this._setAttr('state', state);
      this._render();
    }

    // _render puts the texts of the current state and language in place.
    _render() {
      var state = this.getAttribute('state') || 'idle';
      var pending = state === 'pending';
      var over = state === 'expired' || state === 'failed' || state === 'error';
      this._label.textContent = this.t('button');
      this._start.hidden = pending || over || state === 'verified';
      this._start.disabled = state === 'starting';
      this._panel.hidden = !(pending || over);
      this._panel.setAttribute('aria-label', this.t('panel'));
      this._qr.hidden = !pending || this._sameDevice;
      this._qr.alt = this.t('qr_alt');
      this._walletLink.hidden = !pending;
      this._walletLink.classList.toggle('primary', !!this._sameDevice);
      this._walletLink.textContent = this.t('open_wallet');
      this._countdown.hidden = !pending;
      this._hint.textContent = pending ? this.t(this._sameDevice ? 'opening' : 'scan') : '';
      this._hint.hidden = !pending;
      this._retry.hidden = !over;
      this._retry.textContent = this.t('retry');
      this._cancel.textContent = this.t('cancel');
      this._cancel.hidden = state === 'verified';
      if (pending) this._tick();
      var message = { starting: 'starting', pending: 'waiting', verified: 'verified', failed: 'failed', expired: 'expired', error: 'error' }[state];
      this._status.textContent = message ? this.t(message) : '';
    }
  }

  customElements.define('login-with-iota', LoginWithIota);
})();
