"""Hand-written review phrases in en, fr, pl and no (data only).

Every phrase is a clause: lower-case start (unless it starts with "I"), no final
punctuation, so the generator can make it a sentence or join two with "but".
"""

from __future__ import annotations

ASPECTS = ("price", "delivery", "support", "quality", "usability", "returns")

ClauseTable = dict[str, dict[str, tuple[str, ...]]]
"""aspect -> polarity -> clauses."""

_EN: ClauseTable = {
    "price": {
        "positive": (
            "great value for the money",
            "the price was lower than anywhere else I looked",
            "worth every penny",
            "fair price for what you get",
            "cheaper than the big chains and just as good",
        ),
        "negative": (
            "way too expensive for what it is",
            "the price is steep compared to other shops",
            "overpriced, honestly",
            "I paid far too much for this",
            "hard to justify the price",
        ),
    },
    "delivery": {
        "positive": (
            "delivery was fast, it arrived the next day",
            "it came well packed and two days early",
            "shipping was quick and the tracking worked",
            "the parcel arrived on time and in perfect condition",
        ),
        "negative": (
            "delivery took almost three weeks",
            "the box arrived damaged and the water tank was cracked",
            "the parcel was late and nobody told me why",
            "shipping was slow and the courier lost it for a week",
            "the parcel sat in a depot for ten days",
        ),
    },
    "support": {
        "positive": (
            "customer service answered within an hour and solved the problem",
            "support was friendly and really helpful",
            "when I had a question the support team called me back the same day",
            "great customer support",
        ),
        "negative": (
            "support never answered my emails",
            "customer service was rude and useless",
            "I waited two weeks for a reply from support",
            "nobody at customer service could help me",
            "the support hotline never picks up",
        ),
    },
    "quality": {
        "positive": (
            "the build quality is excellent, it feels solid",
            "after a year of daily use it still works like new",
            "very well made, metal everywhere",
            "the espresso is excellent and it is built to last",
        ),
        "negative": (
            "it broke after three months",
            "the plastic feels cheap and the lid already cracked",
            "it started leaking after a few weeks",
            "quality is poor, the grinder jammed twice",
        ),
    },
    "usability": {
        "positive": (
            "it is very easy to use and to clean",
            "setup took five minutes",
            "the controls are simple and intuitive",
            "even my kids can make coffee with it",
        ),
        "negative": (
            "the manual is confusing and the buttons are not intuitive",
            "cleaning it is a real pain",
            "it is complicated to set up",
            "the display is hard to read",
        ),
    },
    "returns": {
        "positive": (
            "returning the first unit was easy and the refund came quickly",
            "they exchanged it without any questions",
            "the refund arrived within three days",
        ),
        "negative": (
            "getting a refund was a nightmare",
            "they refused my return even though it was faulty",
            "I am still waiting for my refund after a month",
        ),
    },
}

_FR: ClauseTable = {
    "price": {
        "positive": (
            "excellent rapport qualité-prix",
            "le prix était le plus bas que j'ai trouvé",
            "elle vaut largement son prix",
            "prix correct pour ce que c'est",
        ),
        "negative": (
            "beaucoup trop cher pour ce que c'est",
            "le prix est excessif par rapport à la concurrence",
            "franchement trop cher",
            "j'ai payé bien trop cher",
        ),
    },
    "delivery": {
        "positive": (
            "livraison rapide, reçue le lendemain",
            "colis bien emballé et arrivé en avance",
            "la livraison a été rapide et le suivi fonctionnait",
            "le colis est arrivé à l'heure et en parfait état",
        ),
        "negative": (
            "la livraison a pris presque trois semaines",
            "le carton est arrivé abîmé et le réservoir était fissuré",
            "colis en retard sans aucune explication",
            "livraison très lente, le transporteur a perdu le colis pendant une semaine",
            "le colis est resté dix jours au dépôt",
            "livrée avec dix jours de retard",
        ),
    },
    "support": {
        "positive": (
            "le service client a répondu en une heure et a réglé le problème",
            "service client aimable et vraiment efficace",
            "le SAV m'a rappelé le jour même",
            "très bon service après-vente",
        ),
        "negative": (
            "le service client ne répond jamais aux e-mails",
            "SAV désagréable et inutile",
            "j'ai attendu deux semaines une réponse du support",
            "personne au service client n'a pu m'aider",
        ),
    },
    "quality": {
        "positive": (
            "la finition est excellente, elle est très solide",
            "après un an d'utilisation quotidienne elle marche comme au premier jour",
            "très bien construite, tout en métal",
            "le café est excellent et la machine est faite pour durer",
        ),
        "negative": (
            "elle est tombée en panne au bout de trois mois",
            "le plastique fait bon marché et le couvercle est déjà fendu",
            "elle fuit depuis quelques semaines",
            "qualité médiocre, le moulin s'est bloqué deux fois",
        ),
    },
    "usability": {
        "positive": (
            "très simple à utiliser et à nettoyer",
            "installation en cinq minutes",
            "les commandes sont simples et intuitives",
            "même mes enfants arrivent à s'en servir",
        ),
        "negative": (
            "la notice est incompréhensible et les boutons pas intuitifs",
            "le nettoyage est une vraie corvée",
            "elle est compliquée à installer",
            "l'écran est difficile à lire",
        ),
    },
    "returns": {
        "positive": (
            "le retour a été facile et le remboursement rapide",
            "ils l'ont échangée sans discuter",
            "remboursé en trois jours",
        ),
        "negative": (
            "obtenir un remboursement a été un cauchemar",
            "ils ont refusé mon retour alors qu'elle était défectueuse",
            "toujours pas remboursé après un mois",
        ),
    },
}

