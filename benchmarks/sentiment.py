"""Sentiment benchmark on the shared labelled sentences (see the data folder's README).

Usage: python benchmarks/sentiment.py DATA_DIR   (e.g. ../shared/eval/sentiment)

For each language: train our classifier on the train split only (fixed settings, chosen
by cross-validation on the train splits in ``sentiment_cv.py``), then on the dev/validation
split print accuracy on positive-vs-negative sentences (also for what a fresh install
scores with, "day one": the shipped base model, else the lexicon; a base model that learnt
from dev too is stood for by its settings fitted on train; for the same model without
lexicon features, and with one L2 norm over word and character features, the previous
model) and macro-F1 (with neutral where the data labels it), next to TextBlob and
always-"positive" measured in the same run, and texts/second.
English (Hu & Liu) has no split: a seeded half/half split by review. It also gets
aspect detection recall and aspect polarity accuracy against the annotated aspect terms,
and the fallback-only (no labelled data) accuracy for en, no and fr (the languages with a
lexicon; Polish has none and is marked low confidence instead).
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sklearn.metrics import f1_score

from compare.analysis.keyphrases import candidate_phrases
from compare.analysis.sentiment.base_models import base_saw_dev, base_settings
from compare.analysis.sentiment.classifier import (
    ClassifierSettings,
    SentimentClassifier,
    train_classifier,
)
from compare.analysis.sentiment.labels import NEGATIVE, NEUTRAL, POSITIVE
from compare.analysis.sentiment.lexicon import lexicon_name, lexicon_scores
from compare.analysis.sentiment.scorer import SentimentScorer
from compare.analysis.taxonomy import load_taxonomy
from compare.analysis.text import lemmas, tokenize

SEED = 0
Example = tuple[str, str]


@dataclass
class AspectTerm:
    term: str
    sign: int
    in_sentence: bool


@dataclass
class Corpus:
    language: str
    name: str
    train: list[Example]
    dev: list[Example]
    aspects: list[tuple[str, list[AspectTerm]]] = field(default_factory=list)
    """Dev sentences with their annotated aspect terms (English only)."""
    train_groups: list[str] | None = None
    """Source document of each train example, where known: cross-validation must keep a
    document's sentences in one fold, or names and phrasing leak between folds."""


def _seeded_halves(groups: list[list[Example]]) -> tuple[list[Example], list[Example]]:
    order = list(range(len(groups)))
    random.Random(SEED).shuffle(order)
    half = len(order) // 2
    train = [ex for i in order[:half] for ex in groups[i]]
    dev = [ex for i in order[half:] for ex in groups[i]]
    return train, dev


def load_norwegian(root: Path) -> Corpus:
    def rows(name: str) -> list[dict[str, str]]:
        return list(json.loads((root / "no_norec" / "3class" / f"{name}.json").read_text("utf-8")))

    train = rows("train")
    return Corpus(
        "no",
        "NoReC sentences",
        [(r["text"], r["label"].lower()) for r in train],
        [(r["text"], r["label"].lower()) for r in rows("dev")],
        train_groups=[r["sent_id"].split("-")[0] for r in train],
    )


def load_french(root: Path) -> Corpus:
    names = {"0": NEGATIVE, "1": NEUTRAL, "2": POSITIVE}

    def read(split: str) -> list[Example]:
        texts = (root / "fr_tweets" / f"{split}_text.txt").read_text("utf-8").splitlines()
        labels = (root / "fr_tweets" / f"{split}_labels.txt").read_text("utf-8").splitlines()
        return [(t, names[lab.strip()]) for t, lab in zip(texts, labels, strict=True)]

    return Corpus("fr", "DEFT tweets", read("train"), read("val"))


def load_polish(root: Path) -> Corpus:
    names = {"z_plus_m": POSITIVE, "z_minus_m": NEGATIVE, "z_zero": NEUTRAL}
    examples: list[list[Example]] = []
    for line in (root / "pl_polemo_medicine" / "sentences.txt").read_text("utf-8").splitlines():
        text, _, label = line.strip().strip('"').rpartition(" __label__")
        label = label.strip('"')
        if label in names and text:
            examples.append([(text.strip('"'), names[label])])
    train, dev = _seeded_halves(examples)
    return Corpus("pl", "PolEmo medicine sentences (seeded half split)", train, dev)


_TAG = re.compile(r"([^\[\],]+?)\s*\[([+-]\d)\]((?:\[[a-z]+\])*)")


