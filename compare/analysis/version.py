"""The analyser version: bump it when analysis output changes, so ``analyze`` redoes reviews."""

from __future__ import annotations

ANALYZER_VERSION = "28"
"""6: shipped base sentiment models per language (en, no, pl) score from day one, and the
database's ratings train a guarded correction of them (model format 7).
7: the guard also weighs a model trained on the ratings alone, and keeps whichever of base,
base plus correction and ratings-only is best on the held-out ratings (model format 8).
8: French day-one lexicons (seed words, cognates of VADER's), the Polish base model with
naive-Bayes weights, and wish or missing-feature sentences name their aspect without judging
it (aspect mentions neutral).
9: the guard scores every rating over repeated folds and wants a sign test won too (model
format 9): the demo's English shops now get the model of their ratings.
10: a negation after the finite verb it negates ("j'aime pas", "anbefaler ikke") negates it,
in the lexicons and the word features (model format 10; Norwegian base model retrained).
11: French reads a fourth lexicon, vaderSentiment_fr's translation of VADER's words (the
day-one fallback and the lexicon features of French models, model format 11).
12: Polish sentences (and reviews) without an opinion are labelled neutral by a shipped
opinion detector, and their polarity is scaled by the probability of an opinion (signs
unchanged; ``sentiment/opinion.py``).
13: French (a language its lexicons score) is scored by a model of the database's ratings,
its own or the pooled one, only when it gets at least as many held-out ratings right as the
lexicons (model format 12); before, 20 French ratings put it in the pooled model unguarded.
14: function words learnt from the database's own reviews (spread as evenly as the stopwords,
``function_words.py``) bound key phrases and need topics like the stopwords: long Norwegian
reviews no longer give "kanskje", "her" or "når" as candidate aspects.
15: a need's topic is read beside its cue, after it, else before it, never from the cue's
words ("my only complaint is the cord": "cord", not "complaint"; "unfortunately, it lacks a
case": "case"), and English "complaint" no longer names the returns aspect ("my only
complaint is the lid" is no return). The stopword lists name sentence adverbs and
conjunctions ("unfortunately", "dessverre", "niestety", "malheureusement", "although").
16: Polish "w obsłudze" (easy, hard... to operate: "łatwy w obsłudze") names usability, not
customer service ("obsługa"), unless it is "w obsłudze klienta".
17: a lack of nothing, a negated lack or a lack of a fault is no need ("nothing is missing",
"nie brakuje", "brak problemów", "Wady: brak"), "lack of X" is a missing feature in fr, sv,
de, nl and it too ("absence de", "brist på", "Mangel an", "gebrek aan", "mancanza di"); and
Swedish, German and Dutch models negate a verb before an object pronoun and a post-verb
negation, as their lexicons do (model format 13).
18: "easy", "difficult" and their kin in every language (usability) judge the aspect their
clause names and name usability only alone ("enkel retur", "łatwy zwrot": returns).
19: the lexicon fallbacks (French, and Danish, German, Spanish, Italian, Dutch, Swedish on
day one) read a negation that negates no opinion word as a complaint ("n'est jamais
arrivée", "ist nie angekommen"); such sentences leaned positive.
20: in the lexicon fallbacks a negation's scope ends with its clause (a comma, a full stop,
"; : ! ? ( ) -"): "Rien à dire, parfait" and "Aucun problème, je recommande" read as the
praise they are (the negation flipped "parfait" and "recommande"), "Not as described,
disappointed" as the complaint.
21: emoticons and emoji (":(", ":D", "<3", "😀", "👎"; ``sentiment/emoticons``) count as
opinion: the lexicon fallbacks read them (French, and Danish, German, Spanish, Italian,
Dutch, Swedish on day one), and the classifiers' lexicon sums count them (the shipped base
models too): "Colis arrivé :(" and "Package arrived :(" were no complaint.
22: the classifiers' lexicon sums end a negation's scope with its clause, as the fallbacks
do (``normalise.sentiment_tokens``): "No complaints, works perfectly", "Ingen feil,
fungerer perfekt" read as praise, "Not as described, disappointed" as a complaint; the
shipped base models are retrained on them (base-2026-12.4).
23: French reads shop-review words no lexicon knew ("injoignable", "inexistant", "bâclé",
"serviable", "nickel", "déconseille", "camelote", ...) and feminine forms of seed adjectives
simplemma reads as another word ("lente", "abîmée"): our seed words, in the day-one fallback
and the lexicon features of French models of the database's ratings.
24: praise said as a negated complaint (issue #17): a negation that is a lexicon word
("no", "brak") counts only as a negation in the lexicon sums, the classifiers read the
negated opinion words in a lexicon channel of their own (a learnt weight), and the words a
negation scopes count against the mean word vector (Norwegian); faces right after a
sentence's end belong to that sentence ("Great! :)" is one sentence); the shipped base
models are retrained (base-2026-12.5, model format 15).
25: fixed multi-word opinion phrases (issue #17: "laisse à désirer", "pas terrible", "could
be better", "ikke noe å skrive hjem om", "szkoda pieniędzy"; seed lexicon entries with a
space) are read as one unit in the lexicon sums, in place of their words; "neither ... nor"
words negate ("ani głośny, ani ciężki", "ni cher ni fragile", "neither noisy nor heavy",
"verken dyr eller skjør"), and complaint nouns are opinion words of the seed lexicons
("réclamation", "bémol", "innvending", "trøbbel", "issue", "glitch", ...), so negated they
read as praise ("pas de bémol", "no issues"); "żadnych", "żadnego" and the other cases of
"żaden", and "nic", negate; the shipped base models are retrained (base-2026-12.6, model
format 16).
26: Polish complaint nouns are opinion words of the seed lexicon ("zastrzeżenie", "zarzut",
"skarga", "reklamacja", "niedociągnięcie"), and "zero" negates ("zero problemów" is praise,
"zero empatii" a complaint); the Polish base model's naive-Bayes ratio counts in how many
sentences of each class a feature occurs and its classes are weighted balanced; the shipped
base models are retrained (base-2026-12.7, model format 16: only the Polish model and its
opinion detector changed).
27: fits sum their dot products and take their logarithms and exponentials the same way on
every CPU (numpy's pairwise sums and the C library, not BLAS nor numpy's AVX-512 code), so a
model trained from the same ratings is the same bytes everywhere (issue #17); models of a
database's ratings may move slightly; the shipped base models are retrained with it
(base-2026-12.8: two trainings under different BLAS code, hash seed and numpy CPU features
give identical files; 0 dev labels differ from base-2026-12.7 in en, no and pl).
28: French elided "n'" opens a negation scope as "ne" does ("n'est plus fiable", "je
n'achèterai plus jamais ici"; the lexicon fallback and the lexicon sums of French models),
and "(pas) au rendez-vous", "(pas) à la hauteur", "n'importe quoi" are French seed
phrases ("la qualité n'est pas au rendez-vous" read as praise before)."""