_PL: ClauseTable = {
    "price": {
        "positive": (
            "świetny stosunek jakości do ceny",
            "cena była najniższa, jaką znalazłem",
            "wart swojej ceny",
            "uczciwa cena za to, co się dostaje",
        ),
        "negative": (
            "zdecydowanie za drogi",
            "cena jest wygórowana w porównaniu z innymi sklepami",
            "szczerze mówiąc, przepłacony",
            "zapłaciłem o wiele za dużo",
        ),
    },
    "delivery": {
        "positive": (
            "dostawa była szybka, paczka przyszła następnego dnia",
            "paczka dobrze zapakowana i przyszła przed czasem",
            "szybka wysyłka i działające śledzenie przesyłki",
            "przesyłka dotarła na czas i w idealnym stanie",
        ),
        "negative": (
            "dostawa trwała prawie trzy tygodnie",
            "paczka przyszła uszkodzona, a zbiornik na wodę był pęknięty",
            "przesyłka się spóźniła i nikt nie wiedział dlaczego",
            "kurier zgubił paczkę na tydzień",
        ),
    },
    "support": {
        "positive": (
            "obsługa klienta odpowiedziała w godzinę i rozwiązała problem",
            "miła i naprawdę pomocna obsługa",
            "konsultant oddzwonił tego samego dnia",
            "świetny kontakt ze sklepem",
        ),
        "negative": (
            "obsługa klienta w ogóle nie odpowiada na maile",
            "obsługa była niemiła i bezużyteczna",
            "na odpowiedź z serwisu czekałem dwa tygodnie",
            "nikt w obsłudze klienta nie potrafił mi pomóc",
            "infolinia nie odbiera telefonu",
        ),
    },
    "quality": {
        "positive": (
            "wykonanie jest świetne, solidny sprzęt",
            "po roku codziennego używania działa jak nowy",
            "bardzo dobrze wykonany, dużo metalu",
            "kawa jest wyśmienita, a ekspres jest zrobiony na lata",
        ),
        "negative": (
            "zepsuł się po trzech miesiącach",
            "plastik jest tandetny, a pokrywka już pękła",
            "po kilku tygodniach zaczął przeciekać",
            "słaba jakość, młynek zaciął się dwa razy",
        ),
    },
    "usability": {
        "positive": (
            "bardzo łatwy w obsłudze i w czyszczeniu",
            "instalacja zajęła pięć minut",
            "proste i intuicyjne sterowanie",
            "nawet dzieci potrafią zrobić na nim kawę",
        ),
        "negative": (
            "instrukcja jest niezrozumiała, a przyciski mało intuicyjne",
            "czyszczenie to koszmar",
            "konfiguracja jest skomplikowana",
            "wyświetlacz jest nieczytelny",
        ),
    },
    "returns": {
        "positive": (
            "zwrot poszedł sprawnie, a pieniądze wróciły szybko",
            "wymienili go bez żadnych pytań",
            "zwrot pieniędzy w trzy dni",
        ),
        "negative": (
            "odzyskanie pieniędzy to była droga przez mękę",
            "odmówili przyjęcia zwrotu, choć sprzęt był wadliwy",
            "po miesiącu wciąż czekam na zwrot pieniędzy",
        ),
    },
}