def load_english(root: Path) -> Corpus:
    reviews: list[list[tuple[str, list[AspectTerm]]]] = []
    with zipfile.ZipFile(root / "en_hu_liu" / "product_reviews_1.zip") as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith(".txt") or name.endswith("README.txt"):
                continue
            for line in archive.read(name).decode("latin-1").splitlines():
                if line.startswith("[t]"):
                    reviews.append([])
                    continue
                tags, sep, sentence = line.partition("##")
                if not sep or not reviews:
                    continue
                terms = [
                    AspectTerm(
                        m.group(1).strip(),
                        int(m.group(2)),
                        not m.group(3)
                        or "[s]" in m.group(3)
                        or "[cc]" in m.group(3)
                        or "[cs]" in m.group(3),
                    )
                    for m in _TAG.finditer(tags)
                ]
                reviews[-1].append((sentence.strip(), terms))
    order = list(range(len(reviews)))
    random.Random(SEED).shuffle(order)
    half = len(order) // 2

    def labelled(indices: list[int]) -> list[tuple[Example, str]]:
        out: list[tuple[Example, str]] = []
        for i in indices:
            for sentence, terms in reviews[i]:
                total = sum(t.sign for t in terms)
                if total:
                    out.append(((sentence, POSITIVE if total > 0 else NEGATIVE), str(i)))
        return out

    aspects = [(s, ts) for i in order[half:] for s, ts in reviews[i] if ts]
    train = labelled(order[:half])
    return Corpus(
        "en",
        "Hu & Liu product review sentences (seeded half split by review)",
        [e for e, _ in train],
        [e for e, _ in labelled(order[half:])],
        aspects,
        train_groups=[g for _, g in train],
    )


def _binary(examples: list[Example]) -> list[Example]:
    return [e for e in examples if e[1] in (POSITIVE, NEGATIVE)]


def binary_train_groups(corpus: Corpus) -> list[str] | None:
    """``train_groups`` of the positive/negative train examples (None if unknown)."""
    if corpus.train_groups is None:
        return None
    return [
        g
        for (_, label), g in zip(corpus.train, corpus.train_groups, strict=True)
        if label in (POSITIVE, NEGATIVE)
    ]


def _pos_neg_accuracy(polarities: list[float], gold: list[str]) -> float:
    right = sum(
        (p > 0 and g == POSITIVE) or (p < 0 and g == NEGATIVE)
        for p, g in zip(polarities, gold, strict=True)
    )
    return right / len(gold)


def _textblob_polarities(texts: list[str], language: str) -> list[float]:
    from textblob import TextBlob

    if language == "fr":
        from textblob_fr import PatternAnalyzer

        french = PatternAnalyzer()
        return [float(french.analyze(t)[0]) for t in texts]
    return [float(TextBlob(t).sentiment.polarity) for t in texts]


def _raw_textblob(texts: list[str]) -> list[float]:
    from textblob.en.sentiments import PatternAnalyzer

    analyzer = PatternAnalyzer()
    return [float(analyzer.analyze(t)[0]) for t in texts]


def evaluate(corpus: Corpus) -> dict[str, str]:
    train_bin, dev_bin = _binary(corpus.train), _binary(corpus.dev)
    started = time.perf_counter()
    model = train_classifier(
        [t for t, _ in train_bin], [lab for _, lab in train_bin], corpus.language
    )
    train_seconds = time.perf_counter() - started
    texts, gold = [t for t, _ in dev_bin], [lab for _, lab in dev_bin]
    started = time.perf_counter()
    scores = model.score(texts)
    rate = len(texts) / (time.perf_counter() - started)
    no_lexicon = train_classifier(
        [t for t, _ in train_bin],
        [lab for _, lab in train_bin],
        corpus.language,
        ClassifierSettings(lexicon_weight=0.0),
    )
    one_norm = train_classifier(
        [t for t, _ in train_bin],
        [lab for _, lab in train_bin],
        corpus.language,
        ClassifierSettings(separate_norms=False),
    )
    row = {
        "lang": corpus.language,
        "train/dev": f"{len(train_bin)}/{len(dev_bin)}",
        "ours acc": f"{_pos_neg_accuracy([p for p, _, _ in scores], gold):.3f}",
        "day one acc": day_one_accuracy(corpus, train_bin, texts, gold),
        "no-lexicon acc": f"{_pos_neg_accuracy([p for p, _, _ in no_lexicon.score(texts)], gold):.3f}",
        "one-norm acc": f"{_pos_neg_accuracy([p for p, _, _ in one_norm.score(texts)], gold):.3f}",
        "TextBlob acc": f"{_pos_neg_accuracy(_raw_textblob(texts) if corpus.language != 'fr' else _textblob_polarities(texts, 'fr'), gold):.3f}",
        "always-pos acc": f"{gold.count(POSITIVE) / len(gold):.3f}",
        "texts/s": f"{rate:,.0f}",
        "train s": f"{train_seconds:.1f}",
    }
    if any(lab == NEUTRAL for _, lab in corpus.dev):
        row["ours F1-3"] = f"{_three_way_f1(corpus):.3f}"
        dev_texts = [t for t, _ in corpus.dev]
        dev_gold = [lab for _, lab in corpus.dev]
        row["always-pos F1-3"] = (
            f"{f1_score(dev_gold, [POSITIVE] * len(dev_gold), average='macro'):.3f}"
        )
    else:
        row["ours F1-3"] = (
            f"{f1_score(gold, [lab if lab != NEUTRAL else (POSITIVE if p >= 0 else NEGATIVE) for p, lab, _ in scores], average='macro'):.3f} (2-way)"
        )
        row["always-pos F1-3"] = (
            f"{f1_score(gold, [POSITIVE] * len(gold), average='macro'):.3f} (2-way)"
        )
        dev_texts = []
    del dev_texts
    return row


