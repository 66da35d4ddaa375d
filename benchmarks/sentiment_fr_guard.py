"""French day one on a guard table of short shop-review sentences (issue #17, sent-fr2).

Usage: python benchmarks/sentiment_fr_guard.py [--show]

Written (2026-12-07) before any change it measures, and scored on main first: 76 short
French customer-review sentences of our own (41 complaints, 35 praise) about products,
delivery, after-sales service and prices, with the constructions a change to the French
fallback can break: "ne ... pas", "pas", "jamais", "plus", a dropped "ne", intensifiers,
contrast with "mais" (either side winning), idioms ("à éviter", "à fuir", "je recommande",
"rien à redire", "pas terrible", "pas mal"), feminine and plural forms ("déçue", "déçus",
"décevantes"), elisions and missing accents. The first three complaints are the ones an
earlier attempt at polarity shifters turned into praise. A change may not make this table
worse; ``tests/test_benchmark_sentiment_fr_guard.py`` lists each sentence still misread
and why. Prints how many of each half get their label right; ``--show`` prints each
sentence's polarity.

Main when written (6095950): praise 35/35, complaints 39/41, all 74/76 (misread: "Je
n'achèterai plus jamais ici." +0.15, "Prix correct mais la qualité n'est pas au
rendez-vous." +0.70).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sentiment_fr_reviews import print_counts
from show_option import show_wanted

COMPLAINTS = [
    "Produit à éviter absolument horrible",
    "Je vous conseille d'éviter ce vendeur arnaque totale",
    "Moins cher mais mauvaise qualité",
    "Boutique à fuir, service client inexistant.",
    "Très déçue par la qualité du tissu.",
    "Les chaussures sont décevantes, elles ont craqué au bout d'une semaine.",
    "Nous sommes déçus, la livraison n'est jamais arrivée.",
    "La commande n'est pas arrivée à temps.",
    "Je ne recommande pas ce site.",
    "Je recommande pas du tout.",
    "Pas terrible, la batterie se vide vite.",
    "Le colis est arrivé ouvert et abîmé.",
    "L'article ne correspond pas du tout à la description.",
    "Le vendeur n'a jamais répondu à mes messages.",
    "Je n'achèterai plus jamais ici.",
    "Jamais plus chez eux.",
    "Service client incompétent et impoli.",
    "Beaucoup trop cher pour ce que c'est.",
    "Prix correct mais la qualité n'est pas au rendez-vous.",
    "Joli sur la photo mais en vrai c'est moche.",
    "Livraison rapide mais produit cassé à l'arrivée.",
    "Le design est beau mais il tombe en panne sans arrêt.",
    "Qualité mediocre, tres decu.",
    "Emballage bâclé, une tasse était cassée.",
    "C'est nul, ça ne marche pas.",
    "Aucune réponse du SAV depuis trois semaines.",
    "Ils m'ont facturé deux fois et refusent de rembourser.",
    "Quelle arnaque, j'ai payé pour rien.",
    "Taille beaucoup trop petite, vraiment dommage.",
    "La qualité a beaucoup baissé, je suis déçu.",
    "Vendeur pas sérieux du tout.",
    "Franchement pas terrible pour le prix.",
    "Délai de livraison interminable.",
    "Le produit n'est pas du tout ce qui était annoncé, c'est scandaleux.",
    "Je déconseille fortement cette marque.",
    "Les finitions laissent vraiment à désirer.",
    "Ça ne vaut pas le prix.",
    "Les livraisons sont toujours lentes et les vendeuses désagréables.",
    "Pièces mal emballées, toutes rayées.",
    "Couleurs délavées, très décevantes.",
    "Toujours pas remboursé :(",
]
PRAISE = [
    "Je recommande vivement cette boutique.",
    "Rien à redire, tout est parfait.",
    "Pas mal du tout pour le prix.",
    "Pas cher et de bonne qualité.",
    "Livraison rapide et soignée, très satisfaite.",
    "Je ne suis pas déçue, bien au contraire.",
    "Jamais eu de problème avec ce vendeur.",
    "Produit conforme et arrivé en avance.",
    "Un peu cher mais la qualité est excellente.",
    "Le colis a mis du temps mais l'article est superbe.",
    "Service client adorable, ils ont réglé mon souci en une heure.",
    "Très contente de mon achat, je recommande !",
    "Les chaussures sont confortables et bien finies.",
    "Excellent rapport qualité prix.",
    "Produit génial, rien à redire.",
    "tres bon vendeur, envoi rapide, je recommande",
    "Aucun souci, commande reçue en deux jours.",
    "Je suis ravie, le sac est encore plus beau qu'en photo.",
    "Satisfaits de notre commande, nous reviendrons.",
    "Une qualité irréprochable et un prix raisonnable.",
    "Vendeur sérieux et réactif.",
    "Bon produit, fait le travail.",
    "Les enfants adorent, parfait pour l'été.",
    "Pas de mauvaise surprise, tout était conforme.",
    "Je n'ai jamais été déçu par cette marque.",
    "C'est pas donné mais ça vaut le coup.",
    "Super qualité, livraison au top.",
    "Des articles de qualité à des prix imbattables.",
    "Équipe très professionnelle et sympathique.",
    "J'adore cette robe, elle est trop belle !",
    "Belles couleurs, tissu agréable, taille parfaitement.",
    "Le vendeur m'a remboursé sans problème.",
    "Merci pour votre rapidité, très efficace.",
    "Reçu ce matin :)",
    "Nous sommes ravis et les enfants sont enchantés.",
]


def main(argv: list[str]) -> int:
    return print_counts(argv, "French guard sentences", PRAISE, COMPLAINTS)


if __name__ == "__main__":
    sys.exit(main(["--show"] if show_wanted(__doc__) else []))