_NO: ClauseTable = {
    "price": {
        "positive": (
            "veldig god valuta for pengene",
            "prisen var lavere enn alle andre steder jeg sjekket",
            "verdt hver krone",
            "rimelig pris for det du får",
        ),
        "negative": (
            "altfor dyr for det den er",
            "prisen er stiv sammenlignet med andre butikker",
            "ærlig talt overpriset",
            "jeg betalte alt for mye",
        ),
    },
    "delivery": {
        "positive": (
            "rask levering, kom dagen etter",
            "godt pakket og kom to dager før tiden",
            "leveringen gikk kjapt og sporingen fungerte",
            "pakken kom i tide og i perfekt stand",
            "superrask levering",
        ),
        "negative": (
            "leveringen tok nesten tre uker",
            "esken kom skadet og vanntanken var sprukket",
            "pakken var forsinket og ingen sa hvorfor",
            "frakten var treg",
        ),
    },
    "support": {
        "positive": (
            "kundeservice svarte innen en time og løste problemet",
            "hyggelig og veldig hjelpsom kundeservice",
            "kundeservice ringte meg tilbake samme dag",
            "god oppfølging fra kundeservice",
        ),
        "negative": (
            "kundeservice svarte aldri på e-postene mine",
            "kundeservice var uhøflig og til ingen hjelp",
            "jeg ventet to uker på svar fra kundeservice",
            "ingen hos kundeservice kunne hjelpe meg",
        ),
    },
    "quality": {
        "positive": (
            "byggekvaliteten er utmerket, den føles solid",
            "etter et år med daglig bruk fungerer den som ny",
            "veldig godt bygget, mye metall",
            "kaffen er nydelig og maskinen er laget for å vare",
        ),
        "negative": (
            "den ble ødelagt etter tre måneder",
            "plasten føles billig og lokket har allerede sprukket",
            "den begynte å lekke etter noen uker",
            "dårlig kvalitet, kvernen har satt seg fast to ganger",
            "en knapp løsnet etter en måned",
        ),
    },
    "usability": {
        "positive": (
            "veldig enkel å bruke og å rengjøre",
            "oppsettet tok fem minutter",
            "enkle og intuitive knapper",
            "selv barna klarer å lage kaffe med den",
        ),
        "negative": (
            "bruksanvisningen er forvirrende og knappene er lite intuitive",
            "rengjøringen er et ork",
            "den er komplisert å sette opp",
            "displayet er vanskelig å lese",
        ),
    },
    "returns": {
        "positive": (
            "returen gikk greit og pengene kom raskt tilbake",
            "de byttet den uten spørsmål",
            "fikk refusjon på tre dager",
        ),
        "negative": (
            "å få pengene tilbake var et mareritt",
            "de nektet å ta den i retur selv om den var defekt",
            "venter fortsatt på refusjon etter en måned",
        ),
    },
}

CLAUSES: dict[str, ClauseTable] = {
    "en": _EN,
    "fr": _FR,
    "pl": _PL,
    "no": _NO,
}
"""language -> aspect -> polarity -> clauses."""

NEEDS: dict[str, dict[str, tuple[str, ...]]] = {
    "timer": {
        "en": ("I wish it had a timer", "a programmable timer would be nice"),
        "fr": ("j'aimerais qu'elle ait un minuteur", "un minuteur programmable serait bien"),
        "pl": ("przydałby się timer", "brakuje programowanego włączania"),
        "no": ("savner en timer", "skulle ønske den hadde tidsinnstilling"),
    },
    "app": {
        "en": ("I wish there was an app to control it", "an app would be great"),
        "fr": (
            "j'aimerais une application pour la piloter",
            "il manque une appli mobile",
            "dommage qu'il n'y ait pas d'application",
        ),
        "pl": ("przydałaby się aplikacja na telefon",),
        "no": ("en app hadde vært fint",),
    },
    "quieter": {
        "en": ("I wish it were quieter", "it could be a lot quieter"),
        "fr": ("j'aimerais qu'elle soit moins bruyante",),
        "pl": ("mógłby być cichszy",),
        "no": ("skulle ønske den var stillere", "den kunne godt vært mindre bråkete"),
    },
    "local_manual": {
        "en": ("there is no Polish manual, only English and German",),
        "fr": ("il n'y a pas de notice en polonais",),
        "pl": ("brakuje polskiej instrukcji", "szkoda, że nie ma instrukcji po polsku"),
        "no": ("mangler norsk bruksanvisning",),
    },
    "bigger_tank": {
        "en": ("I wish the water tank were bigger",),
        "fr": ("le réservoir pourrait être plus grand",),
        "pl": ("zbiornik na wodę mógłby być większy",),
        "no": ("vanntanken kunne vært større",),
    },
    "milk_frother": {
        "en": ("it really needs a better milk frother",),
        "fr": ("il faudrait une meilleure buse à lait",),
        "pl": ("brakuje lepszego spieniacza do mleka",),
        "no": ("skulle gjerne hatt en bedre melkeskummer",),
    },
}
"""need -> language -> clauses voicing it."""