def day_one_accuracy(
    corpus: Corpus, train_bin: list[Example], texts: list[str], gold: list[str]
) -> str:
    """What a fresh install scores dev with (the shipped model, else the lexicon), and how. A
    shipped model that learnt from dev too (``base_saw_dev``) is not read: the same settings
    fitted on the train half stand for it (its opinion detector scales polarities without
    turning a sign, so the accuracy is the model's)."""
    if base_saw_dev(corpus.language):
        stand_in = train_classifier(
            [t for t, _ in train_bin],
            [lab for _, lab in train_bin],
            corpus.language,
            base_settings(corpus.language),
        )
        polarities = [p for p, _, _ in stand_in.score(texts)]
        how = f"base settings on train: base:{corpus.language} learnt from dev too"
    else:
        day_one = SentimentScorer()
        polarities = [p for p, _, _ in day_one.score(texts, corpus.language)]
        how = day_one.method(corpus.language)
    return f"{_pos_neg_accuracy(polarities, gold):.3f} ({how})"


def _three_way_f1(corpus: Corpus) -> float:
    model = train_classifier(
        [t for t, _ in corpus.train], [lab for _, lab in corpus.train], corpus.language
    )
    predicted = [lab for _, lab, _ in model.score([t for t, _ in corpus.dev])]
    return float(f1_score([lab for _, lab in corpus.dev], predicted, average="macro"))


def fallback_only(corpus: Corpus) -> str:
    texts, gold = [t for t, _ in corpus.dev], [lab for _, lab in corpus.dev]
    scores = lexicon_scores(texts, corpus.language)
    return f"{_pos_neg_accuracy([p for p, _, _ in scores], gold):.3f}"


def aspect_figures(corpus: Corpus, model: SentimentClassifier) -> tuple[float, float, int]:
    """Recall of annotated aspect terms (present in the sentence) by our taxonomy aspects and
    candidate phrases, and accuracy of the sentence polarity against each term's sign."""
    taxonomy = load_taxonomy()
    found = total = 0
    right = signed = 0
    sentences = [s for s, _ in corpus.aspects]
    scores = model.score(sentences)
    for (sentence, terms), (polarity, _, _) in zip(corpus.aspects, scores, strict=True):
        tokens = tokenize(sentence)
        sentence_lemmas = lemmas(tokens, "en")
        covered = set(sentence_lemmas) if taxonomy.match(sentence_lemmas, "en") else set()
        for phrase in candidate_phrases(tokens, sentence_lemmas, "en"):
            covered.update(phrase.split())
        for term in terms:
            signed += 1
            right += (polarity > 0) == (term.sign > 0)
            if not term.in_sentence:
                continue
            total += 1
            head = lemmas(tokenize(term.term), "en")
            found += bool(head) and head[-1] in covered
    return found / max(total, 1), right / max(signed, 1), total


def data_folder(argv: list[str], usage: str | None, extra_args: bool = True) -> Path | int:
    """The sentiment data folder named by ``argv[1]``, or the exit status after printing
    the usage (``--help``: 0) or one error line (no such folder: 2), shared by the
    benchmarks that read these sentences."""
    if len(argv) < 2 or argv[1].startswith("-") or (len(argv) > 2 and not extra_args):
        print(usage)
        return 0 if argv[1:2] in (["-h"], ["--help"]) else 2
    root = Path(argv[1])
    if not root.is_dir():
        print(f"error: {root} is not a folder (the shared sentiment data)", file=sys.stderr)
        return 2
    return root


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__, extra_args=False)
    if isinstance(root, int):
        return root
    corpora = [load_english(root), load_norwegian(root), load_polish(root), load_french(root)]
    rows = [evaluate(c) for c in corpora]
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(row.get(c, "") for c in columns) + " |")
    english = corpora[0]
    print()
    for corpus in (english, corpora[1], corpora[3]):
        name = lexicon_name(corpus.language)
        print(
            f"fallback only (no labelled data), {corpus.language} {name}: "
            f"acc {fallback_only(_as_binary(corpus))}"
        )
    train_bin = _binary(english.train)
    model = train_classifier([t for t, _ in train_bin], [lab for _, lab in train_bin], "en")
    recall, polarity_accuracy, total = aspect_figures(english, model)
    print(
        f"Hu & Liu aspects: detection recall {recall:.3f} over {total} in-sentence terms; "
        f"aspect polarity accuracy {polarity_accuracy:.3f}"
    )
    return 0


def _as_binary(corpus: Corpus) -> Corpus:
    return Corpus(corpus.language, corpus.name, _binary(corpus.train), _binary(corpus.dev))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
