"""The product's code on a page whose markup names only variant-level skus.

Shops mark up each size or colour with its own sku ("KT5120-BLK-XL", "KT5120-BLK-M") and
show the product's code ("KT5120") on the page, under a label or unlabelled beside the
title. The skus name that code by their structure alone, in any language: it is the
leading part of every one of them and each adds a short size/colour suffix. A shown token
in that relation is named as a code, as a label or the URL names one for
``best_shown_code``; where it sits and its shape are weighed by the code ranking as for any
shown code, and it counts only outside links (a link's code is the linked product's) and
the page's chrome. Several variant skus sharing it need it to score above "no code", and
then it replaces a code that is only their common stem (``variants.common_stem``, a guess
at where the product's part ends) or none; one markup sku extending it is weaker evidence
(the sku may be the product's own code, the shown token a model family), so there it must
reach the ranking's ``overrule`` score.
"""

from __future__ import annotations

from collections.abc import Sequence
from os.path import commonprefix

import lxml.html

from spiders.extract.candidate_model import model
from spiders.extract.heuristics import page_short_texts, shown_identifiers
from spiders.extract.page_regions import ancestors, main_area
from spiders.extract.shown_codes import CODE_MODEL, shown_code_candidates
from spiders.extract.variants import MIN_STEM, variant_stem_of


def _stem_in_text(skus: Sequence[str], text: str) -> bool:
    """Whether a leading part of the skus that could be their stem (``variant_stem_of``)
    occurs in the page (as the markup writes it) more often than the skus themselves: a
    cheap test before the candidates are read (most pages show no stem)."""
    shared = commonprefix(list(skus))  # noqa: RUF071 - a character prefix is wanted
    stems = [shared[:end] for end in range(MIN_STEM, len(shared) + 1)]
    stems = [stem for stem in stems if variant_stem_of(stem, skus)]
    if not stems:
        return False
    whole = sum(text.count(s) for s in set(skus))
    return any(text.count(stem) > whole for stem in stems)


_LINK_DEPTH = 4


def _beside_product(element: lxml.html.HtmlElement) -> bool:
    """Shown with the product, not in a link (which names the product it leads to: another
    size's or colour's page, a related product) nor in the page's chrome."""
    in_link = element.tag == "a" or any(a.tag == "a" for a in ancestors(element, _LINK_DEPTH))
    return not in_link and main_area(element)


def shown_variant_stem(
    root: lxml.html.HtmlElement,
    url: str,
    text: str,
    skus: Sequence[str],
    markup_ids: Sequence[str] = (),
) -> str | None:
    """The shown code that the markup's variant-level ``skus`` extend, best scored first,
    if it scores enough (above "no code" for several skus, ``overrule`` for one)."""
    if not skus or not _stem_in_text(skus, text):
        return None
    texts = page_short_texts(root)  # both readers' texts, listed once
    labelled = dict(shown_identifiers(root, texts)[0])
    candidates = shown_code_candidates(
        root, url, markup_ids, labelled, named_only=True, variant_skus=skus, page_texts=texts
    )
    stems = [
        c
        for c in candidates
        if c.element is not None and c.features.get("variant_stem") and _beside_product(c.element)
    ]
    if not stems:
        return None
    ranking = model(CODE_MODEL)
    needed = ranking.threshold if len(set(skus)) >= 2 else ranking.overrule
    best = max(stems, key=lambda c: (c.score, len(c.value), -c.order))
    return best.value if best.score > needed else None
