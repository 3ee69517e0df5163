// Study mode in the browser. On the flashcards page: one due card at a time (map first, then the answer),
// graded "I knew it" / "I did not know it" on the Leitner schedule (leitner.js). On quiz results: the
// trigger points answered wrongly go back to the start of the schedule, so the flashcards show them first.
(function () {
  "use strict";
  if (!window.Leitner) return;

  document.querySelectorAll(".quiz-result li[data-correct='false'][data-card]").forEach(function (item) {
    if (item.dataset.card) window.Leitner.grade(item.dataset.card, false);
  });

  var study = document.querySelector(".study");
  if (!study) return;
  var cards = {};
  document.querySelectorAll(".cards .card[data-card]").forEach(function (card) {
    cards[card.dataset.card] = card;
  });
  var ids = Object.keys(cards);
  var queue = window.Leitner.due(ids);
  var done = 0;
  var current = null;
  var status = study.querySelector(".study-status");
  var holder = study.querySelector(".study-card");
  var show = study.querySelector(".study-show");
  var right = study.querySelector(".study-right");
  var wrong = study.querySelector(".study-wrong");

  function say() {
    if (current) {
      status.textContent = queue.length + 1 + " due, " + done + " done in this sitting.";
      return;
    }
    var next = window.Leitner.nextDue(ids);
    status.textContent = "Nothing is due now." + (next ? " The next card is due on " + next.toLocaleDateString() + "." : "");
  }

  function turn(showBack) {
    var card = cards[current];
    holder.innerHTML = "";
    holder.dataset.card = current;
    var front = card.querySelector("summary img").cloneNode(true);
    front.removeAttribute("loading");
    holder.appendChild(front);
    if (showBack) {
      var back = card.querySelector(".card-back").cloneNode(true);
      back.tabIndex = -1;
      holder.appendChild(back);
    }
    show.hidden = showBack;
    right.hidden = wrong.hidden = !showBack;
  }

  function next() {
    current = queue.shift() || null;
    if (current) {
      turn(false);
    } else {
      holder.innerHTML = "";
      show.hidden = right.hidden = wrong.hidden = true;
      study.classList.add("done");
    }
    say();
  }

  function answer(knew) {
    window.Leitner.grade(current, knew);
    done += 1;
    if (!knew) queue.push(current); // missed: again before the sitting ends
    next();
    (current ? show : status).focus();
  }

  show.addEventListener("click", function () {
    turn(true);
    wrong.focus();
  });
  right.addEventListener("click", function () { answer(true); });
  wrong.addEventListener("click", function () { answer(false); });
  status.tabIndex = -1;
  next();
})();
