// Queue wallboard: plain browser JavaScript, no build step, no framework, nothing fetched at
// run time but the gateway's own API. The API key stays in this browser (session storage, or
// local storage when "remember on this screen" is ticked); it is only ever sent in a header
// to get short-lived stream tickets, and tickets are what the EventSource URL carries.
'use strict';

(function () {
  var KEY_NAME = 'cxgw.wallboard.key';
  var params = new URLSearchParams(window.location.search);
  var warnS = positive(params.get('warn'), 60);
  var alarmS = Math.max(positive(params.get('alarm'), 180), warnS);
  var queueIds = params.get('queueIds') || '';

  var el = {
    board: document.getElementById('board'),
    banner: document.getElementById('banner'),
    asOf: document.getElementById('as-of'),
    login: document.getElementById('login'),
    key: document.getElementById('key'),
    remember: document.getElementById('remember'),
    loginError: document.getElementById('login-error'),
    signOut: document.getElementById('sign-out'),
  };
  document.getElementById('warn-s').textContent = duration(warnS);
  document.getElementById('alarm-s').textContent = duration(alarmS);

  var key = null;
  var ticket = null; // { ticket, expiresAtMs, lifeMs }
  var renewTimer = null;
  var source = null;
  var lastEventId = null;
  var retryMs = 1000;
  var reconnectTimer = null;
  var tiles = new Map(); // queueId -> tile element

  function positive(text, fallback) {
    var n = Number(text);
    return text !== null && Number.isFinite(n) && n >= 0 ? n : fallback;
  }

  function duration(seconds) {
    var s = Math.max(0, Math.round(seconds));
    var m = Math.floor(s / 60);
    return m > 0 ? m + ':' + String(s % 60).padStart(2, '0') : s + ' s';
  }

  function number(value, format) {
    return typeof value === 'number' && Number.isFinite(value) ? format(value) : '—';
  }

  // --- the key: a #key= fragment once, else what this browser remembers, else the form ------
  function keyFromFragment() {
    var hash = new URLSearchParams(window.location.hash.slice(1));
    var fromHash = hash.get('key');
    if (!fromHash) return null;
    // Read once, then gone from the address bar (and from history): a fragment never reaches
    // a server, and now it does not linger on the screen either.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    var store = hash.get('remember') === '1' ? window.localStorage : window.sessionStorage;
    store.setItem(KEY_NAME, fromHash);
    return fromHash;
  }

  function storedKey() {
    return window.sessionStorage.getItem(KEY_NAME) || window.localStorage.getItem(KEY_NAME);
  }

  function forgetKey() {
    window.sessionStorage.removeItem(KEY_NAME);
    window.localStorage.removeItem(KEY_NAME);
    key = null;
  }

  function showLogin(message) {
    stop();
    el.loginError.textContent = message || '';
    el.login.hidden = false;
    el.signOut.hidden = true;
    el.key.focus();
  }

  el.login.addEventListener('submit', function (event) {
    event.preventDefault();
    var typed = el.key.value.trim();
    if (!typed) return;
    el.key.value = '';
    (el.remember.checked ? window.localStorage : window.sessionStorage).setItem(KEY_NAME, typed);
    start(typed);
  });

  el.signOut.addEventListener('click', function () {
    forgetKey();
    showLogin('');
  });

  // --- tickets: one per connection attempt window, renewed before it expires ---------------
  function fetchTicket() {
    // credentials: 'omit' — the gateway's 401s carry a Basic challenge (for Excel and Power BI);
    // without cookies or stored credentials in play, the browser hands the 401 to this script
    // instead of opening its own password dialog over the wallboard.
    return fetch('/v1/queues/stream-tickets', {
      method: 'POST',
      credentials: 'omit',
      headers: { authorization: 'Bearer ' + key },
    }).then(function (res) {
      if (res.status === 401 || res.status === 403) {
        forgetKey();
        throw new Error(res.status === 401 ? 'That key is not valid.' : 'That key lacks reporting:read.');
      }
      if (!res.ok) throw Object.assign(new Error('Ticket refused (' + res.status + ')'), { retry: true });
      return res.json();
    }).then(function (body) {
      var expiresAtMs = Date.parse(body.expiresAt);
      ticket = { ticket: body.ticket, expiresAtMs: expiresAtMs, lifeMs: expiresAtMs - Date.now() };
      scheduleRenewal();
      return ticket;
    });
  }

  function scheduleRenewal() {
    clearTimeout(renewTimer);
    var left = ticket.expiresAtMs - Date.now();
    renewTimer = setTimeout(function () {
      fetchTicket().catch(onTicketError);
    }, Math.max(5000, left * 0.8));
  }

  // Good enough to connect with: not within its last 20 % (at most 10 s) of life.
  function freshTicket() {
    var margin = ticket ? Math.min(10000, ticket.lifeMs * 0.2) : 0;
    if (ticket && ticket.expiresAtMs - Date.now() > margin) return Promise.resolve(ticket);
    return fetchTicket();
  }

  function onTicketError(err) {
    if (!key) return showLogin(err.message);
    banner('reconnecting', 'Reconnecting… (' + err.message + ')');
    scheduleReconnect();
  }

  // --- the stream --------------------------------------------------------------------------
  function connect() {
    freshTicket().then(function (t) {
      var query = new URLSearchParams({ ticket: t.ticket });
      if (lastEventId) query.set('lastEventId', lastEventId);
      if (queueIds) query.set('queueIds', queueIds);
      source = new EventSource('/v1/queues/stream?' + query.toString());
      source.addEventListener('open', function () {
        retryMs = 1000;
      });
      source.addEventListener('snapshot', function (e) {
        lastEventId = e.lastEventId || lastEventId;
        var data = JSON.parse(e.data);
        replaceTiles(data.queues);
        shown(data.asOf);
        banner(null);
      });
      source.addEventListener('update', function (e) {
        lastEventId = e.lastEventId || lastEventId;
        var data = JSON.parse(e.data);
        data.queues.forEach(upsertTile);
        (data.removed || []).forEach(removeTile);
        shown(data.asOf);
        if (el.banner.classList.contains('reconnecting')) banner(null);
      });
      source.addEventListener('status', function (e) {
        var status = JSON.parse(e.data);
        if (status.upstream === 'degraded') {
          banner('degraded', 'CXone is degraded: showing the last figures received. ' + (status.detail || ''));
        } else {
          banner(null);
        }
      });
      source.addEventListener('error', function () {
        // The browser would retry with the same URL, whose ticket may have expired: take the
        // reconnect over, with a fresh ticket and the last event id.
        source.close();
        source = null;
        banner('reconnecting', 'Reconnecting… figures may be out of date.');
        scheduleReconnect();
      });
    }, onTicketError);
  }

  function scheduleReconnect() {
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 15000);
  }

  function stop() {
    clearTimeout(renewTimer);
    clearTimeout(reconnectTimer);
    if (source) source.close();
    source = null;
  }

  function start(withKey) {
    key = withKey;
    el.login.hidden = true;
    el.signOut.hidden = false;
    el.loginError.textContent = '';
    banner('reconnecting', 'Connecting…');
    fetchTicket().then(connect, function (err) {
      if (!key) showLogin(err.message);
      else onTicketError(err);
    });
  }

  // --- tiles -------------------------------------------------------------------------------
  function levelOf(row) {
    var wait = row.waitTime;
    if (typeof wait !== 'number') return 'ok';
    if (wait >= alarmS) return 'alarm';
    if (wait >= warnS) return 'warn';
    return 'ok';
  }

  var LEVEL_WORDS = { ok: '● OK', warn: '▲ WARN', alarm: '■ ALARM' };

  function figure(className, label) {
    var box = document.createElement('div');
    box.className = 'figure ' + className;
    var l = document.createElement('span');
    l.className = 'label';
    l.textContent = label;
    var v = document.createElement('span');
    v.className = 'value';
    box.append(l, v);
    return box;
  }

  function createTile(queueId) {
    var tile = document.createElement('section');
    tile.className = 'tile';
    tile.dataset.queueId = queueId;
    var title = document.createElement('h2');
    var name = document.createElement('span');
    name.className = 'name';
    var level = document.createElement('span');
    level.className = 'level';
    title.append(name, level);
    tile.append(
      title,
      figure('queued', 'Contacts in queue'),
      figure('wait', 'Longest wait'),
      figure('available', 'Agents available'),
      figure('service-level', 'Service level'),
    );
    return tile;
  }

  function render(tile, row) {
    var level = levelOf(row);
    tile.dataset.level = level;
    tile.querySelector('.name').textContent = row.queueName || row.queueId;
    tile.querySelector('.level').textContent = LEVEL_WORDS[level];
    tile.querySelector('.queued .value').textContent = number(row.queueCount, String);
    tile.querySelector('.wait .value').textContent = number(row.waitTime, duration);
    tile.querySelector('.available .value').textContent = number(row.agentCount, String);
    tile.querySelector('.service-level .value').textContent = number(row.serviceLevel, function (v) {
      return (Math.round(v * 10) / 10).toFixed(1) + ' %';
    });
    tile.setAttribute('aria-label', (row.queueName || row.queueId) + ': ' + level);
  }

  function upsertTile(row) {
    var tile = tiles.get(row.queueId);
    if (!tile) {
      tile = createTile(row.queueId);
      tiles.set(row.queueId, tile);
      el.board.append(tile);
    }
    render(tile, row);
  }

  function removeTile(queueId) {
    var tile = tiles.get(queueId);
    if (tile) tile.remove();
    tiles.delete(queueId);
  }

  function replaceTiles(rows) {
    var keep = new Set(rows.map(function (r) { return r.queueId; }));
    Array.from(tiles.keys()).forEach(function (id) {
      if (!keep.has(id)) removeTile(id);
    });
    rows.forEach(upsertTile);
    rows.forEach(function (r) { el.board.append(tiles.get(r.queueId)); });
  }

  function shown(asOf) {
    var at = new Date(asOf);
    el.asOf.textContent = isNaN(at.getTime()) ? '' : 'Updated ' + at.toLocaleTimeString();
  }

  function banner(kind, text) {
    el.banner.classList.remove('reconnecting', 'degraded');
    if (!kind) {
      el.banner.hidden = true;
      el.banner.textContent = '';
      return;
    }
    el.banner.classList.add(kind);
    el.banner.textContent = text;
    el.banner.hidden = false;
  }

  var initial = keyFromFragment() || storedKey();
  if (initial) start(initial);
  else showLogin('');
})();
