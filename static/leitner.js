// Leitner boxes: a standard spaced-repetition schedule, kept in this browser (localStorage), no account.
// A card is new or missed in box 0 and is due now. Knowing it moves it up one box, and it comes back after
// INTERVAL_DAYS[box] days; missing it sends it back to box 0, due again in this sitting.
(function () {
  "use strict";
  var STORAGE_KEY = "tpa-leitner-v1";
  var INTERVAL_DAYS = [0, 1, 2, 4, 8, 16]; // by box; box 5 is the last
  var DAY_MS = 24 * 60 * 60 * 1000;

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(STORAGE_KEY)) || {};
    } catch (error) {
      return {};
    }
  }
  function save(cards) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(cards));
    } catch (error) {
      // Private browsing or a full store: the session still works, it is just not remembered.
    }
  }
  function state(id) {
    return load()[id] || { box: 0, due: 0, missed: false };
  }
  function grade(id, knew, now) {
    var cards = load();
    var card = cards[id] || { box: 0, due: 0 };
    card.box = knew ? Math.min(card.box + 1, INTERVAL_DAYS.length - 1) : 0;
    card.due = (now || Date.now()) + INTERVAL_DAYS[card.box] * DAY_MS;
    card.missed = !knew;
    cards[id] = card;
    save(cards);
    return card;
  }
  // Cards due now, the ones missed first, then by how long they have been due.
  function due(ids, now) {
    now = now || Date.now();
    return ids
      .map(function (id) { return { id: id, card: state(id) }; })
      .filter(function (item) { return item.card.due <= now; })
      .sort(function (a, b) { return (b.card.missed - a.card.missed) || (a.card.due - b.card.due); })
      .map(function (item) { return item.id; });
  }
  function nextDue(ids) {
    var times = ids.map(function (id) { return state(id).due; }).filter(function (t) { return t > Date.now(); });
    return times.length ? new Date(Math.min.apply(null, times)) : null;
  }

  window.Leitner = { INTERVAL_DAYS: INTERVAL_DAYS, state: state, grade: grade, due: due, nextDue: nextDue };
})();
