"""French day one on shop-review sentences: what the lexicon fallback labels them.

Usage: python benchmarks/sentiment_fr_reviews.py [--show]

The only French labelled sentences we hold are political tweets; our users' French text is
shop reviews. These 30 sentences are our own, written (2026-12-07) before any change they
were used to check: 15 praise and 15 complaints in the language of shop reviews (delivery,
parcels, after-sales service, quality, sizes, refunds), some written as people write
informally (a dropped "ne", missing accents). A change to the French fallback is kept only
if it gains on the French train tweets (``sentiment_lexicons.py``) and loses nothing here.
Prints how many of each half get their label right; ``--show`` prints each sentence's
polarity.
"""

from __future__ import annotations

import sys

from show_option import show_wanted

from compare.analysis.sentiment.lexicon import lexicon_scores

PRAISE = [
    "Livraison rapide, colis bien emballé, je recommande vivement.",
    "Très bonne qualité, la taille correspond parfaitement.",
    "Le SAV a été réactif et m'a remboursé en deux jours.",
    "Super produit, conforme à la photo, rien à redire.",
    "Commande reçue en 48h, article de qualité, vendeur sérieux.",
    "J'adore cette robe, tissu agréable et coupe flatteuse.",
    "Service client au top, très aimable et efficace.",
    "Taille un peu grand mais la qualité est excellente.",
    "tres satisfaite de mon achat, livraison soignee",
    "Produit solide et bien fini, prix raisonnable.",
    "Parfait !!! merci beaucoup, je recommanderai cette boutique.",
    "Les chaussures sont confortables dès le premier jour.",
    "Remboursement effectué sans problème après mon retour, merci.",
    "Colis arrivé en avance et en parfait état.",
    "Bon rapport qualité-prix, je suis ravie.",
]
COMPLAINTS = [
    "Colis jamais reçu et aucune réponse du SAV.",
    "Taille beaucoup trop petite, et le remboursement se fait toujours attendre.",
    "Qualité médiocre, le tissu s'est déchiré au premier lavage.",
    "Livraison en retard de deux semaines, très déçue.",
    "Produit arrivé cassé, emballage lamentable.",
    "J'attends mon remboursement depuis un mois, personne répond.",
    "Service client injoignable, je ne commanderai plus ici.",
    "c'est pas du tout conforme a la description",
    "La couleur ne correspond pas à la photo, je suis déçu.",
    "Article de mauvaise qualité, à éviter.",
    "Nul nul nul, la fermeture éclair a lâché au bout d'une semaine.",
    "Colis perdu, le transporteur s'en fiche et le vendeur aussi.",
    "On m'a envoyé la mauvaise taille et le retour est à mes frais.",
    "Trop cher pour ce que c'est, les finitions sont bâclées.",
    "marche plus au bout de 3 jours, SAV inexistant",
]


def right_counts(
    show: bool = False, praise: list[str] | None = None, complaints: list[str] | None = None
) -> tuple[int, int]:
    """(praise labelled positive, complaints labelled negative) by the French fallback, of
    this table or of the ``praise`` and ``complaints`` given."""
    counts = []
    for texts, sign in ((praise or PRAISE, 1), (complaints or COMPLAINTS, -1)):
        right = 0
        for text, (polarity, _, _) in zip(texts, lexicon_scores(texts, "fr"), strict=True):
            ok = polarity * sign > 0
            right += ok
            if show:
                print(f"{'ok ' if ok else 'BAD'} {polarity:+.3f}  {text}")
        counts.append(right)
    return counts[0], counts[1]


def print_counts(
    argv: list[str],
    title: str,
    praise: list[str] | None = None,
    complaints: list[str] | None = None,
) -> int:
    """Print the table's counts (``--show`` in ``argv``: each sentence's polarity first)."""
    texts = (praise or PRAISE, complaints or COMPLAINTS)
    right = right_counts("--show" in argv, *texts)
    print(
        f"{title}: praise {right[0]}/{len(texts[0])}, complaints {right[1]}/{len(texts[1])}, "
        f"all {sum(right)}/{len(texts[0]) + len(texts[1])}"
    )
    return 0


def main(argv: list[str]) -> int:
    return print_counts(argv, "French review sentences")


if __name__ == "__main__":
    sys.exit(main(["--show"] if show_wanted(__doc__) else []))
