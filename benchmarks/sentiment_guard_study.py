"""The guard's evidence against what its choice is worth: data for choosing the guard's rule.

Usage: python benchmarks/sentiment_guard_study.py DATA_DIR OUT.pkl [--seeds 10]
           [--langs en,no,pl] [--repeats 3]
       python benchmarks/sentiment_guard_study.py --rules OUT.pkl [OUT2.pkl ...]

As ``sentiment_curve.py``: per language a base model is trained on one half of the train
split and ratings are drawn (seeded) from the other half. For every draw this records the
guard's out-of-fold scores of each candidate (base, correction, ratings-only model; the
k-fold repeated ``--repeats`` times with other fold seeds for the candidates within reach
of a clear win after the first, as in the guard) and the accuracy of each
candidate fitted on every rating, on the rest of the ratings half (``rest``: for choosing
a rule, dev not read) and on dev (for reporting). ``--rules`` replays candidate rules on
the recorded scores: per language and size, the mean accuracy of what each rule chose and
its worst draw against the base model, on rest and on dev.
"""

from __future__ import annotations

import pickle
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from compare.analysis.sentiment.adapted import (
    BASE,
    CORRECTED,
    OWN,
    GuardRule,
    HeldOut,
    _fit_prepared,
    _Prepared,
    binary_examples,
    clear_gain,
    correction_settings,
    held_out_scores,
)
from compare.analysis.sentiment.classifier import train_classifier
from compare.analysis.training import trainable

sys.path.insert(0, str(Path(__file__).parent))
from script_arguments import script_parser
from sentiment import _binary, load_english, load_norwegian, load_polish
from sentiment_curve import accuracy, base_and_ratings, base_scores, draw, polarity

SIZES = (50, 200, 1000)


def record(root: Path, languages: list[str], seeds: int, repeats: int) -> list[dict[str, Any]]:
    loaders = {"en": load_english, "no": load_norwegian, "pl": load_polish}
    out = []
    for language in languages:
        corpus = loaders[language](root)
        base, rating_half = base_and_ratings(corpus)
        dev = _binary(corpus.dev)
        sets = {"dev": ([t for t, _ in dev], [lab for _, lab in dev])}
        for size in SIZES:
            for seed in range(seeds):
                ratings = draw(rating_half, size, seed)
                drawn = set(map(id, ratings))
                rest = [r for r in rating_half if id(r) not in drawn]
                sets["rest"] = ([t for t, _, _ in rest], [lab for _, lab, _ in rest])
                texts, labels = [t for t, _, _ in ratings], [lab for _, lab, _ in ratings]
                groups = [g for _, _, g in ratings]
                texts, labels = binary_examples(texts, labels)
                own = trainable(list(zip(texts, labels, strict=True)))
                prepared = _Prepared.of(base, texts)
                corrections = correction_settings(len(texts))
                held = held_out_scores(
                    base,
                    prepared,
                    labels,
                    corrections,
                    ratings_only=(OWN, language, []) if own else None,
                    groups=groups,
                    repeats=repeats,
                )
                corrected = _fit_prepared(base, prepared, labels, corrections[0])
                own_model = train_classifier(texts, labels, language) if own else None
                scored: dict[str, dict[str, float]] = {}
                for where, (s_texts, s_gold) in sets.items():
                    if not s_texts:
                        continue
                    scored[where] = {
                        BASE: accuracy(base_scores(base, s_texts), s_gold),
                        f"{CORRECTED}:0": accuracy(
                            corrected.decision(corrected.counts(s_texts)), s_gold
                        ),
                    }
                    if own_model is not None:
                        scored[where][OWN] = accuracy(polarity(own_model, s_texts), s_gold)
                out.append(
                    {
                        "language": language,
                        "size": min(size, len(rating_half)),
                        "seed": seed,
                        "held": held,
                        "scored": scored,
                    }
                )
                print(language, size, seed, scored, flush=True)
    return out


