"""A variant page without markup price: a price read from the layout that is the lowest of
the prices its size controls carry gives way to the chosen control's, when the page shows
it (``auto._chosen_control_price``)."""

from __future__ import annotations

from spiders.extract.auto import extract_auto


def _page(range_text: str, options: str, shown: str) -> str:
    return (
        '<html lang="en-GB"><head><title>Rain Jacket</title></head><body><h1>Rain Jacket</h1>'
        f"<p>{range_text}</p><select name='size'>{options}</select><div>{shown}</div>"
        "<button>Add to basket</button></body></html>"
    )


_OPTIONS = (
    '<option value="S" data-price="40.00">S</option>'
    '<option value="M" data-price="45.00" selected>M</option>'
    '<option value="L" data-price="50.00">L</option>'
)
CASES = [
    # the chosen size's price, shown beside the range
    (_page("£40.00 – £50.00", _OPTIONS, "£45.00"), "45.00"),
    (_page("from £40.00", _OPTIONS, "£45.00"), "45.00"),
    # the layout's price stays: the chosen size's price not shown, no size chosen, the
    # layout's price not the lowest size's, one priced control only
    (_page("£40.00 – £50.00", _OPTIONS, ""), "40.00"),
    (_page("£40.00 – £50.00", _OPTIONS.replace(" selected", ""), "£45.00"), "40.00"),
    (_page("£42.00", _OPTIONS, "£45.00"), "42.00"),
    (
        _page("£40.00", '<option value="M" data-price="45.00" selected>M</option>', "£45.00"),
        "40.00",
    ),
]


def test_chosen_size_price_over_the_lowest() -> None:
    got = [
        extract_auto(html, "https://shop.example/p/rain-jacket").offers[0].price
        for html, _ in CASES
    ]
    assert got == [want for _, want in CASES]
