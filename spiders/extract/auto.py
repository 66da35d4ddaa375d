"""Auto extraction: offers, reviews, ratings and the next page from any shop page.

Layers in order of trust (``spiders.extract.layers``): JSON-LD, microdata, RDFa,
OpenGraph/product meta tags, JSON in scripts, then page heuristics. A field is taken from the most trusted layer that has it, and
``explain[field]`` names that layer. Pure: no I/O, and never raises on bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache

from lxml.html import HtmlElement

from settings.languages import normalize_language_code
from settings.records import (
    AggregateRatingItem,
    OfferItem,
    PageExtraction,
    ReviewItem,
    drop_unstorable,
)
from spiders.extract.attribute_aggregate import attribute_aggregate_rating
from spiders.extract.availability import normalize_availability
from spiders.extract.chosen_currency import chosen_currency
from spiders.extract.document import Document, parse_document
from spiders.extract.embedded_json import embedded_json_aggregate, embedded_json_reviews
from spiders.extract.heuristic_reviews import heuristic_review_items
from spiders.extract.heuristics import (
    best_visible_price,
    colon_labelled_codes,
    heuristic_offer_fields,
    labelled_identifier_pairs,
    letter_labelled_code,
    page_short_texts,
    shown_identifiers,
    visible_grouping,
    visible_price_overruling,
    visible_text,
)
from spiders.extract.identifiers import grouped_gtin, product_identifiers
from spiders.extract.jsonld import jsonld_objects
from spiders.extract.layers import EMBEDDED_JSON, HEURISTIC, JSON_LD
from spiders.extract.listing import markup_listing, visible_listing
from spiders.extract.markup import markup_nodes
from spiders.extract.meta import declared_locale, meta_offer_fields, meta_tags
from spiders.extract.nodes import Node, jsonld_nodes, node_types
from spiders.extract.pagination import next_page_url
from spiders.extract.price import (
    currency_from_locale,
    currency_from_shared_signs,
    currency_from_url,
    normalize_price,
)
from spiders.extract.review_limit import DEFAULT_MAX_REVIEWS, within_review_limit
from spiders.extract.review_merge import merge_reviews
from spiders.extract.schema_offers import is_product, schema_offer_items
from spiders.extract.schema_reviews import aggregate_rating_item, schema_review_items
from spiders.extract.script_json import attribute_json_values, script_json_values
from spiders.extract.script_offer import price_amount, state_offer
from spiders.extract.script_product import ScriptProduct, script_product
from spiders.extract.shown_codes import best_shown_code, shown_code_candidates
from spiders.extract.star_row_aggregate import star_row_aggregate
from spiders.extract.text_aggregate import (
    add_text_counts,
    labelled_average,
    page_pieces,
    text_aggregate_rating,
)
from spiders.extract.variant_choice import (
    aggregate_range,
    chosen_control_code,
    chosen_in_range,
    chosen_values,
    chosen_variant,
    extends_code,
)
from spiders.extract.variant_codes import shown_variant_stem
from spiders.extract.variants import (
    parent_product,
    url_code_of_variant,
    variant_group,
    variant_offers,
)
from spiders.extract.visible_availability import (
    MARKUP_EVIDENCE,
    SCRIPT_EVIDENCE,
    availability_evidence,
    weigh_availability,
)
from spiders.extract.visible_price import shown_prices

_MERGED_FIELDS = ("price", "currency", "availability", "sku", "gtin", "mpn", "brand", "category", "image")  # fmt: skip


def extract_auto(
    html: str | bytes,
    url: str,
    *,
    encoding: str | None = None,
    max_reviews: int = DEFAULT_MAX_REVIEWS,
) -> PageExtraction:
    """Everything the page's markup and layout say about its offers and reviews (at most
    ``max_reviews`` reviews: ``spiders.extract.review_limit``)."""
    try:
        page = _extract(parse_document(html, encoding), url, max_reviews)
    except Exception as exc:  # a bug must not stop a crawl; report it with the page
        page = PageExtraction(
            url=url, warnings=[f"extraction failed: {exc.__class__.__name__}: {exc}"]
        )
    drop_unstorable(page)  # JSON's "\u0000" and lone "\ud800" escapes
    return page


def structured_nodes(
    document: Document, skipped: list[str] | None = None
) -> tuple[list[Node], list[str]]:
    """schema.org nodes from JSON-LD, microdata and RDFa, in that order of trust (the
    reasons of blocks not read added to ``skipped``)."""
    assert document.root is not None
    objects, warnings = jsonld_objects(document.root, skipped)
    nodes = jsonld_nodes(objects)
    text = document.text
    has_microdata = "itemprop" in text or "itemscope" in text
    has_rdfa = "typeof" in text or "property=" in text
    if has_microdata or has_rdfa:
        nodes.extend(markup_nodes(document.root, microdata=has_microdata, rdfa=has_rdfa))
    return nodes, warnings


def _extract(document: Document, url: str, max_reviews: int) -> PageExtraction:
    page = PageExtraction(url=url, warnings=list(document.warnings), skipped=list(document.skipped))
    root = document.root
    if root is None:
        return page
    nodes, warnings = structured_nodes(document, page.skipped)
    page.warnings.extend(warnings)
    tags = meta_tags(root)
    locale = declared_locale(root, tags)
    page.language = normalize_language_code(locale)
    hint = currency_from_url(url) or currency_from_locale(locale)
    hint = hint or currency_from_shared_signs(locale, document.text)
    offers = _main_first(schema_offer_items(nodes, url, hint))
    group = variant_group(nodes, url)
    if group is not None and len(group.skus) >= 2 and group.code_from_skus:
        group.code = shown_variant_stem(root, url, document.text, group.skus) or group.code
    variants: list[OfferItem] = []
    if group is not None:
        chosen = chosen_variant(root, group.skus, group.labels, group.addresses)
        chosen = chosen or _shown_price_variant(root, offers, group.skus, url, hint)
        offers, variants = variant_offers(_one_per_variant(offers, group.skus), group, url, chosen)
    main = offers[0] if offers else OfferItem(url=url)
    if group is not None and group.code and offers and main.variant_sku is None:
        main.sku = group.code  # the product's code, not its size's
        main.explain["sku"] = main.explain.get("sku", JSON_LD.name)
    for other in offers[1:]:
        if _same_product(main, other):
            _fill(main, other)
    _fill_from_meta(main, meta_offer_fields(tags), hint)
    _check_markup_price(main, root)
    if not variants:
        _chosen_currency_price(main, root, url)
    if group is None:
        _chosen_of_range(main, nodes, root)
    script_values = script_json_values(root, page.skipped)
    # A listing gives its cards, never a product named after the page's heading.
    cards = None if variants else markup_listing(offers, root)
    sold = bool(offers) or not _about_no_product(nodes)
    markup_variants = bool(variants)
    shown = cache(lambda: visible_text(root))  # read only for a state's integer price
    if cards is None and sold and main.price is None and not variants:
        # No markup price: the shop's script state, read before the layout's guesses.
        variants = _fill_from_state(main, root, url, script_values, document.text, shown)
    listing = cards is None and heuristic_offer_fields(root, url, main, hint, prices=sold)
    if listing and not offers and main.price is None and not (main.sku or main.gtin):
        cards = visible_listing(root, url, main.currency or hint)
    if cards is not None:
        page.offers = cards
        main = OfferItem(url=url)  # reviews on a listing are about no product of the heading
    elif sold or main.price is not None:
        # The script state is walked once, and only when a rule below needs it.
        name = main.name
        # The page's chosen variant (its address, buy form, controls) where no markup lists them.
        # Read only when the state lists variants.
        ids = cache(lambda: frozenset() if markup_variants else chosen_values(root, url))
        state = cache(
            lambda: script_product(
                [*script_values, *attribute_json_values(root, forms_only=True)], name, ids
            )
        )
        _weigh_availability(main, root, state, variant_product=len(variants) >= 2)
        _choose_sku(main, nodes, root, url, document.text, state)
        _chosen_script_variant(main, state)
        _chosen_variant_price(main, root, state, hint, document.text, shown)
        _chosen_control_price(main, root, hint)
        if main.price is None and not variants and (named := state().named_price):
            # Price slots saved empty or as 0 placeholders: the product's script state.
            main.price = price_amount(named, document.text, shown)
            main.currency = named.currency or main.currency or hint
            main.explain["price"] = main.explain["currency"] = EMBEDDED_JSON.name
        if main.sku and main.variant_sku is None and not variants:
            main.sku = chosen_control_code(root, main.sku) or main.sku
        if not offers and (main.price or main.sku):
            offers = [main, *variants] if len(variants) >= 2 else [main]
        if len(variants) >= 2:
            parent = parent_product(variants, main.sku if main.variant_sku else None, main.name)
            for offer in (main, *variants):
                offer.parent = parent
        page.offers = [o for o in offers if o.name or o.price or o.sku or o.gtin]
    # else: a recipe or article that sells nothing (no offer, nor a sku from its URL)
    reviews = _reviews(nodes, root, url, document.text, main, locale, script_values, page.skipped, max_reviews)  # fmt: skip
    within_review_limit(page, reviews, max_reviews)
    page.aggregate_rating = _aggregate(nodes, root, page.language, script_values, bool(page.offers))
    page.next_page = next_page_url(root, url)
    return page


def _aggregate(
    nodes: list[Node],
    root: HtmlElement,
    language: str | None,
    script_values: list[object],
    sells: bool = False,
) -> AggregateRatingItem | None:
    """The markup's aggregate rating (its missing counts from the text when they agree),
    else the script state's, else the one the page writes as text, else the one a rating
    widget keeps in its data attributes, else the one a row of star icons shows with its
    count, else an average under its label ("Avg: 4.6") without a count. On a page that
    ``sells`` something, a seller's markup rating is not the product's."""
    markup = aggregate_rating_item(nodes, sells)
    if markup is not None and (markup.rating_count or markup.review_count):
        return markup
    if markup is None:
        found = embedded_json_aggregate(script_values)
        if found is not None:
            return found
        pieces = page_pieces(root)  # one walk of the text for both text readings
        return (
            text_aggregate_rating(root, language, pieces)
            or attribute_aggregate_rating(root)
            or star_row_aggregate(root, language)
            or labelled_average(root, language, pieces)
        )
    text = text_aggregate_rating(root, language)
    add_text_counts(markup, text)
    return markup


def _reviews(
    nodes: list[Node],
    root: HtmlElement,
    url: str,
    text: str,
    main: OfferItem,
    locale: str | None,
    script_values: list[object],
    skipped: list[str],
    limit: int,
) -> list[ReviewItem]:
    """Reviews from markup and script state, each once; the layout when neither has any.
    Each layer's are built up to ``limit`` (the reason of those left added to ``skipped``)."""
    structured = merge_reviews(
        schema_review_items(nodes, url, locale, limit=limit, skipped=skipped),
        embedded_json_reviews(root, url, locale, script_values, limit=limit, skipped=skipped),
    )
    for review in structured:
        if review.product_name is None and review.product_sku is None:
            review.product_name, review.product_sku = main.name, main.sku
    return structured or merge_reviews(_layout_reviews(root, url, text, main, locale))


