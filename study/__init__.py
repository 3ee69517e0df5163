"""Study tools built on the data: quizzes (:mod:`study.quiz`), flashcards and Anki decks (:mod:`study.cards`)."""
