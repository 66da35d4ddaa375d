"""The competitor gap report: statistics, SQL aggregation, findings and rendering.

Entry point: ``compare.report.build.build_report(engine, out_dir)``.
"""