def _layout_reviews(
    root: HtmlElement, url: str, text: str, main: OfferItem, locale: str | None
) -> list[ReviewItem]:
    """Reviews from repeated rating + text blocks, about the page's main product."""
    reviews = heuristic_review_items(root, url, text, locale)
    for review in reviews:
        review.product_name, review.product_sku = main.name, main.sku
    return reviews


# Markup types of a page about a work that is not sold on it: the amounts such a page shows
# are costs, examples or advertisements, not the price of the page's product. (Not the bare
# "Article": some site builders mark every page so, shop pages too; on the 407 saved pages
# leaving it out changed nothing.)
_NOT_FOR_SALE = frozenset({"recipe", "blogposting", "newsarticle"})


def _about_no_product(nodes: list[Node]) -> bool:
    """True if the markup says the page is a recipe, blog post or news article and names no
    product."""
    types: set[str] = set()
    for node in nodes:
        if is_product(node):
            return False
        types |= node_types(node)
    return not types.isdisjoint(_NOT_FOR_SALE) and "offer" not in types


def _main_first(offers: list[OfferItem]) -> list[OfferItem]:
    """The page's main offer first: the first one with a price (variants keep their order)."""
    for index, offer in enumerate(offers):
        if offer.price is not None:
            return [offer, *offers[:index], *offers[index + 1 :]]
    return offers


