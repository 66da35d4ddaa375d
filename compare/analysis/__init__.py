"""Review analysis: sentences, sentiment, aspects, needs and key phrases.

Entry point for callers (CLI, demo, scheduler): ``compare.analysis.run.analyze_database``.
The per-review work is pure (``compare.analysis.review.analyze_texts``) so it runs in
worker processes; storage lives in ``storage.analysis_models``.
"""
