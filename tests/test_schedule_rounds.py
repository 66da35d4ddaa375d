"""What the long-running scheduler repeats every round must not pile up in its process.

The report and the alerts read some tables by reflection; a table reflected anew each round
made every statement over it a new entry in the engine's compiled-statement cache (found
by ``benchmarks/schedule_soak.py``: +9 entries and ~0.6 MB per round).
"""

from __future__ import annotations

from sqlalchemy import Engine, select, text

from compare.report.analysis_source import analysis_source
from rivalscope.alerts import sentiment_alerts
from settings.schedule import AlertSettings
from storage.reflection import reflected_table


def _compiled(engine: Engine) -> int:
    cache = engine._compiled_cache  # SQLAlchemy's per-engine LRU of compiled statements
    assert cache is not None
    return len(cache)


def test_report_tables_are_reflected_once_per_engine(engine: Engine) -> None:
    with engine.connect() as connection:
        first = analysis_source(connection)
    with engine.connect() as connection:
        second = analysis_source(connection)
        connection.execute(select(second.mention.c.review_id)).all()
    assert first.mention is second.mention
    assert first.need is second.need
    assert first.sentence is second.sentence


def test_round_after_round_compiles_no_new_statements(engine: Engine) -> None:
    settings = AlertSettings(net_sentiment_points=5)

    def one_round() -> None:
        assert sentiment_alerts(engine, settings) == []
        with engine.connect() as connection:
            source = analysis_source(connection)
            connection.execute(select(source.need.c.review_id).limit(1)).all()

    one_round()
    after_first = _compiled(engine)
    one_round()
    one_round()
    assert _compiled(engine) == after_first


def test_a_changed_table_is_reflected_again(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY)"))
        before = reflected_table(connection, "scratch")
        connection.execute(text("ALTER TABLE scratch ADD COLUMN note TEXT"))
        after = reflected_table(connection, "scratch")
    assert "note" not in before.c
    assert "note" in after.c
    with engine.connect() as connection:
        assert reflected_table(connection, "scratch") is after