def _one_per_variant(offers: list[OfferItem], skus: list[str]) -> list[OfferItem]:
    """Each variant once: markup that names a variant twice (a group's ``hasVariant`` and
    the shown variant's own product node, or a group node carrying that variant's sku)
    gives one offer of it, the first that states a price (else the first), completed from
    the others."""
    copies: dict[str, list[OfferItem]] = {}
    for offer in offers:
        if offer.sku in skus:
            copies.setdefault(offer.sku, []).append(offer)
    dropped: set[int] = set()
    for same in copies.values():
        kept = next((o for o in same if o.price is not None), same[0])
        for other in same:
            if other is not kept:
                _fill(kept, other)
                dropped.add(id(other))
    return [o for o in offers if id(o) not in dropped]


def _same_product(main: OfferItem, other: OfferItem) -> bool:
    if main.name is None or other.name is None:
        return True
    return main.name.casefold() == other.name.casefold() or main.explain.get(
        "name"
    ) != other.explain.get("name")


def _fill(target: OfferItem, source: OfferItem) -> None:
    for field in _MERGED_FIELDS:
        value = getattr(source, field)
        if getattr(target, field) is None and value is not None:
            setattr(target, field, value)
            target.explain[field] = source.explain.get(field, JSON_LD.name)
    if target.name is None and source.name:
        target.name = source.name
        target.explain["name"] = source.explain.get("name", JSON_LD.name)


