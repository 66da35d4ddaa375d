"""The report's sections, one module each. Importing a module registers its section
(``section_registry.register``); the page and summary.md show them in the order imported
below, so a new section is its module plus one import line where it belongs on the page."""

# The import order is the page order: keep isort away.
# isort: off
from compare.report.sections import glance  # noqa: F401
from compare.report.sections import finding_tables  # noqa: F401  (opportunities, threats)
from compare.report.sections import aspect_comparison  # noqa: F401
from compare.report.sections import ratings  # noqa: F401
from compare.report.sections import price_positioning  # noqa: F401
from compare.report.sections import trends  # noqa: F401
from compare.report.sections import needs_and_complaints  # noqa: F401
from compare.report.sections import evidence_quotes  # noqa: F401
from compare.report.sections import method  # noqa: F401
# isort: on