RULES: dict[str, dict[str, Any]] = {
    "z3 +1 (before)": {"loss_z": 3.0, "sign_z": 0.0, "repeats": 1},
    "z3 +1 r3": {"loss_z": 3.0, "sign_z": 0.0, "repeats": 3},
    "z2.5 +1 r3": {"loss_z": 2.5, "sign_z": 0.0, "repeats": 3},
    "z2 +1 r3": {"loss_z": 2.0, "sign_z": 0.0, "repeats": 3},
    "z2 sign1 r3": {"loss_z": 2.0, "sign_z": 1.0, "repeats": 3},
    "z2.5 sign1.25 (now)": {"loss_z": 2.5, "sign_z": 1.25, "repeats": 3},
    "z2.5 sign1.25 r1": {"loss_z": 2.5, "sign_z": 1.25, "repeats": 1},
    "z2.5 sign1.5 r3": {"loss_z": 2.5, "sign_z": 1.5, "repeats": 3},
}
"""Rules replayed by ``--rules`` (log-loss standard errors, sign-test deviations, k-fold
repetitions); "now" is the guard's (``adapted.LOSS_Z``, ``SIGN_Z``, ``REPEATS``)."""


def chosen_by(held: HeldOut, rule: dict[str, Any]) -> str:
    r = rule["repeats"]
    base = held.scores[BASE][:r]
    gains = {
        name: clear_gain(scores[:r], base, held.gold, GuardRule(rule["loss_z"], rule["sign_z"]))
        for name, scores in held.scores.items()
        if name != BASE
    }
    winners = {name: g for name, g in gains.items() if g is not None}
    return max(winners, key=winners.__getitem__) if winners else BASE


def replay(records: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| rule | lang | ratings | rest mean | rest worst vs base | dev mean | dev worst | chose |"
    ]
    lines.append("|---|---|---|---|---|---|---|---|")
    by_cell: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for row in records:
        by_cell[(row["language"], row["size"])].append(row)
    for name, rule in RULES.items():
        for (language, size), rows in sorted(by_cell.items()):
            cells = []
            chose: dict[str, int] = defaultdict(int)
            for where in ("rest", "dev"):
                accs, deltas = [], []
                for row in rows:
                    if where not in row["scored"]:
                        continue
                    pick = chosen_by(row["held"], rule)
                    if where == "dev":
                        chose[pick.split(":")[0]] += 1
                    got = row["scored"][where]
                    accs.append(got[pick])
                    deltas.append(got[pick] - got[BASE])
                cells += (
                    [f"{statistics.mean(accs):.4f}", f"{min(deltas):+.3f}"] if accs else ["-", "-"]
                )
            picks = " ".join(f"{k} {n}" for k, n in sorted(chose.items()))
            lines.append(f"| {name} | {language} | {size} | {' | '.join(cells)} | {picks} |")
    return lines


def main(argv: list[str]) -> int:
    parser = script_parser(__doc__)
    parser.add_argument("data_dir", type=Path, nargs="?", metavar="DATA_DIR")
    parser.add_argument("out", type=Path, nargs="?", metavar="OUT.pkl")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--langs", default="en,no,pl")
    parser.add_argument("--rules", type=Path, nargs="+", metavar="OUT.pkl")
    args = parser.parse_args(argv[1:])
    if args.rules is not None:
        if args.data_dir is not None:
            parser.error("--rules replays recorded files: give them after it, no DATA_DIR")
        records = [row for path in args.rules
                   for row in pickle.loads(path.read_bytes())]  # fmt: skip
        print("\n".join(replay(records)))
        return 0
    if args.out is None:
        parser.error("give DATA_DIR and OUT.pkl (or --rules OUT.pkl ...)")
    records = record(args.data_dir, args.langs.split(","), args.seeds, args.repeats)
    args.out.write_bytes(pickle.dumps(records))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