def _fill_from_meta(offer: OfferItem, fields: dict[str, tuple[str, str]], hint: str | None) -> None:
    if offer.price is None and "price" in fields:
        raw, layer = fields["price"]
        currency_raw = fields.get("currency", (None, ""))[0]
        price, currency = normalize_price(raw, currency_raw or hint)
        if price is not None:
            offer.price, offer.price_raw, offer.explain["price"] = price, raw, layer
            if offer.currency is None and currency:
                offer.currency, offer.explain["currency"] = currency, layer
    if offer.availability is None and "availability" in fields:
        raw, layer = fields["availability"]
        availability = normalize_availability(raw)
        if availability:
            offer.availability, offer.availability_raw = availability, raw
            offer.explain["availability"] = layer
    for field in ("sku", "gtin", "mpn", "brand", "name", "category", "image"):
        if getattr(offer, field) is None and field in fields:
            value, layer = fields[field]
            setattr(offer, field, value)
            offer.explain[field] = layer


def _fill_from_state(
    main: OfferItem,
    root: HtmlElement,
    url: str,
    script_values: list[object],
    text: str,
    shown: Callable[[], str],
) -> list[OfferItem]:
    """Fill the price, currency, name, code and stock of a page whose markup gives no
    price from its script state (``script_offer``); the state's variants as offers when it
    lists two or more. A state price the page shows only as an old price gives way to the
    shown one (``_check_markup_price``)."""
    found = state_offer(root, url, script_values, text, shown)
    if found is None or found.price is None:
        return []
    price, _ = normalize_price(found.price)
    if price is None:
        return []
    layer = EMBEDDED_JSON.name
    main.price, main.price_raw, main.explain["price"] = price, found.price, layer
    if main.currency is None and found.currency:
        main.currency, main.explain["currency"] = found.currency, layer
    if main.name is None and found.name:
        main.name, main.explain["name"] = found.name, layer
    if main.sku is None and found.sku:
        main.sku, main.explain["sku"] = found.sku, layer
    if main.availability is None and found.availability:
        main.availability, main.availability_raw = found.availability, found.availability
        main.explain["availability"] = layer
    _check_markup_price(main, root)
    if len(found.variants) < 2:
        return []
    if found.variant_sku and found.variant_sku != main.sku:
        main.variant_sku = found.variant_sku
    variants = []
    for variant in found.variants:
        offer = OfferItem(url=url, name=main.name, sku=variant.sku, currency=main.currency)
        offer.explain = {"sku": layer, "currency": main.explain.get("currency", layer)}
        if variant.price is not None:
            offer.price, offer.price_raw, offer.explain["price"] = (
                variant.price,
                variant.price,
                layer,
            )
        if variant.availability is not None:
            offer.availability = offer.availability_raw = variant.availability
            offer.explain["availability"] = layer
        variants.append(offer)
    return variants


