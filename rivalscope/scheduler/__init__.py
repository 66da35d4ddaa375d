"""``rivalscope schedule``: crawls on each source's cron schedule, one process per crawl.

``due`` says when a source is due, ``lease`` keeps crawls of one source exclusive across
scheduler processes and remembers last runs, ``crawl_process`` runs and polices one crawl,
``followups`` runs analysis and report, ``service`` ties them into the scheduler loop.
"""
