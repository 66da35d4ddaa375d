"""Typed SQLAlchemy Core handles on the tables the report reads (plain ``Table`` objects keep
mypy happy where SQLModel class attributes would not)."""

from __future__ import annotations

from sqlalchemy import Table

import storage.findings_models
import storage.models
from storage.schema import metadata

COMPANY: Table = metadata.tables[storage.models.Company.__tablename__]  # type: ignore[index]
PRODUCT: Table = metadata.tables[storage.models.Product.__tablename__]  # type: ignore[index]
REVIEW: Table = metadata.tables[storage.models.Review.__tablename__]  # type: ignore[index]
OFFER: Table = metadata.tables["offer_observation"]
PARENT: Table = metadata.tables["product_parent"]
REPORT_RUN: Table = metadata.tables["report_run"]
CRAWL_RUN: Table = metadata.tables["crawl_run"]
HEALTH_CHECK: Table = metadata.tables["health_check"]
FINDING: Table = metadata.tables[storage.findings_models.Finding.__tablename__]  # type: ignore[index]