def _check_markup_price(offer: OfferItem, root: HtmlElement) -> None:
    """Replace a markup price that the page shows only as an old price (or only beside a
    lower amount and a percentage) by the visible one, and a markup "1.299" by 1299 where
    the page shows it so (``visible_grouping``)."""
    if offer.price is None:
        return
    whole = visible_grouping(root, offer.price, offer.currency)
    if whole is not None:
        offer.price = whole  # the raw value stays the markup's
        offer.explain["price"] = HEURISTIC.name
        return
    visible = visible_price_overruling(root, offer.price, offer.currency)
    if visible is not None:
        offer.price, currency, offer.price_raw = visible
        offer.explain["price"] = HEURISTIC.name
        if currency and offer.currency is None:
            offer.currency, offer.explain["currency"] = currency, HEURISTIC.name


def _chosen_currency_price(offer: OfferItem, root: HtmlElement, url: str) -> None:
    """A markup price in the shop's base currency while the page's currency selector chose
    another and the page shows a different amount in it: the shown price and currency (what
    the shopper pays)."""
    if offer.price is None or offer.currency is None:
        return
    chosen = chosen_currency(root)
    if chosen is None or chosen == offer.currency:
        return
    shown, _ = best_visible_price(root, chosen, url)
    if shown is None or shown[1] != chosen or Decimal(shown[0]) == Decimal(offer.price):
        return
    offer.price, offer.currency, offer.price_raw = shown[0], chosen, shown[2]
    offer.explain["price"] = offer.explain["currency"] = HEURISTIC.name


def _shown_price_variant(
    root: HtmlElement, offers: list[OfferItem], skus: list[str], url: str, hint: str | None
) -> str | None:
    """The sku of the one variant whose price is the page's main shown price, or None: a
    page that marks no control as chosen still shows the chosen variant's price."""
    prices = {o.sku: Decimal(o.price) for o in offers if o.sku in skus and o.price}
    if len(set(prices.values())) < 2:
        return None  # one price for every variant tells none of them
    currencies = {o.currency for o in offers if o.sku in skus}
    shown, _ = best_visible_price(root, currencies.pop() if len(currencies) == 1 else hint, url)
    if shown is None:
        return None
    matched = [sku for sku, price in prices.items() if price == Decimal(shown[0])]
    return matched[0] if len(matched) == 1 else None


