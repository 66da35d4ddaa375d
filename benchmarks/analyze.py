"""Throughput of ``analyze_database`` on N synthetic ~60-word rated reviews (en, fr, pl, no).

Usage: python benchmarks/analyze.py N [--workers K]

Reviews are inserted into a fresh SQLite database with core inserts (language set, as
the import pipeline does), then the first analysis pass (including training the
per-language models from the ratings) and a re-run are timed in this process.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from compare.analysis.run import analyze_database
from storage.db import open_database
from storage.models import Company, Review, Source

PARTS = {
    "en": (
        [
            "The delivery was fast and the parcel arrived well packed.",
            "Customer service answered quickly and was very helpful.",
            "Great quality for the price, I will order again.",
            "The website is easy to use and checkout took a minute.",
        ],
        [
            "The delivery was late and the parcel was damaged.",
            "Customer service never answered my emails.",
            "Poor quality, it broke after a week and the refund took ages.",
            "I wish the website had a working search.",
        ],
    ),
    "fr": (
        [
            "La livraison était rapide et le colis bien emballé.",
            "Le service client a répondu vite et avec gentillesse.",
            "Très bonne qualité pour le prix, je recommande.",
            "Le site est simple et la commande facile.",
        ],
        [
            "La livraison a pris trois semaines, colis abîmé.",
            "Le service client ne répond jamais, inadmissible.",
            "Qualité médiocre, cassé au bout de deux jours.",
            "Il manque une notice en français.",
        ],
    ),
    "pl": (
        [
            "Dostawa była szybka, paczka dobrze zapakowana.",
            "Obsługa klienta odpowiedziała szybko i bardzo pomocnie.",
            "Świetna jakość w dobrej cenie, polecam.",
            "Strona jest prosta, zamówienie złożyłem w minutę.",
        ],
        [
            "Dostawa trwała dwa tygodnie, paczka uszkodzona.",
            "Obsługa klienta w ogóle nie odpowiada na maile.",
            "Słaba jakość, zepsuło się po tygodniu, nie polecam.",
            "Brakuje instrukcji po polsku.",
        ],
    ),
    "no": (
        [
            "Leveringen var rask og pakken godt pakket.",
            "Kundeservice svarte raskt og var hjelpsomme.",
            "Veldig god kvalitet til prisen, anbefales.",
            "Nettsiden er enkel og bestillingen gikk fort.",
        ],
        [
            "Leveringen tok tre uker og pakken var skadet.",
            "Kundeservicen svarte aldri på e-post.",
            "Dårlig kvalitet, gikk i stykker etter en uke.",
            "Jeg savner bedre informasjon om returen.",
        ],
    ),
}


def synthetic_reviews(n: int, company_id: int, source_id: int) -> list[dict[str, object]]:
    rng = random.Random(0)
    languages = list(PARTS)
    rows: list[dict[str, object]] = []
    for i in range(n):
        language = languages[i % len(languages)]
        good, bad = PARTS[language]
        rating = rng.choice([1, 2, 3, 4, 5, 5])
        pool = good if rating >= 4 else bad if rating <= 2 else good[:2] + bad[:2]
        sentences = [rng.choice(pool) for _ in range(8)]
        rows.append(
            {
                "company_id": company_id,
                "source_id": source_id,
                "content_key": f"k{i}",
                "text": " ".join(sentences),
                "rating": float(rating),
                "best_rating": 5.0,
                "worst_rating": 1.0,
                "rating_normalized": (rating - 1) / 4,
                "language": language,
                "language_source": "import",
            }
        )
    return rows


def main(argv: list[str]) -> int:
    if len(argv) < 2 or not argv[1].isdigit():
        print(__doc__)
        return 2
    n = int(argv[1])
    workers = int(argv[argv.index("--workers") + 1]) if "--workers" in argv else None
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        with engine.begin() as connection:
            connection.execute(insert(Company).values(id=1, name="Bench"))
            connection.execute(
                insert(Source).values(id=1, name="bench", company_id=1, kind="import")
            )
            company_id = source_id = 1
            rows = synthetic_reviews(n, company_id, source_id)
            for start in range(0, n, 5000):
                connection.execute(insert(Review), rows[start : start + 5000])
        words = sum(len(str(r["text"]).split()) for r in rows) / n
        started = time.perf_counter()
        first = analyze_database(engine, progress=False, workers=workers)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        again = analyze_database(engine, progress=False, workers=workers)
        again_s = time.perf_counter() - started
        engine.dispose()
    print(
        f"reviews: {n} (~{words:.0f} words each), model trained in first pass: {first.model_trained} "
        f"({', '.join(first.model_languages)})"
    )
    print(
        f"first pass: {first.analyzed} analysed in {first_s:.2f} s = {first.analyzed / first_s:,.0f} reviews/s"
    )
    print(
        f"re-run:     {again.analyzed} analysed in {again_s:.3f} s ({first_s / again_s:,.0f}x faster)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
