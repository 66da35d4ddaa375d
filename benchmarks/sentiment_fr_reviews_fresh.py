"""French day one on a second, fresh table of shop-review sentences (held out).

Usage: python benchmarks/sentiment_fr_reviews_fresh.py [--show]

Written (2026-12-07) before the review vocabulary of ``seed_lexicon.toml`` it checks, and
never used to choose its words: 25 praise and 25 complaints about delivery, after-sales
service, quality, sizing, refunds and shop apps and sites, some informal (a dropped "ne",
no accents, abbreviations). It shares no sentence with ``sentiment_fr_reviews.py`` and
avoids the words and idioms seen misread there ("pas terrible", "laisse à désirer", a
dropped "ne" before "plus", and the review words no lexicon knew), so a change fitted to
those examples gains nothing here by construction. Prints how many of each half get their
label right; ``--show`` prints each sentence's polarity.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sentiment_fr_reviews import print_counts
from show_option import show_wanted

PRAISE = [
    "Livré en 24h, emballage soigné, rien à dire.",
    "Vendeuse très à l'écoute, elle m'a conseillé la bonne pointure.",
    "Le service après-vente a remplacé l'appareil sans discuter, bravo.",
    "Appli fluide et intuitive, commander prend deux minutes.",
    "Site clair, paiement sécurisé, suivi du colis impeccable.",
    "Le jean taille normalement, j'ai pris ma taille habituelle et il va très bien.",
    "Le pull est doux et ne bouloche pas après plusieurs lavages.",
    "Remboursement reçu trois jours après le renvoi, très correct.",
    "Franchement top, je recommande les yeux fermés.",
    "Conseillère au téléphone patiente et compétente.",
    "livraison ultra rapide, produit conforme, merci",
    "Très bon accueil en magasin et retrait de la commande en 5 min.",
    "Les finitions sont soignées, on sent la qualité.",
    "Je suis fidèle à cette boutique depuis des années, jamais déçue.",
    "Échange de taille fait en une semaine, sans frais, super.",
    "Aucun pb avec la cmd, tt est arrivé en temps et en heure",
    "tres bon produit, tient bien dans le temps",
    "Commande arrivée avant la date prévue, bien protégée.",
    "Le chat en ligne m'a répondu tout de suite, problème réglé.",
    "Qualité au rendez-vous pour un prix très correct.",
    "Robe magnifique, elle tombe parfaitement.",
    "Retour gratuit et simple, l'argent a été recrédité rapidement.",
    "Service client réactif et courtois, je reviendrai.",
    "Casque confortable, son excellent, batterie qui dure.",
    "Expérience d'achat agréable du début à la fin.",
]
COMPLAINTS = [
    "Colis arrivé avec deux semaines de retard et sans aucune excuse.",
    "Le SAV me balade depuis un mois, on me promet un rappel qui ne vient jamais.",
    "Pantalon trop petit, impossible de le fermer.",
    "Les coutures se défont après deux lavages.",
    "Application qui plante à chaque paiement, impossible de valider ma commande.",
    "Site très mal fait, on ne trouve rien.",
    "J'ai renvoyé l'article il y a six semaines et toujours pas d'avoir.",
    "Produit de piètre qualité, il a fini à la poubelle.",
    "Vendeur malhonnête, la photo ne montre pas le vrai produit.",
    "jamais recu mon colis, le suivi indique livre alors que rien",
    "Chaussures qui taillent grand, et l'échange est payant.",
    "Conseiller désagréable, il m'a raccroché au nez.",
    "Le matelas s'est affaissé en trois mois, honteux pour ce prix.",
    "Frais de port exorbitants et délai pas respecté.",
    "Je regrette mon achat, la batterie tient à peine une heure.",
    "Remboursement refusé sans explication, fuyez.",
    "Carton éventré à la livraison, la moitié des pièces manquait.",
    "Ca fait 3 semaines que jattends, aucune nouvelle",
    "Couleur délavée dès le premier lavage, très décevant.",
    "Le service client répond à côté de la plaque à chaque fois.",
    "L'appli bug tout le temps, pas moyen de suivre ma commande.",
    "Commande annulée sans prévenir, j'ai dû tout racheter ailleurs.",
    "Tissu qui gratte et qui se froisse en un rien de temps.",
    "Produit contrefait, rien à voir avec l'original.",
    "pas ouf la qualité, le zip est coincé",
]


def main(argv: list[str]) -> int:
    return print_counts(argv, "French review sentences (fresh)", PRAISE, COMPLAINTS)


if __name__ == "__main__":
    sys.exit(main(["--show"] if show_wanted(__doc__) else []))