CONNECTORS = {"en": " but ", "fr": " mais ", "pl": ", ale ", "no": ", men "}
"""Joins a positive and a negative clause into one mixed sentence."""

OPENERS = {
    "en": (
        "bought this for my office",
        "I use it every morning",
        "this was a gift for my wife",
        "replaced my old machine with this one",
    ),
    "fr": (
        "achetée pour le bureau",
        "je m'en sers tous les matins",
        "c'était un cadeau pour mon mari",
        "elle remplace mon ancienne machine",
    ),
    "pl": (
        "kupiłem do biura",
        "używam go codziennie rano",
        "to był prezent dla żony",
        "zastąpił mój stary ekspres",
    ),
    "no": (
        "kjøpte den til kontoret",
        "bruker den hver morgen",
        "var en gave til kona",
        "erstattet den gamle maskinen min",
    ),
}

CLOSERS: dict[str, dict[str, tuple[str, ...]]] = {
    "positive": {
        "en": ("would recommend", "very happy overall"),
        "fr": ("je recommande", "très satisfait dans l'ensemble"),
        "pl": ("polecam", "ogólnie jestem bardzo zadowolony"),
        "no": ("anbefales", "veldig fornøyd alt i alt"),
    },
    "negative": {
        "en": ("would not buy again", "avoid"),
        "fr": ("je ne rachèterai pas", "à éviter"),
        "pl": ("więcej nie kupię", "odradzam"),
        "no": ("kjøper ikke igjen", "styr unna"),
    },
    "mixed": {
        "en": ("mixed feelings overall",),
        "fr": ("avis mitigé",),
        "pl": ("mieszane uczucia",),
        "no": ("blandede følelser",),
    },
}
"""overall tone -> language -> closing clauses."""

TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "positive": {
        "en": ("Great machine", "Love it", "Very happy"),
        "fr": ("Super machine", "Ravi", "Très content"),
        "pl": ("Świetny sprzęt", "Polecam", "Bardzo zadowolony"),
        "no": ("Supert", "Elsker den", "Veldig fornøyd"),
    },
    "negative": {
        "en": ("Disappointed", "Not worth it", "Avoid"),
        "fr": ("Déçu", "Ne vaut pas le coup", "À éviter"),
        "pl": ("Rozczarowanie", "Nie warto", "Odradzam"),
        "no": ("Skuffet", "Ikke verdt det", "Styr unna"),
    },
    "mixed": {
        "en": ("Good, but...", "Mixed feelings"),
        "fr": ("Bien, mais...", "Mitigé"),
        "pl": ("Dobry, ale...", "Mieszane uczucia"),
        "no": ("Bra, men...", "Blandet"),
    },
}

FIRST_NAMES = {
    "en": ("Emma", "James", "Olivia", "Harry", "Sophie", "Jack", "Charlotte", "Oliver", "Amelia"),
    "fr": ("Camille", "Julien", "Chloé", "Mathieu", "Léa", "Nicolas", "Élodie", "Thomas", "Manon"),
    "pl": ("Agnieszka", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Paweł", "Joanna", "Michał"),
    "no": ("Ingrid", "Ola", "Kari", "Lars", "Silje", "Magnus", "Nora", "Henrik", "Åse", "Sindre"),
}
INITIALS = {
    "en": "ABCDEFGHJKLMNOPRSTW",
    "fr": "ABCDEFGHJLMNPRSTV",
    "pl": "BDGJKLMNPRSTWZŁŚŻ",
    "no": "ABDEFGHJKLMNORSTVØ",
}
"""Surname initials per language."""