def _chosen_of_range(offer: OfferItem, nodes: list[Node], root: HtmlElement) -> None:
    """A markup price that is an AggregateOffer's low price gives way to the price of the
    variant the page shows as chosen (a selected option or checked control carrying its
    price within the range); its code, when it extends the markup's and the page shows
    it, is the sku a shopper reads."""
    span = aggregate_range(nodes) if offer.price is not None else None
    if span is None or offer.price is None or Decimal(offer.price) != span[0]:
        return
    found = chosen_in_range(root, *span)
    if found is None:
        return
    price, values = found
    offer.price, offer.explain["price"] = format(price, "f"), HEURISTIC.name
    shown = visible_text(root)
    codes = [v for v in values if offer.sku and extends_code(offer.sku, v) and v in shown]
    if codes:
        offer.sku, offer.explain["sku"] = codes[0], HEURISTIC.name


def _weigh_availability(
    offer: OfferItem,
    root: HtmlElement,
    state: Callable[[], ScriptProduct],
    *,
    variant_product: bool,
) -> None:
    """The availability the page's evidence weighs most (markup, the script state's
    variants, stock text, the buy button); the markup's unless the rest outweighs it."""
    markup = None
    if offer.availability is not None:
        markup = (offer.availability, offer.availability_raw or offer.availability)
    # The variants' stock tells whether any size can be bought: news only when the markup
    # says nothing or that the product cannot be; markup variants say it themselves.
    variant_states = []
    if not variant_product and (markup is None or markup[0] != "InStock"):
        variant_states = state().variant_states
    chosen_state = state().chosen_state if not variant_product and markup is None else None
    if chosen_state is not None:
        variant_states = [chosen_state]  # the chosen variant's, not any variant's
    evidence = availability_evidence(
        root,
        markup,
        variant_states,
        variant_product=variant_product,
        priced=offer.price is not None,
    )
    chosen = weigh_availability(evidence)
    if chosen is None or chosen.source == MARKUP_EVIDENCE:
        return
    offer.availability, offer.availability_raw = chosen.state, chosen.raw
    offer.explain["availability"] = (
        EMBEDDED_JSON.name if chosen.source == SCRIPT_EVIDENCE else HEURISTIC.name
    )


def _chosen_script_variant(offer: OfferItem, state: Callable[[], ScriptProduct]) -> None:
    """The sku of the variant the page has chosen in its script state's variant list
    (``script_product``), for an offer whose markup names no variant: the size or colour
    the page shows is the one it sells."""
    chosen = state().chosen_sku
    if chosen is None or offer.variant_sku is not None or offer.explain.get("sku") == JSON_LD.name:
        return
    offer.sku, offer.explain["sku"] = chosen, EMBEDDED_JSON.name


def _chosen_variant_price(
    offer: OfferItem,
    root: HtmlElement,
    state: Callable[[], ScriptProduct],
    hint: str | None,
    text: str,
    shown: Callable[[], str],
) -> None:
    """The chosen variant's price (``script_product``) in place of a price read from the
    layout, when the page shows it too: a variant page's range or its first size's price
    stands above the chosen size's."""
    price = state().chosen_price
    if price is None or offer.price is None:
        return
    if offer.explain.get("price") not in (HEURISTIC.name, EMBEDDED_JSON.name):
        return
    chosen = price_amount(price, text, shown)
    if Decimal(chosen) == Decimal(offer.price):
        return
    if shown_prices(root, chosen, offer.currency or hint):
        offer.price = chosen


# Variant controls that carry a price (``<option data-price="44.99">``).
_PRICED_CONTROLS = (
    "//option[@*[contains(name(), 'price')]] | //input[@*[contains(name(), 'price')]]"
)


def _chosen_control_price(offer: OfferItem, root: HtmlElement, hint: str | None) -> None:
    """A price read from the layout that is the lowest of the prices the page's variant
    controls carry, while its chosen control carries another that the page shows: the
    chosen size's price (a variant page's range or first size stands above it)."""
    if offer.price is None or offer.explain.get("price") != HEURISTIC.name:
        return
    price = Decimal(offer.price)
    amounts = []
    for control in root.xpath(_PRICED_CONTROLS)[:_MAX_PRICED_CONTROLS]:
        for key, value in control.attrib.items():
            if "price" in key and (amount := normalize_price(value)[0]) is not None:
                amounts.append(Decimal(amount))
    if len(amounts) < 2 or min(amounts) != price:
        return
    found = chosen_in_range(root, price, max(amounts))
    if found is None or found[0] == price:
        return
    chosen = format(found[0], "f")
    if shown_prices(root, chosen, offer.currency or hint):
        offer.price = chosen


