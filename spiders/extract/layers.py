"""The extraction layers, named once: every ``explain`` value, health check and report reads
layer names from here.

A layer is one way a page carries data (a markup syntax, a script, the visible layout, a
source's own selectors). ``priority`` orders trust: when two layers give the same field, the
lower number wins. ``structured`` marks layers that read data the site publishes on purpose
(markup, meta tags, its own JSON state): a source whose items stop coming from them has
changed, even when the layout heuristics still find something.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    """One named extraction layer."""

    name: str
    """The name written in ``explain`` and shown to users."""
    priority: int
    """Lower is more trusted."""
    structured: bool
    """Reads data the site publishes on purpose (not guessed from the layout)."""
    description: str


SELECTORS = Layer("selectors", 0, False, "the source's own CSS/XPath selectors")
JSON_LD = Layer("json-ld", 10, True, "schema.org in <script type=application/ld+json>")
MICRODATA = Layer("microdata", 20, True, "schema.org microdata (itemscope/itemprop)")
RDFA = Layer("rdfa", 30, True, "schema.org RDFa (typeof/property)")
OPENGRAPH = Layer("opengraph", 40, True, "OpenGraph and product: <meta> tags")
META = Layer("meta", 45, True, "other <meta> tags (name/itemprop)")
EMBEDDED_JSON = Layer("embedded-json", 50, True, "JSON state in <script> tags (__NEXT_DATA__, ...)")
HEURISTIC = Layer("heuristic", 60, False, "the visible layout (repeated blocks, labels, prices)")

LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in sorted(
        (SELECTORS, JSON_LD, MICRODATA, RDFA, OPENGRAPH, META, EMBEDDED_JSON, HEURISTIC),
        key=lambda layer: layer.priority,
    )
}
"""Every layer by name, most trusted first."""

STRUCTURED_LAYER_NAMES = frozenset(name for name, layer in LAYERS.items() if layer.structured)


def review_layer(explain: dict[str, str]) -> str:
    """The layer that read a review: its text's, else its rating's."""
    return explain.get("text") or explain.get("rating") or "?"


def review_carrier(layer: str) -> str:
    """How a page carries the reviews a layer read, in ``targets detect``'s words (which
    ``targets suggest`` repeats)."""
    if layer == EMBEDDED_JSON.name:
        return "embedded JSON"
    if layer == HEURISTIC.name:
        return "layout"
    if layer in STRUCTURED_LAYER_NAMES:
        return f"markup ({layer})"
    return layer


def layer_priority(name: str | None) -> int:
    """Trust rank of a layer name (lower wins); unknown names rank last."""
    layer = LAYERS.get(name or "")
    return layer.priority if layer else max(x.priority for x in LAYERS.values()) + 1


def layer_names() -> str:
    """The layer names, most trusted first, for help texts: ``"selectors, json-ld, ..."``."""
    return ", ".join(LAYERS)


def layer_coverage_key(kind: str, layer: str) -> str:
    """The run figure (``field_coverage`` key) holding the share of ``kind`` items
    (``"review"``, ``"offer"``) whose main field the layer read."""
    return f"{kind}.layer.{layer}"


def layer_shares(coverage: dict[str, float], kind: str) -> list[tuple[str, float]]:
    """(layer name, share) of a run's ``kind`` items per layer, most trusted layer first."""
    shares = ((name, coverage.get(layer_coverage_key(kind, name), 0.0)) for name in LAYERS)
    return [(name, float(share)) for name, share in shares if share]


def describe_layer_shares(coverage: dict[str, float], kind: str) -> str:
    """``"json-ld 80%, heuristic 20%"``; "" when the run recorded no layers."""
    return ", ".join(f"{name} {share:.0%}" for name, share in layer_shares(coverage, kind))