_MAX_PRICED_CONTROLS = 500


def _choose_sku(
    offer: OfferItem,
    nodes: list[Node],
    root: HtmlElement,
    url: str,
    text: str,
    state: Callable[[], ScriptProduct],
) -> None:
    structured = list(
        dict.fromkeys([*([offer.sku] if offer.sku else []), *product_identifiers(nodes)])
    )
    if structured:
        shop_code = _shown_shop_code(root, structured[0])
        if shop_code is None and offer.variant_sku is None and offer.sku == structured[0]:
            shop_code = url_code_of_variant(structured[0], url) or shown_variant_stem(
                root, url, text, structured[:1], [v for v in (offer.gtin, offer.mpn) if v]
            )
        if shop_code is not None:
            offer.sku, offer.explain["sku"] = shop_code, HEURISTIC.name
        return
    code = state().code
    if code is not None:
        # The shop's own product state names the product's code.
        offer.sku, offer.explain["sku"] = code, EMBEDDED_JSON.name
        return
    markup_ids = [v for v in (offer.gtin, offer.mpn) if v]
    texts = page_short_texts(root)  # both readers' texts, listed once
    labelled, _ = shown_identifiers(root, texts)
    # Whether the page offers anything: a price, a stock state (a stock line, a buy button)
    # or an id in its markup; without any, the URL must name the shown code (an article's).
    offered = offer.price is not None or offer.availability is not None or bool(markup_ids)
    best = best_shown_code(
        shown_code_candidates(
            root, url, markup_ids, dict(labelled), named_only=True, page_texts=texts
        ),
        offered=offered,
        price=offer.price,
    )
    if best is None:
        # No code with a digit: one of capital letters alone right after the shop's code label.
        letters = letter_labelled_code(texts, root) if offered else None
        if letters is not None:
            offer.sku, offer.explain["sku"] = letters, HEURISTIC.name
        return
    if best.value == offer.sku:
        return
    # A GTIN shown grouped ("ISBN 978-4-00-000000-2") is written as one run of digits: as
    # the markup has it where it names one, else as ``grouped_gtin`` reads it.
    ungrouped = _ungrouped(best.value)
    written = next((v for v in markup_ids if v == ungrouped), None) or (
        grouped_gtin(best.value) or best.value
    )
    offer.sku = written
    offer.explain["sku"] = (
        offer.explain.get("sku", JSON_LD.name)
        if best.element is None and written in markup_ids
        else HEURISTIC.name
    )


def _ungrouped(code: str) -> str:
    """A code of digits written in groups ("978-4-00-000000-2", "4 901234 567894") as one
    run of digits; any other code as it is."""
    digits = code.replace("-", "").replace(" ", "")
    return digits if digits.isdigit() else code


def _shown_shop_code(root: HtmlElement, markup_sku: str) -> str | None:
    """The product code the page shows under a label ("Product code: 123") when the
    markup's sku is nowhere in the visible text: customers and the shop's search know
    the product by the shown code, the hidden one is often a variant or internal id."""
    visible = visible_text(root)
    if markup_sku in visible:
        return None
    pairs = labelled_identifier_pairs(root)
    codes = [value for value, own in pairs if own] if pairs else _only_colon_code(root)
    return codes[0] if codes and codes[0] != markup_sku else None


def _only_colon_code(root: HtmlElement) -> list[str]:
    """The one code the page shows as "label: code", for a page where no label of the table
    names any code (its language is one the table lacks): with several such codes nothing
    tells the shop's own from a model or part number."""
    codes = colon_labelled_codes(root)
    return codes if len(codes) == 1 else []
